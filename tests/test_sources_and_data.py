"""Sources, review dates, corrections, the chart, the open data and the compare filters.

Pages are read the way a reader's browser reads them: HTML through html.parser (standard
library), the inline SVG chart through xml.etree. Each test checks one behaviour against the
database, so an edit to the seed does not break them.
"""

from __future__ import annotations

import csv
import datetime
import io
import itertools
import json
import re
import xml.etree.ElementTree as ET
from collections import Counter
from html.parser import HTMLParser

import pytest
from django.contrib.humanize.templatetags.humanize import ordinal
from django.core.cache import cache
from django.db import IntegrityError, connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext
from jsonschema import Draft202012Validator

from articles.models import Article
from comparisons.models import (
    Correction,
    Criterion,
    Framework,
    FrameworkSource,
    Rating,
    RatingSource,
)
from comparisons.opendata import SCHEMA_PATH
from tests import factories
from tests.admin_forms import add_inline_row, errors_of, read_form

ARTICLE = "/articles/django-flask-or-fastapi/"
COMPARE = "/compare/"
DATA_JSON = "/data/comparison.json"
DATA_CSV = "/data/comparison.csv"
DATA_SCHEMA = "/data/comparison.schema.json"
SVG_NS = "{http://www.w3.org/2000/svg}"
BAD_URLS = ["javascript:alert(1)", "ftp://example.com/file.txt", "data:text/html,<b>hi</b>"]


# --- a small DOM from html.parser

VOID = {
    "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source",
    "track", "wbr",
}  # fmt: skip


class Node:
    def __init__(self, tag: str, attrs: dict[str, str], parent: Node | None):
        self.tag = tag
        self.attrs = attrs
        self.parent = parent
        self.children: list[Node | str] = []

    def __repr__(self) -> str:
        return f"<{self.tag} {self.attrs}>"

    @property
    def classes(self) -> set[str]:
        return set(self.attrs.get("class", "").split())

    def iter(self):
        yield self
        for child in self.children:
            if isinstance(child, Node):
                yield from child.iter()

    def find_all(self, tag: str | None = None, class_: str | None = None, **attrs) -> list[Node]:
        found = []
        for node in self.iter():
            if node is self:
                continue
            if tag and node.tag != tag:
                continue
            if class_ and class_ not in node.classes:
                continue
            if any(node.attrs.get(name.replace("_", "-")) != v for name, v in attrs.items()):
                continue
            found.append(node)
        return found

    def find(self, tag: str | None = None, class_: str | None = None, **attrs) -> Node | None:
        return next(iter(self.find_all(tag, class_, **attrs)), None)

    def by_id(self, element_id: str) -> Node | None:
        return next((node for node in self.iter() if node.attrs.get("id") == element_id), None)

    def text(self) -> str:
        parts = []
        for child in self.children:
            parts.append(child.text() if isinstance(child, Node) else child)
        return "".join(parts)

    def clean_text(self) -> str:
        return " ".join(self.text().split())

    def ancestors(self):
        node = self.parent
        while node is not None:
            yield node
            node = node.parent

    def next_element(self, tag: str) -> Node | None:
        """The first later sibling with this tag."""
        siblings = [child for child in self.parent.children if isinstance(child, Node)]
        later = siblings[siblings.index(self) + 1 :]
        return next((node for node in later if node.tag == tag), None)


