"""Every public page makes a small, fixed number of queries and stays under one round trip.

A page's queries are counted with the page cache's generation already established: the first
request of a generation also asks the database when content next becomes visible by itself
(``core.cache.next_scheduled_change``), once per generation, not per page, so that query is
the page cache's, not the page's.
"""

import re

import brotli
import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext

import core.cache
from articles.models import Article
from codesamples.models import Sample, SampleApp, Task
from comparisons.models import (
    Correction,
    Criterion,
    Figure,
    Framework,
    FrameworkSource,
    ProjectNeed,
    ProjectType,
    RatingSource,
)
from core.cache import one_content_change
from core.pages import (
    ANSWERED_PAGES,
    ARTICLE,
    BENCHMARK_DATA,
    FOR_MACHINES,
    OPEN_DATA,
    PUBLIC_PAGES,
)
from tests import factories
from tests.html import get_page

PAGES = [*PUBLIC_PAGES.values(), *ANSWERED_PAGES.values()]
FEEDS = list(FOR_MACHINES.values())
DATA = [*OPEN_DATA.values(), *BENCHMARK_DATA.values()]  # the benchmark's: files, no query
# One query per kind of row a page shows, fetched in plain sight (select_related,
# prefetch_related): the framework pages show nine (the frameworks, its pros and cons, use
# cases, corrections and facts' sources, every rating, its ratings' figures and sources, its
# code samples) and the guide nine. DESIGN.md said 8, which the pages met only with UNION
# queries building instances by hand; what matters is that the count is small and fixed.
MAX_QUERIES = 9
FIRST_ROUND_TRIP = 14 * 1024


def queries_for(client, url) -> int:
    """The page's own queries (the generation established first: see the docstring above)."""
    core.cache.generation()
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(captured)


def grow_content(frameworks=20, criteria=20) -> None:
    """20 more published frameworks and criteria, each framework rated on every criterion
    with a source and a figure, and with a sample app that has code for every task (20 more
    tasks too, some shown in full on framework pages). One content change, as the seed is,
    not one per row (1,500 fewer queries)."""
    with one_content_change():
        _grow_content(frameworks, criteria)


def _grow_content(frameworks: int, criteria: int) -> None:
    article = Article.objects.get()
    new_frameworks = [factories.framework() for _ in range(frameworks)]
    new_criteria = [factories.criterion() for _ in range(criteria)]
    project_type = ProjectType.objects.create(name="Anything", slug="anything", description="x")
    for framework in new_frameworks:
        pro = factories.procon(framework=framework, kind="pro")
        factories.procon(framework=framework, kind="con")
        project_type.use_cases.add(factories.use_case(framework=framework))
        FrameworkSource.objects.create(
            framework=framework, fact="Release", source=factories.source("https://example.com/r")
        )
        Correction.objects.create(framework=framework, procon=pro, original="Old", now="New")
    ratings = [
        factories.rating(criterion=criterion, framework=framework, rank=2)
        for criterion in new_criteria
        for framework in Framework.objects.all()
    ] + [
        factories.rating(criterion=criterion, framework=framework, rank=3)
        for framework in new_frameworks
        for criterion in Criterion.objects.filter(position__lt=100)
    ]
    RatingSource.objects.bulk_create(
        RatingSource(rating=rating, source=factories.source(f"https://example.com/{rating.pk}"))
        for rating in ratings
    )
    Figure.objects.bulk_create(
        Figure(
            rating=rating,
            measure="of those asked use it",
            value=rating.pk % 90,
            unit="%",
            method="a survey",
            as_of="2026-01-01",
            source_title="Survey",
            source_url="https://example.com/survey",
            direction="context",
        )
        for rating in ratings
    )
    article.frameworks.add(*new_frameworks)
    article.criteria.add(*new_criteria)
    for criterion in new_criteria:
        ProjectNeed.objects.create(project_type=project_type, criterion=criterion, weight=2)
    grow_samples(new_frameworks, tasks=criteria)


def grow_samples(new_frameworks, tasks=20) -> None:
    for n in range(tasks):
        Task.objects.create(
            slug=f"task-{n}", name=f"Task {n}", summary="It shows.", inline=n % 2, position=100 + n
        )
    apps = [
        SampleApp.objects.create(framework=framework, folder=f"samples/{framework.slug}")
        for framework in new_frameworks
    ]
    Sample.objects.bulk_create(
        Sample(app=app, task=task, position=position, path="app.py", code="x = 1\n")
        for app in SampleApp.objects.all()
        for task in Task.objects.filter(position__gte=100)
        for position in range(2)
    )
    Sample.objects.bulk_create(
        Sample(app=app, task=task, path="app.py", code="x = 1\n")
        for app in apps
        for task in Task.objects.filter(position__lt=100)
    )


