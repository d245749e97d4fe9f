"""Bad input gets a clear answer: never a 500, and nothing a reader sent comes back unescaped."""

from datetime import timedelta
from urllib.parse import quote, urlencode

import pytest
from django.template.loader import get_template
from django.utils import timezone

from articles.models import Article
from comparisons.models import Criterion, Framework
from core.pages import ARTICLE, FOR_MACHINES, PUBLIC_PAGES
from tests import factories
from tests.html import parse

ALL_COLUMNS = ["Django", "Flask", "FastAPI"]
SCRIPT = "<script>alert(1)</script>"
ATTRIBUTE_BREAKOUT = '"><img src=x onerror=alert(1)>'


# --- what the pages show ------------------------------------------------------------------------


def h1(content) -> str:
    return parse(content).one("h1").text.strip()


def text(content: bytes) -> str:
    """All the text a reader sees, and every link target, as one string."""
    page = parse(content)
    hrefs = " ".join(e.attrs.get("href", "") for e in page.descendants())
    return f"{page.one('body').text} {hrefs}"


def table_columns(content: bytes) -> list[str]:
    """The framework columns of the comparison table on /compare/ (their linked names)."""
    return [
        a.text.strip() for a in parse(content).by_id("compare-table").one("thead").find_all("a")
    ]


def ignored_notice(content: bytes) -> list[str]:
    """The values named in the "Ignored" notice, as the reader reads them."""
    return [q.text for q in parse(content).find_all("q") if q.within("div", class_="notice")]


def tags(content: bytes) -> list[str]:
    return sorted(e.tag for e in parse(content).descendants())


# --- unknown and malformed addresses ------------------------------------------------------------


@pytest.mark.parametrize(
    "url",
    [
        "/frameworks/nope/",
        "/frameworks/Django/",
        "/articles/nope/",
        "/compare/nope-vs-django/",
        "/compare/django-vs-nope/",
        "/compare/nope-vs-nada/",
        "/compare/django-vs-django/",
        "/compare/-vs-/",
        "/compare/django-vs-/",
        "/compare/-vs-flask/",
        "/compare/vs/",
        "/compare/django-flask/",
        "/compare/django--vs-flask/",
        "/compare/django-vs--flask/",
        "/compare/django-vs-vs-flask/",
        "/compare/django-vs-flask-vs-fastapi/",
        "/compare/DJANGO-vs-flask/",
    ],
)
def test_unknown_address_is_the_sites_404_page(seeded, client, url):
    response = client.get(url)
    assert response.status_code == 404
    assert h1(response.content) == "Page not found"


def test_hostile_path_is_not_reflected_in_the_404_page(seeded, client):
    response = client.get(f"/frameworks/{quote(SCRIPT, safe='')}/")
    assert response.status_code == 404
    assert SCRIPT not in response.content.decode()
    assert not parse(response.content).find_all("script")


@pytest.mark.parametrize(
    ("url", "canonical"),
    [
        ("/compare/flask-vs-django/", "/compare/django-vs-flask/"),
        ("/compare/fastapi-vs-flask/", "/compare/flask-vs-fastapi/"),
        ("/compare/fastapi-vs-django/", "/compare/django-vs-fastapi/"),
    ],
)
def test_reversed_pair_redirects_permanently_to_the_canonical_order(seeded, client, url, canonical):
    response = client.get(url)
    assert response.status_code == 301
    assert response["Location"] == canonical


# --- /compare/ with odd query strings -----------------------------------------------------------


def qs(*pairs: tuple[str, str]) -> str:
    return urlencode(pairs)


ODD_QUERIES = {
    # id: (query string, values named in the "Ignored" notice, table columns)
    "unknown slug": (qs(("fw", "nope")), ["nope"], ALL_COLUMNS),
    "repeated valid value": (qs(("fw", "django"), ("fw", "django")), [], ["Django"]),
    "repeated unknown value": (qs(("fw", "nope"), ("fw", "nope")), ["nope"], ALL_COLUMNS),
    "empty value": ("fw=", [], ALL_COLUMNS),
    "blank value": ("fw=%20%20", [], ALL_COLUMNS),
    "no equals sign": ("fw", [], ALL_COLUMNS),
    "very long value": (qs(("fw", "x" * 5000)), ["x" * 40 + "…"], ALL_COLUMNS),
    "accented": ("fw=d%C3%A9j%C3%A0", ["déjà"], ALL_COLUMNS),
    "emoji": ("fw=%F0%9F%A6%84", ["🦄"], ALL_COLUMNS),
    "invalid utf-8": ("fw=%FF", ["\ufffd"], ALL_COLUMNS),
    "script tag": (qs(("fw", SCRIPT)), [SCRIPT], ALL_COLUMNS),
    "script tag unencoded": (f"fw={SCRIPT}", [SCRIPT], ALL_COLUMNS),
    "attribute breakout": (qs(("fw", ATTRIBUTE_BREAKOUT)), [ATTRIBUTE_BREAKOUT], ALL_COLUMNS),
    "unknown parameter": ("foo=bar", [], ALL_COLUMNS),
    "hostile parameter name": (qs((SCRIPT, "1")), [], ALL_COLUMNS),
    "valid and unknown": (qs(("fw", "django"), ("fw", "nope")), ["nope"], ["Django"]),
    "fw 500 times": (qs(*[("fw", "nope")] * 500), ["nope", "400 more values"], ALL_COLUMNS),
    "valid fw 500 times": (qs(*[("fw", "flask")] * 500), ["400 more values"], ["Flask"]),
}
odd_query = pytest.mark.parametrize(
    ("query", "ignored", "columns"), ODD_QUERIES.values(), ids=ODD_QUERIES.keys()
)


