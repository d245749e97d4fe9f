"""The comparison as open data: /data/comparison.json (valid against its committed schema) and
/data/comparison.csv, matching the database, cached like pages, in a fixed number of queries."""

import csv
import datetime
import io
import json
import re
from collections import Counter

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from jsonschema import Draft202012Validator

from comparisons.models import Criterion, Framework, FrameworkSource, Rating, RatingSource
from comparisons.opendata import SCHEMA_PATH
from core.pages import OPEN_DATA
from tests import factories
from tests.readers import shown_ratings

DATA_JSON = OPEN_DATA["data-json"]
DATA_CSV = OPEN_DATA["data-csv"]
DATA_SCHEMA = "/data/comparison.schema.json"


# --- JSON


def load_json(client) -> dict:
    response = client.get(DATA_JSON)
    assert response.status_code == 200
    return json.loads(response.content)


def test_json_is_served_as_json(seeded, client):
    response = client.get(DATA_JSON)
    assert response.status_code == 200
    assert response["Content-Type"].split(";")[0].strip() == "application/json"


def test_json_validates_against_the_committed_schema(seeded, client):
    schema = json.loads(SCHEMA_PATH.read_text())
    Draft202012Validator.check_schema(schema)
    validator = Draft202012Validator(schema, format_checker=Draft202012Validator.FORMAT_CHECKER)
    errors = [
        f"{list(e.absolute_path)}: {e.message}" for e in validator.iter_errors(load_json(client))
    ]
    assert errors == []


def test_json_validation_catches_a_broken_document(seeded, client):
    """The schema is strict enough to matter: a javascript: source link fails it."""
    schema = json.loads(SCHEMA_PATH.read_text())
    validator = Draft202012Validator(schema, format_checker=Draft202012Validator.FORMAT_CHECKER)
    data = load_json(client)
    data["ratings"][0]["sources"].append({"title": "x", "url": "javascript:alert(1)"})
    data["frameworks"][0]["last_reviewed"] = "2024-02-30"
    assert len(list(validator.iter_errors(data))) == 2


def test_json_has_version_licence_and_date(seeded, client):
    data = load_json(client)
    assert re.fullmatch(r"\d+\.\d+", data["schema_version"])
    assert data["licence"]["name"]
    assert data["licence"]["url"].startswith("https://")
    updated = datetime.datetime.fromisoformat(data["last_updated"])
    assert updated.tzinfo is not None


def test_json_has_every_published_framework_with_review_date_and_sources(seeded, client):
    data = load_json(client)
    frameworks = {f["slug"]: f for f in data["frameworks"]}
    published = Framework.objects.published()
    assert list(frameworks) == [f.slug for f in published]
    for framework in published:
        entry = frameworks[framework.slug]
        assert entry["name"] == framework.name
        assert entry["last_reviewed"] == framework.last_reviewed.isoformat()
        assert entry["sources"] == [
            {"fact": s.fact, "title": s.title, "url": s.url} for s in framework.sources.all()
        ]
        assert entry["sources"]


def test_json_has_every_criterion(seeded, client):
    data = load_json(client)
    assert [c["slug"] for c in data["criteria"]] == list(
        Criterion.objects.values_list("slug", flat=True)
    )
    assert [c["name"] for c in data["criteria"]] == list(
        Criterion.objects.values_list("name", flat=True)
    )
    assert [c["basis"] for c in data["criteria"]] == list(
        Criterion.objects.values_list("basis", flat=True)
    )


def test_json_has_one_rating_per_cell_matching_the_database(seeded, client):
    data = load_json(client)
    cells_seen = Counter((r["criterion"], r["framework"]) for r in data["ratings"])
    assert all(count == 1 for count in cells_seen.values()), cells_seen
    ratings = {
        (r.criterion.slug, r.framework.slug): r
        for r in shown_ratings(Framework.objects.published(), Criterion.objects.all())
    }
    assert set(cells_seen) == set(ratings)
    assert len(data["ratings"]) == Rating.objects.count()
    for entry in data["ratings"]:
        rating = ratings[(entry["criterion"], entry["framework"])]
        assert entry["rank"] == rating.rank
        assert entry["verdict"] == rating.verdict
        assert entry["sources"] == [{"title": s.title, "url": s.url} for s in rating.sources.all()]


def test_json_leaves_out_an_unpublished_framework(seeded, client):
    hidden = factories.framework(name="Hidden", slug="hidden", is_published=False)
    factories.rating(framework=hidden, criterion=Criterion.objects.first(), verdict="Secret.")
    FrameworkSource.objects.create(
        framework=hidden,
        fact="A fact",
        source=factories.source("https://example.com/hidden", "Hidden page"),
    )
    data = load_json(client)
    assert "hidden" not in {f["slug"] for f in data["frameworks"]}
    assert "hidden" not in {r["framework"] for r in data["ratings"]}
    assert "Hidden" not in json.dumps(data)


def test_json_shows_a_rank_change_at_the_next_request(seeded, client):
    def django_on_performance(data: dict) -> dict:
        (entry,) = [r for r in data["ratings"] if (r["criterion"], r["framework"]) == cell]
        return entry

    cell = ("performance", "django")
    before = load_json(client)
    assert django_on_performance(before)["rank"] == 3
    assert client.get(DATA_JSON)["X-Page-Cache"] == "hit"  # it is cached now
    rating = Rating.objects.get(criterion__slug="performance", framework__slug="django")
    rating.rank = 1
    rating.save()
    after = load_json(client)
    assert django_on_performance(after)["rank"] == 1
    assert after["last_updated"] >= before["last_updated"]


