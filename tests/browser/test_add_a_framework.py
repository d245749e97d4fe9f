"""Adding a framework, as a tested journey (issue 17, item 7).

An editor adds Litestar with every part through the real admin in Chromium at 1280 by 800
(no shell): the framework, a pro, a con, a use case ticked as an example of a kind of
project, a rating on every criterion, a source for a fact; then a source for each rating, in
its popup. It is published by the save (the admin warns of the texts that no longer match).
A reader (not logged in) then finds it everywhere: home, the list, its page, /compare/ (its
column, the chart of places, its sources), every A-vs-B page it is in, /choose/, the open
data and the sitemap, with the site's words naming it. The editor unpublishes it from the
list, and the reader finds it gone from all of them.

Measured (page loads: main-frame navigations, a popup's included, a redirect counted once;
clicks: every click and check, a choice from a drop-down list counted as one click;
typed: fields filled in), printed with -s:

    editor                                page loads  clicks  typed
      log in                                   2         1       2
      1-2 add the framework, save              3        10      45
      3 a source for each of 9 ratings        18        27      17
      4 publish (by the save)                  0         0       0
      6 unpublish (list action)                2         4       0
      in all                                  25        42      64
    reader                                page loads  clicks  typed
      5 sees it everywhere                    11         2       0
      6 finds it gone                         11         2       0

The issue's baseline before the admin work: 21 page loads and 36 clicks (counted another way,
so roughly). A new framework's page has a rating row ready for each criterion, its criterion
chosen (60 clicks before those rows, 42 with them); most of what is left is the nine rating
popups (open, add a row, save): 27 clicks and 18 of the 25 page loads.

The live server's writes are not in the test's transaction, and on SQLite a test that reads
a table in its transaction would lock the live server out of writing it: so what the test
needs from the database is read before the journey (``before``), and what the live server
wrote is deleted after it, by the module fixture.
"""

from collections import Counter
from dataclasses import dataclass, field
from itertools import combinations
from types import SimpleNamespace

import pytest
from django.contrib.admin.models import LogEntry
from django.db.models import Max
from django.urls import reverse
from playwright.sync_api import Error as PlaywrightError
from reversion.models import Revision

from comparisons.models import Criterion, Framework, ProjectType, Source
from tests.browser.conftest import committed_editor, screenshot

USERNAME = "journey-editor"
PASSWORD = "a-long-editor-passphrase-91"
WIDTH, HEIGHT = 1280, 800

LITESTAR = {
    "name": "Litestar",
    "slug": "litestar",
    "tagline": "A fast ASGI framework for APIs, with validation, OpenAPI docs and dependency "
    "injection built in.",
    "category": "API framework",
    "first_released": "2021",
    "creators": "Na'aman Hirschfeld, then the Litestar organisation",
    "website": "https://litestar.dev/",
    "repository": "https://github.com/litestar-org/litestar",
    "documentation": "https://docs.litestar.dev/",
    "summary": "Litestar (called Starlite until 2023) is an ASGI framework for building "
    "APIs.\n\nType hints drive validation and the OpenAPI docs, as in FastAPI; it adds "
    "dependency injection, an ORM plugin and response caching of its own.",
    "best_for": "Choose Litestar for a typed JSON API when you want more built in than "
    "FastAPI gives. It has fewer answers online, so expect to read its docs.",
}
ADVICE = "Choose Litestar for a typed JSON API when you want more built in than FastAPI gives."
PRO = ("Typed, fast and well equipped", "Validation, OpenAPI docs, dependency injection and "
       "caching are in the box, and it is among the fastest on JSON.")  # fmt: skip
CON = ("A small community", "Fewer tutorials, answers and add-on packages than the others: "
       "its own docs are where you will look.")  # fmt: skip
USE_CASE = ("A typed API for a mobile app", "Endpoints whose request and response types "
            "are checked and documented from the code, for a phone app's team to build "
            "against.")  # fmt: skip
KIND_OF_PROJECT = "json-api"  # the kind of project the use case is ticked as an example of
FACT_SOURCE = ("First public release: 2021", "Litestar's releases on GitHub",
               "https://github.com/litestar-org/litestar/releases")  # fmt: skip
