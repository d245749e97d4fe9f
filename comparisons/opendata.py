"""Open data: the comparison as versioned JSON (with a committed JSON Schema) and as CSV."""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

from django.db.models import Prefetch
from django.http import HttpResponse, JsonResponse
from django.urls import reverse
from django.views.decorators.http import require_safe

from comparisons import support
from comparisons.models import Criterion, Framework, FrameworkSource, Rating, RatingSource
from core.addresses import absolute_url
from core.models import ContentVersion

SCHEMA_PATH = Path(__file__).parent / "data" / "comparison.schema.json"
# 1.1: frameworks[].releases; 1.2: ratings[].figures; 1.3: frameworks[].support;
# 1.4: criteria[].basis; 1.5: benchmark (the raw data's links)
SCHEMA_VERSION = "1.5"
LICENCE = {
    "name": "CC BY 4.0",
    "url": "https://creativecommons.org/licenses/by/4.0/",
    "attribution": "Framework Guide",
}
CSV_COLUMNS = [
    "criterion", "criterion_name", "framework", "framework_name", "rank", "verdict", "note",
    "sources", "framework_last_reviewed", "figures", "criterion_basis",
]  # fmt: skip


# What a spreadsheet takes for the start of a formula (OWASP, "CSV Injection"): a cell of the
# CSV that begins with one of these is prefixed with a single quote, so it opens as text.
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
# Where a spreadsheet that splits on another separator (";" in German or French settings, or
# "," when the file is read whole) would start a new cell inside ours.
INNER_FORMULA = re.compile(r"([,;])(?=[=+\-@\t\r])")


def csv_cell(value):
    """A value as a CSV cell that no spreadsheet runs: text that could start a formula (an
    editor's verdict `=HYPERLINK(…)`, a name `@SUM(…)`), at its start or right after a "," or
    ";" (`Solid;=2+5;x`, for a reader that splits on ";"), gets a single quote before it, as
    OWASP advises; the writer quotes every cell. Numbers, dates and other text are left as they
    are. The JSON carries the text unchanged: it is not read by spreadsheets."""
    if not isinstance(value, str):
        return value
    value = INNER_FORMULA.sub(r"\1'", value)
    return "'" + value if value.startswith(FORMULA_TRIGGERS) else value


def _links(sources) -> list[dict]:
    return [{"title": source.title, "url": source.url} for source in sources]


def _absolute(link: str) -> str:
    """A link as the open data gives it: absolute (a page of this site gets SITE_URL)."""
    return absolute_url(link) if link.startswith("/") else link


def _number(value):
    return float(value) if value % 1 else int(value)


def figures(rating) -> list[dict]:
    return [
        {
            "measure": figure.measure,
            "value": _number(figure.value),
            "spread": _number(figure.spread),
            "unit": figure.unit,
            "text": figure.short_text,
            "method": figure.method,
            "as_of": figure.as_of.isoformat(),
            "direction": figure.direction,
            "source": {"title": figure.source_title, "url": _absolute(figure.source_url)},
        }
        for figure in rating.figures.all()
    ]


def figure_cell(figure: dict) -> str:
    """A figure in a CSV cell: "38% of surveyed developers use it (Survey 2024, as of …)"."""
    return f"{figure['text']} ({figure['source']['title']}, as of {figure['as_of']})"


def releases(framework) -> dict:
    """The release facts check_facts keeps, each with its page on the package index."""

    def release(version, requires_python, url, released=None) -> dict | None:
        if not version:
            return None
        return {
            "version": version,
            "released": released.isoformat() if released else None,
            "requires_python": requires_python,
            "source": url,
        }

    f = framework
    lts = release(f.lts_version, f.lts_requires_python, f.lts_pypi_url, f.lts_released)
    if lts is not None:
        until = f.lts_supported_until.isoformat() if f.lts_supported_until else None
        lts |= {"line": f.lts_line, "supported_until": until}
    return {
        "package": f.package or None,
        "latest": release(
            f.latest_version, f.latest_requires_python, f.pypi_url, f.latest_released
        ),
        "lts": lts,
    }


