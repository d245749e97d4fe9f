"""What search engines and feed readers get: <head> metadata, JSON-LD, sitemap, robots, feed.

Every check parses the response (HTML with tests/html.py, XML with
ElementTree) instead of grepping it, so attribute order and escaping do not matter.
"""

import json
import xml.etree.ElementTree as ET
from datetime import datetime
from urllib.parse import urlsplit

import pytest
from django.conf import settings
from django.contrib.staticfiles import finders

from articles.models import Article
from comparisons.models import Framework
from core.pages import ARTICLE, PUBLIC_PAGES
from tests import factories
from tests.html import Element, get_page, parse

BASE = settings.SITE_URL  # absolute URLs never come from the request (Host: testserver)
HOSTILE_TITLE = "Pick one </script><script>alert(1)</script> & done"
SITEMAP_NS = {"sm": "http://www.sitemaps.org/schemas/sitemap/0.9"}
ATOM_NS = {"atom": "http://www.w3.org/2005/Atom"}


# --- reading the responses ----------------------------------------------------------------


def meta(page: Element, **attrs: str) -> str:
    """The content of the one <meta> with these attributes (name= or property=)."""
    return page.one("meta", **attrs).attrs.get("content", "")


def xml(content: bytes) -> ET.Element:
    """Parse XML the site itself produced (the sitemap and the feed): trusted input."""
    return ET.fromstring(content)  # noqa: S314 -- our own response, not untrusted data


def is_absolute_http(url: str) -> bool:
    parts = urlsplit(url)
    return parts.scheme in {"http", "https"} and bool(parts.netloc)


# --- every public page: title, description, canonical, social cards, h1 -----------------------


@pytest.mark.parametrize("url", PUBLIC_PAGES.values())
def test_page_has_one_non_empty_title(seeded, client, url):
    title = get_page(client, url).one("title")
    assert title.text.strip()


def test_titles_are_distinct_across_public_pages(seeded, client):
    titles = [get_page(client, url).one("title").text.strip() for url in PUBLIC_PAGES.values()]
    assert len(set(titles)) == len(titles), titles


@pytest.mark.parametrize("url", PUBLIC_PAGES.values())
def test_page_has_one_non_empty_meta_description(seeded, client, url):
    assert meta(get_page(client, url), name="description").strip()


@pytest.mark.parametrize("url", PUBLIC_PAGES.values())
def test_page_canonical_is_its_own_absolute_url(seeded, client, url):
    canonical = get_page(client, url).one("link", rel="canonical")
    assert canonical.attrs["href"] == BASE + url


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("/compare/?fw=django&fw=flask", f"{BASE}/compare/"),
        (f"{ARTICLE}?utm_source=newsletter", f"{BASE}{ARTICLE}"),
    ],
)
def test_canonical_drops_the_query_string(seeded, client, url, expected):
    response = client.get(url, follow=True)  # a tracking parameter is redirected away first
    canonical = parse(response).one("link", rel="canonical")
    assert canonical.attrs["href"] == expected


@pytest.mark.parametrize("url", PUBLIC_PAGES.values())
def test_page_has_open_graph_title_description_and_type(seeded, client, url):
    page = get_page(client, url)
    assert meta(page, property="og:title").strip()
    assert meta(page, property="og:description").strip()
    assert meta(page, property="og:type") in {"website", "article"}


@pytest.mark.parametrize("url", PUBLIC_PAGES.values())
def test_page_open_graph_url_is_the_canonical_url(seeded, client, url):
    page = get_page(client, url)
    assert meta(page, property="og:url") == BASE + url
    assert meta(page, property="og:url") == page.one("link", rel="canonical").attrs["href"]


@pytest.mark.parametrize("url", PUBLIC_PAGES.values())
def test_page_open_graph_image_is_absolute(seeded, client, url):
    assert is_absolute_http(meta(get_page(client, url), property="og:image"))