# Ranks that keep each criterion's standard competition ranking (1, 2, 2, 2 on API tooling;
# last on the others) without changing the other frameworks' ranks.
RANKS = {"api-tooling": 2}
LAST = 4


def rating_for(slug: str, name: str) -> dict:
    return {
        "rank": str(RANKS.get(slug, LAST)),
        "verdict": f"Litestar on {name.lower()}: our test verdict",
        "note": f"Why Litestar ranks so on {name.lower()}, in a *sentence*.",
        "source_title": f"Litestar and {name.lower()} (a test source)",
        "source_url": f"https://example.com/litestar/{slug}",
    }


# --- what the database holds before, and what the live server wrote, removed after


@pytest.fixture(scope="module")
def editor(site_url):
    with committed_editor(USERNAME, PASSWORD) as editor:
        yield editor


@pytest.fixture(scope="module")
def before(site_url, editor):
    """What the journey needs from the database, read before it; what the live server wrote
    (the framework with its rows, the sources it cited first, history) deleted after it."""
    assert not Framework.objects.filter(slug=LITESTAR["slug"]).exists()
    published = list(Framework.objects.published().values_list("slug", "name"))
    # An address cited for a fact but by no rating: on /compare/ (ratings' sources only)
    # only Litestar's rating that reuses it brings it in.
    reused = Source.objects.filter(facts__isnull=False, ratings__isnull=True).order_by("pk")[0]
    newest = {
        model: model.objects.aggregate(newest=Max("pk"))["newest"] or 0
        for model in (Source, Revision, LogEntry)
    }
    yield SimpleNamespace(
        published=published,
        positions=sorted(Framework.objects.values_list("position", flat=True)),
        criteria=list(Criterion.objects.order_by("position", "name").values_list("slug", "name")),
        kind=ProjectType.objects.get(slug=KIND_OF_PROJECT).name,
        reused=SimpleNamespace(url=reused.url, title=reused.title),
    )
    Framework.objects.filter(slug=LITESTAR["slug"]).delete()  # its rows go with it
    for model, pk in newest.items():
        model.objects.filter(pk__gt=pk).delete()


# --- counting


@dataclass
class Tally:
    """Page loads, clicks and fields typed in, by part of the journey."""

    part: str = ""
    loads: Counter = field(default_factory=Counter)
    clicks: Counter = field(default_factory=Counter)
    typed: Counter = field(default_factory=Counter)
    parts: list = field(default_factory=list)

    def start(self, part: str) -> None:
        self.part = part
        self.parts.append(part)

    def watch(self, context) -> None:
        """Count the navigations of every page of this context, popups too."""
        context.on("request", self._request)

    def _request(self, request) -> None:
        if not request.is_navigation_request() or request.redirected_from is not None:
            return
        try:
            in_a_frame = request.frame.parent_frame is not None
        except PlaywrightError:  # a popup's first load: its window has no frame yet
            in_a_frame = False
        if not in_a_frame:
            self.loads[self.part] += 1

    def click(self, locator) -> None:
        self.clicks[self.part] += 1
        locator.click()

    def check(self, locator) -> None:
        self.clicks[self.part] += 1
        locator.check()

    def choose(self, locator, label: str) -> None:
        self.clicks[self.part] += 1
        locator.select_option(label=label)

    def fill(self, locator, text: str) -> None:
        self.typed[self.part] += 1
        locator.fill(text)

    def table(self, parts) -> str:
        lines = [f"  {'':38}{'page loads':>10}{'clicks':>8}{'typed':>7}"]
        for part in parts:
            lines.append(
                f"  {part:38}{self.loads[part]:>10}{self.clicks[part]:>8}{self.typed[part]:>7}"
            )
        return "\n".join(lines)

    def total(self, parts) -> tuple[int, int, int]:
        return tuple(sum(counter[p] for p in parts) for counter in (self.loads, self.clicks,
                                                                     self.typed))  # fmt: skip


# --- the editor's part


def log_in(site, tally, page) -> None:
    page.goto(site + reverse("admin:login"))
    tally.fill(page.locator("#id_username"), USERNAME)
    tally.fill(page.locator("#id_password"), PASSWORD)
    with page.expect_navigation():
        tally.click(page.locator("input[type=submit]"))
    assert page.url == site + reverse("admin:index")


