"""The support and upgrade-risk panel on each framework page, and in the open data: the
project's policy with its page, the supported lines and their ends, how often it releases,
what the index reports of vulnerabilities, and whether our sample passes on the newest
releases. The numbers come from a refresh against the recorded index (tests/data/pypi/) on a
set day, 7 December 2026.
"""

import datetime
import io
import json

import pytest
from django.core.management import call_command
from jsonschema import Draft202012Validator

from codesamples.models import SampleApp
from comparisons import refresh
from comparisons.models import Framework
from comparisons.opendata import SCHEMA_PATH
from tests.fake_index import index
from tests.html import parse

__all__ = ["index"]  # the fixture


@pytest.fixture
def refreshed(seeded, index, monkeypatch):
    """The facts as a refresh on 7 December 2026 leaves them, from the recorded index."""
    day = datetime.datetime(2026, 12, 7, 9, 30, tzinfo=datetime.UTC)
    monkeypatch.setattr(refresh, "now", lambda: day)
    call_command("refresh_facts", "--index-url", index.url, stdout=io.StringIO())
    return index


def panel(client, slug: str):
    page = parse(client.get(f"/frameworks/{slug}/"))
    return page.by_id("support").parent


def entries(client, slug: str) -> dict[str, str]:
    """The panel's list: each term and its description, as text."""
    found = panel(client, slug).one("dl", class_="support")
    terms = found.find_all("dt")
    return {
        dt.clean_text: dd.clean_text for dt, dd in zip(terms, found.find_all("dd"), strict=True)
    }


# --- the numbers, from a recorded index


def test_the_releases_of_the_past_year_are_counted_from_upload_times(refreshed, client):
    assert (
        entries(client, "django")["Releases in a year"] == "8 in the 12 months to 7 December 2026"
    )
    assert entries(client, "flask")["Releases in a year"] == "1 in the 12 months to 7 December 2026"
    assert entries(client, "fastapi")["Releases in a year"] == (
        "6 in the 12 months to 7 December 2026"
    )


def test_the_time_since_the_last_release_of_a_supported_line(refreshed, client):
    assert entries(client, "django")["Last release"] == (
        "5.2.20, 2 December 2026: 5 days before 7 December 2026"
    )
    assert entries(client, "flask")["Last release"] == (
        "3.1.3, 19 February 2026: 291 days before 7 December 2026"
    )


def test_the_supported_lines_with_the_recommended_one_first(refreshed, client):
    lines = [li.clean_text for li in panel(client, "django").find_all("li")]
    assert lines == [
        "5.2 LTS (the one we recommend): newest 5.2.20, 2 December 2026; security fixes until "
        "April 2028. Known vulnerabilities in 5.2.20: none reported by PyPI on 7 December 2026.",
        "6.1, the latest release's line: newest 6.1.3, 3 November 2026. Known vulnerabilities "
        "in 6.1.3: none reported by PyPI on 7 December 2026.",
    ]
    flask = [li.clean_text for li in panel(client, "flask").find_all("li")]
    assert flask == [
        "3.1, the latest release's line (the one we recommend): newest 3.1.3, 19 February "
        "2026. Known vulnerabilities in 3.1.3: none reported by PyPI on 7 December 2026."
    ]


def test_each_newest_release_links_to_its_page_on_the_index(refreshed, client):
    links = {a.clean_text: a.attrs["href"] for a in panel(client, "django").find_all("a")}
    assert links["5.2.20"] == "https://pypi.org/project/Django/5.2.20/"
    assert links["6.1.3"] == "https://pypi.org/project/Django/6.1.3/"


def test_the_feature_line_s_end_shows_while_it_is_the_latest_line(refreshed, client):
    Framework.objects.filter(slug="django").update(
        feature_line="6.1", feature_line_supported_until=datetime.date(2027, 12, 31)
    )
    Framework.objects.get(slug="django").save()
    lines = [li.clean_text for li in panel(client, "django").find_all("li")]
    assert "security fixes until December 2027" in lines[1]
    Framework.objects.filter(slug="django").update(feature_line="6.0")
    Framework.objects.get(slug="django").save()
    lines = [li.clean_text for li in panel(client, "django").find_all("li")]
    assert "security fixes until" not in lines[1]


def test_the_policy_is_the_editors_text_with_its_page_and_date(refreshed, client):
    policy = entries(client, "flask")["Policy"]
    assert policy.startswith("Pallets fixes bugs and security issues in the latest feature version")
    assert policy.endswith("The project's policy, read 7 December 2026.")
    link = panel(client, "flask").find("a", href="https://palletsprojects.com/versions")
    assert link is not None


