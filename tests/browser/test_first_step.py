"""Issue 28 on a phone (390 x 844): one question, then the answer and its first step in the
first screen; every comparison opens with its verdict; the nav fits 320 px; /compare/ prints
in at most four A4 pages, the verdict on the first."""

import re

import pytest

from core.pages import PUBLIC_PAGES
from tests.browser.conftest import screenshot

PHONE = {"width": 390, "height": 844}
JSON_API = "A JSON API for a web or mobile front end"


def in_first_screen(locator) -> bool:
    """Whether the element is wholly inside the screen a reader sees as the page opens (at
    its top, or where its address's #fragment takes it), without scrolling."""
    top, bottom, height = locator.evaluate(
        "e => [e.getBoundingClientRect().top, e.getBoundingClientRect().bottom, innerHeight]"
    )
    return top >= 0 and bottom <= height


def test_the_answer_button_is_in_the_first_screen_of_the_helper(site, new_page):
    page = new_page(**PHONE)
    page.goto(site + "/choose/")
    screenshot(page, "choose-question-390")
    assert page.locator("form.helper fieldset").count() == 1  # one question
    assert in_first_screen(page.get_by_role("button", name="Show my answer"))


def test_after_answering_the_first_pick_and_its_start_box_are_in_the_first_screen(site, new_page):
    page = new_page(**PHONE)
    page.goto(site + "/choose/")
    page.get_by_label(JSON_API).check()
    page.get_by_role("button", name="Show my answer").click()
    page.wait_for_load_state()
    screenshot(page, "choose-answer-390")
    first = page.locator(".placings > li").first
    assert "FastAPI" in first.locator("h2").inner_text()
    assert in_first_screen(first.locator("h2"))
    start = first.locator(".start-with")
    assert in_first_screen(start.get_by_role("heading", name="Start with FastAPI"))
    assert in_first_screen(start.locator("code", has_text="pip install").first)


def test_the_readers_python_picks_the_install_command_without_javascript(site, new_page):
    page = new_page(**PHONE, javascript=False)
    page.goto(site + "/choose/?building=full-website")
    page.get_by_label("Your Python").select_option("3.11")
    page.get_by_role("button", name="Show its command").click()
    page.wait_for_load_state()
    assert "python=3.11" in page.url
    commands = page.locator(".start-with code", has_text="pip install")
    assert commands.count() == 1
    assert re.fullmatch(r'python -m pip install "Django==5\.2\.\*"', commands.inner_text())


@pytest.mark.parametrize(
    "path",
    [
        "/compare/",
        "/compare/django-vs-flask/",
        "/compare/django-vs-fastapi/",
        "/compare/flask-vs-fastapi/",
    ],
)
def test_a_comparison_shows_its_verdict_in_the_first_screen(site, new_page, path):
    page = new_page(**PHONE)
    page.goto(site + path)
    name = path.strip("/").replace("/", "-")
    screenshot(page, f"verdict-{name}-390")
    verdict = page.locator("section.verdict")
    assert in_first_screen(verdict.get_by_role("heading", name="The verdict"))
    assert in_first_screen(verdict.locator("li").first)


@pytest.mark.parametrize("path", PUBLIC_PAGES.values())
def test_the_nav_does_not_wrap_at_320_px(site, new_page, path):
    page = new_page(width=320, height=640)
    page.goto(site + path)
    tops = page.locator("header nav a").evaluate_all(
        "links => links.map(a => Math.round(a.getBoundingClientRect().top))"
    )
    assert len(tops) == 4
    assert len(set(tops)) == 1, tops
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 320  # nothing sideways either


def test_compare_prints_in_at_most_four_a4_pages(site, new_page):
    page = new_page()
    page.goto(site + "/compare/")
    page.emulate_media(media="print")
    screenshot(page, "compare-print")
    assert page.locator("section.verdict").is_visible()  # the verdict prints, first
    pdf = page.pdf(format="A4")
    pages = len(re.findall(rb"/Type\s*/Page\b", pdf))
    print(f"/compare/ printed on {pages} A4 pages")
    assert 1 <= pages <= 4, pages
