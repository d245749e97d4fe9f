"""`make screenshots`: pictures of the reader's pages, and the way from home to a recommendation.

Serves the site as `make run` does (or uses --url, e.g. an older checkout served elsewhere)
and, with Debian's Chromium, writes to var/screenshots/:
- pages/<page>-<width>-<scheme>.png: each page whole, at 390, 768 and 1440 px, light and dark
  (pages-<label>/ for another --label);
- journey-<label>-<way>-<step>.png: a phone (390 x 844) going from home to the helper's
  answer for a JSON API, each way a reader can take, with a line per way: the clicks, the
  pages loaded, how far the reader must still scroll to see the first ranked framework, and
  then to a first step: the winner's install command (on the answer if it has one, else on
  the winner's page, one more click away), in screens of 844 px.
Not part of `make test`: it measures and shows, the browser tests assert.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from playwright.sync_api import Page, sync_playwright
from serving import free_port, start_site

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # the project: core/pages.py names the pages
from core.pages import ARTICLE, CHOOSE_ANSWER  # noqa: E402

OUT = ROOT / "var" / "screenshots"
CHROMIUM = "/usr/bin/chromium"
LAUNCH_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]
WIDTHS = [390, 768, 1440]
SCHEMES = ["light", "dark"]
PHONE = {"width": 390, "height": 844}
PAGES = {
    "home": "/",
    "article": ARTICLE,
    "django": "/frameworks/django/",
    "flask": "/frameworks/flask/",
    "fastapi": "/frameworks/fastapi/",
    "compare": "/compare/",
    "compare-reasons": "/compare/?reasons=open",
    "compare-pair": "/compare/?fw=django&fw=flask",
    "django-vs-flask": "/compare/django-vs-flask/",
    "choose": "/choose/",
    "choose-answer": CHOOSE_ANSWER,
    "choose-json-api": "/choose/?building=json-api",
    "choose-close-call": "/choose/?building=prototype-mvp&python=3.11",
    "choose-learning": "/choose/?building=learning",
    "django-vs-fastapi": "/compare/django-vs-fastapi/",
    "flask-vs-fastapi": "/compare/flask-vs-fastapi/",
    "methodology": "/methodology/",
    "code": "/code/",
}
PROJECT = "A JSON API for a web or mobile front end"


def take_pages(browser, site: str, label: str) -> None:
    folder = OUT / ("pages" if label == "now" else f"pages-{label}")
    folder.mkdir(parents=True, exist_ok=True)
    for scheme in SCHEMES:
        for width in WIDTHS:
            page = browser.new_page(viewport={"width": width, "height": 900}, color_scheme=scheme)
            for name, path in PAGES.items():
                page.goto(site + path)
                page.screenshot(path=folder / f"{name}-{width}-{scheme}.png", full_page=True)
            page.close()
    print(f"{len(PAGES) * len(WIDTHS) * len(SCHEMES)} pages in {folder}")


class Journey:
    """A reader's way on a phone: counts the clicks and page loads, pictures each step."""

    def __init__(self, browser, site: str, label: str, way: str):
        self.page: Page = browser.new_page(viewport=PHONE)
        self.label, self.way, self.clicks, self.loads, self.steps = label, way, 0, 0, 0
        self.scrolled_to_button = 0  # how far down the helper's form its button was
        self.at_answer = (0, 0)  # the clicks and page loads it took to reach the answer
        self.page.on("framenavigated", self._loaded)
        self.page.goto(site + "/")

    def _loaded(self, frame) -> None:
        if frame == self.page.main_frame:
            self.loads += 1

    def snap(self) -> None:
        self.steps += 1
        name = f"journey-{self.label}-{self.way}-{self.steps}.png"
        self.page.screenshot(path=OUT / name)

    def click(self, locator) -> None:
        self.snap()
        locator.first.click()
        self.page.wait_for_load_state()
        self.clicks += 1

    def scroll_left(self) -> int:
        """How far below the first screen the first ranked framework's heading ends."""
        self.page.wait_for_selector("ol.placings > li :is(h2, h3)")
        box = self.page.locator("ol.placings > li :is(h2, h3)").first.bounding_box()
        if box is None:  # None only for a heading not shown, which the wait above rules out
            raise RuntimeError("the first ranked framework's heading is not shown")
        self.snap()
        self.at_answer = (self.clicks, self.loads)
        return max(0, round(box["y"] + box["height"] - PHONE["height"]))

    def install_at(self) -> int | None:
        """How far below the first screen the first install command ends, if the page has one."""
        command = self.page.locator("code", has_text="pip install")
        if not command.count():
            return None
        bottom = command.first.evaluate("c => c.getBoundingClientRect().bottom + window.scrollY")
        return max(0, round(bottom - PHONE["height"]))

    def first_step(self) -> str:
        """From the answer to the winner's install command: on the answer, or on its page."""
        at = self.install_at()
        if at is None:
            self.click(self.page.locator("ol.placings > li :is(h2, h3) a"))
            at = self.install_at()
        self.snap()
        if at is None:
            return "no install command on the answer or the winner's page"
        return (
            f"install command {at} px below the first screen ({at / PHONE['height']:.1f} "
            f"screens) after {self.clicks} clicks, {self.loads} page loads"
        )

    def report(self, scroll: int) -> str:
        step = self.first_step()
        self.page.close()
        clicks, loads = self.at_answer
        return (
            f"{self.label:7} {self.way:14} {clicks} click{'s' * (clicks != 1)}, "
            f"{loads} page loads, "
            f"then scroll {scroll} px to the first ranked framework; {step}"
            + (
                f"; the form's button was {self.scrolled_to_button} px below the first screen"
                if self.scrolled_to_button
                else ""
            )
        )


