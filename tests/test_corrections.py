"""Where the original article is out of date, a dated "Updated" note says what is true today:
beside the pro or con it concerns, or near the facts."""

import pytest

from comparisons.models import Correction
from tests.html import Element, get_page
from tests.pages import ARTICLE


def corrections_in(node: Element) -> list[Element]:
    return node.find_all("div", class_="correction")


def shows_correction(nodes: list[Element], correction: Correction) -> bool:
    for node in nodes:
        text = node.clean_text
        dates = [time.attrs.get("datetime") for time in node.find_all("time")]
        if (
            correction.original in text
            and text.startswith("Updated")
            and correction.dated.isoformat() in dates
        ):
            return True
    return False


def point_item(page: Element, kind: str, title: str, prefix: str = "") -> Element:
    heading = page.by_id(f"{prefix}{kind}s")
    assert heading is not None
    for item in heading.next_sibling("ul").find_all("li"):
        if item.find("h3" if not prefix else "h4").clean_text.endswith(title):
            return item
    raise AssertionError(f"no {kind} titled {title!r}")


def test_corrections_show_with_the_pro_or_con_they_concern(seeded, client):
    corrections = Correction.objects.filter(procon__isnull=False).select_related(
        "framework", "procon"
    )
    assert corrections
    for correction in corrections:
        page = get_page(client, correction.framework.get_absolute_url())
        item = point_item(page, correction.procon.kind, correction.procon.title)
        assert shows_correction(corrections_in(item), correction), correction
        facts_box = page.by_id("corrections")
        assert facts_box is None or not shows_correction(corrections_in(facts_box), correction)


def test_corrections_of_facts_show_near_the_facts(seeded, client):
    corrections = Correction.objects.filter(procon__isnull=True).select_related("framework")
    assert corrections
    for correction in corrections:
        page = get_page(client, correction.framework.get_absolute_url())
        box = page.by_id("corrections")
        assert box is not None
        assert shows_correction(corrections_in(box), correction), correction
        # Between the facts and the overview, not among the pros and cons.
        order = [node for node in page.iter() if node.attrs.get("id") or node.tag == "dl"]
        facts = page.find("dl", class_="facts")
        assert order.index(facts) < order.index(box) < order.index(page.by_id("overview"))
        points = page.find_all("ul", class_="points")
        assert not any(shows_correction(corrections_in(ul), correction) for ul in points)


@pytest.mark.parametrize(
    ("slug", "original"),
    [
        ("flask", "Flask handles one request at a time, in turns."),
        ("fastapi", "FastAPI builds GraphQL APIs with the graphene library."),
    ],
)
def test_article_shows_the_concurrency_and_graphql_corrections(seeded, client, slug, original):
    correction = Correction.objects.select_related("procon").get(
        framework__slug=slug, original=original
    )
    page = get_page(client, ARTICLE)
    item = point_item(page, correction.procon.kind, correction.procon.title, prefix=f"{slug}-")
    assert shows_correction(corrections_in(item), correction)
