"""The Atom feeds as a feed reader reads them: plain text arrives as text, never as markup.

A reader parses the XML, then parses an html-typed <summary> as HTML; a <title> (no type) is
text. Whatever an editor typed in a plain-text field (the article's description, a title, what
the original article said) must come out of both steps as the same characters.
"""

import xml.etree.ElementTree as ET

import pytest

from articles.models import Article
from comparisons.models import Correction, Framework
from tests.html import parse

ATOM = {"atom": "http://www.w3.org/2005/Atom"}

PLAIN_TEXTS = [
    "<script>alert('feed')</script> Read on.",
    "Small sites & JSON APIs",
    "Why <b>bold</b> claims need sources",
    "Escaped already: &amp; &lt;b&gt; stays as typed",
    "Quotes \"double\" and 'single', a < b > c",
]


def feed_entries(client, url) -> list[ET.Element]:
    response = client.get(url)
    assert response.status_code == 200
    root = ET.fromstring(response.content)  # noqa: S314 -- the site's own output
    return root.findall("atom:entry", ATOM)


def as_reader_sees(element: ET.Element):
    """The element's content as a feed reader shows it: (the text, the parsed HTML or None)."""
    kind = element.get("type", "text")
    assert kind in {"text", "html"}, kind
    if kind == "text":
        return element.text or "", None
    document = parse(element.text or "")
    return document.text, document


@pytest.mark.parametrize("text", PLAIN_TEXTS)
def test_an_articles_description_reaches_the_feed_reader_as_text(seeded, client, text):
    article = Article.objects.published().get()
    Article.objects.filter(pk=article.pk).update(description=text)
    (entry,) = feed_entries(client, "/feed/")
    shown, html = as_reader_sees(entry.find("atom:summary", ATOM))
    assert shown == text
    if html is not None:
        assert html.find("script") is None
        assert html.find("b") is None


@pytest.mark.parametrize("text", PLAIN_TEXTS)
def test_an_articles_title_reaches_the_feed_reader_as_text(seeded, client, text):
    article = Article.objects.published().get()
    Article.objects.filter(pk=article.pk).update(title=text)
    (entry,) = feed_entries(client, "/feed/")
    shown, html = as_reader_sees(entry.find("atom:title", ATOM))
    assert shown == text
    assert html is None or html.find("script") is None


@pytest.mark.parametrize("text", PLAIN_TEXTS)
def test_a_corrections_title_reaches_the_feed_reader_as_text(seeded, client, text):
    Correction.objects.create(
        framework=Framework.objects.get(slug="django"), original=text, now="It is not."
    )
    titles = [
        as_reader_sees(entry.find("atom:title", ATOM))[0]
        for entry in feed_entries(client, "/feed/corrections/")
    ]
    assert f"Django: {text}" in titles


def test_a_corrections_summary_is_its_sanitised_markdown_as_html(seeded, client):
    Correction.objects.create(
        framework=Framework.objects.get(slug="django"),
        original="Sanitised summary",
        now="It is **bold** & <script>alert(1)</script>plain, a < b.",
    )
    (entry,) = [
        entry
        for entry in feed_entries(client, "/feed/corrections/")
        if entry.findtext("atom:title", namespaces=ATOM) == "Django: Sanitised summary"
    ]
    shown, html = as_reader_sees(entry.find("atom:summary", ATOM))
    assert html is not None
    assert html.find("script") is None
    assert html.one("strong").text == "bold"
    assert " ".join(shown.split()) == "It is bold & plain, a < b."
