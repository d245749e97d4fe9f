"""Sources: every fact and rating cites its sources as numbered footnotes, one number per source;
a source's link must be http(s), in the admin and in the database."""

from collections import Counter

import pytest
from django.db import IntegrityError, connection, transaction
from django.template import Context, Engine, Template
from django.test.utils import CaptureQueriesContext

from articles.models import Article
from comparisons.models import (
    Criterion,
    Figure,
    Framework,
    FrameworkSource,
    Rating,
    RatingSource,
    Source,
)
from comparisons.pagedata import Footnote
from core.pages import ARTICLE, PUBLIC_PAGES
from tests.admin_forms import add_inline_row, change_url, errors_of, read_form
from tests.html import Element, get_page
from tests.readers import cells, shown_ratings

COMPARE = PUBLIC_PAGES["compare"]
BAD_URLS = ["javascript:alert(1)", "ftp://example.com/file.txt", "data:text/html,<b>hi</b>"]


# --- what the pages show


def footnote_list(page: Element) -> dict[str, tuple[str, str]]:
    """The Sources list: footnote id ("source-3") -> (URL, title)."""
    section = page.by_id("sources")
    assert section is not None, "no Sources list"
    notes = {}
    for item in section.find_all("li"):
        link = item.find("a")
        notes[item.attrs["id"]] = (link.attrs["href"], link.clean_text)
    return notes


def markers(node: Element) -> list[str]:
    """The footnote ids that the [n] markers in this element point at."""
    ids = []
    for sup in node.find_all("sup", class_="cite"):
        for link in sup.find_all("a"):
            href = link.attrs["href"]
            assert href.startswith("#source-"), href
            number = href.removeprefix("#source-")
            assert link.clean_text == f"[{number}]"
            ids.append(href.removeprefix("#"))
    return ids


def cited_sources(node: Element, notes: dict) -> set[tuple[str, str]]:
    ids = markers(node)
    missing = [i for i in ids if i not in notes]
    assert not missing, f"markers point at missing footnotes: {missing}"
    return {notes[i] for i in ids}


def links_of(sources) -> set[tuple[str, str]]:
    return {(source.url, source.title) for source in sources}


def figure_links(figures) -> set[tuple[str, str]]:
    return {(figure.source_url, figure.source_title) for figure in figures}


def evidence_of(ratings) -> set[tuple[str, str]]:
    """What these ratings cite: their sources and their figures' sources."""
    return links_of(RatingSource.objects.filter(rating__in=ratings)) | figure_links(
        Figure.objects.filter(rating__in=ratings)
    )


def rating_items(page: Element) -> dict[str, Element]:
    """A framework page's "How it rates" list: criterion name -> its list item."""
    heading = page.by_id("ratings")
    assert heading is not None
    items = {}
    for item in heading.next_sibling("ul").children:
        items[item.find("h3").clean_text.split(":")[0]] = item
    return items


# --- footnotes


def test_framework_page_lists_every_fact_and_rating_source(seeded, client):
    for framework in Framework.objects.published():
        notes = footnote_list(get_page(client, framework.get_absolute_url()))
        expected = links_of(framework.sources.all()) | evidence_of(framework.ratings.all())
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
            assert rating.verdict in verdict.clean_text
            assert cited_sources(verdict, notes) == links_of(rating.sources.all()), rating


def facts_range(page: Element) -> list[str]:
    """The footnote ids the facts box's one line of sources spans, from its first to its last."""
    facts = next(p for p in page.find_all("p", class_="meta") if "these facts" in p.text)
    ends = [a.attrs["href"].removeprefix("#source-") for a in facts.find_all("a")
            if a.attrs["href"].startswith("#source-")]  # fmt: skip
    first, last = int(ends[0]), int(ends[-1])
    return [f"source-{n}" for n in range(first, last + 1)]


def test_framework_page_gives_its_facts_sources_as_one_range(seeded, client):
    framework = Framework.objects.get(slug="django")
    page = get_page(client, framework.get_absolute_url())
    notes = footnote_list(page)
    spanned = facts_range(page)
    assert {notes[i] for i in spanned} == links_of(framework.sources.all())
    assert len(spanned) == len(links_of(framework.sources.all()))  # each source once


