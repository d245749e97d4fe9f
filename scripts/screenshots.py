"""`make screenshots`: pictures of the reader's pages, and the way from home to a recommendation.

Serves the site as `make run` does (or uses --url, e.g. an older checkout served elsewhere)
and, with Debian's Chromium, writes to var/screenshots/:
- pages/<page>-<width>-<scheme>.png: each page whole, at 390, 768 and 1440 px, light and dark
  (pages-<label>/ for another --label);
- journey-<label>-<way>-<step>.png: a phone (390 x 844) going from home to the helper's
  answer for a JSON API, each way a reader can take, with a line per way: the clicks, the
  pages loaded, and how far the reader must still scroll to see the first ranked framework.
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
    "methodology": "/methodology/",
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
        self.page.wait_for_selector("ol.placings > li h3")
        box = self.page.locator("ol.placings > li h3").first.bounding_box()
        if box is None:  # None only for a heading not shown, which the wait above rules out
            raise RuntimeError("the first ranked framework's heading is not shown")
        self.snap()
        return max(0, round(box["y"] + box["height"] - PHONE["height"]))

    def report(self, scroll: int) -> str:
        self.page.close()
        return (
            f"{self.label:7} {self.way:14} {self.clicks} click{'s' * (self.clicks != 1)}, "
            f"{self.loads} page loads, "
            f"then scroll {scroll} px to the first ranked framework"
        )


def by_the_form(journey: Journey, start) -> int:
    page = journey.page
    journey.click(start)
    page.get_by_label(PROJECT).check()
    journey.clicks += 1
    journey.click(page.get_by_role("button", name="Show my ranking"))
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
            browser.close()
    finally:
        if server is not None:
            server.terminate()
            server.wait()


if __name__ == "__main__":
    main()