def test_share_image_is_a_real_static_file(seeded, client):
    image = meta(get_page(client, "/"), property="og:image")
    assert image.startswith(f"{BASE}/static/")
    assert finders.find(urlsplit(image).path.removeprefix("/static/")) is not None


@pytest.mark.parametrize("url", PUBLIC_PAGES.values())
def test_page_has_twitter_large_image_card(seeded, client, url):
    page = get_page(client, url)
    assert meta(page, name="twitter:card") == "summary_large_image"
    assert meta(page, name="twitter:title").strip()
    assert is_absolute_http(meta(page, name="twitter:image"))


@pytest.mark.parametrize("url", PUBLIC_PAGES.values())
def test_page_has_exactly_one_h1(seeded, client, url):
    assert get_page(client, url).one("h1").text.strip()


@pytest.mark.parametrize("url", PUBLIC_PAGES.values())
def test_page_links_the_guides_atom_feed(seeded, client, url):
    links = get_page(client, url).find_all("link", rel="alternate", type="application/atom+xml")
    paths = [urlsplit(link.attrs["href"]).path for link in links]
    assert "/feed/" in paths
    for path in paths:
        feed = client.get(path)
        assert feed.status_code == 200
        assert xml(feed.content).tag == "{http://www.w3.org/2005/Atom}feed"


# --- the article page: og:type and JSON-LD ------------------------------------------------------


def json_ld(page: Element) -> dict:
    return json.loads(page.one("script", type="application/ld+json").text)


def test_article_page_open_graph_type_is_article(seeded, client):
    assert meta(get_page(client, ARTICLE), property="og:type") == "article"


def test_article_json_ld_is_a_schema_org_article(seeded, client):
    data = json_ld(get_page(client, ARTICLE))
    assert data["@context"] == "https://schema.org"
    assert data["@type"] == "Article"


def test_article_json_ld_headline_and_description_are_title_and_lede(seeded, client):
    article = Article.objects.get(slug="django-flask-or-fastapi")
    data = json_ld(get_page(client, ARTICLE))
    assert data["headline"] == article.title
    assert data["description"] == article.description


def test_article_json_ld_dates_are_iso_datetimes_from_the_database(seeded, client):
    article = Article.objects.get(slug="django-flask-or-fastapi")
    data = json_ld(get_page(client, ARTICLE))
    published = datetime.fromisoformat(data["datePublished"])
    modified = datetime.fromisoformat(data["dateModified"])
    assert published.tzinfo is not None
    assert modified.tzinfo is not None
    assert published == article.published_at
    assert modified == article.updated_at


def test_article_json_ld_url_is_the_canonical_url(seeded, client):
    page = get_page(client, ARTICLE)
    assert json_ld(page)["url"] == page.one("link", rel="canonical").attrs["href"]


def test_hostile_title_does_not_close_the_json_ld_element(db, client):
    article = factories.article(title=HOSTILE_TITLE)
    page = get_page(client, article.get_absolute_url())
    scripts = page.find_all("script")
    assert len(scripts) == 1
    assert scripts[0].attrs.get("type") == "application/ld+json"


def test_hostile_title_round_trips_through_json_ld(db, client):
    article = factories.article(title=HOSTILE_TITLE)
    page = get_page(client, article.get_absolute_url())
    assert json_ld(page)["headline"] == HOSTILE_TITLE
    assert page.one("h1").text == HOSTILE_TITLE


# --- /sitemap.xml -------------------------------------------------------------------------------


def sitemap_entries(client) -> list[ET.Element]:
    response = client.get("/sitemap.xml")
    assert response.status_code == 200
    root = xml(response.content)
    assert root.tag == "{http://www.sitemaps.org/schemas/sitemap/0.9}urlset"
    return root.findall("sm:url", SITEMAP_NS)


def sitemap_locations(client) -> list[str]:
    return [entry.findtext("sm:loc", namespaces=SITEMAP_NS) for entry in sitemap_entries(client)]


