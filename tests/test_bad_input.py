"""Bad input gets a clear answer: never a 500, and nothing a reader sent comes back unescaped."""

from dataclasses import dataclass
from datetime import timedelta
from html.parser import HTMLParser
from urllib.parse import quote, urlencode

import pytest
from django.template.loader import get_template
from django.utils import timezone

from articles.models import Article
from comparisons.models import Criterion, Framework
from tests import factories

ARTICLE = "/articles/django-flask-or-fastapi/"
PUBLIC_PAGES = [
    "/",
    ARTICLE,
    "/frameworks/",
    "/frameworks/django/",
    "/frameworks/flask/",
    "/frameworks/fastapi/",
    "/compare/",
    "/compare/django-vs-flask/",
]
ALL_COLUMNS = ["Django", "Flask", "FastAPI"]
SCRIPT = "<script>alert(1)</script>"
ATTRIBUTE_BREAKOUT = '"><img src=x onerror=alert(1)>'


# --- a tiny HTML collector ---------------------------------------------------------------------

VOID = {
    "area",
    "base",
    "br",
    "col",
    "embed",
    "hr",
    "img",
    "input",
    "link",
    "meta",
    "source",
    "track",
    "wbr",
}


@dataclass
class Element:
    tag: str
    attrs: dict[str, str | None]
    parent: "Element | None" = None
    text: str = ""

    def within(self, tag: str, **attrs: str) -> bool:
        """Whether some ancestor has this tag and these attribute values."""
        node = self.parent
        while node is not None:
            if node.tag == tag and all(node.attrs.get(k) == v for k, v in attrs.items()):
                return True
            node = node.parent
        return False


class Collector(HTMLParser):
    """Every element of a page, in document order, with its attributes, parent and text."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.elements: list[Element] = []
        self.open: list[Element] = []

    def handle_starttag(self, tag, attrs):
        element = Element(tag, dict(attrs), parent=self.open[-1] if self.open else None)
        self.elements.append(element)
        if tag not in VOID:
            self.open.append(element)

    def handle_startendtag(self, tag, attrs):
        self.elements.append(Element(tag, dict(attrs), parent=self.open[-1] if self.open else None))

    def handle_endtag(self, tag):
        for i in range(len(self.open) - 1, -1, -1):
            if self.open[i].tag == tag:
                del self.open[i:]
                return

    def handle_data(self, data):
        for element in self.open:
            element.text += data


def parse(content: bytes | str) -> list[Element]:
    collector = Collector()
    collector.feed(content.decode() if isinstance(content, bytes) else content)
    collector.close()
    return collector.elements


def find(elements: list[Element], tag: str, **attrs: str) -> list[Element]:
    return [
        e for e in elements if e.tag == tag and all(e.attrs.get(k) == v for k, v in attrs.items())
    ]


def h1(content: bytes | str) -> str:
    (heading,) = find(parse(content), "h1")
    return heading.text.strip()


def text(content: bytes) -> str:
    """All the text a reader sees, and every link target, as one string."""
    elements = parse(content)
    hrefs = " ".join(e.attrs.get("href") or "" for e in elements)
    body = next(e for e in elements if e.tag == "body")
    return f"{body.text} {hrefs}"


def table_columns(content: bytes) -> list[str]:
    """The framework columns of the comparison table on /compare/ (their linked names)."""
    return [
        a.text.strip()
        for a in find(parse(content), "a")
        if a.within("table", id="compare-table") and a.within("thead")
    ]


def ignored_notice(content: bytes) -> list[str]:
    """The values named in the "Ignored" notice, as the reader reads them."""
    return [q.text for q in find(parse(content), "q") if q.within("div", **{"class": "notice"})]


def tags(content: bytes) -> list[str]:
    return sorted(e.tag for e in parse(content))


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
    assert not find(parse(response.content), "script")


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
def test_compare_answers_odd_query_with_200(seeded, client, query, ignored, columns):
    assert client.get(f"/compare/?{query}").status_code == 200


@odd_query
def test_compare_names_ignored_values_escaped_and_truncated(
    seeded, client, query, ignored, columns
):
    notice = ignored_notice(client.get(f"/compare/?{query}").content)
    assert notice == ignored
    assert all(len(value) <= 41 for value in notice)


@odd_query
def test_compare_shows_the_valid_choices_or_every_framework(
    seeded, client, query, ignored, columns
):
    assert table_columns(client.get(f"/compare/?{query}").content) == columns


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


@pytest.fixture
def staff_client(client, django_user_model):
    editor = django_user_model.objects.create_user("editor", password="unused", is_staff=True)
    client.force_login(editor)
    return client


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
    elements = parse(staff_client.get(url).content)
    (banner,) = find(elements, "p", **{"class": "preview-banner"})
    assert "Draft preview" in banner.text


def test_staff_preview_is_marked_noindex(staff_client, unpublished):
    url, _ = unpublished
    (robots,) = find(parse(staff_client.get(url).content), "meta", name="robots")
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
    assert not find(parse(response.content), "p", **{"class": "preview-banner"})
    assert not find(parse(response.content), "meta", name="robots")
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
    assert find(parse(response.content), "p", **{"class": "preview-banner"})
    assert response.get("X-Robots-Tag") == "noindex"
    assert "no-store" in response.get("Cache-Control", "")


# --- methods ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "url", [*PUBLIC_PAGES, "/sitemap.xml", "/robots.txt", "/feed/", "/healthz"]
)
def test_head_answers_200_with_an_empty_body(seeded, client, url):
    assert client.get(url).status_code == 200
    response = client.head(url)
    assert response.status_code == 200
    assert response.content == b""


@pytest.mark.parametrize("url", [*PUBLIC_PAGES, "/robots.txt"])
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
