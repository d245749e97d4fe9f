"""The benchmark's published run: every load of the last `make framework-bench --record`
(comparisons/data/benchmark.json and .csv, written by scripts/framework_bench.py, with the
JSON's schema beside them), served as open data at /data/benchmark.json and .csv, and read by
the methodology page for its tables, its plain-words translation and the method's changes.

No query: the files are the data. A missing or unreadable file is no published run (the page
says so and the data addresses answer 404).
"""

from __future__ import annotations

import datetime
import json
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from django.http import Http404, HttpRequest, HttpResponse
from django.views.decorators.http import require_safe

from core.templatetags.site import place_text

DATA_DIR = Path(__file__).parent / "data"
JSON_PATH = DATA_DIR / "benchmark.json"
CSV_PATH = DATA_DIR / "benchmark.csv"
SCHEMA_PATH = DATA_DIR / "benchmark.schema.json"
FRAMEWORKS = {"django": "Django", "flask": "Flask", "fastapi": "FastAPI"}

# The plain-words translation: a site with a million visits a month, at five pages a visit,
# with its busiest hour at ten times the month's average.
VISITS_A_MONTH = 1_000_000
PAGES_A_VISIT = 5
PEAK_TO_AVERAGE = 10
SECONDS_A_MONTH = 30 * 24 * 3600


@lru_cache(maxsize=2)
def _read(path: str, modified: float) -> dict | None:
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) else None


def published(path: Path | None = None) -> dict | None:
    """The published run, read once per change of the file; None without one."""
    path = JSON_PATH if path is None else path
    try:
        modified = path.stat().st_mtime
    except OSError:
        return None
    return _read(str(path), modified)


# --- what the methodology page shows ------------------------------------------------------------


@dataclass(frozen=True)
class Cell:
    text: str  # "1,234" or "3.1 / 14.2"
    rank: str = ""  # "1st", "=2nd"; blank where nothing is ranked


@dataclass(frozen=True)
class Row:
    label: str  # "GET /hello"
    about: str  # "a JSON hello, kept-alive connections"
    cells: list[Cell]
    mean: bool = False  # the row that decides


@dataclass(frozen=True)
class Setup:
    key: str
    title: str
    floor: str  # "7.3%"
    twin: str  # "granian/flask-twin against granian/flask"
    columns: list[tuple[str, str]]  # each framework's name and server
    rows: list[Row]
    latency: list[Row]


@dataclass(frozen=True)
class Translation:
    slowest: str  # a framework's name
    slowest_rate: str  # "1,050" pages a second
    fastest: str
    fastest_rate: str
    average: str  # pages a second over the month: "1.9"
    peak: str  # in the busiest hour: "19"
    share: str  # the busiest hour as a share of what the slowest served on one core: "2%"


@dataclass(frozen=True)
class Other:
    """A server the table leaves out: Django's minimal settings, its async views."""

    framework: str
    app: str
    server: str
    mean: int


@dataclass(frozen=True)
class Benchmark:
    measured_on: datetime.date
    machine: str
    load_before: str
    load_after: str
    settings: dict
    frameworks: list[str]  # the columns: framework names
    setups: list[Setup]
    others: list[Other]
    memory: list[tuple[str, str, str]]  # framework, MB per worker, start-up seconds (documented)
    fixed_rates: list[tuple[str, int]]
    translation: Translation | None
    changes: list[tuple[datetime.date, str]]


def _rank(rank: int, ranks: list[int]) -> str:
    return place_text(rank, ranks.count(rank) > 1)


def _ranked(values: dict[str, float], floor: float) -> dict[str, int]:
    """Ranks where more is better, values within the floor of their group's best tying (the
    rule framework_bench applies to its tables)."""
    order = sorted(values, key=lambda key: values[key], reverse=True)
    ranks: dict[str, int] = {}
    top = None
    for position, key in enumerate(order, start=1):
        best = values[top] if top is not None else 0
        if top is not None and best and (best - values[key]) / best <= floor:
            ranks[key] = ranks[top]
        else:
            top, ranks[key] = key, position
    return ranks


def _setup(data: dict, setup: dict, columns: list[str]) -> Setup | None:
    key = setup["key"]
    servers = {s["framework"]: s for s in data["servers"] if s["setup"] == key and s["recorded"]}
    if set(servers) != set(columns):
        return None
    floor = next((f for f in data["noise_floors"] if f["setup"] == key), None)
    relative = floor["relative"] if floor else 0.0
    keys = {servers[framework]["key"]: framework for framework in columns}
    rates = {
        (r["server"], r["endpoint"], r["keep_alive"]): r["rate"]
        for r in data["max_rate"]
        if r["server"] in keys
    }
    tasks = {e["label"]: e["task"] for e in data["endpoints"]}
    rows = []
    for kept_alive in (True, False):
        for label, task in tasks.items():
            values = {
                keys[server]: rate
                for (server, endpoint, kept), rate in rates.items()
                if endpoint == label and kept is kept_alive
            }
            if len(values) != len(columns):
                continue
            ranks = _ranked(values, relative)
            rank_list = list(ranks.values())
            rows.append(
                Row(
                    label,
                    f"{task}, {'kept-alive' if kept_alive else 'fresh'} connections",
                    [Cell(f"{values[f]:,.0f}", _rank(ranks[f], rank_list)) for f in columns],
                )
            )
    means = {keys[c["server"]]: c["value"] for c in data["composites"] if c["server"] in keys}
    if len(means) == len(columns):
        ranks = _ranked(means, relative)
        rows.append(
            Row(
                "All five tasks",
                "geometric mean, kept-alive connections",
                [Cell(f"{means[f]:,.0f}", _rank(ranks[f], list(ranks.values()))) for f in columns],
                mean=True,
            )
        )
    latency = []
    fixed = {r["endpoint"]: r["rate"] for r in data["fixed_rates"]}
    for label, task in tasks.items():
        found = {
            keys[r["server"]]: r
            for r in data["latency"]
            if r["server"] in keys and r["endpoint"] == label
        }
        if len(found) == len(columns) and label in fixed:
            latency.append(
                Row(
                    label,
                    f"{task}, {fixed[label]:,} a second",
                    [Cell(f"{found[f]['p50_ms']:.1f} / {found[f]['p99_ms']:.1f}") for f in columns],
                )
            )
    return Setup(
        key,
        setup["title"],
        f"{relative:.1%}",
        f"{floor['twin']} against {floor['of']}" if floor else "",
        [(FRAMEWORKS[f], servers[f]["server"]) for f in columns],
        rows,
        latency,
    )


