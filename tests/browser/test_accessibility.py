"""Accessibility in Chromium: axe-core's WCAG 2.2 A/AA rules, the skip link, focus, keyboard."""

import pytest
from axe_playwright_python.sync_playwright import Axe

from core.pages import BROWSER_PAGES

WCAG_22_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22a", "wcag22aa"]
axe = Axe()


def describe(violations) -> str:
    return "\n".join(
        f"{v['id']} ({v['impact']}): {v['help']} — "
        + "; ".join(node["target"][0] for node in v["nodes"][:3])
        for v in violations
    )


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("name", list(BROWSER_PAGES))
def test_axe_finds_no_violation(site, new_page, name, scheme):
    page = new_page(color_scheme=scheme)
    page.goto(site + BROWSER_PAGES[name])
    results = axe.run(page, options={"runOnly": {"type": "tag", "values": WCAG_22_AA}})
    violations = results.response["violations"]
    assert results.violations_count == 0, describe(violations)


@pytest.mark.parametrize("name", ["home", "article", "compare"])
def test_first_tab_stop_is_a_visible_skip_link_to_the_main_content(site, new_page, name):
    page = new_page()
    page.goto(site + BROWSER_PAGES[name])
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.className")
    assert focused == "skip-link"
    box = page.locator(".skip-link").bounding_box()
    assert box["y"] >= 0
    assert box["width"] > 0
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"


FOCUS_STYLE = """() => {
  const el = document.activeElement;
  const style = getComputedStyle(el);
  return {
    tag: el.tagName, text: (el.textContent || el.value || "").trim().slice(0, 40),
    outline: style.outlineStyle !== "none" && parseFloat(style.outlineWidth) >= 2,
  };
}"""


@pytest.mark.parametrize("name", ["home", "article", "django", "compare", "versus"])
def test_every_link_and_control_shows_a_focus_ring(site, new_page, name):
    page = new_page()
    page.goto(site + BROWSER_PAGES[name])
    focusables = page.evaluate(
        "document.querySelectorAll('a[href], button, input, summary, [tabindex=\"0\"]').length"
    )
    seen = 0
    for _ in range(focusables):
        page.keyboard.press("Tab")
        state = page.evaluate(FOCUS_STYLE)
        if state["tag"] == "BODY":
            break
        assert state["outline"], f"no visible focus on {state}"
        seen += 1
    assert seen >= min(focusables, 5)


def test_compare_form_works_with_the_keyboard_alone(site, new_page):
    page = new_page()
    page.goto(site + BROWSER_PAGES["compare"])
    # Tab to "Customise the table" and open it with Enter; Tab on to the Flask checkbox,
    # uncheck it with Space, submit with Enter.
    for _ in range(120):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.matches('.customise > summary')"):
            break
    else:
        pytest.fail("'Customise the table' was never reached with Tab")
    page.keyboard.press("Enter")
    for _ in range(30):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.value") == "flask":
            break
    else:
        pytest.fail("the Flask checkbox was never reached with Tab")
    page.keyboard.press("Space")
    for _ in range(15):  # past the criteria and the sort order, to the button
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.tagName") == "BUTTON":
            break
    else:
        pytest.fail("the submit button was never reached with Tab")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert "fw=django" in page.url
    assert "fw=flask" not in page.url
    header = page.locator("#compare-table thead").inner_text()
    assert "Django" in header
    assert "Flask" not in header


def test_decision_helper_works_with_the_keyboard_alone(site, new_page):
    page = new_page()
    page.goto(site + BROWSER_PAGES["choose"])
    for _ in range(40):  # Tab into the "What are you building?" radio group
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.name") == "building":
            break
    else:
        pytest.fail("the project-type question was never reached with Tab")
    page.keyboard.press("ArrowDown")  # arrows move the choice within a radio group
    chosen = page.evaluate("document.activeElement.value")
    assert chosen
    with page.expect_navigation():
        page.keyboard.press("Enter")  # a radio button submits its form: the answer
    assert f"building={chosen}" in page.url
    # The second, optional step: unfold "Adjust what matters" and weigh a criterion.
    page.locator("details.customise > summary").focus()
    page.keyboard.press("Enter")
    for _ in range(40):  # on to the performance question
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.name") == "w-performance":
            break
    else:
        pytest.fail("the performance question was never reached with Tab")
    for _ in range(4):  # from "As my project needs" past 0, 1 and 2 to 3, "Most of all"
        page.keyboard.press("ArrowRight")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert f"building={chosen}" in page.url
    assert "w-performance=3" in page.url
    assert page.locator("ol.placings > li").count() == 3
