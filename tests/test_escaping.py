"""Editors' text reaches the reader escaped exactly once: "&", "<", quotes and an already
escaped-looking "&amp;" show as typed, never as "&amp;amp;" or as markup.

Plain-text fields (tagline, verdict, names, the article's description) show exactly as typed.
Markdown fields (best for, summary) show as their rendering shows them: in Markdown "&amp;" is
the character reference for "&", so that is what the reader sees there, on every page alike.
Pages are read with the tests' HTML reader, which decodes character references once, as a
browser does.
"""

import csv
import io
import json

import pytest

from articles.models import Article
from comparisons.models import Framework, Rating
from core.markdown import render_markdown
from core.pages import ARTICLE, CHOOSE_ANSWER, OPEN_DATA, PUBLIC_PAGES
from core.templatetags.site import first_sentence
from tests.html import Element, get_page, parse
from tests.readers import cells, reasons_of

PLAIN_TEXTS = [
    "Small sites & JSON APIs",
    "a < b > c, \"double\" and 'single' quotes",
    "&amp; typed as is, &lt;b&gt; too",
    "<b>not bold</b> & <script>alert(1)</script>",
]
MARKDOWN_TEXTS = [
    "Small sites & JSON APIs. More in a second sentence.",
    "When a < b, \"double\" and 'single' quotes count. Then more.",
    "Already &amp; escaped &lt;b&gt; entities. And a second one.",
]
CARD_PAGES = {"home": PUBLIC_PAGES["home"], "frameworks": PUBLIC_PAGES["frameworks"]}
FLASK = PUBLIC_PAGES["flask"]
VERSUS = PUBLIC_PAGES["versus"]


def shown(markdown: str) -> str:
    """What a reader sees of this Markdown where it is rendered as Markdown."""
    return parse(render_markdown(markdown)).clean_text


def own_text(element: Element) -> str:
    """The element's own text, without that of its child elements (a citation mark, a badge)."""
    return " ".join("".join(c for c in element.contents if isinstance(c, str)).split())


def card(page: Element, slug: str = "flask") -> Element:
    (found,) = [
        item
        for item in page.find_all("li", class_="card")
        if item.find("a").attrs["href"] == f"/frameworks/{slug}/"
    ]
    return found


def meta(page: Element) -> dict[str, str]:
    """The page's <meta> texts by name or property."""
    return {
        tag.attrs.get("name") or tag.attrs.get("property"): tag.attrs.get("content", "")
        for tag in page.find_all("meta")
        if "content" in tag.attrs
    }


def update_flask(**fields) -> None:
    framework = Framework.objects.get(slug="flask")
    for name, value in fields.items():
        setattr(framework, name, value)
    framework.save()


# --- best for (Markdown)


@pytest.mark.parametrize("text", MARKDOWN_TEXTS)
@pytest.mark.parametrize("url", CARD_PAGES.values(), ids=CARD_PAGES.keys())
def test_best_for_on_a_card_shows_its_first_sentence_once_escaped(seeded, client, url, text):
    update_flask(best_for=text)
    best_for = card(get_page(client, url)).one("p", class_="best-for")
    assert best_for.clean_text == "Our advice: " + first_sentence(shown(text))
    assert "&amp;" not in best_for.clean_text


def test_the_reported_best_for_shows_its_ampersand(seeded, client):
    update_flask(best_for="Small sites & JSON APIs")
    page = get_page(client, "/")
    assert (
        card(page).one("p", class_="best-for").clean_text == "Our advice: Small sites & JSON APIs"
    )


@pytest.mark.parametrize("text", MARKDOWN_TEXTS)
def test_best_for_on_the_framework_page_and_the_pair(seeded, client, text):
    update_flask(best_for=text)
    page = get_page(client, FLASK)
    assert page.by_id("best-for").next_sibling("p").clean_text == shown(text)
    versus = get_page(client, VERSUS).one("section", aria_labelledby="flask-title")
    assert shown(text) in versus.clean_text


# --- summary (Markdown)


@pytest.mark.parametrize("text", MARKDOWN_TEXTS)
def test_summary_on_the_framework_page_and_the_article(seeded, client, text):
    update_flask(summary=text)
    page = get_page(client, FLASK)
    assert page.by_id("overview").next_sibling("p").clean_text == shown(text)
    article = get_page(client, ARTICLE).by_id("flask")
    assert shown(text) in article.clean_text


# --- tagline (plain text)


@pytest.mark.parametrize("text", PLAIN_TEXTS)
@pytest.mark.parametrize("url", CARD_PAGES.values(), ids=CARD_PAGES.keys())
def test_tagline_on_a_card(seeded, client, url, text):
    update_flask(tagline=text)
    taglines = [p.clean_text for p in card(get_page(client, url)).find_all("p")]
    assert text in taglines