def comparison_data() -> dict:
    """Everything the table shows, for published frameworks: six queries in all (the page
    cache keeps what the JSON and CSV views make of it)."""
    frameworks = list(
        Framework.objects.published()
        .select_related("sample_app")  # the support panel: its sample's run on newest releases
        .prefetch_related(  # frameworks + their sources
            Prefetch("sources", queryset=FrameworkSource.objects.select_related("source"))
        )
    )
    criteria = list(Criterion.objects.all())
    ratings = list(
        Rating.objects.filter(framework__in=frameworks)
        .select_related("criterion", "framework")
        .prefetch_related(
            Prefetch("sources", queryset=RatingSource.objects.select_related("source")), "figures"
        )
        .order_by(
            "criterion__position", "criterion__name", "framework__position", "framework__name"
        )
    )
    changed_at = ContentVersion.last_changed()
    return {
        "schema_version": SCHEMA_VERSION,
        "licence": LICENCE,
        "last_updated": changed_at.isoformat(),
        "source": absolute_url("/"),
        "benchmark": {
            "method": absolute_url(reverse("comparisons:methodology") + "#benchmark"),
            "json": absolute_url(reverse("comparisons:benchmark_json")),
            "csv": absolute_url(reverse("comparisons:benchmark_csv")),
            "schema": absolute_url(reverse("comparisons:benchmark_schema")),
        },
        "frameworks": [
            {
                "slug": f.slug,
                "name": f.name,
                "url": absolute_url(f.get_absolute_url()),
                "category": f.category,
                "first_released": f.first_released,
                "creators": f.creators,
                "website": f.website,
                "repository": f.repository,
                "documentation": f.documentation,
                "notable_users": f.notable_users_list,
                "releases": releases(f),
                "support": support.open_data(f),
                "last_reviewed": f.last_reviewed.isoformat(),
                "sources": [
                    {"fact": s.fact, "title": s.title, "url": s.url} for s in f.sources.all()
                ],
            }
            for f in frameworks
        ],
        "criteria": [
            {
                "slug": c.slug,
                "name": c.name,
                "description": c.description,
                "basis": c.basis,
                "position": c.position,
            }
            for c in criteria
        ],
        "ratings": [
            {
                "criterion": r.criterion.slug,
                "framework": r.framework.slug,
                "rank": r.rank,
                "verdict": r.verdict,
                "note": r.note,
                "sources": _links(r.sources.all()),
                "figures": figures(r),
            }
            for r in ratings
        ],
    }


@require_safe
def comparison_json(request):
    response = JsonResponse(
        comparison_data(), json_dumps_params={"ensure_ascii": False, "indent": 2}
    )
    response["Access-Control-Allow-Origin"] = "*"
    response["Cross-Origin-Resource-Policy"] = "cross-origin"  # open data: any site may fetch it
    return response


@require_safe
def comparison_csv(request):
    data = comparison_data()
    reviewed = {f["slug"]: f["last_reviewed"] for f in data["frameworks"]}
    names = {f["slug"]: f["name"] for f in data["frameworks"]}
    criterion_names = {c["slug"]: c["name"] for c in data["criteria"]}
    bases = {c["slug"]: c["basis"] for c in data["criteria"]}
    buffer = io.StringIO()
    writer = csv.writer(buffer, quoting=csv.QUOTE_ALL)
    writer.writerow(CSV_COLUMNS)
    for rating in data["ratings"]:
        row = [
            rating["criterion"],
            criterion_names[rating["criterion"]],
            rating["framework"],
            names[rating["framework"]],
            rating["rank"],
            rating["verdict"],
            rating["note"],
            " | ".join(source["url"] for source in rating["sources"]),
            reviewed[rating["framework"]],
            " | ".join(figure_cell(figure) for figure in rating["figures"]),
            bases[rating["criterion"]],
        ]
        writer.writerow([csv_cell(value) for value in row])  # every cell, editor text or not
    response = HttpResponse(buffer.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="framework-guide-comparison.csv"'
    response["Access-Control-Allow-Origin"] = "*"
    response["Cross-Origin-Resource-Policy"] = "cross-origin"
    return response


@require_safe
def comparison_schema(request):
    response = HttpResponse(SCHEMA_PATH.read_bytes(), content_type="application/schema+json")
    response["Access-Control-Allow-Origin"] = "*"
    response["Cross-Origin-Resource-Policy"] = "cross-origin"
    return response