def translation(data: dict) -> Translation | None:
    """What one core's template pages a second mean for a site with a million visits a month,
    from the documented setup (how a site is deployed), kept-alive connections."""
    pages = {
        r["framework"]: r["rate"]
        for r in data["max_rate"]
        if r["setup"] == "documented"
        and r["keep_alive"]
        and r["endpoint"].startswith("GET /page")
        and any(s["key"] == r["server"] and s["recorded"] for s in data["servers"])
    }
    if not pages or min(pages.values()) <= 0:
        return None
    slowest = min(pages, key=lambda f: pages[f])
    fastest = max(pages, key=lambda f: pages[f])
    average = VISITS_A_MONTH * PAGES_A_VISIT / SECONDS_A_MONTH
    peak = average * PEAK_TO_AVERAGE
    share = 100 * peak / pages[slowest]
    return Translation(
        FRAMEWORKS.get(slowest, slowest),
        f"{pages[slowest]:,.0f}",
        FRAMEWORKS.get(fastest, fastest),
        f"{pages[fastest]:,.0f}",
        f"{average:.1f}",
        f"{peak:,.0f}",
        f"{share:.0f}%" if share >= 1 else "less than 1%",
    )


def summary(data: dict | None = None) -> Benchmark | None:
    """The published run as the methodology page shows it; None without one (or with a file
    this code cannot read: the page then shows the method without numbers)."""
    data = published() if data is None else data
    if data is None:
        return None
    try:
        return _summary(data)
    except (KeyError, TypeError, ValueError):
        return None


def _summary(data: dict) -> Benchmark:
    columns = [f for f in FRAMEWORKS if any(s["framework"] == f for s in data["servers"])]
    setups = [found for s in data["setups"] if (found := _setup(data, s, columns)) is not None]
    means = {c["server"]: c["value"] for c in data["composites"]}
    others = [
        Other(FRAMEWORKS.get(s["framework"], s["framework"]), s["app"], s["server"],
              round(means[s["key"]]))
        for s in data["servers"]
        if not s["recorded"] and not s["twin_of"] and s["key"] in means
    ]  # fmt: skip
    memory = [
        (
            FRAMEWORKS[s["framework"]],
            f"{sum(s['rss_workers_mb']) / len(s['rss_workers_mb']):.0f}",
            f"{s['startup_s']:.1f}",
        )
        for s in data["servers"]
        if s["setup"] == "documented" and s["recorded"] and s["rss_workers_mb"]
    ]
    machine = data["machine"]
    return Benchmark(
        measured_on=datetime.date.fromisoformat(data["measured_on"]),
        machine=f"{machine['cores']} cores ({machine['cpu']})",
        load_before=", ".join(f"{v:.1f}" for v in machine["load_average_before"]),
        load_after=", ".join(f"{v:.1f}" for v in machine["load_average_after"]),
        settings=data["settings"],
        frameworks=[FRAMEWORKS[f] for f in columns],
        setups=setups,
        others=others,
        memory=memory,
        fixed_rates=[(r["endpoint"], r["rate"]) for r in data["fixed_rates"]],
        translation=translation(data),
        changes=[
            (datetime.date.fromisoformat(c["date"]), c["change"]) for c in data["method_changes"]
        ],
    )


# --- the open data ------------------------------------------------------------------------------


def _served(path: Path, content_type: str, filename: str = "") -> HttpResponse:
    try:
        content = path.read_bytes()
    except OSError:
        raise Http404("No benchmark has been published.") from None
    response = HttpResponse(content, content_type=content_type)
    if filename:
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Access-Control-Allow-Origin"] = "*"
    response["Cross-Origin-Resource-Policy"] = "cross-origin"  # open data: any site may fetch it
    return response


@require_safe
def benchmark_json(request: HttpRequest) -> HttpResponse:
    return _served(JSON_PATH, "application/json")


@require_safe
def benchmark_csv(request: HttpRequest) -> HttpResponse:
    return _served(CSV_PATH, "text/csv; charset=utf-8", "framework-guide-benchmark.csv")


@require_safe
def benchmark_schema(request: HttpRequest) -> HttpResponse:
    return _served(SCHEMA_PATH, "application/schema+json")
