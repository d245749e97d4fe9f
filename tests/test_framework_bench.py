"""`make framework-bench` (scripts/framework_bench.py), without real servers or real loads:
reading wrk's output, the statistics and ranks, recording the figures through the fixtures
(all or nothing), and the messages when a server does not start or wrk is missing."""

import datetime
import filecmp
import json
import shutil
import sys
import threading
from decimal import Decimal
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from django.conf import settings

from comparisons.evidence import criterion_conflicts
from comparisons.models import Criterion, Figure, Rating

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "scripts"))  # the scripts import each other by name
import framework_bench as bench  # noqa: E402
import wrk  # noqa: E402

WRK_OUTPUT = Path(__file__).parent / "data" / "wrk"
TODAY = datetime.date(2026, 12, 1)
SETTINGS = bench.Settings(rounds=3, seconds=5, workers=1, connections=16)
MACHINE = bench.Machine(TODAY, cores=2, pinned=True, wrk_version="4.1.0")
METHOD_URL = "/methodology/#benchmark"


def result(rate, p50=1.0, p99=2.0, errors=0):
    return wrk.Result(rate=rate, p50_ms=p50, p99_ms=p99, errors=errors, requests=int(rate))


def item(framework, value, spread, endpoint="json"):
    return bench.Evidence(framework, endpoint, Decimal(value), Decimal(spread), "method")


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


# --- statistics -------------------------------------------------------------------------------


def test_a_summary_is_the_median_round_and_the_farthest_round_from_it():
    summary = bench.summarise([result(100, 3, 9), result(90, 4, 12), result(120, 2, 10, 1)])
    assert summary == bench.Summary(rate=100, spread=20, p50_ms=3, p99_ms=10, errors=1, rounds=3)


def test_ratios_are_to_the_fastest_rate_and_the_lowest_latency():
    assert bench.ratios({"a": 200, "b": 50}, higher_is_better=True) == {"a": 1.0, "b": 0.25}
    assert bench.ratios({"a": 2, "b": 5}, higher_is_better=False) == {"a": 1.0, "b": 2.5}


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
def test_ranks_follow_the_figures_and_figures_within_their_spread_tie(figures, ranks):
    decimals = {k: (Decimal(v), Decimal(s)) for k, (v, s) in figures.items()}
    assert bench.competition_ranks(decimals) == ranks


def test_ties_that_make_no_groups_are_refused():
    # a ties b and b ties c, but a beats c: no ranking follows all three.
    figures = {"a": (Decimal(100), Decimal(5)), "b": (Decimal(96), Decimal(5)),
               "c": (Decimal(92), Decimal(5))}  # fmt: skip
    with pytest.raises(bench.BenchError, match="no ranking follows the figures"):
        bench.competition_ranks(figures)


def test_every_round_loads_every_pair_once_in_a_rotated_order():
    pairs = [(server, endpoint) for server in "abcd" for endpoint in ("json", "db")]
    rounds = bench.rotations(pairs, 3)
    assert all(sorted(order) == sorted(pairs) for order in rounds)
    assert len({order[0] for order in rounds}) == 3


# --- what is recorded ------------------------------------------------------------------------


def summaries(json_rates, db_rates=None, errors=0):
    found = {}
    for key, (rate, spread) in json_rates.items():
        found[(key, "json")] = bench.Summary(rate, spread, 1.0, 2.0, errors, 3)
        db_rate = (db_rates or {}).get(key, rate / 3)
        found[(key, "db")] = bench.Summary(db_rate, spread / 3, 3.0, 6.0, 0, 3)
    return found


MEASURED = summaries(
    {
        "django-wsgi": (1367.4, 40.2),
        "django-asgi": (674, 20),
        "flask": (2947.5, 80),
        "fastapi": (7124, 150),
    }
)


def test_evidence_is_each_frameworks_recorded_server_rounded_honestly():
    items = bench.evidence(MEASURED, bench.SERVERS, SETTINGS, MACHINE)
    assert [(i.framework, i.endpoint) for i in items] == [
        (fw, endpoint) for fw in ("django", "flask", "fastapi") for endpoint in ("json", "db")
    ]
    django = items[0]
    assert (django.value, django.spread) == (Decimal(1367), Decimal(41))  # the spread rounded up
    assert django.direction == "higher"
    assert items[1].direction == "context"  # the database list is shown, the JSON one decides
    assert "gunicorn" in django.method  # the WSGI server's figure, not the ASGI one


def test_the_method_names_server_workers_cores_rounds_versions_and_date():
    for server in bench.SERVERS:
        text = bench.method_text(server, SETTINGS, MACHINE)
        assert len(text) <= 300, text
        for part in ("1 worker", "core 0 of 2", "wrk 4.1.0", "3 interleaved rounds of 5 s",
                     "2026-12-01", server.label.split(",")[0]):  # fmt: skip
            assert part in text, (part, text)
    assert "Django 5.2.20" in bench.method_text(bench.SERVERS[0], SETTINGS, MACHINE)


def performance():
    return {
        rating.framework.slug: rating
        for rating in Rating.objects.filter(criterion__slug="performance")
        .select_related("framework")
        .prefetch_related("figures")
    }


RECORDED = [
    item("django", 2950, 60), item("django", 900, 20, "db"),
    item("flask", 3000, 50), item("flask", 1000, 30, "db"),
    item("fastapi", 7000, 100), item("fastapi", 950, 40, "db"),
]  # fmt: skip


def test_recording_writes_the_figures_and_the_ranks_follow_them(seeded):
    ranks = bench.apply_evidence(RECORDED, as_of=TODAY, source_url=METHOD_URL)
    # Flask and Django are 50 apart, within Django's spread of 60: a tie.
    assert ranks == {"fastapi": 1, "flask": 2, "django": 2}
    ratings = performance()
    assert {slug: rating.rank for slug, rating in ratings.items()} == ranks
    figure = ratings["django"].figures.get(measure=bench.MEASURES["json"])
    assert (figure.value, figure.spread, figure.unit) == (Decimal(2950), Decimal(60), "req/s")
    assert figure.as_of == TODAY
    assert figure.source_title == "measured by this site on 1 December 2026"
    assert figure.source_url == METHOD_URL
    assert figure.short_text == "2,950 ± 60 req/s serving a JSON hello"
    assert ratings["django"].figures.get(measure=bench.MEASURES["db"]).ranks is False
    assert criterion_conflicts(Criterion.objects.get(slug="performance").pk) == []


def test_recording_again_replaces_the_figures(seeded):
    bench.apply_evidence(RECORDED, as_of=TODAY, source_url=METHOD_URL)
    later = [item("django", 8000, 10), item("flask", 3000, 10), item("fastapi", 5000, 10)]
    ranks = bench.apply_evidence(later, as_of=TODAY, source_url=METHOD_URL)
    assert ranks == {"django": 1, "fastapi": 2, "flask": 3}
    assert Figure.objects.filter(measure=bench.MEASURES["json"]).count() == 3
    assert criterion_conflicts(Criterion.objects.get(slug="performance").pk) == []


def performance_figures():
    """Every performance figure as it stands (the fixtures may hold an earlier recording)."""
    return sorted(
        Figure.objects.filter(rating__criterion__slug="performance").values_list(
            "rating__framework__slug", "measure", "value", "spread", "as_of"
        )
    )


def copy_of_fixtures(tmp_path):
    copy = tmp_path / "fixtures"
    shutil.copytree(settings.FIXTURE_DIR, copy)
    return copy


def test_recording_writes_the_fixtures_and_only_what_changed(seeded, tmp_path):
    fixtures = copy_of_fixtures(tmp_path)
    bench.write_fixtures(RECORDED, as_of=TODAY, source_url=METHOD_URL, fixture_dir=fixtures)
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
        if r["model"] == "comparisons.figure" and r["fields"]["measure"] == bench.MEASURES["json"]
    ]  # fmt: skip
    assert {tuple(f["rating"]): f["value"] for f in written} == {
        ("performance", "django"): "2950.00",
        ("performance", "flask"): "3000.00",
        ("performance", "fastapi"): "7000.00",
    }


def test_a_failure_in_the_middle_records_nothing(seeded, tmp_path):
    fixtures = copy_of_fixtures(tmp_path)
    before = {slug: rating.rank for slug, rating in performance().items()}
    figures = performance_figures()
    broken = [*RECORDED[:4], item("bottle", 100, 1)]  # fails after four figures were written
    with pytest.raises(bench.BenchError, match="bottle: record: no rating on performance"):
        bench.write_fixtures(broken, as_of=TODAY, source_url=METHOD_URL, fixture_dir=fixtures)
    assert performance_figures() == figures
    assert {slug: rating.rank for slug, rating in performance().items()} == before
    assert not filecmp.dircmp(settings.FIXTURE_DIR, fixtures).diff_files
    assert sorted(p.name for p in fixtures.iterdir()) == sorted(
        p.name for p in settings.FIXTURE_DIR.iterdir()
    )


def test_a_failed_export_leaves_the_fixtures_as_they_were(seeded, tmp_path, monkeypatch):
    from core import content

    fixtures = copy_of_fixtures(tmp_path)
    figures = performance_figures()
    real_export = content.export

    def export_then_fail(folder):
        real_export(folder)
        raise OSError("disk full")

    monkeypatch.setattr(content, "export", export_then_fail)
    with pytest.raises(OSError, match="disk full"):
        bench.write_fixtures(RECORDED, as_of=TODAY, source_url=METHOD_URL, fixture_dir=fixtures)
    assert not filecmp.dircmp(settings.FIXTURE_DIR, fixtures).diff_files
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


def failing_server(tmp_path, script):
    (tmp_path / "samples" / "flask").mkdir(parents=True, exist_ok=True)
    return bench.Server("flask", "flask", "gunicorn, WSGI", sys.executable, ("-c", script),
                        ("flask",), recorded=True)  # fmt: skip


def test_a_server_that_does_not_start_is_named_with_its_command_and_output(tmp_path):
    server = failing_server(tmp_path, "import sys; sys.exit('Error: no module named demo')")
    with pytest.raises(bench.BenchError) as raised:
        bench.start(server, workers=1, scratch=tmp_path, samples=tmp_path / "samples", timeout=5)
    message = str(raised.value)
    assert message.startswith("framework-bench: flask: server did not start (python")
    assert message.endswith("Error: no module named demo")


def test_a_server_that_never_answers_times_out(tmp_path):
    server = failing_server(tmp_path, "import time; print('listening, not really'); time.sleep(60)")
    with pytest.raises(bench.BenchError, match=r"flask: server did not start .*not really"):
        bench.start(server, workers=1, scratch=tmp_path, samples=tmp_path / "samples", timeout=1)


def test_a_sample_without_its_environment_says_make_samples(tmp_path):
    (tmp_path / "flask").mkdir()
    with pytest.raises(bench.BenchError, match=r"flask: no environment at .*\(make samples\)"):
        bench.start(bench.SERVERS[2], workers=1, scratch=tmp_path, samples=tmp_path)


def test_the_command_stops_with_exit_1_when_a_server_does_not_start(
    tmp_path, fake_wrk, monkeypatch, capsys
):
    server = failing_server(tmp_path, "import sys; sys.exit('address in use')")
    monkeypatch.setattr(bench, "SERVERS", (server,))
    assert bench.main(["--rounds", "1"], samples=tmp_path / "samples") == 1
    err = capsys.readouterr().err
    assert "framework-bench: flask: server did not start (python" in err
    assert "address in use" in err