def add_row(tally, page, prefix: str) -> str:
    """Click the inline's "Add another" link: the new row's id (pros-0...)."""
    index = int(page.input_value(f"#id_{prefix}-TOTAL_FORMS"))
    tally.click(page.locator(f"#{prefix}-group .add-row a"))
    row = f"{prefix}-{index}"
    page.locator(f"#{row}").wait_for()
    return row


def add_the_framework(tally, page, before) -> None:
    """Steps 1 and 2: Frameworks, Add framework; every part on the one page; save."""
    with page.expect_navigation():
        tally.click(page.locator("#content-main a[href$='/comparisons/framework/']").first)
    with page.expect_navigation():
        tally.click(page.get_by_role("link", name="Add framework"))
    # The position defaults to the end, and says which positions are taken.
    assert page.input_value("#id_position") == str(before.positions[-1] + 1)
    in_use = ", ".join(f"{position} {name}" for position, (_, name) in
                       zip(before.positions, before.published, strict=True))  # fmt: skip
    assert f"In use: {in_use}." in page.inner_text("#id_position_helptext")

    f = LITESTAR
    tally.fill(page.locator("#id_name"), f["name"])
    tally.fill(page.locator("#id_tagline"), f["tagline"])
    assert page.input_value("#id_slug") == f["slug"]  # filled from the name as it was typed
    tally.choose(page.locator("#id_category"), f["category"])
    tally.check(page.locator("#id_is_published"))
    for name in ("first_released", "creators", "website", "repository", "documentation",
                 "summary", "best_for"):  # fmt: skip
        tally.fill(page.locator(f"#id_{name}"), f[name])

    row = add_row(tally, page, "pros")
    tally.fill(page.locator(f"#id_{row}-title"), PRO[0])
    tally.fill(page.locator(f"#id_{row}-body"), PRO[1])
    row = add_row(tally, page, "cons")
    tally.fill(page.locator(f"#id_{row}-title"), CON[0])
    tally.fill(page.locator(f"#id_{row}-body"), CON[1])
    row = add_row(tally, page, "use_cases")
    tally.fill(page.locator(f"#id_{row}-title"), USE_CASE[0])
    tally.fill(page.locator(f"#id_{row}-body"), USE_CASE[1])
    tally.check(page.locator(f"#{row}").get_by_label(before.kind, exact=True))
    # A row is ready for each criterion, in order, its criterion chosen.
    assert int(page.input_value("#id_ratings-TOTAL_FORMS")) == len(before.criteria)
    for index, (slug, name) in enumerate(before.criteria):
        rating = rating_for(slug, name)
        row = f"ratings-{index}"
        chosen = page.locator(f"#id_{row}-criterion option:checked").inner_text()
        assert chosen == name, (row, chosen)
        for part in ("rank", "verdict", "note"):
            tally.fill(page.locator(f"#id_{row}-{part}"), rating[part])
    row = add_row(tally, page, "sources")
    for part, text in zip(("fact", "title", "url"), FACT_SOURCE, strict=True):
        tally.fill(page.locator(f"#id_{row}-{part}"), text)

    assert page.evaluate("document.documentElement.scrollWidth") <= WIDTH
    screenshot(page, "journey-1-add-litestar")
    with page.expect_navigation():
        tally.click(page.locator("input[name=_continue]"))
    errors = page.locator(".errornote, .errorlist").all_inner_texts()
    assert not errors, errors
    assert "was added successfully" in page.inner_text(".messagelist .success")


def stale_texts_warning(page) -> str:
    warnings = page.locator(".messagelist .warning")
    return warnings.inner_text() if warnings.count() else ""


def drawn_as_messages(page) -> list[str]:
    """The texts the warning names that are drawn as messages of their own: Django's
    `ul.messagelist li` (a success's green box and tick) matches a message's own list items
    too, unless our admin.css says otherwise."""
    return page.locator(".messagelist .warning li").evaluate_all(
        """items => items
            .filter(item => getComputedStyle(item).backgroundImage !== "none"
                || getComputedStyle(item).backgroundColor !== "rgba(0, 0, 0, 0)")
            .map(item => item.textContent)"""
    )


