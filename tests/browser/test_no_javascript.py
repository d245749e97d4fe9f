"""With JavaScript off, every page shows its content and the compare form still works."""

import re

import pytest

from core.pages import BROWSER_PAGES


@pytest.mark.parametrize("name", list(BROWSER_PAGES))
def test_page_shows_its_content_without_javascript(site, new_page, name):
    page = new_page(javascript=False)
    page.goto(site + BROWSER_PAGES[name])
    assert page.locator("h1").count() == 1
    assert page.locator("h1").is_visible()
    assert len(page.locator("main").inner_text()) > 100


def test_compare_form_changes_the_table_without_javascript(site, new_page):
    page = new_page(javascript=False)
    page.goto(site + BROWSER_PAGES["compare"])
    page.get_by_text("Customise the table").click()  # a <details>: opens without script
    page.get_by_role("checkbox", name="Flask").uncheck()
    with page.expect_navigation():
        page.get_by_role("button", name="Update the table").click()
    assert "fw=flask" not in page.url
    header = page.locator("#compare-table thead").inner_text()
    assert "Django" in header
    assert "FastAPI" in header
    assert "Flask" not in header


def test_rating_notes_open_without_javascript(site, new_page):
    page = new_page(javascript=False)
    page.goto(site + BROWSER_PAGES["compare"])
    note = page.locator("#compare-table details").first
    assert not note.locator("p").first.is_visible()
    note.locator("summary").click()
    assert note.locator("p").first.is_visible()


def test_decision_helper_answers_without_javascript(site, new_page):
    page = new_page(javascript=False)
    page.goto(site + BROWSER_PAGES["choose"])
    page.get_by_label("A machine-learning model served over HTTP").check()
    with page.expect_navigation():
        page.get_by_role("button", name="Show my answer").click()
    assert "FastAPI" in page.locator("ol.placings > li").first.locator("h2").inner_text()
    # The weights: a second, folded step, a <details> that opens without JavaScript.
    page.get_by_text("Adjust what matters", exact=True).click()
    page.locator("input[name='w-performance'][value='3']").check()
    with page.expect_navigation():
        page.get_by_role("button", name="Show my answer again").click()
    first = page.locator("ol.placings > li").first
    assert "FastAPI" in first.locator("h2").inner_text()
    reasons = first.locator("ul.reasons").text_content()
    assert "You care most about performance, and here FastAPI shares the lead." in reasons
    # This site's example of the kind of project, the winner's, is named under the answer.
    answer = page.locator("section[aria-labelledby='answer-title']")
    assert "in FastAPI: Serving a machine-learning model" in answer.inner_text()


@pytest.mark.parametrize("name", ["fastapi", "compare"])
def test_figures_are_readable_on_a_phone_without_javascript(site, new_page, name):
    page = new_page(width=320, javascript=False)
    page.goto(site + BROWSER_PAGES[name])
    figure = page.locator("ul.figures li").first
    figure.scroll_into_view_if_needed()
    assert figure.is_visible()
    assert re.match(r"\d+(?: ± \d+)?% of surveyed developers use it — ", figure.inner_text())
    box = figure.bounding_box()
    assert box["width"] > 100  # a readable column, not squeezed to a word per line
