"""Reading releases from the package index's JSON, as pip would: pure functions, no database,
on the responses recorded from PyPI on 2026-12-01 (tests/data/pypi/)."""

import datetime
import json
from pathlib import Path

import pytest

from comparisons.releases import PackageIndexError, facts_from_index, final_releases
from core.templatetags.site import python_floor

RECORDED = Path(__file__).parent / "data" / "pypi"


def recorded(name: str) -> dict:
    return json.loads((RECORDED / f"{name}.json").read_text())


def test_the_latest_release_is_the_highest_final_version():
    assert facts_from_index(recorded("django"), "Django", "")["latest_version"] == "6.1.3"


def test_pre_releases_are_never_the_latest():
    data = recorded("flask")
    data["releases"]["3.2.0rc1"] = [
        {"requires_python": ">=3.10", "upload_time_iso_8601": "2026-11-30T00:00:00Z"}
    ]
    assert facts_from_index(data, "Flask", "")["latest_version"] == "3.1.3"


def test_a_release_whose_files_are_all_yanked_is_left_out():
    versions = {str(v) for v in final_releases(recorded("django"), "Django")}
    assert "5.0.5" not in versions  # yanked on PyPI
    assert "5.2.19" in versions


def test_the_python_floor_is_the_files_requires_python_not_the_info_block():
    data = recorded("fastapi")
    assert data["info"]["requires_python"] == ">=3.10"  # what the info block still says
    assert facts_from_index(data, "fastapi", "")["latest_requires_python"] == ">=3.11"


def test_a_release_date_is_its_first_upload():
    facts = facts_from_index(recorded("fastapi"), "fastapi", "")
    assert facts["latest_released"] == datetime.date(2026, 11, 18).isoformat()


def test_the_newest_release_of_an_lts_line():
    facts = facts_from_index(recorded("django"), "Django", "5.2")
    assert (facts["lts_version"], facts["lts_requires_python"]) == ("5.2.20", ">=3.10")


def test_an_lts_line_does_not_match_a_longer_number():
    data = recorded("django")
    data["releases"]["5.20"] = data["releases"]["6.1.3"]
    assert facts_from_index(data, "Django", "5.2")["lts_version"] == "5.2.20"


def test_versions_that_are_not_pep_440_are_ignored():
    data = recorded("flask")
    data["releases"]["not-a-version"] = data["releases"]["3.1.3"]
    assert facts_from_index(data, "Flask", "")["latest_version"] == "3.1.3"


def test_no_final_release_is_an_error():
    with pytest.raises(PackageIndexError, match="lists no final release"):
        facts_from_index({"releases": {"1.0a1": []}}, "x", "")


@pytest.mark.parametrize(
    ("spec", "words"),
    [
        (">=3.12", "Python 3.12 or newer"),
        (">= 3.9", "Python 3.9 or newer"),
        (">=3.9,<4", "Python >=3.9,<4"),
        ("", ""),
    ],
)
def test_a_python_floor_in_words(spec, words):
    assert python_floor(spec) == words
