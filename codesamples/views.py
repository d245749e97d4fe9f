from typing import TypedDict

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from codesamples.models import Sample, SampleApp, Task, path_problem
from codesamples.tables import Row, published_apps, rows_for
from comparisons.lineup import Lineup


class IndexPage(TypedDict):
    apps: list[SampleApp]  # the published frameworks' samples, in display order
    rows: list[Row]  # a task each
    names: str  # the frameworks, as a sentence names them


@require_safe
def index(request: HttpRequest) -> HttpResponse:
    """Every task, each published framework's code side by side, as CI tests it."""
    return render(request, "codesamples/index.html", index_page())


def index_page() -> IndexPage:
    apps = published_apps()
    rows = rows_for(apps, list(Task.objects.all()))
    return {
        "apps": apps,
        "rows": rows,
        "names": names([app.framework.name for app in apps]),
    }


def names(words: list[str]) -> str:
    """ "A, B and C": the frameworks named as a sentence names them (as comparisons.lineup
    names the published ones)."""
    return Lineup(tuple(words)).and_list or "each framework"


@require_safe
def sample_file(request: HttpRequest, framework: str, path: str) -> HttpResponse:
    """A sample's whole file, as plain text: only a file a published sample shows code from,
    and only from inside that sample's folder of samples/, however the path is spelt ("..",
    percent-encoded, absolute, a backslash, a symbolic link leading out: 404)."""
    if path_problem(path):  # before the database: PostgreSQL refuses a NUL in a query
        raise Http404("No such sample file.")
    sample = (
        Sample.objects.filter(
            app__framework__slug=framework, app__framework__is_published=True, path=path
        )
        .select_related("app")
        .first()
    )
    file = sample.app.file(sample.path) if sample is not None else None
    if file is None:
        raise Http404("No such sample file.")
    return HttpResponse(file.read_bytes(), content_type="text/plain; charset=utf-8")