def test_sitemap_lists_every_public_page_once(seeded, client):
    expected = {
        f"{BASE}/",
        f"{BASE}/frameworks/",
        f"{BASE}/compare/",
        f"{BASE}/choose/",
        f"{BASE}/methodology/",
        f"{BASE}/code/",
        f"{BASE}{ARTICLE}",
        f"{BASE}/frameworks/django/",
        f"{BASE}/frameworks/flask/",
        f"{BASE}/frameworks/fastapi/",
        f"{BASE}/compare/django-vs-flask/",
        f"{BASE}/compare/django-vs-fastapi/",
        f"{BASE}/compare/flask-vs-fastapi/",
    }
    locations = sitemap_locations(client)
    assert len(locations) == len(set(locations))
    assert set(locations) == expected


def test_sitemap_pairs_are_in_canonical_order_only(seeded, client):
    locations = sitemap_locations(client)
    for reversed_pair in ("flask-vs-django", "fastapi-vs-django", "fastapi-vs-flask"):
        assert f"{BASE}/compare/{reversed_pair}/" not in locations


def test_sitemap_entry_locations_answer_200(seeded, client):
    for location in sitemap_locations(client):
        assert client.get(urlsplit(location).path).status_code == 200, location


def test_every_sitemap_entry_has_an_iso_lastmod(seeded, client):
    for entry in sitemap_entries(client):
        lastmod = entry.findtext("sm:lastmod", namespaces=SITEMAP_NS)
        assert lastmod, entry.findtext("sm:loc", namespaces=SITEMAP_NS)
        datetime.fromisoformat(lastmod)


def test_sitemap_omits_an_unpublished_framework_and_its_pairs(seeded, client):
    hidden = factories.framework(is_published=False)
    locations = sitemap_locations(client)
    assert not [location for location in locations if hidden.slug in location]


def test_sitemap_omits_a_draft_article(seeded, client):
    draft = factories.article(status=Article.Status.DRAFT)
    assert f"{BASE}{draft.get_absolute_url()}" not in sitemap_locations(client)


def test_sitemap_lists_a_newly_published_framework(seeded, client):
    shown = factories.framework()
    assert f"{BASE}{shown.get_absolute_url()}" in sitemap_locations(client)
    assert f"{BASE}{Framework.objects.get(slug='django').versus_url(shown)}" in (
        sitemap_locations(client)
    )


# --- /robots.txt --------------------------------------------------------------------------------


def robots_lines(client) -> list[str]:
    response = client.get("/robots.txt")
    assert response.status_code == 200
    return [line.strip() for line in response.content.decode().splitlines()]


def test_robots_txt_is_plain_text(db, client):
    assert client.get("/robots.txt")["Content-Type"].startswith("text/plain")


def test_robots_txt_disallows_the_admin(db, client):
    assert "Disallow: /admin/" in robots_lines(client)


def test_robots_txt_points_at_the_absolute_sitemap(db, client):
    assert f"Sitemap: {BASE}/sitemap.xml" in robots_lines(client)


# --- /feed/ -------------------------------------------------------------------------------------


def feed_root(client) -> ET.Element:
    response = client.get("/feed/")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    return xml(response.content)


def feed_entries(client) -> dict[str, str]:
    """Each entry's alternate link, mapped to its title."""
    entries = {}
    for entry in feed_root(client).findall("atom:entry", ATOM_NS):
        link = entry.find("atom:link", ATOM_NS)
        entries[link.get("href")] = entry.findtext("atom:title", namespaces=ATOM_NS)
    return entries


def test_feed_is_an_atom_feed(seeded, client):
    assert feed_root(client).tag == "{http://www.w3.org/2005/Atom}feed"


def test_feed_lists_the_published_article_with_its_title_and_link(seeded, client):
    article = Article.objects.get(slug="django-flask-or-fastapi")
    assert feed_entries(client) == {f"{BASE}{ARTICLE}": article.title}


def test_feed_omits_a_draft_article(seeded, client):
    draft = factories.article(status=Article.Status.DRAFT)
    entries = feed_entries(client)
    assert f"{BASE}{draft.get_absolute_url()}" not in entries
    assert draft.title not in entries.values()
