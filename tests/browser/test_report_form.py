"""The report form in Chromium: sent with JavaScript off on a phone, errors reachable, axe."""

import pytest
from axe_playwright_python.sync_playwright import Axe

from core.pages import UNCACHED_PAGES
from reports.models import Report
from tests.browser.test_accessibility import WCAG_22_AA, describe

PAGE_OVERFLOWS = "document.scrollingElement.scrollWidth > window.innerWidth"
TEXT = "Browser test: the Django page names an old release as the latest one."


@pytest.fixture
def no_reports_left_behind():
    """The live server commits what it stores: take this test's reports away afterwards."""
    yield
    Report.objects.filter(text=TEXT).delete()


def test_report_form_sends_a_report_without_javascript_on_a_phone(
    site, new_page, no_reports_left_behind
):
    page = new_page(width=320, javascript=False)
    page.goto(site + UNCACHED_PAGES["report"])
    assert page.get_by_label("Page", exact=True).input_value() == "/frameworks/django/"
    trap = page.locator("input[name=website]").bounding_box()
    assert trap["x"] + trap["width"] <= 0  # drawn off the screen, left of it
    page.get_by_label("What is wrong").fill(TEXT)
    assert not page.evaluate(PAGE_OVERFLOWS)
    with page.expect_navigation():
        page.get_by_role("button", name="Send the report").click()
    assert page.url.startswith(site + "/report/thanks/")
    assert page.locator("h1").inner_text() == "Thank you: your report was received"
    assert Report.objects.filter(text=TEXT, page="/frameworks/django/").count() == 1


def test_report_form_errors_pass_axe_and_lead_to_their_fields(site, new_page):
    page = new_page(width=320)  # axe runs as a script; the page itself has none
    page.goto(site + UNCACHED_PAGES["report"])
    # An address the browser's own checks let through, but that is no page of this site.
    page.get_by_label("Page", exact=True).fill("/no-such-page/")
    page.get_by_label("What is wrong").fill(TEXT)
    with page.expect_navigation():
        page.get_by_role("button", name="Send the report").click()
    summary = page.get_by_role("alert")
    assert "Your report was not sent" in summary.inner_text()
    summary.get_by_role("link").first.click()
    assert page.url.endswith("#id_page")
    assert not page.evaluate(PAGE_OVERFLOWS)
    results = Axe().run(page, options={"runOnly": {"type": "tag", "values": WCAG_22_AA}})
    assert results.violations_count == 0, describe(results.response["violations"])