def add_the_rating_sources(tally, page, before) -> list[str]:
    """Step 3: for each rating, its popup, a source, saved. The titles the rows show after."""
    rows = page.locator("#ratings-group .inline-related:not(.empty-form)")
    assert rows.count() == len(before.criteria)
    shown = []
    for index in range(rows.count()):
        row = rows.nth(index)
        name = row.locator("select[name$='-criterion'] option:checked").inner_text()
        slug = {n: s for s, n in before.criteria}[name]
        rating = rating_for(slug, name)
        reuse = index == 0  # the first reuses an address cited already, its title left empty
        evidence_id = row.locator(".rating-evidence").get_attribute("id")
        assert "No source yet." in row.locator(".rating-evidence").inner_text()
        with page.expect_popup() as opened:
            tally.click(row.get_by_role("link", name="Edit its sources and figures"))
        popup = opened.value
        popup.wait_for_load_state()
        assert "_popup=1" in popup.url
        new = add_row(tally, popup, "sources")
        tally.fill(popup.locator(f"#id_{new}-url"),
                   before.reused.url if reuse else rating["source_url"])  # fmt: skip
        if not reuse:
            tally.fill(popup.locator(f"#id_{new}-title"), rating["source_title"])
        if index == 0:
            screenshot(popup, "journey-3-a-ratings-source-in-its-popup")
        with popup.expect_event("close"):
            tally.click(popup.locator("input[name=_save]"))
        title = before.reused.title if reuse else rating["source_title"]
        # The framework page shows the rating's sources again, read afresh (not reloaded).
        page.locator(f"#{evidence_id}").get_by_text(title, exact=True).wait_for()
        shown.append(title)
    return shown


def unpublish(tally, page) -> None:
    """Step 6: the list, Litestar ticked, the action, Go."""
    with page.expect_navigation():
        tally.click(page.locator(".breadcrumbs").get_by_role("link", name="Frameworks"))
    tally.check(page.get_by_label("Select this object for an action - Litestar"))
    tally.choose(page.locator("select[name=action]"), "Unpublish the selected frameworks")
    with page.expect_navigation():
        tally.click(page.get_by_role("button", name="Go"))
    assert "1 unpublished." in page.inner_text(".messagelist .success")
    row = page.locator("#result_list tr", has=page.get_by_role("link", name="Litestar"))
    assert row.locator(".field-is_published img").get_attribute("alt") == "False"


# --- the reader's part


@dataclass
class Seen:
    """What the reader finds of Litestar on each page."""

    heading: str = ""
    on: dict = field(default_factory=dict)


def pair_links(page) -> list[tuple[str, str]]:
    links = page.locator("h2:text-is('Two at a time') + ul a")
    return [(a.inner_text(), a.get_attribute("href")) for a in links.all()]


def choose_answer(tally, page, site, kind: str) -> None:
    page.goto(site + reverse("comparisons:choose"))
    tally.check(page.locator("form.helper").get_by_label(kind, exact=True))
    with page.expect_navigation():
        tally.click(page.get_by_role("button", name="Show my answer"))
    page.locator("#answer").wait_for()


def sitemap(page, site) -> str:
    response = page.goto(site + "/sitemap.xml")
    assert response.status == 200
    return response.text()


def data(page, site) -> dict:
    response = page.goto(site + reverse("comparisons:data_json"))
    assert response.status == 200
    return response.json()


