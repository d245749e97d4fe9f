"""The benchmark's raw data as open data (/data/benchmark.json, .csv and the schema), and the
methodology page's account of the published run: both setups' tables, the latency, the noise
floor, the plain-words translation, the links to the raw data and the method's dated changes.
The run here is made up (tests/test_framework_bench.py's), written where the site reads it."""

import csv
import io
import json
import sys
from pathlib import Path

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from jsonschema import Draft202012Validator

from comparisons import benchmark
from core.pages import BENCHMARK_DATA, OPEN_DATA, PUBLIC_PAGES
from tests.html import get_page

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "scripts"))
import framework_bench as bench  # noqa: E402

from tests.test_framework_bench import BASE, made_up_report  # noqa: E402

METHODOLOGY = PUBLIC_PAGES["methodology"]
SCHEMA = json.loads(benchmark.SCHEMA_PATH.read_text())


@pytest.fixture
def published(tmp_path, monkeypatch):
    """A made-up run written where the site reads it; the data it holds."""
    data = json.loads(json.dumps(bench.raw_data(made_up_report())))
    for name, text in ((tmp_path / "benchmark.json", bench.json_text(data)),
                       (tmp_path / "benchmark.csv", bench.csv_text(data))):  # fmt: skip
        name.write_text(text)
    monkeypatch.setattr(benchmark, "JSON_PATH", tmp_path / "benchmark.json")
    monkeypatch.setattr(benchmark, "CSV_PATH", tmp_path / "benchmark.csv")
    return data


@pytest.fixture
def unpublished(tmp_path, monkeypatch):
    monkeypatch.setattr(benchmark, "JSON_PATH", tmp_path / "none.json")
    monkeypatch.setattr(benchmark, "CSV_PATH", tmp_path / "none.csv")


# --- the open data ------------------------------------------------------------------------------


def test_the_json_is_served_as_written_and_valid(seeded, client, published):
    response = client.get(BENCHMARK_DATA["benchmark-json"])
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert response["Access-Control-Allow-Origin"] == "*"
    assert response["Cross-Origin-Resource-Policy"] == "cross-origin"
    data = json.loads(response.content)
    assert data == published
    validator = Draft202012Validator(SCHEMA, format_checker=Draft202012Validator.FORMAT_CHECKER)
    assert list(validator.iter_errors(data)) == []


def test_the_csv_is_every_row_for_download(seeded, client, published):
    response = client.get(BENCHMARK_DATA["benchmark-csv"])
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert "attachment" in response["Content-Disposition"]
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    assert len(rows) == len(published["rows"])
    assert {row["framework"] for row in rows} == {"django", "flask", "fastapi"}
    assert {row["setup"] for row in rows} == {"same", "documented"}
    assert {row["keep_alive"] for row in rows} == {"true", "false"}


def test_the_schema_is_served(seeded, client):
    response = client.get("/data/benchmark.schema.json")
    assert response.status_code == 200
    assert json.loads(response.content) == SCHEMA
    Draft202012Validator.check_schema(SCHEMA)


def test_no_published_run_is_a_404(seeded, client, unpublished):
    for url in BENCHMARK_DATA.values():
        assert client.get(url).status_code == 404


def test_the_raw_data_asks_the_database_nothing(seeded, client, published):
    for url in BENCHMARK_DATA.values():
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        assert [q["sql"] for q in captured if "comparisons" in q["sql"]] == []


def test_the_comparisons_open_data_links_to_it(seeded, client, settings):
    data = json.loads(client.get(OPEN_DATA["data-json"]).content)
    assert data["benchmark"] == {
        "method": f"{settings.SITE_URL}/methodology/#benchmark",
        "json": f"{settings.SITE_URL}/data/benchmark.json",
        "csv": f"{settings.SITE_URL}/data/benchmark.csv",
        "schema": f"{settings.SITE_URL}/data/benchmark.schema.json",
    }


def test_the_methodology_reads_the_file_once_per_change(published):
    first = benchmark.published()
    assert benchmark.published() is first  # read once
    assert first == published


# --- the methodology page -----------------------------------------------------------------------


def section(client):
    return get_page(client, METHODOLOGY).by_id("benchmark")


def test_it_links_to_the_raw_data_and_the_schema(seeded, client, published):
    links = {a.attrs["href"] for a in section(client).find_all("a")}
    assert {"/data/benchmark.json", "/data/benchmark.csv", "/data/benchmark.schema.json"} <= links
    assert "/code/" in links


def test_it_names_both_setups_the_compromise_and_the_noise_rule(seeded, client, published):
    text = section(client).clean_text
    for part in (
        "The same server for all",
        "Each as its documentation deploys it",
        "Two workers on one core is a compromise",
        "as its framework\N{RIGHT SINGLE QUOTATION MARK}s project template makes it",
        "newest release that runs on our machines\N{RIGHT SINGLE QUOTATION MARK} Python",
        "kept-alive connections on every task and with fresh connections",
        "times each request from the moment it was due",
        "frameworks closer than it tie, in the tables below, in the performance ranks and in "
        "the decision helper",
        "The rank follows the five tasks\N{RIGHT SINGLE QUOTATION MARK} geometric mean on the "
        "same server",
    ):
        assert part in text, part