class _TreeBuilder(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.root = Node("#document", {}, None)
        self.stack = [self.root]

    def handle_starttag(self, tag, attrs):
        node = Node(tag, {name: value or "" for name, value in attrs}, self.stack[-1])
        self.stack[-1].children.append(node)
        if tag not in VOID:
            self.stack.append(node)

    def handle_startendtag(self, tag, attrs):
        node = Node(tag, {name: value or "" for name, value in attrs}, self.stack[-1])
        self.stack[-1].children.append(node)

    def handle_endtag(self, tag):
        for depth in range(len(self.stack) - 1, 0, -1):
            if self.stack[depth].tag == tag:
                del self.stack[depth:]
                return

    def handle_data(self, data):
        self.stack[-1].children.append(data)


def parse(response) -> Node:
    assert response.status_code == 200, response.status_code
    builder = _TreeBuilder()
    builder.feed(response.content.decode())
    builder.close()
    return builder.root


def get_page(client, url) -> Node:
    return parse(client.get(url))


# --- what the pages show


def footnote_list(page: Node) -> dict[str, tuple[str, str]]:
    """The Sources list: footnote id ("source-3") -> (URL, title)."""
    section = page.by_id("sources")
    assert section is not None, "no Sources list"
    notes = {}
    for item in section.find_all("li"):
        link = item.find("a")
        notes[item.attrs["id"]] = (link.attrs["href"], link.clean_text())
    return notes


def markers(node: Node) -> list[str]:
    """The footnote ids that the [n] markers in this element point at."""
    ids = []
    for sup in node.find_all("sup", class_="cite"):
        for link in sup.find_all("a"):
            href = link.attrs["href"]
            assert href.startswith("#source-"), href
            number = href.removeprefix("#source-")
            assert link.clean_text() == f"[{number}]"
            ids.append(href.removeprefix("#"))
    return ids


def cited_sources(node: Node, notes: dict) -> set[tuple[str, str]]:
    ids = markers(node)
    missing = [i for i in ids if i not in notes]
    assert not missing, f"markers point at missing footnotes: {missing}"
    return {notes[i] for i in ids}


def links_of(sources) -> set[tuple[str, str]]:
    return {(source.url, source.title) for source in sources}


def read_table(page: Node, table_id: str) -> tuple[list[Node], list[tuple[str, list[Node]]]]:
    """The table's column headers (framework cells) and rows (criterion name, cells)."""
    table = page.by_id(table_id)
    assert table is not None, f"no table #{table_id}"
    header = table.find("thead").find_all("th")[1:]
    rows = []
    for row in table.find("tbody").find_all("tr"):
        rows.append((row.find("th").clean_text(), row.find_all("td")))
    return header, rows


def columns(page: Node, table_id: str = "compare-table") -> list[str]:
    header, _ = read_table(page, table_id)
    return [cell.find("a").clean_text() for cell in header]


def row_names(page: Node, table_id: str = "compare-table") -> list[str]:
    _, rows = read_table(page, table_id)
    return [name for name, _ in rows]


def cells(page: Node, table_id: str):
    """(criterion name, framework name, cell) for each cell of the table."""
    names = columns(page, table_id)
    _, rows = read_table(page, table_id)
    for criterion_name, row in rows:
        assert len(row) == len(names)
        for framework_name, cell in zip(names, row, strict=True):
            yield criterion_name, framework_name, cell


def rating_items(page: Node) -> dict[str, Node]:
    """A framework page's "How it rates" list: criterion name -> its list item."""
    heading = page.by_id("ratings")
    assert heading is not None
    items = {}
    for item in heading.next_element("ul").find_all("li"):
        items[item.find("h3").clean_text().split(":")[0]] = item
    return items


def shown_ratings(frameworks, criteria):
    return Rating.objects.filter(framework__in=frameworks, criterion__in=criteria).select_related(
        "framework", "criterion"
    )


# --- the chart


def chart_of(response) -> ET.Element:
    (svg_text,) = re.findall(r"<svg\b.*?</svg>", response.content.decode(), flags=re.S)
    return ET.fromstring(svg_text)  # noqa: S314 -- our own response, not untrusted data


def bars(svg: ET.Element) -> list[dict]:
    """Each bar group with its criterion (the heading above it), framework, rank and width."""
    found, heading = [], None
    for element in svg:
        classes = set(element.get("class", "").split())
        if element.tag == f"{SVG_NS}text" and "chart-heading" in classes:
            heading = element.text
        elif element.tag == f"{SVG_NS}g" and "chart-bar" in classes:
            texts = element.findall(f"{SVG_NS}text")
            (rect,) = element.findall(f"{SVG_NS}rect")
            found.append(
                {
                    "criterion": heading,
                    "framework": texts[0].text,
                    "rank_text": texts[-1].text,
                    "width": float(rect.get("width")),
                    "classes": classes,
                }
            )
    return found


# --- 1. Sources


def test_framework_page_lists_every_fact_and_rating_source(seeded, client):
    for framework in Framework.objects.published():
        notes = footnote_list(get_page(client, framework.get_absolute_url()))
        expected = links_of(framework.sources.all()) | links_of(
            RatingSource.objects.filter(rating__framework=framework)
        )
        assert expected
        assert expected <= set(notes.values()), framework
        assert set(notes.values()) == expected, f"{framework}: sources nobody cites"


def test_framework_page_marks_each_verdict_with_its_own_footnotes(seeded, client):
    for framework in Framework.objects.published():
        page = get_page(client, framework.get_absolute_url())
        notes = footnote_list(page)
        items = rating_items(page)
        ratings = framework.ratings.select_related("criterion")
        assert set(items) == {rating.criterion.name for rating in ratings}
        for rating in ratings:
            verdict = next(p for p in items[rating.criterion.name].find_all("p"))
            assert rating.verdict in verdict.clean_text()
            assert cited_sources(verdict, notes) == links_of(rating.sources.all()), rating


def test_framework_page_marks_its_facts_with_footnotes(seeded, client):
    framework = Framework.objects.get(slug="django")
    page = get_page(client, framework.get_absolute_url())
    notes = footnote_list(page)
    facts = next(p for p in page.find_all("p", class_="meta") if "these facts" in p.text())
    assert cited_sources(facts, notes) == links_of(framework.sources.all())


def test_compare_cites_the_sources_of_every_cell(seeded, client):
    page = get_page(client, COMPARE)
    notes = footnote_list(page)
    ratings = {
        (r.criterion.name, r.framework.name): r
        for r in shown_ratings(Framework.objects.published(), Criterion.objects.all())
    }
    seen = set()
    for criterion_name, framework_name, cell in cells(page, "compare-table"):
        rating = ratings[(criterion_name, framework_name)]
        assert rating.verdict in cell.clean_text()
        assert cited_sources(cell, notes) == links_of(rating.sources.all())
        seen.add((criterion_name, framework_name))
    assert seen == set(ratings)
    assert set(notes.values()) == links_of(RatingSource.objects.filter(rating__in=ratings.values()))


def test_article_lists_the_sources_of_its_table(seeded, client):
    article = Article.objects.get(slug="django-flask-or-fastapi")
    page = get_page(client, ARTICLE)
    notes = footnote_list(page)
    ratings = shown_ratings(
        Framework.objects.published().filter(articles=article), article.criteria.all()
    )
    assert ratings
    assert set(notes.values()) == links_of(RatingSource.objects.filter(rating__in=ratings))
    by_cell = {(r.criterion.name, r.framework.name): r for r in ratings}
    for criterion_name, framework_name, cell in cells(page, "article-table"):
        rating = by_cell[(criterion_name, framework_name)]
        assert cited_sources(cell, notes) == links_of(rating.sources.all())


def test_a_source_cited_twice_keeps_one_number(seeded, client):
    page = get_page(client, COMPARE)
    notes = footnote_list(page)
    # Every footnote is a different source: none is listed twice.
    assert len(set(notes.values())) == len(notes)
    # The seed cites the same survey on all three community cells: one footnote for all.
    shared = Counter(
        (source.url, source.title) for source in RatingSource.objects.all()
    ).most_common(1)[0][0]
    cited_by = [cell for *_, cell in cells(page, "compare-table") if notes_of(cell, notes, shared)]
    assert len(cited_by) >= 2
    numbers = {notes_of(cell, notes, shared) for cell in cited_by}
    assert len(numbers) == 1
    assert list(notes.values()).count(shared) == 1


def notes_of(cell: Node, notes: dict, source: tuple[str, str]) -> str | None:
    return next((i for i in markers(cell) if notes[i] == source), None)


def test_a_fact_source_that_also_backs_a_rating_keeps_one_number(seeded, client):
    framework = Framework.objects.get(slug="django")
    rating_links = links_of(RatingSource.objects.filter(rating__framework=framework))
    both = links_of(framework.sources.all()) & rating_links
    assert both, "the seed has a source backing both a fact and a rating"
    page = get_page(client, framework.get_absolute_url())
    notes = footnote_list(page)
    facts = next(p for p in page.find_all("p", class_="meta") if "these facts" in p.text())
    verdict_ids = {i for item in rating_items(page).values() for i in markers(item)}
    for source in both:
        (number,) = [i for i, note in notes.items() if note == source]
        assert number in markers(facts)
        assert number in verdict_ids


# --- 2. Last reviewed


def reviewed_on_page(page: Node) -> list[str]:
    facts = page.find("dl", class_="facts")
    dt = next(dt for dt in facts.find_all("dt") if dt.clean_text() == "Last reviewed")
    dd = dt.next_element("dd")
    return [time.attrs["datetime"] for time in dd.find_all("time")]


def reviewed_in_header(page: Node) -> dict[str, str]:
    header, _ = read_table(page, "compare-table")
    return {cell.find("a").clean_text(): cell.find("time").attrs["datetime"] for cell in header}


def test_framework_page_shows_when_it_was_last_reviewed(seeded, client):
    for framework in Framework.objects.published():
        page = get_page(client, framework.get_absolute_url())
        assert reviewed_on_page(page) == [framework.last_reviewed.isoformat()]


def test_compare_header_shows_each_frameworks_review_date(seeded, client):
    for position, framework in enumerate(Framework.objects.all()):
        framework.last_reviewed = datetime.date(2024, 3, 1 + position)  # each its own
        framework.save()
    page = get_page(client, COMPARE)
    assert reviewed_in_header(page) == {
        f.name: f.last_reviewed.isoformat() for f in Framework.objects.published()
    }


def test_a_new_review_date_shows_at_the_next_request(seeded, client):
    framework = Framework.objects.get(slug="flask")
    get_page(client, framework.get_absolute_url())  # both pages now in the page cache
    get_page(client, COMPARE)
    framework.last_reviewed = datetime.date(2025, 2, 14)
    framework.save()
    assert reviewed_on_page(get_page(client, framework.get_absolute_url())) == ["2025-02-14"]
    assert reviewed_in_header(get_page(client, COMPARE))["Flask"] == "2025-02-14"


# --- 3. Corrections


def corrections_in(node: Node) -> list[Node]:
    return node.find_all("div", class_="correction")


def shows_correction(nodes: list[Node], correction: Correction) -> bool:
    for node in nodes:
        text = node.clean_text()
        dates = [time.attrs.get("datetime") for time in node.find_all("time")]
        if (
            correction.original in text
            and text.startswith("Updated")
            and correction.dated.isoformat() in dates
        ):
            return True
    return False


def point_item(page: Node, kind: str, title: str, prefix: str = "") -> Node:
    heading = page.by_id(f"{prefix}{kind}s")
    assert heading is not None
    for item in heading.next_element("ul").find_all("li"):
        if item.find("h3" if not prefix else "h4").clean_text().endswith(title):
            return item
    raise AssertionError(f"no {kind} titled {title!r}")


def test_corrections_show_with_the_pro_or_con_they_concern(seeded, client):
    corrections = Correction.objects.filter(procon__isnull=False).select_related(
        "framework", "procon"
    )
    assert corrections
    for correction in corrections:
        page = get_page(client, correction.framework.get_absolute_url())
        item = point_item(page, correction.procon.kind, correction.procon.title)
        assert shows_correction(corrections_in(item), correction), correction
        facts_box = page.by_id("corrections")
        assert facts_box is None or not shows_correction(corrections_in(facts_box), correction)


def test_corrections_of_facts_show_near_the_facts(seeded, client):
    corrections = Correction.objects.filter(procon__isnull=True).select_related("framework")
    assert corrections
    for correction in corrections:
        page = get_page(client, correction.framework.get_absolute_url())
        box = page.by_id("corrections")
        assert box is not None
        assert shows_correction(corrections_in(box), correction), correction
        # Between the facts and the overview, not among the pros and cons.
        order = [node for node in page.iter() if node.attrs.get("id") or node.tag == "dl"]
        facts = page.find("dl", class_="facts")
        assert order.index(facts) < order.index(box) < order.index(page.by_id("overview"))
        points = page.find_all("ul", class_="points")
        assert not any(shows_correction(corrections_in(ul), correction) for ul in points)


@pytest.mark.parametrize(
    ("slug", "original"),
    [
        ("flask", "Flask handles one request at a time, in turns."),
        ("fastapi", "FastAPI builds GraphQL APIs with the graphene library."),
    ],
)
def test_article_shows_the_concurrency_and_graphql_corrections(seeded, client, slug, original):
    correction = Correction.objects.select_related("procon").get(
        framework__slug=slug, original=original
    )
    page = get_page(client, ARTICLE)
    item = point_item(page, correction.procon.kind, correction.procon.title, prefix=f"{slug}-")
    assert shows_correction(corrections_in(item), correction)


# --- 4. Source URLs


def change_url(obj) -> str:
    return f"/admin/{obj._meta.app_label}/{obj._meta.model_name}/{obj.pk}/change/"


@pytest.mark.parametrize("url", BAD_URLS)
def test_admin_refuses_a_framework_source_that_is_not_http(seeded, admin_client, url):
    framework = Framework.objects.get(slug="django")
    before = FrameworkSource.objects.count()
    data = read_form(admin_client.get(change_url(framework)), "framework_form")
    add_inline_row(data, "sources", fact="A new fact", title="A page", url=url, position="99")
    row = int(data["sources-TOTAL_FORMS"]) - 1
    response = admin_client.post(change_url(framework), data)
    assert response.status_code == 200  # the form again, not a redirect
    errors = errors_of(response)
    assert f"sources-{row}-url" in errors, errors
    assert set(errors) == {f"sources-{row}-url"}, errors
    assert FrameworkSource.objects.count() == before
    assert not FrameworkSource.objects.filter(title="A page").exists()


@pytest.mark.parametrize("url", BAD_URLS)
def test_admin_refuses_a_rating_source_that_is_not_http(seeded, admin_client, url):
    rating = Rating.objects.get(criterion__slug="performance", framework__slug="flask")
    before = RatingSource.objects.count()
    data = read_form(admin_client.get(change_url(rating)), "rating_form")
    add_inline_row(data, "sources", title="A page", url=url, position="99")
    row = int(data["sources-TOTAL_FORMS"]) - 1
    response = admin_client.post(change_url(rating), data)
    assert response.status_code == 200
    errors = errors_of(response)
    assert set(errors) == {f"sources-{row}-url"}, errors
    assert RatingSource.objects.count() == before
    assert not RatingSource.objects.filter(title="A page").exists()


def test_admin_accepts_an_https_source(seeded, admin_client):
    """The check above refuses bad schemes, not every new row."""
    rating = Rating.objects.get(criterion__slug="performance", framework__slug="flask")
    data = read_form(admin_client.get(change_url(rating)), "rating_form")
    add_inline_row(data, "sources", title="A page", url="https://example.com/a", position="99")
    response = admin_client.post(change_url(rating), data)
    assert response.status_code == 302, errors_of(response)
    assert rating.sources.filter(url="https://example.com/a").exists()


@pytest.mark.parametrize("url", BAD_URLS)
def test_database_refuses_a_framework_source_that_is_not_http(seeded, url):
    framework = Framework.objects.get(slug="django")
    with pytest.raises(IntegrityError), transaction.atomic():
        FrameworkSource.objects.create(framework=framework, fact="A fact", title="T", url=url)
    assert not FrameworkSource.objects.filter(url=url).exists()


@pytest.mark.parametrize("url", BAD_URLS)
def test_database_refuses_a_rating_source_that_is_not_http(seeded, url):
    rating = Rating.objects.first()
    with pytest.raises(IntegrityError), transaction.atomic():
        RatingSource.objects.create(rating=rating, title="T", url=url)
    assert not RatingSource.objects.filter(url=url).exists()


# --- 5. The chart


@pytest.mark.parametrize("url", [COMPARE, "/frameworks/django/"])
def test_page_has_one_labelled_inline_svg_chart(seeded, client, url):
    response = client.get(url)
    page = parse(response)
    (svg,) = page.find_all("svg")
    assert svg.attrs.get("role") == "img"
    labelled_by = [page.by_id(i) for i in svg.attrs["aria-labelledby"].split()]
    assert all(labelled_by), svg.attrs["aria-labelledby"]
    assert {node.tag for node in labelled_by} == {"figcaption", "desc"}
    caption = next(node for node in labelled_by if node.tag == "figcaption")
    assert caption.clean_text()
    desc = next(node for node in labelled_by if node.tag == "desc")
    assert svg in desc.ancestors()


@pytest.mark.parametrize("url", [COMPARE, "/frameworks/django/"])
def test_chart_has_a_bar_per_rated_cell_with_its_rank_written(seeded, client, url):
    found = bars(chart_of(client.get(url)))
    expected = [
        (r.criterion.name, r.framework.name, ordinal(r.rank))
        for r in shown_ratings(Framework.objects.published(), Criterion.objects.all())
    ]
    assert Counter((b["criterion"], b["framework"], b["rank_text"]) for b in found) == Counter(
        expected
    )
    assert len(found) == 9


@pytest.mark.parametrize("url", [COMPARE, "/frameworks/django/"])
def test_chart_bars_are_longer_for_better_ranks(seeded, client, url):
    found = bars(chart_of(client.get(url)))
    ranks = {
        (r.criterion.name, r.framework.name): r.rank
        for r in shown_ratings(Framework.objects.published(), Criterion.objects.all())
    }
    by_criterion: dict[str, list] = {}
    for bar in found:
        by_criterion.setdefault(bar["criterion"], []).append(bar)
    assert set(by_criterion) == set(Criterion.objects.values_list("name", flat=True))
    for group in by_criterion.values():
        ordered = sorted(group, key=lambda bar: ranks[(bar["criterion"], bar["framework"])])
        assert ranks[(ordered[0]["criterion"], ordered[0]["framework"])] == 1
        assert ordered[0]["width"] == max(bar["width"] for bar in group)
        for better, worse in itertools.pairwise(ordered):
            better_rank = ranks[(better["criterion"], better["framework"])]
            worse_rank = ranks[(worse["criterion"], worse["framework"])]
            if better_rank < worse_rank:
                assert better["width"] > worse["width"], group
            else:
                assert better["width"] == worse["width"], group


@pytest.mark.parametrize("url", [COMPARE, "/frameworks/django/"])
def test_chart_has_no_script_and_no_style_attribute(seeded, client, url):
    svg = chart_of(client.get(url))
    for element in svg.iter():
        assert element.tag.removeprefix(SVG_NS) != "script"
        assert "style" not in element.attrib, element.tag
        assert not any(name.lower().startswith("on") for name in element.attrib)


@pytest.mark.parametrize("url", [COMPARE, "/frameworks/django/"])
def test_chart_description_names_every_framework_and_criterion(seeded, client, url):
    svg = chart_of(client.get(url))
    (desc,) = svg.findall(f"{SVG_NS}desc")
    for name in Framework.objects.published().values_list("name", flat=True):
        assert name in desc.text
    for name in Criterion.objects.values_list("name", flat=True):
        assert name in desc.text


def test_framework_page_chart_marks_the_current_frameworks_bars(seeded, client):
    found = bars(chart_of(client.get("/frameworks/flask/")))
    current = [bar for bar in found if "current" in bar["classes"]]
    assert current
    assert {bar["framework"] for bar in current} == {"Flask"}
    assert len(current) == Rating.objects.filter(framework__slug="flask").count()


def test_compare_chart_has_no_current_framework(seeded, client):
    found = bars(chart_of(client.get(COMPARE)))
    assert not any("current" in bar["classes"] for bar in found)


def test_framework_filter_shrinks_the_chart(seeded, client):
    svg = chart_of(client.get(f"{COMPARE}?fw=django&fw=flask"))
    found = bars(svg)
    assert {bar["framework"] for bar in found} == {"Django", "Flask"}
    assert len(found) == Rating.objects.filter(framework__slug__in=["django", "flask"]).count()
    assert "FastAPI" not in svg.find(f"{SVG_NS}desc").text
    assert "FastAPI" not in ET.tostring(svg, encoding="unicode")


# --- 6. Open data: JSON


def load_json(client) -> dict:
    response = client.get(DATA_JSON)
    assert response.status_code == 200
    return json.loads(response.content)


def test_json_is_served_as_json(seeded, client):
    response = client.get(DATA_JSON)
    assert response.status_code == 200
    assert response["Content-Type"].split(";")[0].strip() == "application/json"


def test_json_validates_against_the_committed_schema(seeded, client):
    schema = json.loads(SCHEMA_PATH.read_text())
    Draft202012Validator.check_schema(schema)
    validator = Draft202012Validator(schema, format_checker=Draft202012Validator.FORMAT_CHECKER)
    errors = [
        f"{list(e.absolute_path)}: {e.message}" for e in validator.iter_errors(load_json(client))
    ]
    assert errors == []


def test_json_validation_catches_a_broken_document(seeded, client):
    """The schema is strict enough to matter: a javascript: source link fails it."""
    schema = json.loads(SCHEMA_PATH.read_text())
    validator = Draft202012Validator(schema, format_checker=Draft202012Validator.FORMAT_CHECKER)
    data = load_json(client)
    data["ratings"][0]["sources"].append({"title": "x", "url": "javascript:alert(1)"})
    data["frameworks"][0]["last_reviewed"] = "2024-02-30"
    assert len(list(validator.iter_errors(data))) == 2


def test_json_has_version_licence_and_date(seeded, client):
    data = load_json(client)
    assert re.fullmatch(r"\d+\.\d+", data["schema_version"])
    assert data["licence"]["name"]
    assert data["licence"]["url"].startswith("https://")
    updated = datetime.datetime.fromisoformat(data["last_updated"])
    assert updated.tzinfo is not None


def test_json_has_every_published_framework_with_review_date_and_sources(seeded, client):
    data = load_json(client)
    frameworks = {f["slug"]: f for f in data["frameworks"]}
    published = Framework.objects.published()
    assert list(frameworks) == [f.slug for f in published]
    for framework in published:
        entry = frameworks[framework.slug]
        assert entry["name"] == framework.name
        assert entry["last_reviewed"] == framework.last_reviewed.isoformat()
        assert entry["sources"] == [
            {"fact": s.fact, "title": s.title, "url": s.url} for s in framework.sources.all()
        ]
        assert entry["sources"]


def test_json_has_every_criterion(seeded, client):
    data = load_json(client)
    assert [c["slug"] for c in data["criteria"]] == list(
        Criterion.objects.values_list("slug", flat=True)
    )
    assert [c["name"] for c in data["criteria"]] == list(
        Criterion.objects.values_list("name", flat=True)
    )


def test_json_has_one_rating_per_cell_matching_the_database(seeded, client):
    data = load_json(client)
    cells_seen = Counter((r["criterion"], r["framework"]) for r in data["ratings"])
    assert all(count == 1 for count in cells_seen.values()), cells_seen
    ratings = {
        (r.criterion.slug, r.framework.slug): r
        for r in shown_ratings(Framework.objects.published(), Criterion.objects.all())
    }
    assert set(cells_seen) == set(ratings)
    assert len(data["ratings"]) == 9
    for entry in data["ratings"]:
        rating = ratings[(entry["criterion"], entry["framework"])]
        assert entry["rank"] == rating.rank
        assert entry["verdict"] == rating.verdict
        assert entry["sources"] == [{"title": s.title, "url": s.url} for s in rating.sources.all()]


def test_json_leaves_out_an_unpublished_framework(seeded, client):
    hidden = factories.framework(name="Hidden", slug="hidden", is_published=False)
    factories.rating(framework=hidden, criterion=Criterion.objects.first(), verdict="Secret.")
    FrameworkSource.objects.create(
        framework=hidden, fact="A fact", title="Hidden page", url="https://example.com/hidden"
    )
    data = load_json(client)
    assert "hidden" not in {f["slug"] for f in data["frameworks"]}
    assert "hidden" not in {r["framework"] for r in data["ratings"]}
    assert "Hidden" not in json.dumps(data)


def test_json_shows_a_rank_change_at_the_next_request(seeded, client):
    def django_on_performance(data: dict) -> dict:
        (entry,) = [r for r in data["ratings"] if (r["criterion"], r["framework"]) == cell]
        return entry

    cell = ("performance", "django")
    before = load_json(client)
    assert django_on_performance(before)["rank"] == 3
    assert client.get(DATA_JSON)["X-Page-Cache"] == "hit"  # it is cached now
    rating = Rating.objects.get(criterion__slug="performance", framework__slug="django")
    rating.rank = 1
    rating.save()
    after = load_json(client)
    assert django_on_performance(after)["rank"] == 1
    assert after["last_updated"] >= before["last_updated"]


def test_schema_is_served_as_the_committed_file(seeded, client):
    response = client.get(DATA_SCHEMA)
    assert response.status_code == 200
    assert response["Content-Type"].split(";")[0].strip() == "application/schema+json"
    assert response.content == SCHEMA_PATH.read_bytes()
    assert json.loads(response.content) == json.loads(SCHEMA_PATH.read_text())


# --- 7. Open data: CSV


def load_csv(client) -> list[list[str]]:
    response = client.get(DATA_CSV)
    assert response.status_code == 200
    return list(csv.reader(io.StringIO(response.content.decode("utf-8"), newline="")))


def test_csv_is_served_as_csv(seeded, client):
    response = client.get(DATA_CSV)
    assert response.status_code == 200
    assert response["Content-Type"].split(";")[0].strip() == "text/csv"


def test_csv_is_a_download_with_a_csv_filename(seeded, client):
    response = client.get(DATA_CSV)
    disposition = response["Content-Disposition"]
    assert disposition.split(";")[0].strip() == "attachment"
    assert re.search(r'filename="[^"/\\]+\.csv"', disposition), disposition


def test_csv_from_the_page_cache_is_still_a_download(seeded, client):
    first = client.get(DATA_CSV)
    second = client.get(DATA_CSV)
    assert second["X-Page-Cache"] == "hit"
    assert second.content == first.content
    assert second.get("Content-Disposition") == first["Content-Disposition"]


def test_json_from_the_page_cache_still_allows_any_origin(seeded, client):
    first = client.get(DATA_JSON)
    assert first["Access-Control-Allow-Origin"] == "*"
    second = client.get(DATA_JSON)
    assert second["X-Page-Cache"] == "hit"
    assert second.get("Access-Control-Allow-Origin") == "*"


def test_csv_has_a_header_then_one_row_per_cell(seeded, client):
    header, *rows = load_csv(client)
    assert header[:6] == ["criterion", "criterion_name", "framework", "framework_name", "rank",
                          "verdict"]  # fmt: skip
    assert "sources" in header
    assert "framework_last_reviewed" in header
    assert all(len(row) == len(header) for row in rows)
    assert len(rows) == 9
    cells_seen = Counter((row[0], row[2]) for row in rows)
    assert set(cells_seen.values()) == {1}


def test_csv_values_match_the_database(seeded, client):
    header, *rows = load_csv(client)
    ratings = {
        (r.criterion.slug, r.framework.slug): r
        for r in shown_ratings(Framework.objects.published(), Criterion.objects.all())
    }
    assert {(row[0], row[2]) for row in rows} == set(ratings)
    for values in rows:
        row = dict(zip(header, values, strict=True))
        rating = ratings[(row["criterion"], row["framework"])]
        assert row["criterion_name"] == rating.criterion.name
        assert row["framework_name"] == rating.framework.name
        assert row["rank"] == str(rating.rank)
        assert row["verdict"] == rating.verdict
        assert row["note"] == rating.note
        assert row["sources"].split(" | ") == [s.url for s in rating.sources.all()]
        assert row["framework_last_reviewed"] == rating.framework.last_reviewed.isoformat()


def test_csv_round_trips_a_verdict_with_comma_quote_and_newline(seeded, client):
    load_csv(client)  # now in the page cache
    rating = Rating.objects.get(criterion__slug="packages", framework__slug="flask")
    rating.verdict = 'Small, "batteries elsewhere"\nbut many extensions'
    rating.save()
    header, *rows = load_csv(client)
    assert len(rows) == 9
    row = next(
        dict(zip(header, r, strict=True)) for r in rows if (r[0], r[2]) == ("packages", "flask")
    )
    assert row["verdict"] == rating.verdict


# --- 8. Query counts


def grow(frameworks: int = 20, criteria: int = 20) -> None:
    """Add frameworks and criteria, every new cell rated, with a source each."""
    new_frameworks = [factories.framework() for _ in range(frameworks)]
    new_criteria = [factories.criterion() for _ in range(criteria)]
    all_frameworks = list(Framework.objects.all())
    all_criteria = list(Criterion.objects.all())
    Rating.objects.bulk_create(
        Rating(criterion=c, framework=f, rank=1 + (i % 3), verdict=f"Verdict {i}.")
        for i, (c, f) in enumerate(
            (c, f)
            for c in all_criteria
            for f in all_frameworks
            if c in new_criteria or f in new_frameworks
        )
    )
    new_ratings = Rating.objects.filter(framework__in=new_frameworks) | Rating.objects.filter(
        criterion__in=new_criteria
    )
    RatingSource.objects.bulk_create(
        RatingSource(rating=r, title=f"Source {r.pk}", url=f"https://example.com/r/{r.pk}")
        for r in new_ratings
    )
    FrameworkSource.objects.bulk_create(
        FrameworkSource(
            framework=f, fact="A fact", title=f"Fact {f.pk}", url="https://example.com/f"
        )
        for f in new_frameworks
    )


def count_queries(client, url) -> tuple[int, bytes]:
    cache.clear()  # pages are cached: count a full render
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured), response.content


@pytest.mark.parametrize("url", [DATA_JSON, DATA_CSV])
def test_data_endpoint_query_count_does_not_grow_with_the_data(seeded, client, url):
    small, _ = count_queries(client, url)
    grow()
    large, content = count_queries(client, url)
    assert large == small
    if url == DATA_JSON:
        data = json.loads(content)
        assert len(data["frameworks"]) == 23
        assert len(data["criteria"]) == 23
        assert len(data["ratings"]) == 23 * 23
        assert all(len(r["sources"]) >= 1 for r in data["ratings"])
    else:
        assert len(list(csv.reader(io.StringIO(content.decode(), newline="")))) == 1 + 23 * 23


# --- 9. Filters on /compare/


def test_compare_filter_on_one_criterion(seeded, client):
    page = get_page(client, f"{COMPARE}?c=performance")
    assert row_names(page) == ["Performance"]


def test_compare_filter_on_two_criteria_keeps_their_order(seeded, client):
    page = get_page(client, f"{COMPARE}?c=packages&c=community")
    assert row_names(page) == ["Packages", "Community"]


def test_compare_sorts_the_columns_by_rank_on_a_criterion(seeded, client):
    page = get_page(client, f"{COMPARE}?sort=performance")
    assert columns(page) == ["FastAPI", "Flask", "Django"]
    # The cells move with their columns.
    performance = [
        cell.find("span", class_="rank").clean_text()
        for name, _, cell in cells(page, "compare-table")
        if name == "Performance"
    ]
    assert performance == ["1st", "2nd", "3rd"]
    for criterion_name, framework_name, cell in cells(page, "compare-table"):
        rating = Rating.objects.get(criterion__name=criterion_name, framework__name=framework_name)
        assert rating.verdict in cell.clean_text()


def form_state(page: Node) -> tuple[set[str], set[str], list[str]]:
    form = page.find("form", class_="choose")
    checked = {
        (box.attrs["name"], box.attrs["value"])
        for box in form.find_all("input", type="checkbox")
        if "checked" in box.attrs
    }
    selected = [
        option.attrs["value"]
        for option in form.find("select", name="sort").find_all("option")
        if "selected" in option.attrs
    ]
    return (
        {value for name, value in checked if name == "fw"},
        {value for name, value in checked if name == "c"},
        selected,
    )


def test_compare_combines_frameworks_criteria_and_sort(seeded, client):
    page = get_page(
        client, f"{COMPARE}?fw=django&fw=fastapi&c=community&c=performance&sort=performance"
    )
    assert columns(page) == ["FastAPI", "Django"]
    assert row_names(page) == ["Community", "Performance"]
    ranks = {
        (criterion, framework): cell.find("span", class_="rank").clean_text()
        for criterion, framework, cell in cells(page, "compare-table")
    }
    assert ranks == {
        ("Community", "FastAPI"): "3rd",
        ("Community", "Django"): "1st",
        ("Performance", "FastAPI"): "1st",
        ("Performance", "Django"): "3rd",
    }
    assert form_state(page) == (
        {"django", "fastapi"},
        {"community", "performance"},
        ["performance"],
    )