@pytest.mark.parametrize("slug", ["django", "flask", "fastapi"])
def test_the_facts_box_has_no_run_of_footnote_marks(seeded, client, slug):
    page = get_page(client, f"/frameworks/{slug}/")
    facts = next(p for p in page.find_all("p", class_="meta") if "these facts" in p.text)
    assert facts.find_all("sup", class_="cite") == []
    assert len(facts.find_all("a")) <= 3  # the first, the last and the Sources list


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
        assert rating.verdict in cell.clean_text
        assert cited_sources(cell, notes) == evidence_of([rating])
        seen.add((criterion_name, framework_name))
    assert seen == set(ratings)
    assert set(notes.values()) == evidence_of(ratings.values())


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
        [(source.url, source.title) for source in RatingSource.objects.all()]
        + [(figure.source_url, figure.source_title) for figure in Figure.objects.all()]
    ).most_common(1)[0][0]
    cited_by = [cell for *_, cell in cells(page, "compare-table") if notes_of(cell, notes, shared)]
    assert len(cited_by) >= 2
    numbers = {notes_of(cell, notes, shared) for cell in cited_by}
    assert len(numbers) == 1
    assert list(notes.values()).count(shared) == 1


def notes_of(cell: Element, notes: dict, source: tuple[str, str]) -> str | None:
    return next((i for i in markers(cell) if notes[i] == source), None)


def test_a_fact_source_that_also_backs_a_rating_keeps_one_number(seeded, client):
    framework = Framework.objects.get(slug="django")
    rating_links = links_of(RatingSource.objects.filter(rating__framework=framework))
    both = links_of(framework.sources.all()) & rating_links
    assert both, "the seed has a source backing both a fact and a rating"
    page = get_page(client, framework.get_absolute_url())
    notes = footnote_list(page)
    verdict_ids = {i for item in rating_items(page).values() for i in markers(item)}
    for source in both:
        (number,) = [i for i, note in notes.items() if note == source]
        assert number in facts_range(page)
        assert number in verdict_ids


# --- source links


def test_saving_a_framework_page_reads_no_source_per_cited_row(editor_client, opened_django_form):
    """A row whose address is unchanged is checked against the source read with it, and the
    history's rows name their sources read with them: no query per cited row (there were
    84 for the Django page's 30 facts' and 24 ratings' sources)."""
    django = Framework.objects.get(slug="django")
    assert FrameworkSource.objects.filter(framework=django).count() > 20
    data = opened_django_form()
    data["summary"] = "Saved again."
    with CaptureQueriesContext(connection) as captured:
        response = editor_client.post(change_url(django), data)
    assert response.status_code == 302, errors_of(response)
    reads = [query["sql"] for query in captured if 'FROM "comparisons_source"' in query["sql"]]
    assert len(reads) <= 2, reads


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
    assert not Source.objects.filter(title="A page").exists()


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
    assert not Source.objects.filter(title="A page").exists()


def test_admin_accepts_an_https_source(seeded, admin_client):
    """The check above refuses bad schemes, not every new row."""
    rating = Rating.objects.get(criterion__slug="performance", framework__slug="flask")
    data = read_form(admin_client.get(change_url(rating)), "rating_form")
    add_inline_row(data, "sources", title="A page", url="https://example.com/a", position="99")
    response = admin_client.post(change_url(rating), data)
    assert response.status_code == 302, errors_of(response)
    assert rating.sources.filter(source__url="https://example.com/a").exists()
    assert Source.objects.get(url="https://example.com/a").title == "A page"


@pytest.mark.parametrize("url", BAD_URLS)
def test_database_refuses_a_source_that_is_not_http(seeded, url):
    with pytest.raises(IntegrityError), transaction.atomic():
        Source.objects.create(title="T", url=url)
    assert not Source.objects.filter(url=url).exists()


# --- one source per address


def known_source() -> Source:
    """A source the seed cites for a rating."""
    return RatingSource.objects.select_related("source").first().source


def add_rating_source(client, rating, **fields):
    data = read_form(client.get(change_url(rating)), "rating_form")
    add_inline_row(data, "sources", position="99", **fields)
    row = int(data["sources-TOTAL_FORMS"]) - 1
    return client.post(change_url(rating), data), row


def uncited_rating(source: Source) -> Rating:
    return Rating.objects.exclude(sources__source=source).first()


def test_a_known_address_is_cited_with_its_title_and_no_new_source(seeded, admin_client):
    source = known_source()
    rating = uncited_rating(source)
    before = Source.objects.count()
    response, _ = add_rating_source(admin_client, rating, title="", url=source.url)
    assert response.status_code == 302, errors_of(response)
    assert Source.objects.count() == before
    assert rating.sources.get(source=source).title == source.title


def test_a_known_address_under_another_title_is_refused_naming_its_title(seeded, admin_client):
    source = known_source()
    rating = uncited_rating(source)
    response, row = add_rating_source(admin_client, rating, title="Another name", url=source.url)
    assert response.status_code == 200
    errors = errors_of(response)
    assert set(errors) == {f"sources-{row}-title"}, errors
    assert f"already cited as “{source.title}”" in " ".join(errors[f"sources-{row}-title"])
    assert not rating.sources.filter(source=source).exists()