def reader_sees_it_everywhere(tally, page, site, before, rating_sources) -> None:
    names = [name for _, name in before.published]
    everyone = [*names, "Litestar"]
    slugs = [slug for slug, _ in before.published]

    # Home: its card, and the heading that names them all.
    page.goto(site + "/")
    assert page.inner_text("h1") == f"{', '.join(everyone[:-1])} or Litestar?"
    card = page.locator("li.card", has=page.locator("h3 a", has_text="Litestar"))
    assert card.count() == 1
    assert LITESTAR["tagline"] in card.inner_text()
    assert card.locator(".best-for").inner_text() == f"Our advice: {ADVICE}"
    # The list of frameworks.
    page.goto(site + reverse("comparisons:framework_list"))
    assert page.locator("li.card h2 a").all_inner_texts() == everyone
    description = page.locator("meta[name=description]").get_attribute("content")
    assert description.startswith(f"{', '.join(everyone[:-1])} and Litestar:")

    # Its page: advice, pros, cons, use case, ratings, sources.
    response = page.goto(site + "/frameworks/litestar/")
    assert response.status == 200
    assert page.inner_text("h1") == "Litestar"
    verdict = page.inner_text("section.verdict")
    assert verdict.startswith("Our advice")
    assert ADVICE in verdict
    assert "Our advice: Choose" not in verdict  # the label once, from the template
    assert PRO[0] in page.inner_text("ul.points-pro")
    assert CON[0] in page.inner_text("ul.points-con")
    assert USE_CASE[0] in page.inner_text("ul.points-use")
    ratings = page.locator("h2#ratings ~ ul.points > li")
    assert ratings.count() == len(before.criteria)
    for (slug, name), shown in zip(before.criteria, ratings.all(), strict=True):
        rating = rating_for(slug, name)
        assert shown.locator("h3").inner_text().startswith(f"{name}:")
        assert rating["verdict"] in shown.inner_text()
    footnotes = page.locator("#sources li").all_inner_texts()
    for title in [FACT_SOURCE[1], *rating_sources]:
        assert any(note.startswith(title) for note in footnotes), title
    compare_links = [a.get_attribute("href") for a in page.locator("h2#compare + ul a").all()]
    for slug in slugs:
        assert f"/compare/{slug}-vs-litestar/" in compare_links

    # /compare/: its column and cells, the chart of places, its sources; the page title.
    page.goto(site + reverse("comparisons:compare"))
    assert page.title().startswith(f"Compare {', '.join(everyone[:-1])} and Litestar")
    headings = page.locator("#compare-table thead th a").all_inner_texts()
    assert headings == everyone
    cells = page.locator("#compare-table td[data-framework=Litestar]")
    assert cells.count() == len(before.criteria)
    for (slug, name), cell in zip(before.criteria, cells.all(), strict=True):
        assert rating_for(slug, name)["verdict"] in cell.inner_text()
    chart = page.locator("table.rank-grid#compare-chart")
    lines = chart.locator("tbody tr")
    assert lines.count() == len(before.criteria)
    for (slug, name), line in zip(before.criteria, lines.all(), strict=True):
        assert line.locator("th").inner_text().startswith(name)
        place = int(rating_for(slug, name)["rank"])
        assert "Litestar" in line.locator("td").nth(place - 1).inner_text(), name
    footnotes = page.locator("#sources li").all_inner_texts()
    for title in rating_sources:
        assert any(note.startswith(title) for note in footnotes), title
    assert before.reused.title in rating_sources
    screenshot(page, "journey-5-compare-with-litestar")
    # "Two at a time": each pair, in the canonical order (Litestar is last by position).
    pairs = pair_links(page)
    assert len(pairs) == len(list(combinations(everyone, 2)))
    with_litestar = [(text, href) for text, href in pairs if "Litestar" in text]
    assert with_litestar == [
        (f"{name} vs Litestar", f"/compare/{slug}-vs-litestar/") for slug, name in before.published
    ]

    # Every A-vs-B page it is in.
    for text, href in with_litestar:
        response = page.goto(site + href)
        assert response.status == 200, href
        assert page.inner_text("h1") == text
        assert page.title().startswith(text)
        cells = page.locator("#versus-table td[data-framework=Litestar]")
        assert cells.count() == len(before.criteria), href
        section = page.locator("section[aria-labelledby=litestar-title]")
        for text in (PRO[0], CON[0], ADVICE):
            assert text in section.inner_text(), href

    # /choose/: the answer for the kind of project its use case is an example of.
    choose_answer(tally, page, site, before.kind)
    placings = page.locator("ol.placings > li h2 a").all_inner_texts()
    assert sorted(placings) == sorted(everyone)
    # Placed with its reasons (only the winner's examples are listed under an answer).
    litestar = page.locator("ol.placings > li").filter(
        has=page.get_by_role("link", name="Litestar")
    )
    assert "Why Litestar is" in litestar.inner_text()
    screenshot(page, "journey-5-choose-ranks-litestar")

    # Open data and the sitemap.
    found = data(page, site)
    assert [f["slug"] for f in found["frameworks"]] == [*slugs, "litestar"]
    own = [r for r in found["ratings"] if r["framework"] == "litestar"]
    assert sorted(r["criterion"] for r in own) == sorted(slug for slug, _ in before.criteria)
    assert all(len(r["sources"]) == 1 for r in own)
    text = sitemap(page, site)
    assert "/frameworks/litestar/</loc>" in text
    for slug in slugs:
        assert f"/compare/{slug}-vs-litestar/</loc>" in text


