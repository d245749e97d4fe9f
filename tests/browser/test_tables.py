"""The comparison tables on a phone and on a wide screen: every framework's verdict in view on
a phone without scrolling sideways, and the table using a wide screen's width."""

import pytest

from core.pages import ARTICLE
from tests.browser.conftest import screenshot

PHONE = 390
WIDE = 1440
TABLES = {
    "compare": "/compare/",
    "django-vs-flask": "/compare/django-vs-flask/",
    "django-vs-fastapi": "/compare/django-vs-fastapi/",
    "flask-vs-fastapi": "/compare/flask-vs-fastapi/",
    "article": ARTICLE,
}

# Each cell of every ratings table: its framework (named on a phone) and where it lies.
CELLS = """
[...document.querySelectorAll('table.ratings td')].map(cell => {
  const box = cell.getBoundingClientRect();
  return {framework: cell.dataset.framework, left: box.left, right: box.right,
          label: getComputedStyle(cell, '::before').content};
})
"""


@pytest.mark.parametrize("name", TABLES)
def test_on_a_phone_every_frameworks_verdict_is_in_view(site, new_page, name):
    page = new_page(width=PHONE)
    page.goto(site + TABLES[name])
    screenshot(page, f"table-{name}-{PHONE}")
    cells = page.evaluate(CELLS)
    assert cells
    width = page.evaluate("window.innerWidth")
    off_screen = [c for c in cells if c["left"] < 0 or c["right"] > width]
    assert off_screen == []


@pytest.mark.parametrize("name", TABLES)
def test_on_a_phone_each_cell_is_named_by_its_framework(site, new_page, name):
    page = new_page(width=PHONE)
    page.goto(site + TABLES[name])
    for cell in page.evaluate(CELLS):
        assert cell["label"] == f'"{cell["framework"]}"'


def test_on_a_phone_the_comparison_shows_its_verdict_then_the_table_then_its_filters(
    site, new_page
):
    page = new_page(width=PHONE)
    page.goto(site + "/compare/")
    verdict_top = page.locator("main .verdict").bounding_box()["y"]
    table_top = page.locator("#compare-table").bounding_box()["y"]
    filters_top = page.locator(".customise").bounding_box()["y"]
    assert verdict_top < page.evaluate("window.innerHeight")  # in the first screen
    assert verdict_top < table_top < filters_top
    assert not page.locator(".customise form").is_visible()  # folded away
    page.locator(".customise summary").click()
    assert page.locator(".customise form").is_visible()


def test_on_a_wide_screen_the_comparison_uses_the_width(site, new_page):
    page = new_page(width=WIDE)
    page.goto(site + "/compare/")
    screenshot(page, f"table-compare-{WIDE}")
    table = page.locator("#compare-table").bounding_box()
    assert table["width"] > 0.6 * WIDE
    prose = page.locator("main .verdict ul").bounding_box()
    assert prose["width"] < 0.6 * WIDE  # the verdict's prose keeps its measure


def test_a_two_framework_table_needs_no_minimum_width(site, new_page):
    page = new_page(width=600)  # above the phone layout, below the three-column width
    page.goto(site + "/compare/django-vs-flask/")
    scrolls = page.evaluate(
        "(() => { const box = document.querySelector('.table-scroll');"
        " return box.scrollWidth > box.clientWidth; })()"
    )
    assert not scrolls


def test_printed_article_shows_only_whole_addresses(site, new_page):
    """Links to other sites print their address; the site's own pages print none, so no
    relative address is left to break across lines (inside a table heading, say)."""
    page = new_page()
    page.goto(site + ARTICLE)
    page.emulate_media(media="print")
    printed = page.evaluate(
        "[...document.querySelectorAll('main a[href]')].map(a =>"
        " [a.getAttribute('href'), getComputedStyle(a, '::after').content])"
    )
    external = [(href, after) for href, after in printed if href.startswith("http")]
    internal = [(href, after) for href, after in printed if href.startswith("/")]
    assert external
    assert internal
    assert all(href in after for href, after in external)
    assert all(after in ("none", "normal") for _, after in internal)


# Every place of the chart, with its text size.
CHART = """
[...document.querySelectorAll('table.rank-grid td, table.rank-grid th')].map(cell => {
  const box = cell.getBoundingClientRect();
  return {left: box.left, right: box.right, text: cell.innerText,
          size: parseFloat(getComputedStyle(cell).fontSize)};
})
"""


@pytest.mark.parametrize(
    "url", ["/compare/", "/frameworks/django/", "/compare/?fw=django&fw=flask"]
)
def test_the_chart_is_readable_at_320_px(site, new_page, url):
    page = new_page(width=320)
    page.goto(site + url)
    page.locator("table.rank-grid").scroll_into_view_if_needed()
    screenshot(page, f"chart-{url.strip('/').replace('/', '-').replace('?', '-') or 'home'}-320")
    cells = page.evaluate(CHART)
    assert any("Django" in cell["text"] for cell in cells)
    assert [c for c in cells if c["left"] < 0 or c["right"] > 320] == []
    assert min(cell["size"] for cell in cells) >= 13  # px: body text, not a shrunken drawing
    assert page.evaluate("document.documentElement.scrollWidth") <= 320


def test_unfolded_reasons_are_all_open_and_in_view_on_a_phone(site, new_page):
    page = new_page(width=PHONE)
    page.goto(site + "/compare/")
    page.get_by_role("link", name="Show every reason").click()
    page.wait_for_url("**reasons=open**")
    details = page.locator("#compare-table details")
    assert details.count() > 0
    assert all(details.nth(i).get_attribute("open") is not None for i in range(details.count()))
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE
