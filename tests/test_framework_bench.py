"""`make framework-bench` (scripts/framework_bench.py, scripts/openloop.py), without real
servers or real loads: reading wrk's and the fixed-rate client's output, the statistics and the
noise rule (a gap inside the A/A floor is a tie), the raw data against its schema, recording
the figures through the fixtures with the raw data beside them (all or nothing), and the one
line a failed step prints."""

import asyncio
import csv
import datetime
import filecmp
import io
import json
import shutil
import sqlite3
import sys
import threading
from decimal import Decimal
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from django.conf import settings
from jsonschema import Draft202012Validator

from comparisons import helper
from comparisons.evidence import criterion_conflicts
from comparisons.models import Criterion, Figure, Framework, Rating
from comparisons.tables import build_table

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "scripts"))  # the scripts import each other by name
import framework_bench as bench  # noqa: E402
import openloop  # noqa: E402
import wrk  # noqa: E402

WRK_OUTPUT = Path(__file__).parent / "data" / "wrk"
# How often a test's HTTP server looks for shutdown() (the standard library's 0.5 s made each
# test that stops one wait half a second).
POLL = 0.02
SCHEMA = json.loads((ROOT / "comparisons" / "data" / "benchmark.schema.json").read_text())
TODAY = datetime.date(2026, 12, 7)
SETTINGS = bench.Settings(rounds=3, seconds=2, workers=2, connections=16)
MACHINE = bench.Machine(TODAY, cores=2, pinned=True, wrk_version="4.1.0", cpu="Xeon",
                        kernel="6.1", python="3.11.7", load_before=(7.5, 7.0, 6.9),
                        load_after=(8.1, 7.4, 7.0))  # fmt: skip
METHOD_URL = "/methodology/#benchmark"


def result(rate, p50=1.0, p99=2.0, errors=0):
    return wrk.Result(rate=rate, p50_ms=p50, p99_ms=p99, errors=errors, requests=int(rate))


# --- wrk's output -------------------------------------------------------------------------------


def test_wrk_output_is_read_rate_latency_and_requests():
    read = wrk.parse((WRK_OUTPUT / "hello.txt").read_text())
    assert read == wrk.Result(rate=1903.96, p50_ms=8.37, p99_ms=25.16, errors=0, requests=3816)


def test_non_2xx_answers_count_as_errors():
    assert wrk.parse((WRK_OUTPUT / "non2xx.txt").read_text()).errors == 1863


def test_socket_errors_count_as_errors():
    text = (
        (WRK_OUTPUT / "hello.txt")
        .read_text()
        .replace(
            "Requests/sec:", "  Socket errors: connect 2, read 3, write 0, timeout 4\nRequests/sec:"
        )
    )
    assert wrk.parse(text).errors == 9


@pytest.mark.parametrize(
    ("text", "ms"), [("812.00us", 0.812), ("8.37ms", 8.37), ("1.02s", 1020.0), ("2.00m", 120_000)]
)
def test_wrk_times_in_every_unit_become_milliseconds(text, ms):
    assert wrk.milliseconds(text) == pytest.approx(ms)


def test_output_without_a_latency_distribution_is_refused():
    text = (WRK_OUTPUT / "hello.txt").read_text().split("  Latency Distribution")[0]
    with pytest.raises(wrk.WrkError, match="--latency"):
        wrk.parse(text)


def test_a_post_is_a_lua_script_with_its_method_body_and_type():
    script = wrk.post_script('{"text": "it\'s"}')
    assert 'wrk.method = "POST"' in script
    assert 'wrk.body = \'{"text": "it\\\'s"}\'' in script
    assert 'wrk.headers["Content-Type"] = "application/json"' in script


def test_wrk_is_given_the_headers_and_the_script(monkeypatch):
    seen = {}

    def run(command, **kwargs):
        seen["command"] = command
        return type("Done", (), {"returncode": 0, "stdout": (WRK_OUTPUT / "hello.txt").read_text()})

    monkeypatch.setattr(wrk.subprocess, "run", run)
    wrk.run("http://x/notes", seconds=2, connections=16, headers={"Connection": "close"},
            script="/tmp/post.lua")  # fmt: skip
    command = seen["command"]
    assert command[command.index("-H") + 1] == "Connection: close"
    assert command[command.index("-s") + 1] == "/tmp/post.lua"


# --- the fixed-rate client ---------------------------------------------------------------------


OPENLOOP_LINE = (
    '{"rate": 400.0, "due": 1200, "answered": 1198, "errors": 2, "p50_ms": 3.1, '
    '"p99_ms": 14.25, "max_ms": 40.0, "late_p99_ms": 2.5}'
)


def test_the_clients_output_is_read():
    read = openloop.parse("some warning\n" + OPENLOOP_LINE + "\n")
    assert read == openloop.Result(rate=400.0, due=1200, answered=1198, errors=2, p50_ms=3.1,
                                   p99_ms=14.25, max_ms=40.0, late_p99_ms=2.5)  # fmt: skip
    assert read.achieved == pytest.approx(399.33, abs=0.01)


@pytest.mark.parametrize("output", ["", "Traceback (most recent call last):", '{"rate": 1}'])
def test_output_the_client_did_not_finish_is_refused(output):
    with pytest.raises(openloop.OpenLoopError):
        openloop.parse(output)


def test_percentiles_are_nearest_rank():
    values = [float(n) for n in range(1, 101)]
    assert openloop.percentile(values, 0.5) == 50
    assert openloop.percentile(values, 0.99) == 99
    assert openloop.percentile([], 0.99) == 0


class Answering(BaseHTTPRequestHandler):
    """Answers every request with `status`, chunked or with a length, kept alive or not."""

    protocol_version = "HTTP/1.1"
    status = 200
    chunked = False
    close = False
    seen: list = []

    def do_GET(self):
        Answering.seen.append(self.path)
        body = b'{"message": "Hello, world"}'
        self.send_response(self.status)
        if self.chunked:
            self.send_header("Transfer-Encoding", "chunked")
        else:
            self.send_header("Content-Length", str(len(body)))
        if self.close:
            self.send_header("Connection", "close")
            self.close_connection = True
        self.end_headers()
        if self.chunked:
            self.wfile.write(b"%x\r\n%s\r\n0\r\n\r\n" % (len(body), body))
        else:
            self.wfile.write(body)

    def log_message(self, *args):
        pass


@pytest.fixture
def answering():
    Answering.status, Answering.chunked, Answering.close, Answering.seen = 200, False, False, []
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Answering)
    thread = threading.Thread(target=httpd.serve_forever, args=(POLL,), daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}/hello"
    httpd.shutdown()
    httpd.server_close()


def run_client(url, rate=100, seconds=0.3):
    return asyncio.run(openloop.run(url, rate=rate, seconds=seconds, connections=8))


@pytest.mark.parametrize(("chunked", "close"), [(False, False), (True, False), (False, True)])
def test_every_request_due_is_sent_and_timed(answering, chunked, close):
    Answering.chunked, Answering.close = chunked, close
    done = run_client(answering)
    assert (done["due"], done["answered"], done["errors"]) == (30, 30, 0)
    assert len(Answering.seen) == 30
    assert 0 < done["p50_ms"] <= done["p99_ms"] <= done["max_ms"]


def test_answers_other_than_2xx_are_errors(answering):
    Answering.status = 500
    done = run_client(answering)
    assert (done["answered"], done["errors"]) == (0, 30)


def test_a_server_that_is_not_there_is_errors_not_a_crash():
    done = run_client("http://127.0.0.1:9/hello", rate=50, seconds=0.2)
    assert (done["answered"], done["errors"]) == (0, 10)


# --- statistics and the noise rule ------------------------------------------------------------


def test_a_summary_is_the_median_round_and_the_farthest_round_from_it():
    summary = bench.summarise([result(100, 3, 9), result(90, 4, 12), result(120, 2, 10, 1)])
    assert summary == bench.Summary(rate=100, spread=20, p50_ms=3, p99_ms=10, errors=1, rounds=3)


def test_ratios_are_to_the_fastest_rate_and_the_lowest_latency():
    assert bench.ratios({"a": 200, "b": 50}, higher_is_better=True) == {"a": 1.0, "b": 0.25}
    assert bench.ratios({"a": 2, "b": 5}, higher_is_better=False) == {"a": 1.0, "b": 2.5}


def test_a_gap_is_a_share_of_the_larger_value_and_a_mean_is_geometric():
    assert bench.relative_gap(100, 93) == pytest.approx(0.07)
    assert bench.relative_gap(93, 100) == pytest.approx(0.07)
    assert bench.relative_gap(0, 0) == 0
    assert bench.geometric_mean([100, 400]) == pytest.approx(200)
    assert bench.geometric_mean([100, 0]) == 0


@pytest.mark.parametrize(
    ("values", "floor", "ranks"),
    [
        ({"a": 100, "b": 96, "c": 50}, 0.05, {"a": 1, "b": 1, "c": 3}),  # 4% inside 5%: a tie
        ({"a": 100, "b": 94, "c": 50}, 0.05, {"a": 1, "b": 2, "c": 3}),  # 6% outside it
        ({"a": 100, "b": 96, "c": 92}, 0.05, {"a": 1, "b": 1, "c": 3}),  # ties the best of it
        ({"a": 100, "b": 100}, 0.0, {"a": 1, "b": 1}),  # no floor: only equals tie
    ],
)
def test_within_the_noise_floor_is_a_tie_in_the_tables(values, floor, ranks):
    assert bench.grouped_ranks(values, floor) == ranks


@pytest.mark.parametrize(
    ("figures", "ranks"),
    [
        ({"a": (100, 5), "b": (98, 5), "c": (50, 2)}, {"a": 1, "b": 1, "c": 3}),
        ({"a": (100, 1), "b": (90, 1), "c": (80, 1)}, {"a": 1, "b": 2, "c": 3}),
        ({"a": (50, 2), "b": (100, 5), "c": (97, 2)}, {"b": 1, "c": 1, "a": 3}),
        ({"a": (100, 0), "b": (100, 0), "c": (100, 0)}, {"a": 1, "b": 1, "c": 1}),
        ({"a": (100, 1), "b": (60, 2), "c": (59, 0)}, {"a": 1, "b": 2, "c": 2}),
    ],
)
def test_recorded_ranks_follow_the_figures_and_figures_within_their_spread_tie(figures, ranks):
    decimals = {k: (Decimal(v), Decimal(s)) for k, (v, s) in figures.items()}
    assert bench.competition_ranks(decimals) == ranks


def test_ties_that_make_no_groups_are_refused():
    # a ties b and b ties c, but a beats c: no ranking follows all three.
    figures = {"a": (Decimal(100), Decimal(5)), "b": (Decimal(96), Decimal(5)),
               "c": (Decimal(92), Decimal(5))}  # fmt: skip
    with pytest.raises(bench.BenchError, match="no ranking follows the figures"):
        bench.competition_ranks(figures)


def test_every_round_loads_every_cell_once_in_a_rotated_order():
    cells = bench.cells_of(["a", "b", "c"], SETTINGS)
    assert len(cells) == 3 * (len(bench.ENDPOINTS) + len(bench.FRESH_DEFAULT))
    assert cells[:3] == [("a", "hello", True), ("b", "hello", True), ("c", "hello", True)]
    rounds = bench.rotations(cells, 3)
    assert all(sorted(order) == sorted(cells) for order in rounds)
    assert len({order[0] for order in rounds}) == 3


@pytest.mark.parametrize(
    ("slowest", "rate"), [(2468, 1000), (1234, 610), (97, 48), (31.5, 15), (1.2, 1)]
)
def test_the_fixed_rate_is_half_the_slowest_rounded_down_and_capped(slowest, rate):
    assert bench.fixed_rate(slowest, cap=1000) == rate


# --- a whole run, made up ---------------------------------------------------------------------

# Requests/s of each server on a kept-alive hello; the other tasks are shares of it.
BASE = {
    "granian/django": 1950, "granian/django-async": 500, "granian/flask": 2000,
    "granian/flask-twin": 1900, "granian/fastapi": 4000,
    "docs/django": 1500, "docs/django-minimal": 1800, "docs/django-async": 450,
    "docs/flask": 1600, "docs/flask-twin": 1520, "docs/fastapi": 3000,
}  # fmt: skip
TASKS = {"hello": 1.0, "greet": 0.8, "list": 0.3, "create": 0.2, "page": 0.7}


def made_up_run(base=BASE, errors=0, fixed_errors=0) -> bench.Measured:
    measured = bench.Measured()
    for key, rate in base.items():
        for endpoint in bench.ENDPOINTS:
            for kept_alive in (True, False):
                if not kept_alive and endpoint.key not in bench.FRESH_DEFAULT:
                    continue
                each = rate * TASKS[endpoint.key] * (1 if kept_alive else 0.6)
                measured.loads[(key, endpoint.key, kept_alive)] = [
                    result(each * factor, errors=errors) for factor in (0.98, 1.0, 1.02)
                ]
            measured.fixed[(key, endpoint.key)] = openloop.Result(
                rate=100, due=200, answered=200 - fixed_errors, errors=fixed_errors,
                p50_ms=4000 / rate, p99_ms=20000 / rate, max_ms=30000 / rate, late_p99_ms=1.5,
            )  # fmt: skip
        measured.startup[key] = 1.25
        measured.memory[key] = bench.Memory(30.0, (60.0 + rate / 1000, 62.0 + rate / 1000))
    measured.rates = {endpoint.key: 100 for endpoint in bench.ENDPOINTS}
    return measured


def made_up_report(**kwargs) -> bench.Report:
    return bench.analyse(made_up_run(**kwargs), bench.SERVERS, SETTINGS, MACHINE)


def test_the_noise_floor_is_the_widest_gap_between_the_twins():
    report = made_up_report()
    same = report.floors["same"]
    assert (same.twin, same.of) == ("granian/flask-twin", "granian/flask")
    assert same.relative == pytest.approx(0.05)  # 1900 against 2000, on every task
    assert len(same.gaps) == len(bench.ENDPOINTS) + len(bench.FRESH_DEFAULT) + 1
    assert report.floors["documented"].relative == pytest.approx(0.05)  # 1520 against 1600


def test_frameworks_inside_the_floor_share_a_rank_in_the_tables():
    report = made_up_report()
    composites = {s.key: report.composites[s.key].value for s in report.in_setup("same")}
    ranks = bench.grouped_ranks(composites, report.floor("same"))
    # Django's 1,950 is 2.5% from Flask's 2,000: inside the 5% floor, a tie.
    assert ranks == {"granian/fastapi": 1, "granian/flask": 2, "granian/django": 2,
                     "granian/django-async": 4}  # fmt: skip


def test_the_table_shows_both_setups_both_connections_every_task_latency_memory_and_floor():
    text = bench.table(made_up_report())
    for part in (
        "SETUP: the same server for all (Granian)",
        "SETUP: each as its docs deploy it",
        "kept-alive connections",
        "fresh connections (Connection: close)",
        *(endpoint.label for endpoint in bench.ENDPOINTS),
        "latency at a fixed rate",
        "per worker MB",
        "A/A noise floor: 5.0% (granian/flask-twin against granian/flask",
        "A/A noise floor: 5.0% (docs/flask-twin against docs/flask",
        "load average before the run 7.50, 7.00, 6.90",
        "load average after the run: 8.10, 7.40, 7.00",
        "Django 5.2.20, Granian",
        "twin",
        "=2",
    ):
        assert part in text, part


def test_every_server_runs_the_same_workers_and_threads_where_wsgi():
    report = made_up_report()
    data = bench.raw_data(report)
    assert {server["workers"] for server in data["servers"]} == {2}
    threads = {server["interface"]: set() for server in data["servers"]}
    for server in data["servers"]:
        threads[server["interface"]].add(server["threads"])
    assert threads == {"WSGI": {2}, "ASGI": {None}}
    commands = {server["key"]: server["command"] for server in data["servers"]}
    assert "--blocking-threads 2 --workers 2" in commands["granian/flask"]
    assert "--worker-class gthread --threads 2 --workers 2" in commands["docs/flask"]
    assert "uvicorn_worker.UvicornWorker" in commands["docs/django-async"]
    assert commands["granian/django"].startswith(
        "DJANGO_SETTINGS_MODULE=project.settings_startproject granian"
    )
    assert "127.0.0.1" not in " ".join(commands.values())  # no address in what is shown


# --- raw data -----------------------------------------------------------------------------------


def validate(data):
    validator = Draft202012Validator(SCHEMA, format_checker=Draft202012Validator.FORMAT_CHECKER)
    return [f"{list(e.absolute_path)}: {e.message}" for e in validator.iter_errors(data)]


def test_the_raw_data_validates_against_its_schema():
    Draft202012Validator.check_schema(SCHEMA)
    data = bench.raw_data(made_up_report())
    assert validate(data) == []
    broken = json.loads(json.dumps(data))
    broken["rows"][0]["setup"] = "mine"
    broken["measured_on"] = "2026-02-30"
    assert len(validate(broken)) == 2


def test_every_round_is_a_row_with_what_the_issue_names():
    report = made_up_report()
    rows = bench.rows(report)
    loads = 11 * (len(bench.ENDPOINTS) + len(bench.FRESH_DEFAULT)) * 3
    assert len(rows) == loads + 11 * len(bench.ENDPOINTS)
    for column in ("framework", "setup", "server", "workers", "threads", "keep_alive",
                   "endpoint", "rate", "p50_ms", "p99_ms", "errors", "rss_worker_mb",
                   "versions", "machine"):  # fmt: skip
        assert column in bench.ROW_COLUMNS
    fresh = [r for r in rows if r["keep_alive"] is False]
    assert {r["endpoint"] for r in fresh} == {"GET /hello", "GET /notes"}
    fixed = [r for r in rows if r["load"] == "fixed"]
    assert {r["offered_rate"] for r in fixed} == {100}
    assert "load average 7.50/7.00/6.90 before, 8.10/7.40/7.00 after" in rows[0]["machine"]


def test_the_csv_is_the_rows_every_cell_quoted_and_the_json_reads_back():
    data = bench.raw_data(made_up_report())
    text = bench.csv_text(data)
    read = list(csv.DictReader(io.StringIO(text)))
    assert list(read[0]) == bench.ROW_COLUMNS
    assert len(read) == len(data["rows"])
    assert read[0]["keep_alive"] == "true"
    assert read[-1]["offered_rate"] == "100"
    assert all(line.startswith('"') for line in text.splitlines())
    assert not any(
        cell.startswith(("=", "+", "-", "@")) for row in read for cell in row.values()
    )  # nothing a spreadsheet would run
    assert json.loads(bench.json_text(data)) == json.loads(json.dumps(data))


def test_the_method_changes_are_dated():
    changes = bench.raw_data(made_up_report())["method_changes"]
    assert [c["date"] for c in changes] == sorted(c["date"] for c in changes)
    assert changes[-1]["date"] == "2026-12-07"


def test_the_licence_is_the_open_datas():
    from comparisons.opendata import LICENCE

    assert bench.LICENCE == LICENCE


# --- what is recorded ------------------------------------------------------------------------


def test_evidence_is_the_same_server_mean_deciding_and_context_beside_it():
    report = made_up_report()
    items = bench.evidence(report)
    assert [(i.framework, i.position, i.direction) for i in items] == [
        (fw, position, direction)
        for fw in ("django", "flask", "fastapi")
        for position, direction in enumerate(["higher", "context"])
    ]
    deciding = [i for i in items if i.direction == "higher"]
    assert [i.measure for i in deciding] == [bench.MEASURES["same"]] * 3
    flask = next(i for i in deciding if i.framework == "flask")
    mean = report.composites["granian/flask"].value
    assert flask.value == Decimal(round(mean))
    assert flask.spread == Decimal(int(mean * 0.05) + 1)  # the noise floor, rounded up
    assert {i.measure for i in items if i.direction == "context"} == {bench.MEASURES["documented"]}
    assert {i.unit for i in items} == {"req/s"}
    for each in items:
        assert len(each.method) <= 300, each.method
        assert len(each.measure) <= 120, each.measure
    assert "Granian, 2 workers x 2 threads on core 0 of 2" in flask.method
    assert "A/A noise floor (5.0%)" in flask.method
    assert "Flask 3.1.3, Granian 2.8.9; 2026-12-07" in flask.method
    fastapi = next(i for i in items if i.framework == "fastapi" and i.direction == "context")
    assert "Uvicorn, 2 workers on core 0 of 2" in fastapi.method  # no threads for ASGI


def test_each_framework_needs_both_setups_to_be_recorded():
    report = made_up_report()
    report.servers = [s for s in report.servers if s.key != "docs/fastapi"]
    with pytest.raises(bench.BenchError, match="fastapi: record: not measured in both setups"):
        bench.evidence(report)


def performance():
    return {
        rating.framework.slug: rating
        for rating in Rating.objects.filter(criterion__slug="performance")
        .select_related("framework")
        .prefetch_related("figures")
    }


def item(framework, value, spread, measure=bench.MEASURES["same"], direction="higher"):
    return bench.Evidence(framework, measure, Decimal(value), Decimal(spread), "req/s",
                          direction, "method", 0 if direction == "higher" else 1)  # fmt: skip


RECORDED = [
    item("django", 2950, 60), item("django", 900, 20, bench.MEASURES["documented"], "context"),
    item("flask", 3000, 50), item("flask", 1000, 30, bench.MEASURES["documented"], "context"),
    item("fastapi", 7000, 100), item("fastapi", 950, 40, bench.MEASURES["documented"], "context"),
]  # fmt: skip


def test_recording_writes_the_figures_and_the_ranks_follow_them(seeded):
    ranks = bench.apply_evidence(RECORDED, as_of=TODAY, source_url=METHOD_URL)
    # Flask and Django are 50 apart, within Django's spread (its noise floor) of 60: a tie.
    assert ranks == {"fastapi": 1, "flask": 2, "django": 2}
    ratings = performance()
    assert {slug: rating.rank for slug, rating in ratings.items()} == ranks
    figure = ratings["django"].figures.get(measure=bench.MEASURES["same"])
    assert (figure.value, figure.spread, figure.unit) == (Decimal(2950), Decimal(60), "req/s")
    assert figure.as_of == TODAY
    assert figure.source_title == "measured by this site on 7 December 2026"
    assert figure.source_url == METHOD_URL
    assert figure.ranks is True
    assert ratings["django"].figures.get(measure=bench.MEASURES["documented"]).ranks is False
    assert criterion_conflicts(Criterion.objects.get(slug="performance").pk) == []


def test_a_tie_inside_the_floor_earns_both_the_same_points_in_the_helper(seeded):
    bench.apply_evidence(RECORDED, as_of=TODAY, source_url=METHOD_URL)
    frameworks = list(Framework.objects.published())
    criteria = list(Criterion.objects.filter(slug="performance"))
    rows = build_table(frameworks, criteria)
    weights = helper.weights_for(criteria, None, {"performance": 3})
    scores = {p.framework.slug: p.score for p in helper.places(frameworks, rows, weights)}
    assert scores["django"] == scores["flask"] < scores["fastapi"]


def test_recording_again_replaces_the_figures_and_drops_the_old_measures(seeded):
    old = item("django", 100, 1, "serving a JSON hello (an old recording)", "context")
    bench.apply_evidence([*RECORDED, old], as_of=TODAY, source_url=METHOD_URL)
    later = [item("django", 8000, 10), item("flask", 3000, 10), item("fastapi", 5000, 10)]
    ranks = bench.apply_evidence(later, as_of=TODAY, source_url=METHOD_URL)
    assert ranks == {"django": 1, "fastapi": 2, "flask": 3}
    measures = set(
        Figure.objects.filter(rating__criterion__slug="performance").values_list(
            "measure", flat=True
        )
    )
    assert measures == {bench.MEASURES["same"]}
    assert criterion_conflicts(Criterion.objects.get(slug="performance").pk) == []


def performance_figures():
    """Every performance figure as it stands (the fixtures may hold an earlier recording)."""
    return sorted(
        Figure.objects.filter(rating__criterion__slug="performance").values_list(
            "rating__framework__slug", "measure", "value", "spread", "as_of"
        )
    )


def copy_of(folder, tmp_path, name):
    copy = tmp_path / name
    shutil.copytree(folder, copy)
    return copy


def test_recording_writes_the_fixtures_and_the_raw_data(seeded, tmp_path):
    fixtures = copy_of(settings.FIXTURE_DIR, tmp_path, "fixtures")
    data_dir = copy_of(bench.DATA_DIR, tmp_path, "data")
    raw = bench.raw_data(made_up_report())
    bench.write_fixtures(RECORDED, as_of=TODAY, source_url=METHOD_URL, fixture_dir=fixtures,
                         raw=raw, data_dir=data_dir)  # fmt: skip
    assert sorted(p.name for p in fixtures.iterdir()) == sorted(
        p.name for p in settings.FIXTURE_DIR.iterdir()
    )  # no staging folder left behind
    same, changed, _ = filecmp.cmpfiles(
        settings.FIXTURE_DIR, fixtures, [p.name for p in fixtures.iterdir()], shallow=False
    )
    assert changed == ["comparisons.json"], (same, changed)
    records = json.loads((fixtures / "comparisons.json").read_text())
    written = [
        r["fields"] for r in records
        if r["model"] == "comparisons.figure" and r["fields"]["measure"] == bench.MEASURES["same"]
    ]  # fmt: skip
    assert {tuple(f["rating"]): f["value"] for f in written} == {
        ("performance", "django"): "2950.00",
        ("performance", "flask"): "3000.00",
        ("performance", "fastapi"): "7000.00",
    }
    assert not [p for p in data_dir.iterdir() if p.name.startswith(".")]
    assert json.loads((data_dir / "benchmark.json").read_text()) == json.loads(json.dumps(raw))
    assert (data_dir / "benchmark.csv").read_text() == bench.csv_text(raw)


def unchanged(original, copy):
    compared = filecmp.dircmp(original, copy)
    return not compared.diff_files and not compared.left_only and not compared.right_only


def test_a_failure_in_the_middle_records_nothing(seeded, tmp_path):
    fixtures = copy_of(settings.FIXTURE_DIR, tmp_path, "fixtures")
    data_dir = copy_of(bench.DATA_DIR, tmp_path, "data")
    before = {slug: rating.rank for slug, rating in performance().items()}
    figures = performance_figures()
    broken = [*RECORDED[:4], item("bottle", 100, 1)]  # fails after four figures were written
    with pytest.raises(bench.BenchError, match="bottle: record: no rating on performance"):
        bench.write_fixtures(broken, as_of=TODAY, source_url=METHOD_URL, fixture_dir=fixtures,
                             raw=bench.raw_data(made_up_report()), data_dir=data_dir)  # fmt: skip
    assert performance_figures() == figures
    assert {slug: rating.rank for slug, rating in performance().items()} == before
    assert unchanged(settings.FIXTURE_DIR, fixtures)
    assert unchanged(bench.DATA_DIR, data_dir)


def test_ranks_no_ranking_can_follow_record_nothing(seeded, tmp_path):
    fixtures = copy_of(settings.FIXTURE_DIR, tmp_path, "fixtures")
    data_dir = copy_of(bench.DATA_DIR, tmp_path, "data")
    figures = performance_figures()
    chained = [item("django", 100, 5), item("flask", 96, 5), item("fastapi", 92, 5)]
    with pytest.raises(bench.BenchError, match="no ranking follows the figures"):
        bench.write_fixtures(chained, as_of=TODAY, source_url=METHOD_URL, fixture_dir=fixtures,
                             raw=bench.raw_data(made_up_report()), data_dir=data_dir)  # fmt: skip
    assert performance_figures() == figures
    assert unchanged(settings.FIXTURE_DIR, fixtures)
    assert unchanged(bench.DATA_DIR, data_dir)


def test_a_failed_export_leaves_the_fixtures_as_they_were(seeded, tmp_path, monkeypatch):
    from core import content

    fixtures = copy_of(settings.FIXTURE_DIR, tmp_path, "fixtures")
    data_dir = copy_of(bench.DATA_DIR, tmp_path, "data")
    figures = performance_figures()
    real_export = content.export

    def export_then_fail(folder):
        real_export(folder)
        raise OSError("disk full")

    monkeypatch.setattr(content, "export", export_then_fail)
    with pytest.raises(OSError, match="disk full"):
        bench.write_fixtures(RECORDED, as_of=TODAY, source_url=METHOD_URL, fixture_dir=fixtures,
                             raw=bench.raw_data(made_up_report()), data_dir=data_dir)  # fmt: skip
    assert unchanged(settings.FIXTURE_DIR, fixtures)
    assert unchanged(bench.DATA_DIR, data_dir)
    assert performance_figures() == figures


def test_a_figure_the_model_refuses_records_nothing(seeded):
    figures = performance_figures()
    with pytest.raises(bench.BenchError, match="django: record: figure refused"):
        bench.apply_evidence(RECORDED, as_of=TODAY, source_url="ftp://example.com/method")
    assert performance_figures() == figures


# --- the command: bad input, and what --record is given -------------------------------------------


@pytest.fixture
def fake_wrk(tmp_path, monkeypatch):
    """A `wrk` on PATH that only tells its version (nothing here loads anything)."""
    folder = tmp_path / "bin"
    folder.mkdir()
    program = folder / "wrk"
    program.write_text("#!/bin/sh\necho 'wrk debian/4.1.0-3+b2 [epoll] Copyright (C)'\n")
    program.chmod(0o755)
    monkeypatch.setenv("PATH", f"{folder}:/usr/bin:/bin")
    return program


def failing_server(tmp_path, script, program=sys.executable):
    (tmp_path / "samples" / "flask").mkdir(parents=True, exist_ok=True)
    return bench.Server("granian/flask", "same", "flask", "", "Granian, WSGI", program,
                        ("-c", script), ("flask",), recorded=True)  # fmt: skip


def start(server, tmp_path, timeout=5):
    return bench.start(server, settings=SETTINGS, scratch=tmp_path, samples=tmp_path / "samples",
                       timeout=timeout)  # fmt: skip


def test_a_server_that_does_not_start_is_one_line_naming_framework_setup_and_step(tmp_path):
    server = failing_server(tmp_path, "import sys; sys.exit('Error: no module named demo')")
    with pytest.raises(bench.BenchError) as raised:
        start(server, tmp_path)
    message = str(raised.value)
    assert message.startswith(
        "framework-bench: flask, same server (granian/flask): start: server did not start (python"
    )
    assert message.endswith("Error: no module named demo")
    assert "\n" not in message


def test_a_server_that_never_answers_times_out(tmp_path):
    server = failing_server(tmp_path, "import time; print('listening, not really'); time.sleep(60)")
    with pytest.raises(bench.BenchError, match=r"granian/flask\): start: .*not really"):
        start(server, tmp_path, timeout=1)


def test_a_sample_without_its_environment_says_make_samples(tmp_path):
    (tmp_path / "samples" / "flask").mkdir(parents=True)
    with pytest.raises(bench.BenchError, match=r"flask, .* start: no environment at .*samples\)"):
        start(bench.SERVERS[2], tmp_path)


def test_a_server_program_missing_from_the_environment_is_named(tmp_path):
    (tmp_path / "samples" / "flask" / ".venv" / "bin").mkdir(parents=True)
    with pytest.raises(bench.BenchError) as raised:
        start(bench.SERVERS[2], tmp_path)
    assert str(raised.value).startswith(
        "framework-bench: flask, same server (granian/flask): start: granian is not installed"
    )


def test_a_setup_step_that_fails_is_named(tmp_path):
    server = bench.Server("docs/fastapi", "documented", "fastapi", "", "Uvicorn, ASGI",
                          sys.executable, ("-c", "pass"), ("fastapi",),
                          setup_steps=(("-c", "raise SystemExit('no such table')"),))  # fmt: skip
    (tmp_path / "samples" / "fastapi" / ".venv" / "bin").mkdir(parents=True)
    (tmp_path / "samples" / "fastapi" / ".venv" / "bin" / "python").symlink_to(sys.executable)
    expected = (
        r"^framework-bench: fastapi, as documented \(docs/fastapi\): creating the tables failed "
        r"\(exit 1\): no such table$"
    )
    with pytest.raises(bench.BenchError, match=expected):
        start(server, tmp_path)


def test_the_command_stops_with_exit_1_when_a_server_does_not_start(
    tmp_path, fake_wrk, monkeypatch, capsys
):
    server = failing_server(tmp_path, "import sys; sys.exit('address in use')")
    monkeypatch.setattr(bench, "SERVERS", (server,))
    monkeypatch.setattr(bench, "record", lambda *a, **k: pytest.fail("recorded"))
    assert bench.main(["--rounds", "1"], samples=tmp_path / "samples") == 1
    err = capsys.readouterr().err
    assert "framework-bench: flask, same server (granian/flask): start: server did not" in err
    assert "address in use" in err
    assert len(err.strip().splitlines()) == 1


def test_missing_wrk_stops_before_any_server_starts(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("PATH", str(tmp_path))  # no wrk on it
    monkeypatch.setattr(bench, "measure", lambda *a, **k: pytest.fail("a server was started"))
    assert bench.main(["--rounds", "1"]) == 1
    assert capsys.readouterr().err.strip() == (
        "framework-bench: wrk: not found on PATH, nothing loaded or recorded "
        "(apt-get install -y wrk)"
    )


def test_record_needs_every_server_and_three_rounds(fake_wrk, monkeypatch, capsys):
    monkeypatch.setattr(bench, "measure", lambda *a, **k: pytest.fail("a server was started"))
    assert bench.main(["--record", "--rounds", "2"]) == 1
    assert bench.main(["--record", "granian/flask"]) == 1
    err = capsys.readouterr().err
    assert "needs 3 rounds or more" in err
    assert "needs every server" in err


def test_record_refuses_loads_with_errors(fake_wrk, monkeypatch, capsys):
    monkeypatch.setattr(bench, "measure", lambda *a, **k: made_up_run(errors=2))
    monkeypatch.setattr(bench, "record", lambda *a, **k: pytest.fail("recorded"))
    assert bench.main(["--record"]) == 1
    assert "errors while loading granian/django GET /hello" in capsys.readouterr().err


def test_errors_of_a_server_that_is_only_shown_do_not_stop_the_recording():
    report = made_up_report()
    report.summaries[("docs/django-async", "list", True)] = bench.Summary(50, 1, 1, 2, 7, 3)
    assert bench.errors_in(report) == []
    report.summaries[("docs/flask-twin", "list", True)] = bench.Summary(50, 1, 1, 2, 7, 3)
    assert bench.errors_in(report) == ["docs/flask-twin GET /notes, kept-alive connections"]


def test_record_prints_the_table_then_records_the_figures_and_raw_data(
    fake_wrk, monkeypatch, capsys
):
    monkeypatch.setattr(bench, "measure", lambda *a, **k: made_up_run())
    given = {}

    def record(items, *, as_of, source_url, raw):
        given.update(items=items, source_url=source_url, raw=raw)
        return {"fastapi": 1, "flask": 2, "django": 2}

    monkeypatch.setattr(bench, "record", record)
    assert bench.main(["--record"]) == 0
    out = capsys.readouterr().out
    assert "SETUP: the same server for all (Granian)" in out
    assert "recorded into fixtures/: performance ranks" in out
    deciding = {i.framework: i.value for i in given["items"] if i.direction == "higher"}
    assert set(deciding) == {"django", "flask", "fastapi"}
    assert given["source_url"] == METHOD_URL
    assert validate(given["raw"]) == []


def test_a_run_without_record_writes_the_raw_data_only_to_var(
    fake_wrk, monkeypatch, capsys, tmp_path
):
    monkeypatch.setattr(bench, "measure", lambda *a, **k: made_up_run())
    monkeypatch.setattr(bench, "SCRATCH_DATA_DIR", bench.ROOT / "var" / "test-framework-bench")
    monkeypatch.setattr(bench, "record", lambda *a, **k: pytest.fail("recorded"))
    try:
        assert bench.main([]) == 0
        written = json.loads((bench.SCRATCH_DATA_DIR / "benchmark.json").read_text())
        assert validate(written) == []
    finally:
        shutil.rmtree(bench.SCRATCH_DATA_DIR, ignore_errors=True)
    assert "raw data (not published): var/test-framework-bench/" in capsys.readouterr().out


# --- checking a server's answers before loading it -------------------------------------------


class Sample(BaseHTTPRequestHandler):
    """A sample that stores notes; `wrong` makes one task answer something else."""

    notes: list = []
    wrong: str = ""
    database: Path = Path()

    def answer(self, status, body, kind="application/json"):
        data = body if isinstance(body, bytes) else json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def do_GET(self):
        path = self.path
        if path == "/hello":
            self.answer(200, {"message": "Hello, Bob"} if self.wrong == "hello" else bench.HELLO)
        elif path.startswith("/greet/"):
            times = 2 if self.wrong == "greet" else 3
            self.answer(200, {"greetings": ["Hello, Ada"] * times})
        elif path.startswith("/page"):
            kind = "application/json" if self.wrong == "page" else "text/html; charset=utf-8"
            self.answer(200, b"<h1>Hello, Ada</h1>", kind)
        else:
            with sqlite3.connect(self.database) as connection:
                kept = {row[0] for row in connection.execute("SELECT id FROM note")}
            listed = [note for note in Sample.notes if note["id"] in kept]
            extra = {"author": "ada"} if self.wrong == "list" else {}
            self.answer(200, {"notes": [{**note, **extra} for note in listed]})

    def do_POST(self):
        text = json.loads(self.rfile.read(int(self.headers["Content-Length"])))["text"]
        number = len(Sample.notes) + 1
        note = {"id": number, "text": text, "created_at": "2026-12-07T10:00:00Z"}
        Sample.notes.append(note)
        with sqlite3.connect(self.database) as connection:
            connection.execute("INSERT INTO note (id) VALUES (?)", (number,))
        self.answer(201, note)

    def log_message(self, *args):
        pass


@pytest.fixture
def sample_server(tmp_path):
    database = tmp_path / "notes.sqlite3"
    with sqlite3.connect(database) as connection:
        connection.execute("CREATE TABLE note (id INTEGER PRIMARY KEY)")
    Sample.notes, Sample.wrong, Sample.database = [], "", database
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Sample)
    thread = threading.Thread(target=httpd.serve_forever, args=(POLL,), daemon=True)
    thread.start()
    yield bench.Running(bench.SERVERS[2], None, httpd.server_address[1], Path("log"), database)
    httpd.shutdown()
    httpd.server_close()


def test_each_server_gets_the_same_notes_and_every_task_is_checked(sample_server):
    bench.prepare(sample_server, notes=5)
    assert [note["text"] for note in Sample.notes] == [
        *(f"Note number {n}" for n in range(1, 6)),
        bench.NOTE_TEXT,  # the write is checked too, and its note deleted again
    ]
    with sqlite3.connect(sample_server.database) as connection:
        assert connection.execute("SELECT count(*) FROM note").fetchone() == (5,)


@pytest.mark.parametrize(
    ("wrong", "step"),
    [
        ("hello", "check GET /hello"),
        ("greet", "check GET /greet/Ada?times=3"),
        ("list", "check GET /notes"),
        ("page", "check GET /page?name=Ada"),
    ],
)
def test_a_wrong_answer_stops_the_run_in_one_line(sample_server, wrong, step):
    Sample.wrong = wrong
    with pytest.raises(bench.BenchError) as raised:
        bench.prepare(sample_server, notes=5)
    message = str(raised.value)
    assert message.startswith(f"framework-bench: flask, same server (granian/flask): {step}: ")
    assert "\n" not in message