def test_schema_is_served_as_the_committed_file(seeded, client):
    response = client.get(DATA_SCHEMA)
    assert response.status_code == 200
    assert response["Content-Type"].split(";")[0].strip() == "application/schema+json"
    assert response.content == SCHEMA_PATH.read_bytes()
    assert json.loads(response.content) == json.loads(SCHEMA_PATH.read_text())


# --- CSV


def load_csv(client) -> list[list[str]]:
    response = client.get(DATA_CSV)
    assert response.status_code == 200
    return list(csv.reader(io.StringIO(response.content.decode("utf-8"), newline="")))


def test_csv_is_served_as_csv(seeded, client):
    response = client.get(DATA_CSV)
    assert response.status_code == 200
    assert response["Content-Type"].split(";")[0].strip() == "text/csv"


def test_csv_is_a_download_with_a_csv_filename(seeded, client):
    response = client.get(DATA_CSV)
    disposition = response["Content-Disposition"]
    assert disposition.split(";")[0].strip() == "attachment"
    assert re.search(r'filename="[^"/\\]+\.csv"', disposition), disposition


def test_csv_from_the_page_cache_is_still_a_download(seeded, client):
    first = client.get(DATA_CSV)
    second = client.get(DATA_CSV)
    assert second["X-Page-Cache"] == "hit"
    assert second.content == first.content
    assert second.get("Content-Disposition") == first["Content-Disposition"]


def test_json_from_the_page_cache_still_allows_any_origin(seeded, client):
    first = client.get(DATA_JSON)
    assert first["Access-Control-Allow-Origin"] == "*"
    second = client.get(DATA_JSON)
    assert second["X-Page-Cache"] == "hit"
    assert second.get("Access-Control-Allow-Origin") == "*"


def test_csv_has_a_header_then_one_row_per_cell(seeded, client):
    header, *rows = load_csv(client)
    assert header[:6] == ["criterion", "criterion_name", "framework", "framework_name", "rank",
                          "verdict"]  # fmt: skip
    assert "sources" in header
    assert "framework_last_reviewed" in header
    assert all(len(row) == len(header) for row in rows)
    assert len(rows) == Rating.objects.count()
    cells_seen = Counter((row[0], row[2]) for row in rows)
    assert set(cells_seen.values()) == {1}


def test_csv_values_match_the_database(seeded, client):
    header, *rows = load_csv(client)
    ratings = {
        (r.criterion.slug, r.framework.slug): r
        for r in shown_ratings(Framework.objects.published(), Criterion.objects.all())
    }
    assert {(row[0], row[2]) for row in rows} == set(ratings)
    for values in rows:
        row = dict(zip(header, values, strict=True))
        rating = ratings[(row["criterion"], row["framework"])]
        assert row["criterion_name"] == rating.criterion.name
        assert row["framework_name"] == rating.framework.name
        assert row["rank"] == str(rating.rank)
        assert row["verdict"] == rating.verdict
        assert row["note"] == rating.note
        assert row["sources"].split(" | ") == [s.url for s in rating.sources.all()]
        assert row["framework_last_reviewed"] == rating.framework.last_reviewed.isoformat()
        assert row["criterion_basis"] == rating.criterion.basis


def test_csv_round_trips_a_verdict_with_comma_quote_and_newline(seeded, client):
    load_csv(client)  # now in the page cache
    rating = Rating.objects.get(criterion__slug="packages", framework__slug="flask")
    rating.verdict = 'Small, "batteries elsewhere"\nbut many extensions'
    rating.save()
    header, *rows = load_csv(client)
    assert len(rows) == Rating.objects.count()
    row = next(
        dict(zip(header, r, strict=True)) for r in rows if (r[0], r[2]) == ("packages", "flask")
    )
    assert row["verdict"] == rating.verdict


# --- query counts


def grow(frameworks: int = 20, criteria: int = 20) -> None:
    """Add frameworks and criteria, every new cell rated, with a source each."""
    new_frameworks = [factories.framework() for _ in range(frameworks)]
    new_criteria = [factories.criterion() for _ in range(criteria)]
    all_frameworks = list(Framework.objects.all())
    all_criteria = list(Criterion.objects.all())
    Rating.objects.bulk_create(
        Rating(criterion=c, framework=f, rank=1 + (i % 3), verdict=f"Verdict {i}.")
        for i, (c, f) in enumerate(
            (c, f)
            for c in all_criteria
            for f in all_frameworks
            if c in new_criteria or f in new_frameworks
        )
    )
    new_ratings = Rating.objects.filter(framework__in=new_frameworks) | Rating.objects.filter(
        criterion__in=new_criteria
    )
    RatingSource.objects.bulk_create(
        RatingSource(
            rating=r, source=factories.source(f"https://example.com/r/{r.pk}", f"Source {r.pk}")
        )
        for r in new_ratings
    )
    FrameworkSource.objects.bulk_create(
        FrameworkSource(
            framework=f, fact="A fact", source=factories.source("https://example.com/f")
        )
        for f in new_frameworks
    )


def count_queries(client, url) -> tuple[int, bytes]:
    cache.clear()  # pages are cached: count a full render
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured), response.content


@pytest.mark.parametrize("url", [DATA_JSON, DATA_CSV])
def test_data_endpoint_query_count_does_not_grow_with_the_data(seeded, client, url):
    small, _ = count_queries(client, url)
    grow()
    large, content = count_queries(client, url)
    assert large == small
    frameworks, criteria = Framework.objects.count(), Criterion.objects.count()
    if url == DATA_JSON:
        data = json.loads(content)
        assert len(data["frameworks"]) == frameworks
        assert len(data["criteria"]) == criteria
        assert len(data["ratings"]) == frameworks * criteria
        assert all(len(r["sources"]) >= 1 for r in data["ratings"])
    else:
        rows = list(csv.reader(io.StringIO(content.decode(), newline="")))
        assert len(rows) == 1 + frameworks * criteria