def reader_finds_it_gone(tally, page, site, before, rating_sources) -> None:
    names = [name for _, name in before.published]
    slugs = [slug for slug, _ in before.published]

    for path in ["/frameworks/litestar/", *(f"/compare/{s}-vs-litestar/" for s in slugs)]:
        assert page.goto(site + path).status == 404, path

    page.goto(site + "/")
    assert page.inner_text("h1") == f"{', '.join(names[:-1])} or {names[-1]}?"
    assert "Litestar" not in page.inner_text("main")
    page.goto(site + reverse("comparisons:framework_list"))
    assert page.locator("li.card h2 a").all_inner_texts() == names

    page.goto(site + reverse("comparisons:compare"))
    assert "Litestar" not in page.title()
    assert page.locator("#compare-table thead th a").all_inner_texts() == names
    assert "Litestar" not in page.inner_text("table.rank-grid")
    footnotes = " ".join(page.locator("#sources li").all_inner_texts())
    for title in rating_sources:
        assert title not in footnotes, title
    assert not [text for text, _ in pair_links(page) if "Litestar" in text]

    choose_answer(tally, page, site, before.kind)
    assert "Litestar" not in page.inner_text("#answer")
    assert sorted(page.locator("ol.placings > li h2 a").all_inner_texts()) == sorted(names)

    found = data(page, site)
    assert [f["slug"] for f in found["frameworks"]] == slugs
    assert not [r for r in found["ratings"] if r["framework"] == "litestar"]
    assert "litestar" not in sitemap(page, site)


# --- the journey


def test_an_editor_adds_a_framework_and_readers_see_it_everywhere(site, before, new_page):
    tally = Tally()
    editor = new_page(width=WIDTH, height=HEIGHT)
    tally.watch(editor.context)
    dialogs = []
    editor.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.accept()))

    tally.start("log in")
    log_in(site, tally, editor)
    tally.start("1-2 add the framework, save")
    add_the_framework(tally, editor, before)
    tally.start("4 publish (by the save)")
    # Published by the save: the texts that count or list the frameworks are named.
    warning = stale_texts_warning(editor)
    assert "no longer match the published frameworks" in warning, warning
    assert editor.locator(".messagelist .warning li").count() > 0
    assert drawn_as_messages(editor) == []  # a list in the warning, not green ticks
    screenshot(editor, "journey-4-saved-and-published-with-the-warning")
    tally.start("3 a source for each of 9 ratings")
    rating_sources = add_the_rating_sources(tally, editor, before)

    reader = new_page(width=WIDTH, height=HEIGHT)
    tally.watch(reader.context)
    tally.start("5 sees it everywhere")
    reader_sees_it_everywhere(tally, reader, site, before, rating_sources)

    tally.start("6 unpublish (list action)")
    unpublish(tally, editor)
    # Three published again: the texts that counted three match again, so no warning.
    assert stale_texts_warning(editor) == ""
    tally.start("6 finds it gone")
    reader_finds_it_gone(tally, reader, site, before, rating_sources)
    screenshot(reader, "journey-6-gone-from-choose")

    assert dialogs == []  # never asked "Leave site?" on the way
    editor_parts = ["log in", "1-2 add the framework, save", "3 a source for each of 9 ratings",
                    "4 publish (by the save)", "6 unpublish (list action)"]  # fmt: skip
    reader_parts = ["5 sees it everywhere", "6 finds it gone"]
    loads, clicks, typed = tally.total(editor_parts)
    print("\neditor\n" + tally.table(editor_parts))
    print(f"  {'in all':38}{loads:>10}{clicks:>8}{typed:>7}")
    print("reader\n" + tally.table(reader_parts))