def test_it_shows_the_last_run_with_both_setups_and_their_floors(seeded, client, published):
    page = section(client)
    text = page.clean_text
    assert "The last run, 7 December 2026" in text
    assert "load average was 7.5, 7.0, 6.9 before the run and 8.1, 7.4, 7.0 after" in text
    captions = [caption.clean_text for caption in page.find_all("caption")]
    assert captions[0].startswith(
        "Requests a second, the same server for all (Granian). "
        "Noise floor 5.0% (granian/flask-twin against granian/flask)"
    )
    assert captions[1].startswith("Requests a second, each as its docs deploy it. Noise floor")
    assert captions[2].startswith("Latency at a fixed rate, p50 / p99 in milliseconds")
    same = page.find_all("table")[0]
    rows = {tr.find("th").clean_text: [td.clean_text for td in tr.find_all("td")]
            for tr in same.find("tbody").find_all("tr")}  # fmt: skip
    # Django's 1,950 is inside the 5% floor of Flask's 2,000: the table says it is a tie.
    assert rows["GET /hello a JSON hello, kept-alive connections"] == [
        "1,950 =2nd", "2,000 =2nd", "4,000 1st"
    ]  # fmt: skip
    assert "GET /notes a database read (20 notes from SQLite), fresh connections" in rows
    assert any(label.startswith("All five tasks") for label in rows)
    assert len(rows) == len(bench.ENDPOINTS) + len(bench.FRESH_DEFAULT) + 1


def test_it_translates_the_numbers_into_plain_words(seeded, client, published):
    text = section(client).clean_text
    page_rates = {key: BASE[key] * 0.7 for key in ("docs/django", "docs/flask", "docs/fastapi")}
    assert (
        f"served between {page_rates['docs/django']:,.0f} (Django) and "
        f"{page_rates['docs/fastapi']:,.0f} (FastAPI) template pages a second"
    ) in text
    assert (
        "A site with a million visits a month, at five pages a visit, serves about 1.9 pages "
        "a second on average, and about 19 in a busy hour"
    ) in text
    assert "2% of what the slowest served on one core" in text


def test_it_lists_memory_start_up_and_the_servers_not_ranked(seeded, client, published):
    text = section(client).clean_text
    assert "Memory per worker process after the run" in text
    assert "Django with the sample's minimal settings (1 app, 3 middleware), under gunicorn" in text
    assert "views written async def, under Granian, ASGI" in text


def test_it_dates_each_change_of_the_method(seeded, client, published):
    page = section(client)
    heading = page.by_id("benchmark-changes")
    items = heading.next_sibling("ul").find_all("li")
    dates = [li.find("time").attrs["datetime"] for li in items]
    assert dates == [change["date"] for change in published["method_changes"]]
    assert dates[-1] == "2026-12-07"


def test_without_a_published_run_it_says_so(seeded, client, unpublished):
    text = section(client).clean_text
    assert "No run of this method has been published yet." in text
    assert "The raw data" in text


def test_a_file_it_cannot_read_is_no_published_run(seeded, client, published):
    broken = dict(published)
    del broken["servers"]
    benchmark.JSON_PATH.write_text(json.dumps(broken))
    assert benchmark.summary() is None
    assert "No run of this method has been published yet." in section(client).clean_text


# --- the published content follows the recorded run -------------------------------------------


def test_the_changed_rank_is_a_dated_correction_on_fastapis_page(seeded, client):
    page = get_page(client, "/frameworks/fastapi/")
    notes = [note.clean_text for note in page.find_all(class_="correction")]
    (note,) = [n for n in notes if "FastAPI is by far the fastest of the three" in n]
    assert note.startswith("Updated")
    assert "7 December 2026" in note
    assert "share first place on performance" in note
    assert "Joint first with Flask over five tasks" in page.clean_text
    assert "/methodology/#benchmark" in {a.attrs.get("href") for a in page.find_all("a")}


def test_the_recorded_ranks_follow_the_committed_run(seeded):
    """The performance ranks and figures in the fixtures are the committed run's (the five
    tasks' mean on the same server, with its noise floor as the spread)."""
    from comparisons.models import Rating

    data = benchmark.published()
    assert data is not None
    recorded = {
        c["framework"]: c for c in data["composites"] if c["setup"] == "same" and c["recorded"]
    }
    floor = next(f["relative"] for f in data["noise_floors"] if f["setup"] == "same")
    ratings = Rating.objects.filter(criterion__slug="performance").prefetch_related("figures")
    for rating in ratings:
        figure = rating.figures.get(measure=bench.MEASURES["same"])
        composite = recorded[rating.framework.slug]
        assert float(figure.value) == pytest.approx(composite["value"], abs=0.5)
        assert float(figure.spread) == pytest.approx(composite["value"] * floor, abs=1)
        assert figure.as_of.isoformat() == data["measured_on"]
    ranks = {r.framework.slug: r.rank for r in ratings}
    expected = benchmark._ranked({f: c["value"] for f, c in recorded.items()}, floor)
    assert ranks == expected


def test_the_committed_raw_data_is_valid_and_the_csv_holds_its_rows():
    data = benchmark.published()
    validator = Draft202012Validator(SCHEMA, format_checker=Draft202012Validator.FORMAT_CHECKER)
    assert [e.message for e in validator.iter_errors(data)] == []
    rows = list(csv.DictReader(io.StringIO(benchmark.CSV_PATH.read_text())))
    assert len(rows) == len(data["rows"])
    assert list(rows[0]) == bench.ROW_COLUMNS