def test_the_policy_is_plain_text(refreshed, client):
    Framework.objects.filter(slug="flask").update(support_policy="**Only** <b>the latest</b>")
    Framework.objects.get(slug="flask").save()
    page = panel(client, "flask")
    assert entries(client, "flask")["Policy"].startswith("**Only** <b>the latest</b>")
    assert page.find("b") is None


def test_before_any_refresh_the_panel_says_what_it_does_not_know(seeded, client):
    Framework.objects.filter(slug="fastapi").update(
        facts_checked_on=None, releases_past_year=None, security={}
    )
    Framework.objects.get(slug="fastapi").save()
    found = entries(client, "fastapi")
    assert "Releases in a year" not in found
    assert "not known (PyPI gave no list for it)" in found["Supported lines"]


# --- our sample on the newest releases


def record_run(slug: str, passed: bool, problem: str = "") -> None:
    app = SampleApp.objects.get(framework__slug=slug)
    app.latest_tested_on = datetime.date(2026, 12, 7)
    app.latest_passed = passed
    app.latest_versions = "django==5.2.21\ngunicorn==27.0.2\nuvicorn==0.55.0"
    app.latest_problem = problem
    app.save()


def test_the_sample_not_yet_run_on_the_newest_releases(refreshed, client):
    SampleApp.objects.update(latest_tested_on=None, latest_passed=None)
    assert entries(client, "django")["Our sample, newest releases"] == "not tested yet"


def test_the_sample_passing_on_the_newest_releases(refreshed, client):
    record_run("django", passed=True)
    assert entries(client, "django")["Our sample, newest releases"] == (
        "its tests pass with Django 5.2.21, gunicorn 27.0.2, uvicorn 0.55.0 (7 December 2026)"
    )
    code = parse(client.get("/code/")).one("dl", class_="facts").clean_text
    assert (
        "On the newest releases its requirements allow, its tests pass with Django 5.2.21" in code
    )


def test_the_sample_failing_on_the_newest_releases(refreshed, client):
    record_run("django", passed=False, problem="samples: django: tests failed (exit 1)")
    assert entries(client, "django")["Our sample, newest releases"].endswith(
        "(7 December 2026): samples: django: tests failed (exit 1)"
    )


# --- in the open data, valid against its schema


def load(client) -> dict:
    return json.loads(client.get("/data/comparison.json").content)


def test_the_open_data_carries_the_panel(refreshed, client):
    record_run("django", passed=True)
    support = {f["slug"]: f["support"] for f in load(client)["frameworks"]}
    django = support["django"]
    assert django["checked_on"] == "2026-12-07"
    assert django["releases_past_year"] == 8
    assert django["days_since_last_release"] == 5
    assert django["policy"]["source"] == (
        "https://docs.djangoproject.com/en/6.1/internals/release-process/"
    )
    assert [(line["line"], line["kind"], line["recommended"]) for line in django["lines"]] == [
        ("5.2", "lts", True),
        ("6.1", "latest", False),
    ]
    assert django["lines"][0]["supported_until"] == "2028-04-01"
    assert django["lines"][0]["vulnerabilities"] == []
    assert django["sample_on_newest"] == {
        "passed": True,
        "tested_on": "2026-12-07",
        "versions": ["Django==5.2.21", "gunicorn==27.0.2", "uvicorn==0.55.0"],
        "problem": "",
    }


def test_the_open_data_with_a_security_release_validates_against_its_schema(refreshed, client):
    refreshed.vulnerabilities[("django", "5.2.19")] = [
        {
            "id": "GHSA-aaaa-bbbb-cccc",
            "aliases": ["CVE-2026-99999"],
            "summary": "A summary",
            "details": "",
            "fixed_in": ["5.2.20"],
            "link": "https://github.com/advisories/GHSA-aaaa-bbbb-cccc",
            "withdrawn": None,
        }
    ]
    refreshed.release_answers[("django", "6.1.2")] = None  # type: ignore[assignment]
    call_command("refresh_facts", "--index-url", refreshed.url, stdout=io.StringIO())
    record_run("django", passed=False, problem="samples: django: tests failed (exit 1)")
    data = load(client)
    schema = json.loads(SCHEMA_PATH.read_text())
    validator = Draft202012Validator(schema, format_checker=Draft202012Validator.FORMAT_CHECKER)
    assert [f"{list(e.absolute_path)}: {e.message}" for e in validator.iter_errors(data)] == []
    lts = next(f for f in data["frameworks"] if f["slug"] == "django")["support"]["lines"][0]
    assert lts["security_releases"] == [
        {
            "version": "5.2.20",
            "released": "2026-12-02",
            "fixes": [
                {
                    "name": "CVE-2026-99999",
                    "link": "https://github.com/advisories/GHSA-aaaa-bbbb-cccc",
                }
            ],
        }
    ]
