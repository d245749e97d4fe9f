"""Where the original article is out of date, the page says what is true today, with a dated
"Updated" mark beside the pro or con or the facts concerned, linked to the page's "What
changed", which tells the old claim: on framework pages and in the article."""

import pytest

from comparisons.models import Correction
from core.pages import ARTICLE
from tests.html import Element, get_page


def corrections_in(node: Element) -> list[Element]:
    return node.find_all(class_="correction")


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


def what_changed(page: Element) -> Element:
    heading = page.by_id("what-changed")
    assert heading is not None, "no What changed section"
    return heading.parent


def updated_mark(node: Element, correction: Correction) -> Element | None:
    """The dated "Updated" link to this correction, if the node holds one."""
    for link in node.find_all("a"):
        if link.attrs.get("href") == f"#correction-{correction.pk}":
            assert link.clean_text.startswith("Updated")
            assert correction.dated.isoformat() in [
                t.attrs.get("datetime") for t in link.find_all("time")
            ]
            return link
    return None


def test_a_pro_or_con_that_was_corrected_carries_a_dated_mark(seeded, client):
    corrections = Correction.objects.filter(procon__isnull=False).select_related(
        "framework", "procon"
    )
    assert corrections
    for correction in corrections:
        page = get_page(client, correction.framework.get_absolute_url())
        item = point_item(page, correction.procon.kind, correction.procon.title)
        assert updated_mark(item, correction) is not None, correction
        assert corrections_in(item) == []  # the old claim is not told in place


def test_corrected_facts_carry_one_dated_mark_between_the_facts_and_the_overview(seeded, client):
    # One mark for the facts box, not a run of links: the latest correction's date, how many
    # facts were corrected, linked to What changed, where each one's old claim is told.
    corrections = Correction.objects.filter(procon__isnull=True).select_related("framework")
    assert corrections
    for framework in {correction.framework for correction in corrections}:
        own = [c for c in corrections if c.framework == framework]
        page = get_page(client, framework.get_absolute_url())
        mark = page.by_id("corrections")
        assert mark is not None
        (link,) = mark.find_all("a")
        assert link.attrs["href"] == "#what-changed"
        assert link.clean_text.startswith("Updated")
        latest = max(c.dated for c in own).isoformat()
        assert [t.attrs.get("datetime") for t in link.find_all("time")] == [latest]
        assert f"{len(own)} of these facts corrected" in mark.clean_text
        for correction in own:
            assert page.by_id(f"correction-{correction.pk}") in corrections_in(what_changed(page))
        order = [node for node in page.iter() if node.attrs.get("id") or node.tag == "dl"]
        facts = page.find("dl", class_="facts")
        assert order.index(facts) < order.index(mark) < order.index(page.by_id("overview"))


def test_what_changed_tells_each_old_claim_where_its_mark_links(seeded, client):
    for correction in Correction.objects.filter(framework__is_published=True):
        page = get_page(client, correction.framework.get_absolute_url())
        section = what_changed(page)
        box = page.by_id(f"correction-{correction.pk}")
        assert box is not None
        assert box in corrections_in(section)
        assert shows_correction([box], correction), correction


def test_what_changed_says_what_the_original_article_is(seeded, client):
    page = get_page(client, "/frameworks/django/")
    assert "the original article (the guide to choosing" in what_changed(page).clean_text


@pytest.mark.parametrize(
    ("slug", "original"),
    [
        ("flask", "Flask handles one request at a time, in turns."),
        ("fastapi", "FastAPI builds GraphQL APIs with the graphene library."),
    ],
)
def test_the_article_marks_a_corrected_pro_or_con_in_place(seeded, client, slug, original):
    correction = Correction.objects.select_related("procon").get(
        framework__slug=slug, original=original
    )
    page = get_page(client, ARTICLE)
    item = point_item(page, correction.procon.kind, correction.procon.title, prefix=f"{slug}-")
    assert updated_mark(item, correction) is not None
    assert corrections_in(item) == []  # the old claim is not told in place
    assert shows_correction(corrections_in(what_changed(page)), correction)


def test_the_article_marks_corrected_facts_under_their_framework(seeded, client):
    page = get_page(client, ARTICLE)
    for correction in Correction.objects.filter(procon__isnull=True, framework__is_published=True):
        section = page.by_id(correction.framework.slug)
        assert updated_mark(section, correction) is not None, correction
        assert corrections_in(section) == []


def test_the_articles_what_changed_says_what_the_original_article_is(seeded, client):
    page = get_page(client, ARTICLE)
    assert "“the original article”" in what_changed(page).clean_text
    contents = [link.attrs["href"] for link in page.by_id("toc-title").parent.find_all("a")]
    assert "#what-changed" in contents


def test_the_articles_what_changed_gives_each_correction_in_a_line_linked_to_the_whole_of_it(
    seeded, client
):
    """The article summarises (its page weight is budgeted); the framework page says it all.
    Each line is where the article's "Updated" marks link."""
    page = get_page(client, ARTICLE)
    notes = corrections_in(what_changed(page))
    assert len(notes) == Correction.objects.filter(framework__is_published=True).count()
    for note in notes:
        link = note.one("a")
        assert link.clean_text == "What is true today"
        framework_url, _, anchor = link.attrs["href"].partition("#")
        correction = Correction.objects.get(pk=anchor.removeprefix("correction-"))
        assert framework_url == correction.framework.get_absolute_url()
        assert correction.original in note.clean_text
        assert get_page(client, framework_url).by_id(anchor) is not None
        assert note.attrs["id"] == anchor