@odd_query
def test_compare_answers_odd_query_with_200_after_at_most_one_redirect(
    seeded, client, query, ignored, columns
):
    response = client.get(f"/compare/?{query}", follow=True)
    assert response.status_code == 200
    assert len(response.redirect_chain) <= 1


@odd_query
def test_compare_names_ignored_values_escaped_and_truncated(
    seeded, client, query, ignored, columns
):
    notice = ignored_notice(client.get(f"/compare/?{query}", follow=True).content)
    assert notice == ignored
    assert all(len(value) <= 41 for value in notice)


@odd_query
def test_compare_shows_the_valid_choices_or_every_framework(
    seeded, client, query, ignored, columns
):
    assert table_columns(client.get(f"/compare/?{query}", follow=True).content) == columns


@pytest.mark.parametrize(
    "hostile",
    [SCRIPT, ATTRIBUTE_BREAKOUT, "'><svg onload=alert(1)>", "</q></div><h1>Owned</h1>"],
)
def test_compare_does_not_reflect_markup_unescaped(seeded, client, hostile):
    response = client.get("/compare/", {"fw": hostile})
    assert response.status_code == 200
    assert hostile not in response.content.decode()
    # The hostile value adds no element: the page has the same elements as for a harmless one.
    assert tags(response.content) == tags(client.get("/compare/", {"fw": "nope"}).content)


def test_compare_with_too_many_values_is_the_sites_400_page(seeded, client, settings):
    query = qs(*[("fw", "django")] * (settings.DATA_UPLOAD_MAX_NUMBER_FIELDS + 1))
    response = client.get(f"/compare/?{query}")
    assert response.status_code == 400
    assert h1(response.content) == "Bad request"


# --- drafts and unpublished content -------------------------------------------------------------

DRAFT_TITLE = "Secret draft guide"
HIDDEN_NAME = "Hiddenframe"


@pytest.fixture
def draft(seeded):
    article = factories.article(title=DRAFT_TITLE, slug="secret-draft", status="draft")
    article.frameworks.set(Framework.objects.all())
    article.criteria.set(Criterion.objects.all())
    return article


@pytest.fixture
def hidden(seeded):
    """An unpublished framework, rated and attached to the seeded article like the others."""
    framework = factories.framework(name=HIDDEN_NAME, slug="hiddenframe", is_published=False)
    for criterion in Criterion.objects.all():
        factories.rating(framework=framework, criterion=criterion, rank=1)
    Article.objects.get(slug="django-flask-or-fastapi").frameworks.add(framework)
    return framework


@pytest.fixture(params=["draft article", "unpublished framework"])
def unpublished(request):
    """The address and heading of a page readers must not see yet."""
    if request.param == "draft article":
        article = request.getfixturevalue("draft")
        return article.get_absolute_url(), article.title
    framework = request.getfixturevalue("hidden")
    return framework.get_absolute_url(), framework.name


def test_unpublished_page_is_404_for_anonymous_readers(client, unpublished):
    url, _ = unpublished
    response = client.get(url)
    assert response.status_code == 404
    assert h1(response.content) == "Page not found"


def test_pair_with_an_unpublished_framework_is_404(client, hidden):
    assert client.get(f"/compare/django-vs-{hidden.slug}/").status_code == 404


@pytest.mark.parametrize("url", ["/", "/frameworks/", "/compare/", ARTICLE, "/frameworks/django/"])
def test_unpublished_content_is_absent_from_public_pages(client, draft, hidden, url):
    response = client.get(url)
    assert response.status_code == 200
    seen = text(response.content)
    for absent in (DRAFT_TITLE, draft.get_absolute_url(), HIDDEN_NAME, hidden.slug):
        assert absent not in seen