@pytest.mark.parametrize("text", PLAIN_TEXTS)
def test_tagline_on_the_framework_page_and_in_its_meta_tags(seeded, client, text):
    update_flask(tagline=text)
    page = get_page(client, FLASK)
    assert page.one("p", class_="lede").clean_text == text
    tags = meta(page)
    assert tags["description"] == text
    assert tags["og:description"] == text
    assert tags["twitter:description"] == text
    assert page.find("script") is None


@pytest.mark.parametrize("text", PLAIN_TEXTS)
def test_tagline_on_the_pair(seeded, client, text):
    update_flask(tagline=text)
    section = get_page(client, VERSUS).one("section", aria_labelledby="flask-title")
    assert section.find("p").clean_text == text


# --- verdict (plain text)


def set_flask_verdicts(text: str) -> None:
    Rating.objects.filter(framework__slug="flask").update(verdict=text)
    Framework.objects.get(slug="flask").save()  # a new content version: pages render afresh


@pytest.mark.parametrize("text", PLAIN_TEXTS)
@pytest.mark.parametrize(
    ("url", "table_id"),
    [
        (PUBLIC_PAGES["compare"], "compare-table"),
        ("/compare/?fw=flask&fw=fastapi", "compare-table"),
        (VERSUS, "versus-table"),
        (ARTICLE, "article-table"),
    ],
)
def test_verdict_in_a_comparison_table(seeded, client, url, table_id, text):
    set_flask_verdicts(text)
    page = get_page(client, url)
    flask_cells = [cell for _, name, cell in cells(page, table_id) if name == "Flask"]
    assert flask_cells
    assert all(own_text(cell) == text for cell in flask_cells)


@pytest.mark.parametrize("text", PLAIN_TEXTS)
def test_verdict_on_the_framework_page(seeded, client, text):
    set_flask_verdicts(text)
    page = get_page(client, FLASK)
    ratings = page.by_id("ratings").next_sibling("ul").children
    assert ratings
    assert all(own_text(rating.find("p")) == text for rating in ratings)


@pytest.mark.parametrize("text", PLAIN_TEXTS)
def test_verdict_in_the_choose_answer(seeded, client, text):
    set_flask_verdicts(text)
    reasons = reasons_of(get_page(client, CHOOSE_ANSWER), "Flask")
    with_verdict = [reason for reason in reasons if f" {text}. (" in reason]
    assert with_verdict, reasons


@pytest.mark.parametrize("text", PLAIN_TEXTS)
def test_verdict_in_the_open_data_as_typed(seeded, client, text):
    set_flask_verdicts(text)
    data = json.loads(client.get(OPEN_DATA["data-json"]).content)
    assert {r["verdict"] for r in data["ratings"] if r["framework"] == "flask"} == {text}
    rows = csv.DictReader(io.StringIO(client.get(OPEN_DATA["data-csv"]).content.decode()))
    assert {row["verdict"] for row in rows if row["framework"] == "flask"} == {text}


# --- names and the article's description (plain text): titles, meta and og tags, chart, JSON-LD

NAME = 'Flask & "Co" <x> &amp;'


def test_a_name_in_the_title_og_tags_heading_and_chart(seeded, client):
    update_flask(name=NAME)
    page = get_page(client, FLASK)
    assert page.one("title").clean_text == f"{NAME}: pros, cons and use cases · Framework Guide"
    tags = meta(page)
    assert tags["og:title"] == f"{NAME}: pros, cons and use cases"
    assert tags["twitter:title"] == tags["og:title"]
    assert page.one("h1").clean_text == NAME
    compare = get_page(client, PUBLIC_PAGES["compare"])
    chart = compare.by_id("compare-chart")
    assert NAME in [cell.clean_text for cell in chart.find_all("td")]


@pytest.mark.parametrize("text", PLAIN_TEXTS)
def test_the_articles_description_on_home_and_article_and_in_meta_tags(seeded, client, text):
    Article.objects.filter(status=Article.Status.PUBLISHED).update(description=text)
    Framework.objects.get(slug="flask").save()  # a new content version
    home = get_page(client, "/")
    assert home.one("p", class_="lede").clean_text == text
    assert meta(home)["description"] == text
    article = get_page(client, ARTICLE)
    assert article.one("p", class_="lede").clean_text == text
    tags = meta(article)
    assert tags["description"] == tags["og:description"] == tags["twitter:description"] == text
    (json_ld,) = article.find_all("script", type="application/ld+json")
    assert json.loads(json_ld.text)["description"] == text