def test_compare_form_without_filters_checks_everything(seeded, client):
    page = get_page(client, COMPARE)
    assert form_state(page) == (
        set(Framework.objects.published().values_list("slug", flat=True)),
        set(Criterion.objects.values_list("slug", flat=True)),
        [],
    )


def test_compare_names_and_ignores_unknown_criteria_and_sort(seeded, client):
    bad_criterion = "<script>alert(1)</script>"
    response = client.get(COMPARE, {"c": ["performance", bad_criterion], "sort": "bogus&co"})
    raw = response.content.decode()
    page = parse(response)
    assert bad_criterion not in raw  # escaped
    assert "&lt;script&gt;" in raw
    notice = page.find("div", class_="notice")
    assert notice is not None
    assert "Ignored" in notice.clean_text()
    assert [q.text() for q in notice.find_all("q")] == [bad_criterion, "bogus&co"]
    # Ignored: the known criterion is still shown, the columns keep their usual order.
    assert row_names(page) == ["Performance"]
    assert columns(page) == list(Framework.objects.published().values_list("name", flat=True))
    assert form_state(page)[2] == []


def test_compare_without_unknown_values_has_no_notice(seeded, client):
    page = get_page(client, f"{COMPARE}?fw=flask&c=performance&c=packages&sort=performance")
    assert page.find("div", class_="notice") is None


def test_compare_sorts_by_a_known_criterion_that_is_not_shown(seeded, client):
    page = get_page(client, f"{COMPARE}?c=community&sort=performance")
    assert page.find("div", class_="notice") is None
    assert row_names(page) == ["Community"]
    assert columns(page) == ["FastAPI", "Flask", "Django"]
    assert form_state(page)[2] == ["performance"]


def table_html(response) -> str:
    return re.search(r'<table class="ratings".*?</table>', response.content.decode(), re.S)[0]


def test_compare_url_is_shareable(seeded, client):
    url = f"{COMPARE}?fw=flask&fw=fastapi&c=packages&c=performance&sort=packages"
    first = client.get(url)
    cache.clear()  # another reader, another app server: rendered afresh
    second = Client().get(url)
    assert second.get("X-Page-Cache") != "hit"
    assert table_html(first) == table_html(second)
    page = parse(second)
    assert columns(page) == ["Flask", "FastAPI"]
    assert row_names(page) == ["Packages", "Performance"]
    form = page.find("form", class_="choose")
    assert form.attrs.get("method", "get").lower() == "get"