def test_missing_wrk_stops_before_any_server_starts(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("PATH", str(tmp_path))  # no wrk on it
    monkeypatch.setattr(bench, "measure", lambda *a, **k: pytest.fail("a server was started"))
    assert bench.main(["--rounds", "1"]) == 1
    assert "framework-bench: wrk: not found on PATH" in capsys.readouterr().err


def fake_measure(json_rates, errors=0):
    rates = {key: rate for key, (rate, _) in json_rates.items()}

    def measure(servers, settings, samples, say=print):
        return {
            (server.key, endpoint): [result(rates[server.key] * factor, errors=errors)
                                     for factor in (0.98, 1.0, 1.02)]
            for server in servers for endpoint in bench.ENDPOINTS
        }  # fmt: skip

    return measure


def test_record_refuses_loads_with_errors(fake_wrk, monkeypatch, capsys):
    monkeypatch.setattr(bench, "measure", fake_measure(dict.fromkeys(
        ("django-wsgi", "django-asgi", "flask", "fastapi"), (1000, 0)), errors=2))  # fmt: skip
    monkeypatch.setattr(bench, "record", lambda *a, **k: pytest.fail("recorded"))
    assert bench.main(["--record"]) == 1
    assert "errors while loading django-wsgi GET /hello" in capsys.readouterr().err


def test_record_prints_the_table_then_records_the_wsgi_figures(fake_wrk, monkeypatch, capsys):
    rates = {"django-wsgi": (1000, 0), "django-asgi": (500, 0), "flask": (2000, 0),
             "fastapi": (4000, 0)}  # fmt: skip
    monkeypatch.setattr(bench, "measure", fake_measure(rates))
    given = {}

    def record(items, *, as_of, source_url):
        given.update(items=items, source_url=source_url)
        return {"fastapi": 1, "flask": 2, "django": 3}

    monkeypatch.setattr(bench, "record", record)
    assert bench.main(["--record"]) == 0
    out = capsys.readouterr().out
    assert "GET /hello   fastapi" in out
    assert " 0.25 " in out  # Django's WSGI rate as a ratio to FastAPI's
    assert "django-asgi" in out
    assert "wrk 4.1.0" in out
    assert "Django 5.2.20" in out
    json_figures = {i.framework: i.value for i in given["items"] if i.endpoint == "json"}
    assert json_figures == {"django": 1000, "flask": 2000, "fastapi": 4000}
    assert given["source_url"] == METHOD_URL


# --- checking a server's answers before loading it -------------------------------------------


class Sample(BaseHTTPRequestHandler):
    """A sample that stores notes; `extra` adds a key to each listed note."""

    notes: list = []
    extra: dict = {}

    def answer(self, status, body):
        data = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def do_GET(self):
        if self.path == "/hello":
            self.answer(200, bench.HELLO)
        else:
            self.answer(200, {"notes": [{**note, **self.extra} for note in self.notes]})

    def do_POST(self):
        text = json.loads(self.rfile.read(int(self.headers["Content-Length"])))["text"]
        note = {"id": len(self.notes) + 1, "text": text, "created_at": "2026-12-01T10:00:00Z"}
        self.notes.append(note)
        self.answer(201, note)

    def log_message(self, *args):
        pass


@pytest.fixture
def sample_server():
    Sample.notes, Sample.extra = [], {}
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Sample)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield bench.Running(bench.SERVERS[2], None, httpd.server_address[1], Path("log"))
    httpd.shutdown()
    httpd.server_close()


def test_each_server_gets_the_same_notes_and_its_answers_are_checked(sample_server):
    bench.prepare(sample_server, notes=5)
    assert [note["text"] for note in Sample.notes] == [f"Note number {n}" for n in range(1, 6)]


def test_a_list_of_another_shape_stops_the_run(sample_server):
    Sample.extra = {"author": "ada"}
    with pytest.raises(bench.BenchError, match="flask: check: GET /notes does not list the 5"):
        bench.prepare(sample_server, notes=5)