@pytest.mark.parametrize("url", PAGES + FEEDS + DATA)
def test_page_stays_within_the_query_budget(seeded, client, django_assert_max_num_queries, url):
    core.cache.generation()
    with django_assert_max_num_queries(MAX_QUERIES):
        assert client.get(url).status_code == 200


def test_no_pages_query_count_grows_with_frameworks_and_criteria(seeded, client):
    """Every page counted, the content grown once (20 frameworks and criteria more, each
    with every kind of row), every page counted again: each count the same."""
    urls = PAGES + FEEDS + DATA
    before = {url: queries_for(client, url) for url in urls}
    frameworks, criteria = Framework.objects.published().count(), Criterion.objects.count()
    grow_content()
    assert Framework.objects.published().count() == frameworks + 20
    assert Criterion.objects.count() == criteria + 20
    after = {url: queries_for(client, url) for url in urls}
    assert {url: (before[url], after[url]) for url in urls if after[url] != before[url]} == {}


def test_grown_content_is_really_on_the_pages(seeded, client):
    """The growth above reaches the pages, so an unchanged count means something."""
    grow_content(frameworks=2, criteria=2)
    compare = client.get("/compare/").content.decode()
    article = client.get(ARTICLE).content.decode()
    for framework in Framework.objects.filter(position__gte=100):
        assert framework.name in compare
        assert framework.name in article
    for criterion in Criterion.objects.filter(position__gte=100):
        assert criterion.name in compare
        assert criterion.name in article
    code = client.get("/code/").content.decode()
    versus = client.get("/compare/django-vs-flask/").content.decode()
    for task in Task.objects.filter(position__gte=100):
        assert f'id="task-{task.slug}"' in code
        assert task.name in versus
    for framework in Framework.objects.filter(position__gte=100):
        assert f'id="{framework.slug}-task-0"' in code
        assert "Task 1" in client.get(framework.get_absolute_url()).content.decode()


def css_bytes() -> bytes:
    return (settings.BASE_DIR / "static" / "css" / "site.css").read_bytes()


MANIFEST = {"BACKEND": "django.contrib.staticfiles.storage.ManifestStaticFilesStorage"}


@pytest.fixture(scope="module")
def collected_static(tmp_path_factory):
    """The static files collected as a deployment collects them, under their hashed names
    (site.0123456789ab.css): a page names them so, a dozen bytes more each."""
    from django.core.management import call_command
    from django.test.utils import override_settings

    root = tmp_path_factory.mktemp("hashed-static")
    with override_settings(
        STATIC_ROOT=root, STORAGES={**settings.STORAGES, "staticfiles": MANIFEST}
    ):
        call_command("collectstatic", interactive=False, verbosity=0)
    return root


@pytest.mark.parametrize("url", PAGES)
def test_html_and_css_fit_in_the_first_round_trip(seeded, client, settings, collected_static, url):
    """As sent to a browser: the page as the site compresses it, naming the static files by
    their hashed names as deployed, and the stylesheet as WhiteNoise sends it (Brotli at its
    default quality, the .br file collectstatic writes)."""
    settings.STATIC_ROOT = collected_static
    settings.STORAGES = {**settings.STORAGES, "staticfiles": MANIFEST}
    response = client.get(url, headers={"Accept-Encoding": "br, gzip"})
    assert response["Content-Encoding"] == "br"
    assert re.search(
        rb'href="/static/css/site\.[0-9a-f]{12}\.css"', brotli.decompress(response.content)
    )
    size = len(response.content) + len(brotli.compress(css_bytes()))
    assert size < FIRST_ROUND_TRIP, f"{url}: {size} bytes on the wire"


def test_one_stylesheet_of_ours(seeded, client):
    sheets = [
        link.attrs["href"] for link in get_page(client, "/").find_all("link", rel="stylesheet")
    ]
    assert sheets == ["/static/css/site.css"]


@pytest.mark.parametrize("url", PAGES)
def test_no_script_but_json_ld(seeded, client, url):
    page = get_page(client, url)
    scripts = page.find_all("script")
    assert all(script.attrs.get("type") == "application/ld+json" for script in scripts), scripts
    handlers = [
        (e.tag, name) for e in page.descendants() for name in e.attrs if name.startswith("on")
    ]
    assert not handlers, "an event-handler attribute"
