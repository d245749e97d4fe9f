"""The methodology page: how ranks are decided, what counts as evidence, how often facts are
reviewed and who edits — with the numbers the code applies, not a second copy of them."""

import datetime

from comparisons.models import REVIEW_AFTER_DAYS, Criterion, Figure, Framework
from core.pages import PUBLIC_PAGES
from tests.html import get_page

METHODOLOGY = PUBLIC_PAGES["methodology"]


def section_text(page, section_id: str) -> str:
    return page.one("section", id=section_id).clean_text


def test_it_answers_the_four_questions_under_their_own_headings(seeded, client):
    page = get_page(client, METHODOLOGY)
    headings = [h2.clean_text for h2 in page.one("main").find_all("h2")]
    assert {
        "How a rank is decided",
        "What counts as evidence",
        "How often facts are checked",
        "Who edits",
    } <= set(headings)


def test_it_states_the_tie_rule_the_admin_states(seeded, client):
    text = section_text(get_page(client, METHODOLOGY), "ranks")
    assert "1, 1, 3" in text
    assert "never 1, 1, 2" in text


def test_it_says_figures_decide_where_they_exist(seeded, client):
    text = section_text(get_page(client, METHODOLOGY), "ranks")
    assert "Where a criterion can be counted, the count decides." in text


def test_the_review_interval_is_the_one_the_admin_applies(seeded, client):
    text = section_text(get_page(client, METHODOLOGY), "reviews")
    assert f"at least every {REVIEW_AFTER_DAYS} days" in text


def test_each_published_framework_shows_its_last_and_next_review(seeded, client):
    Framework.objects.filter(slug="flask").update(last_reviewed=datetime.date(2026, 6, 1))
    page = get_page(client, METHODOLOGY)
    items = {li.find("a").clean_text: li.clean_text for li in page.by_id("reviews").find_all("li")}
    assert set(items) == set(Framework.objects.published().values_list("name", flat=True))
    next_review = datetime.date(2026, 6, 1) + datetime.timedelta(days=REVIEW_AFTER_DAYS)
    assert items["Flask"] == (
        f"Flask: last reviewed 1 June 2026; next review by {next_review.day} "
        f"{next_review:%B} {next_review.year}."
    )


def test_an_unpublished_framework_is_not_listed(seeded, client):
    Framework.objects.filter(slug="flask").update(is_published=False)
    page = get_page(client, METHODOLOGY)
    names = [li.find("a").clean_text for li in page.by_id("reviews").find_all("li")]
    assert "Flask" not in names


def test_every_criterion_is_described_where_its_address_points(seeded, client):
    # What each criterion measures lives here (the comparison links to it).
    page = get_page(client, METHODOLOGY)
    for criterion in Criterion.objects.all():
        path, anchor = criterion.get_absolute_url().split("#")
        assert path == METHODOLOGY
        term = page.by_id("criteria").find("dt", id=anchor)
        assert term is not None
        assert term.clean_text.startswith(criterion.name)
        described = term.next_sibling("dd").clean_text
        assert described.startswith(plain_first_words(criterion.description_html))


def plain_first_words(stored_html: str) -> str:
    from core.templatetags.site import plain_text

    return " ".join(plain_text(stored_html).split()[:5])


def test_every_content_page_links_to_it_from_the_footer(seeded, client):
    for url in PUBLIC_PAGES.values():
        footer = get_page(client, url).one("footer")
        assert METHODOLOGY in [a.attrs["href"] for a in footer.find_all("a")], url


def test_it_links_to_the_report_form_for_itself(seeded, client):
    links = [a.attrs["href"] for a in get_page(client, METHODOLOGY).by_id("editors").find_all("a")]
    assert "/report/?page=/methodology/" in links


def test_it_explains_the_benchmark_the_performance_figures_link_to(seeded, client):
    page = get_page(client, METHODOLOGY)
    text = section_text(page, "benchmark")
    assert "make framework-bench" in text
    assert "The rank follows the five tasks\N{RIGHT SINGLE QUOTATION MARK} geometric mean" in text
    links = {a.attrs["href"] for a in page.by_id("benchmark").find_all("a")}
    assert "/code/" in links
    linked = set(Figure.objects.values_list("source_url", flat=True))
    assert "/methodology/#benchmark" in linked