def by_the_form(journey: Journey, start) -> int:
    page = journey.page
    journey.click(start)
    page.get_by_label(PROJECT).check()
    journey.clicks += 1
    button = page.locator("form.helper button[type=submit]")
    bottom = button.first.evaluate("b => b.getBoundingClientRect().bottom + window.scrollY")
    journey.scrolled_to_button = max(0, round(bottom - PHONE["height"]))
    journey.click(button)
    return journey.scroll_left()


def journeys(browser, site: str, label: str) -> list[str]:
    lines = []
    journey = Journey(browser, site, label, "nav-choose")
    scroll = by_the_form(
        journey, journey.page.locator("header nav").get_by_role("link", name="Choose")
    )
    lines.append(journey.report(scroll))
    journey = Journey(browser, site, label, "find-button")
    find = journey.page.get_by_role("link", name="Find my framework")
    if find.count():
        lines.append(journey.report(by_the_form(journey, find)))
    else:
        journey.page.close()
    journey = Journey(browser, site, label, "short-answer")
    short = journey.page.get_by_role("link", name=PROJECT[0].lower() + PROJECT[1:])
    if short.count():
        journey.click(short)
        lines.append(journey.report(journey.scroll_left()))
    else:
        journey.page.close()
    return lines


# Where a reader who lands on a page meets its verdict, on a phone: the first element that
# matches (a page made before the verdict came first has its summary further down).
VERDICTS = {
    "compare": ("/compare/", ".verdict, #compare-chart"),
    "django-vs-flask": ("/compare/django-vs-flask/", ".verdict, h3:has-text('Our advice')"),
    "django-vs-fastapi": ("/compare/django-vs-fastapi/", ".verdict, h3:has-text('Our advice')"),
    "flask-vs-fastapi": ("/compare/flask-vs-fastapi/", ".verdict, h3:has-text('Our advice')"),
}


def measures(browser, site: str, label: str) -> list[str]:
    """The verdicts' places on a phone, the nav's lines at 320 px, /compare/ printed on A4."""
    lines = []
    page = browser.new_page(viewport=PHONE)
    for name, (path, selector) in VERDICTS.items():
        page.goto(site + path)
        top = page.locator(selector).first.evaluate(
            "e => e.getBoundingClientRect().top + window.scrollY"
        )
        lines.append(f"{label:7} {name:17} verdict starts {top / PHONE['height']:.1f} screens down")
    page.close()
    page = browser.new_page(viewport={"width": 320, "height": 640})
    for path in ("/", "/frameworks/django/", "/compare/", "/choose/"):
        page.goto(site + path)
        rows = page.locator("header nav a").evaluate_all(
            "links => new Set(links.map(a => Math.round(a.getBoundingClientRect().top))).size"
        )
        lines.append(f"{label:7} nav at 320 px on {path}: {rows} line{'s' * (rows != 1)}")
    page.goto(site + "/compare/")
    pdf = page.pdf(format="A4")
    pages = pdf.count(b"/Type /Page") - pdf.count(b"/Type /Pages")
    lines.append(f"{label:7} /compare/ printed: {pages} A4 pages")
    page.close()
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", help="a site already served (default: serve this checkout)")
    parser.add_argument("--label", default="now", help="names the journey pictures")
    parser.add_argument("--journeys-only", action="store_true")
    args = parser.parse_args()
    server = None
    site = args.url
    if site is None:
        port = free_port()
        server = start_site(port)
        site = f"http://127.0.0.1:{port}"
    OUT.mkdir(parents=True, exist_ok=True)
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=LAUNCH_ARGS)
            if not args.journeys_only:
                take_pages(browser, site.rstrip("/"), args.label)
            for line in journeys(browser, site.rstrip("/"), args.label):
                print(line)
            for line in measures(browser, site.rstrip("/"), args.label):
                print(line)
            browser.close()
    finally:
        if server is not None:
            server.terminate()
            server.wait()


if __name__ == "__main__":
    main()
