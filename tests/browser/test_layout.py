"""Phone to wide screen, light and dark, and paper: what the page looks like in Chromium."""

import pytest

from core.pages import BROWSER_PAGES
from tests.browser.conftest import screenshot

WIDTHS = [320, 768, 1280]
PAGE_OVERFLOWS = "document.scrollingElement.scrollWidth > window.innerWidth"


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("name", list(BROWSER_PAGES))
def test_page_never_scrolls_sideways(site, new_page, name, width):
    page = new_page(width=width)
    page.goto(site + BROWSER_PAGES[name])
    screenshot(page, f"{name}-{width}")
    assert not page.evaluate(PAGE_OVERFLOWS)


@pytest.mark.parametrize("name", list(BROWSER_PAGES))
def test_dark_scheme_changes_the_colours(site, new_page, name):
    light = new_page(color_scheme="light")
    dark = new_page(color_scheme="dark", width=320)
    background = "getComputedStyle(document.body).backgroundColor"
    light.goto(site + BROWSER_PAGES[name])
    dark.goto(site + BROWSER_PAGES[name])
    screenshot(dark, f"{name}-320-dark")
    assert light.evaluate(background) != dark.evaluate(background)
    assert not dark.evaluate(PAGE_OVERFLOWS)


@pytest.mark.parametrize("name", ["article", "django", "compare"])
def test_print_hides_navigation_and_shows_link_addresses(site, new_page, name):
    page = new_page()
    page.goto(site + BROWSER_PAGES[name])
    page.emulate_media(media="print")
    hidden = page.evaluate(
        "['.site-header nav', '.site-footer', '.skip-link']"
        ".map(s => getComputedStyle(document.querySelector(s)).display)"
    )
    assert hidden == ["none", "none", "none"]
    shown = page.evaluate(
        "(() => { const a = document.querySelector('main a[href^=\"http\"]');"
        " return [a.getAttribute('href'), getComputedStyle(a, '::after').content]; })()"
    )
    href, after = shown
    assert href in after


def test_long_code_line_scrolls_inside_its_block_on_a_phone(site, new_page):
    """The widest code block is wider than a phone: it scrolls inside itself, the page does
    not, and a keyboard can scroll it (it takes focus; the arrow keys move it)."""
    page = new_page(width=320)
    page.goto(site + BROWSER_PAGES["code"])
    scroll_width, client_width = page.evaluate(
        "(() => { const boxes = [...document.querySelectorAll('main pre')];"
        " const box = boxes.reduce((a, b) => (b.scrollWidth > a.scrollWidth ? b : a));"
        " box.id = 'widest'; return [box.scrollWidth, box.clientWidth]; })()"
    )
    assert scroll_width > client_width
    assert not page.evaluate(PAGE_OVERFLOWS)
    page.focus("#widest")
    assert page.evaluate("getComputedStyle(document.activeElement).outlineStyle") != "none"
    page.keyboard.press("End")
    page.keyboard.press("ArrowRight")
    # Polled from here: wait_for_function would evaluate a string in the page, which the
    # site's Content Security Policy (no eval) refuses.
    scrolled = 0
    for _ in range(50):
        scrolled = page.evaluate("document.getElementById('widest').scrollLeft")
        if scrolled > 0:
            break
        page.wait_for_timeout(100)
    assert scrolled > 0
    assert not page.evaluate(PAGE_OVERFLOWS)


# The left edge of each block in main, of the site's name and of the footer's content: the
# prose's measure and, for what is wider than it (tables, cards, the code samples), one wider
# column. (The nav sits at the header's right.)
LEFT_EDGES = """
[...document.querySelectorAll('main > *, .site-header > :first-child, .site-footer > *')]
  .filter(e => e.offsetParent !== null && getComputedStyle(e).position !== 'absolute')
  .map(e => Math.round(e.getBoundingClientRect().left))
"""


@pytest.mark.parametrize("name", list(BROWSER_PAGES))
def test_a_wide_screen_page_has_at_most_two_left_edges(site, new_page, name):
    page = new_page(width=1440)
    page.goto(site + BROWSER_PAGES[name])
    edges = sorted(set(page.evaluate(LEFT_EDGES)))
    assert len(edges) <= 2, edges
