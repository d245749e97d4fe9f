"""The way to a decision on a phone: from the home page's first screen to a ranking that
opens in view."""

from tests.browser.conftest import screenshot

PHONE = 390


def test_homes_first_screen_links_to_the_helper(site, new_page):
    page = new_page(width=PHONE, height=740)
    page.goto(site + "/")
    screenshot(page, f"home-{PHONE}")
    link = page.get_by_role("link", name="Find my framework")
    box = link.bounding_box()
    assert box["y"] + box["height"] <= 740


def test_after_answering_the_first_ranked_framework_is_in_the_first_screen(site, new_page):
    page = new_page(width=PHONE, height=740)
    page.goto(site + "/choose/")
    page.get_by_label("A JSON API for a web or mobile front end").check()
    page.get_by_role("button", name="Show my answer").click()
    page.wait_for_load_state()
    screenshot(page, f"choose-answered-{PHONE}")
    first = page.locator(".placings > li").first.locator("h2")
    box = first.bounding_box()
    scrolled = page.evaluate("window.scrollY")
    assert box["y"] >= 0
    assert box["y"] + box["height"] <= 740, (box, scrolled)
    assert "FastAPI" in first.inner_text()


def test_from_home_a_kind_of_project_is_one_click_from_its_answer(site, new_page):
    page = new_page(width=PHONE, height=740)
    page.goto(site + "/")
    page.locator(".quick a[href*='building=json-api']").click()
    page.wait_for_load_state()
    assert page.locator("#answer .advice").inner_text().startswith("Start with FastAPI")
    assert page.locator("#answer").bounding_box()["y"] < 740


def test_adjusting_what_matters_is_folded_under_the_ranking(site, new_page):
    page = new_page(width=PHONE)
    page.goto(site + "/choose/?building=json-api")
    form = page.locator("form.helper")
    assert not form.is_visible()
    page.get_by_text("Adjust what matters", exact=True).click()
    assert form.is_visible()
    assert form.locator("fieldset").count() == 10  # the project, then nine weights
