"""Each framework shows when an editor last reviewed it: on its page and in the compare header."""

import datetime

from comparisons.models import Framework
from core.pages import PUBLIC_PAGES
from tests.html import Element, get_page
from tests.readers import read_table

COMPARE = PUBLIC_PAGES["compare"]


def reviewed_on_page(page: Element) -> list[str]:
    facts = page.find("dl", class_="facts")
    dt = next(dt for dt in facts.find_all("dt") if dt.clean_text == "Last reviewed")
    dd = dt.next_sibling("dd")
    return [time.attrs["datetime"] for time in dd.find_all("time")]


def reviewed_in_header(page: Element) -> dict[str, str]:
    header, _ = read_table(page, "compare-table")
    return {cell.find("a").clean_text: cell.find("time").attrs["datetime"] for cell in header}


def test_framework_page_shows_when_it_was_last_reviewed(seeded, client):
    for framework in Framework.objects.published():
        page = get_page(client, framework.get_absolute_url())
        assert reviewed_on_page(page) == [framework.last_reviewed.isoformat()]


def test_compare_header_shows_each_frameworks_review_date(seeded, client):
    for position, framework in enumerate(Framework.objects.all()):
        framework.last_reviewed = datetime.date(2024, 3, 1 + position)  # each its own
        framework.save()
    page = get_page(client, COMPARE)
    assert reviewed_in_header(page) == {
        f.name: f.last_reviewed.isoformat() for f in Framework.objects.published()
    }


def test_a_new_review_date_shows_at_the_next_request(seeded, client):
    framework = Framework.objects.get(slug="flask")
    get_page(client, framework.get_absolute_url())  # both pages now in the page cache
    get_page(client, COMPARE)
    framework.last_reviewed = datetime.date(2025, 2, 14)
    framework.save()
    assert reviewed_on_page(get_page(client, framework.get_absolute_url())) == ["2025-02-14"]
    assert reviewed_in_header(get_page(client, COMPARE))["Flask"] == "2025-02-14"