def test_a_new_address_needs_its_title(seeded, admin_client):
    rating = Rating.objects.first()
    response, row = add_rating_source(admin_client, rating, title="", url="https://example.com/new")
    assert set(errors_of(response)) == {f"sources-{row}-title"}
    assert not Source.objects.filter(url="https://example.com/new").exists()


def test_one_address_twice_for_one_rating_is_an_error_on_the_second_row(seeded, admin_client):
    rating = Rating.objects.first()
    data = read_form(admin_client.get(change_url(rating)), "rating_form")
    for position in ("98", "99"):
        add_inline_row(
            data, "sources", title="Twice", url="https://example.com/twice", position=position
        )
    response = admin_client.post(change_url(rating), data)
    row = int(data["sources-TOTAL_FORMS"]) - 1
    errors = errors_of(response)
    assert set(errors) == {f"sources-{row}-url"}, errors
    assert "cited in another row above" in " ".join(errors[f"sources-{row}-url"])
    assert not Source.objects.filter(url="https://example.com/twice").exists()


def test_retitling_a_source_retitles_every_footnote_citing_it(seeded, admin_client, client):
    source = known_source()
    data = read_form(admin_client.get(change_url(source)), "source_form")
    data["title"] = "A retitled source"
    response = admin_client.post(change_url(source), data)
    assert response.status_code == 302, errors_of(response)
    notes = footnote_list(get_page(client, COMPARE))
    assert (source.url, "A retitled source") in notes.values()
    assert [url for url, _ in notes.values()].count(source.url) == 1


def test_every_page_lists_each_address_once(seeded, client):
    for url in [COMPARE, ARTICLE, "/frameworks/django/", "/frameworks/fastapi/"]:
        addresses = [address for address, _ in footnote_list(get_page(client, url)).values()]
        assert len(addresses) == len(set(addresses)), url


# --- the way back from a source to the text


SOURCED_PAGES = [COMPARE, ARTICLE, "/frameworks/django/"]


@pytest.mark.parametrize("url", SOURCED_PAGES)
def test_each_source_links_back_to_a_mark_that_cites_it(seeded, client, url):
    page = get_page(client, url)
    unmarked = facts_range(page) if url.startswith("/frameworks/") else []
    for item in page.by_id("sources").find_all("li"):
        (back,) = item.find_all("a", class_="back")
        mark = page.by_id(back.attrs["href"].removeprefix("#"))
        assert mark is not None, back.attrs["href"]
        if mark.tag == "h2":  # a fact's source that nothing else marks: back to the facts
            assert mark.attrs["id"] == "facts"
            assert item.attrs["id"] in unmarked
            continue
        assert mark.tag == "sup"
        assert "cite" in mark.classes
        assert mark.one("a").attrs["href"] == f"#{item.attrs['id']}"


@pytest.mark.parametrize("url", SOURCED_PAGES)
def test_only_the_first_mark_of_a_source_carries_the_id_to_come_back_to(seeded, client, url):
    page = get_page(client, url)
    marks = page.find_all("sup", class_="cite")
    first_seen, ids = set(), []
    for mark in marks:
        number = mark.one("a").attrs["href"].removeprefix("#source-")
        assert ("id" in mark.attrs) == (number not in first_seen), mark
        first_seen.add(number)
        ids += [mark.attrs["id"]] if "id" in mark.attrs else []
    assert len(ids) == len(set(ids)) == len(first_seen)
    if url in CITED_TWICE:
        assert len(marks) > len(ids)  # the repeated marks carry no id


# Pages on which the seeded content cites some source more than once.
CITED_TWICE = {COMPARE, "/frameworks/django/"}


def test_marks_are_counted_per_render_so_each_render_carries_the_ids():
    template = Template("{% load site %}{% cite first %}{% cite again %}")
    note = Footnote(number=4, title="A source", url="https://example.com/")
    context = {"first": [note], "again": [note]}
    expected = (
        '<sup class="cite" id="cite-4"><a href="#source-4">[4]</a></sup>'
        '<sup class="cite"><a href="#source-4">[4]</a></sup>'
    )
    assert template.render(Context(context)) == expected
    assert template.render(Context(context)) == expected


def test_marks_made_in_an_included_template_count_for_the_page():
    engine = Engine(
        libraries={"site": "core.templatetags.site"},
        loaders=[("django.template.loaders.locmem.Loader", {
            "page.html": '{% load site %}{% include "cell.html" %}{% cite notes %}',
            "cell.html": "{% load site %}{% cite notes %}",
        })],
    )  # fmt: skip
    note = Footnote(number=1, title="A source", url="https://example.com/")
    html = engine.get_template("page.html").render(Context({"notes": [note]}))
    assert html.count('id="cite-1"') == 1
    assert html.count('href="#source-1"') == 2