def test_staff_see_unpublished_page(staff_client, unpublished):
    url, heading = unpublished
    response = staff_client.get(url)
    assert response.status_code == 200
    assert h1(response.content) == heading


def test_staff_preview_shows_the_draft_banner(staff_client, unpublished):
    url, _ = unpublished
    banner = parse(staff_client.get(url)).one("p", class_="preview-banner")
    assert "Draft preview" in banner.text


def test_staff_preview_is_marked_noindex(staff_client, unpublished):
    url, _ = unpublished
    robots = parse(staff_client.get(url)).one("meta", name="robots")
    assert robots.attrs["content"] == "noindex"


def test_staff_preview_sends_x_robots_tag_noindex(staff_client, unpublished):
    url, _ = unpublished
    assert staff_client.get(url)["X-Robots-Tag"] == "noindex"


def test_staff_preview_is_private_and_never_stored(staff_client, unpublished):
    url, _ = unpublished
    directives = {d.strip() for d in staff_client.get(url)["Cache-Control"].split(",")}
    assert {"no-store", "private"} <= directives


@pytest.mark.parametrize("url", [ARTICLE, "/frameworks/django/"])
def test_published_page_is_no_preview_even_for_staff(staff_client, seeded, url):
    response = staff_client.get(url)
    assert not parse(response).find_all("p", class_="preview-banner")
    assert not parse(response).find_all("meta", name="robots")
    assert "X-Robots-Tag" not in response


@pytest.fixture
def scheduled(seeded):
    """Published, but with a publication date still to come: readers cannot see it yet."""
    return factories.article(
        title="Coming soon", status="published", published_at=timezone.now() + timedelta(days=7)
    )


def test_scheduled_article_is_404_for_anonymous_readers(client, scheduled):
    assert client.get(scheduled.get_absolute_url()).status_code == 404


def test_staff_view_of_scheduled_article_is_a_preview(staff_client, scheduled):
    response = staff_client.get(scheduled.get_absolute_url())
    assert response.status_code == 200
    assert parse(response).find_all("p", class_="preview-banner")
    assert response.get("X-Robots-Tag") == "noindex"
    assert "no-store" in response.get("Cache-Control", "")


# --- methods ------------------------------------------------------------------------------------


@pytest.mark.parametrize("url", [*PUBLIC_PAGES.values(), *FOR_MACHINES.values(), "/healthz"])
def test_head_answers_200_with_an_empty_body(seeded, client, url):
    assert client.get(url).status_code == 200
    response = client.head(url)
    assert response.status_code == 200
    assert response.content == b""


@pytest.mark.parametrize("url", [*PUBLIC_PAGES.values(), FOR_MACHINES["robots"]])
def test_post_to_a_page_is_405(seeded, client, url):
    response = client.post(url)
    assert response.status_code == 405
    assert {m.strip() for m in response["Allow"].split(",")} == {"GET", "HEAD"}


# --- bad Host header and the 500 page -----------------------------------------------------------


@pytest.mark.parametrize("url", ["/", ARTICLE, "/compare/"])
def test_bad_host_header_is_the_sites_400_page(seeded, client, url):
    response = client.get(url, HTTP_HOST="evil.example")
    assert response.status_code == 400
    assert h1(response.content) == "Bad request"


def test_bad_host_is_not_echoed_in_the_400_page(seeded, client):
    response = client.get("/", HTTP_HOST="evil.example")
    assert b"evil.example" not in response.content


def test_500_page_renders_without_a_request_or_the_database(db, django_assert_num_queries):
    with django_assert_num_queries(0):
        content = get_template("500.html").render()
    assert h1(content) == "Something went wrong"


# --- control characters (issue 27): the site's 400 page, on every database


@pytest.mark.parametrize(
    "url",
    [
        "/code/files/django/%00",
        "/frameworks/%00/",
        "/compare/?sort=%00",
        "/compare/?%00=1",
        "/choose/?building=json-api%0D%0A",
        "/frameworks/django/%1b[31m",
        "/compare/?fw=flask%C2%85",
    ],
)
def test_a_control_character_in_the_address_is_the_sites_400_page(seeded, client, url):
    response = client.get(url)
    assert response.status_code == 400
    assert "<html" in response.content.decode()


@pytest.mark.parametrize(
    "url",
    [
        "/admin/comparisons/framework/%00/change/",
        "/admin/comparisons/framework/1%00/change/",
        "/admin/comparisons/framework/?q=%00",
        "/admin/reports/report/%00/change/",
        "/admin/comparisons/framework/%00/history/",
    ],
)
def test_a_nul_in_an_admin_address_is_a_400_for_staff_too(seeded, editor_client, url):
    assert editor_client.get(url).status_code == 400
