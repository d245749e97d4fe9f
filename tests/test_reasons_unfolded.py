"""Every reason at once: ?reasons=open unfolds each "Why" of the comparison and A-vs-B tables
(no JavaScript), and a link above each table folds or unfolds them, keeping its filters."""

import pytest

from core.pages import PUBLIC_PAGES
from tests.html import get_page

COMPARE = PUBLIC_PAGES["compare"]
VERSUS = "/compare/django-vs-flask/"


def whys(page, table_id):
    details = page.by_id(table_id).find_all("details")
    assert details, "no reasons in the table"
    return details


def toggle(page):
    tools = page.by_id("reasons")
    assert tools is not None, "no link to unfold the reasons"
    return tools.one("a")


@pytest.mark.parametrize(
    ("url", "table_id"), [(COMPARE, "compare-table"), (VERSUS, "versus-table")]
)
def test_reasons_are_folded_by_default(seeded, client, url, table_id):
    assert not any("open" in d.attrs for d in whys(get_page(client, url), table_id))


@pytest.mark.parametrize(
    ("url", "table_id"), [(COMPARE, "compare-table"), (VERSUS, "versus-table")]
)
def test_reasons_open_unfolds_every_reason(seeded, client, url, table_id):
    assert all("open" in d.attrs for d in whys(get_page(client, f"{url}?reasons=open"), table_id))


@pytest.mark.parametrize("url", [COMPARE, VERSUS])
def test_the_link_unfolds_then_folds_the_reasons(seeded, client, url):
    link = toggle(get_page(client, url))
    assert link.clean_text == "Show every reason"
    assert link.attrs["href"] == f"{url}?reasons=open#reasons"
    link = toggle(get_page(client, link.attrs["href"].split("#")[0]))
    assert link.clean_text == "Fold the reasons"
    assert link.attrs["href"] == f"{url}#reasons"


def test_the_link_keeps_the_tables_filters(seeded, client):
    link = toggle(get_page(client, f"{COMPARE}?fw=flask&fw=django&c=performance&sort=async"))
    assert link.attrs["href"] == (
        f"{COMPARE}?fw=django&fw=flask&c=performance&sort=async&reasons=open#reasons"
    )


def test_the_customise_form_keeps_the_reasons_unfolded(seeded, client):
    form = get_page(client, f"{COMPARE}?reasons=open").find("form", class_="choose")
    (hidden,) = form.find_all("input", type="hidden")
    assert (hidden.attrs["name"], hidden.attrs["value"]) == ("reasons", "open")
    folded = get_page(client, COMPARE).find("form", class_="choose")
    assert folded.find_all("input", type="hidden") == []


@pytest.mark.parametrize("url", [COMPARE, VERSUS])
def test_an_unknown_reasons_value_is_named_and_ignored(seeded, client, url):
    response = client.get(f"{url}?reasons=everything")
    assert response.status_code == 200
    page = get_page(client, f"{url}?reasons=everything")
    notice = page.one("div", class_="notice")
    assert [q.text for q in notice.find_all("q")] == ["everything"]
    assert toggle(page).clean_text == "Show every reason"


def test_the_article_table_has_no_reasons_and_no_link(seeded, client):
    page = get_page(client, PUBLIC_PAGES["article"])
    assert page.by_id("reasons") is None


def test_the_key_shows_each_kind_of_badge_the_tables_use(seeded, client):
    key = get_page(client, COMPARE).one("p", class_="table-key")
    badges = [(sorted(b.classes), b.clean_text) for b in key.find_all("span", class_="rank")]
    assert badges == [
        (["rank", "rank-1"], "1st"),
        (["rank", "rank-2"], "2nd"),
        (["rank", "rank-3"], "3rd"),
        (["rank", "rank-2"], "=2nd"),
        (["rank", "rank-none"], "Not rated"),
    ]
