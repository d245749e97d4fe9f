"""`make samples-latest`: each sample's own tests on the newest releases its requirements.in
allows, recorded with the day and the versions, and shown on /code/ and the framework pages;
and a sample whose lock pins its framework behind a security release, flagged for editors.

No environment is made here and nothing is downloaded: the script's steps are recorded
instead of run (`make samples-latest` runs them for real).
"""

import datetime
import importlib.util
import io
import json
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from codesamples.models import SampleApp, samples_behind_security
from comparisons.models import Framework
from tests.admin_forms import change_url
from tests.html import parse

ROOT = Path(__file__).resolve().parent.parent
spec = importlib.util.spec_from_file_location("samples_script", ROOT / "scripts" / "samples.py")
samples = importlib.util.module_from_spec(spec)
spec.loader.exec_module(samples)

NEWEST_LOCK = """\
django==5.2.21 \\
    --hash=sha256:0
asgiref==3.11.0
gunicorn==27.0.2
sqlparse==0.5.5
uvicorn==0.55.0
"""


# --- the script


@pytest.fixture
def steps(monkeypatch):
    """The steps the script would run, recorded; resolving writes NEWEST_LOCK."""
    seen = []

    def run(framework, step, command, cwd, env=None):
        seen.append((step, command, cwd))
        if step == "newest releases":
            Path(command[command.index("-o") + 1]).write_text(NEWEST_LOCK)

    monkeypatch.setattr(samples, "run", run)
    monkeypatch.setattr(samples, "run_tests", lambda framework, folder, venv: None)
    return seen


def test_the_newest_releases_are_resolved_afresh_never_from_the_lock(steps, tmp_path):
    result = samples.run_on_newest("django", uv="/opt/uv", environments=tmp_path)
    resolve, make, install = (command for _, command, _ in steps)
    assert resolve[:3] == ["/opt/uv", "pip", "compile"]
    assert "requirements.in" in resolve
    assert "requirements.txt" not in resolve  # the committed lock is never read nor written
    assert not resolve[resolve.index("-o") + 1].startswith(str(ROOT))
    assert make[:2] == ["/opt/uv", "venv"]
    assert install[:3] == ["/opt/uv", "pip", "sync"]
    assert all(cwd == ROOT / "samples" / "django" for *_, cwd in steps)
    assert result == {
        "passed": True,
        "versions": ["django==5.2.21", "gunicorn==27.0.2", "uvicorn==0.55.0"],
        "problem": "",
    }


def test_the_newest_releases_go_into_an_environment_of_their_own(steps, tmp_path, monkeypatch):
    used = []
    monkeypatch.setattr(
        samples, "run_tests", lambda framework, folder, venv: used.append(venv) or None
    )
    samples.run_on_newest("flask", uv="uv", environments=tmp_path)
    venv = tmp_path / "flask" / ".venv"
    assert used == [venv]
    assert steps[1][1][-1] == str(venv)
    install = steps[2][1]
    assert install[install.index("--python") + 1] == str(venv / "bin" / "python")


def test_failing_tests_on_the_newest_releases_are_a_result(steps, tmp_path, monkeypatch):
    problem = "samples: django: tests failed (exit 1)"
    monkeypatch.setattr(samples, "run_tests", lambda framework, folder, venv: problem)
    result = samples.run_on_newest("django", uv="uv", environments=tmp_path)
    assert result["passed"] is False
    assert result["problem"] == problem
    assert result["versions"][0] == "django==5.2.21"


def test_releases_that_cannot_be_resolved_are_a_result(tmp_path, monkeypatch):
    monkeypatch.setattr(samples, "run", lambda framework, step, *_: f"{framework}: {step} failed")
    result = samples.run_on_newest("fastapi", uv="uv", environments=tmp_path)
    assert result == {
        "passed": False,
        "versions": [],
        "problem": "fastapi: newest releases failed",
    }


def test_the_run_writes_every_result_and_fails_when_one_sample_fails(tmp_path, monkeypatch, capsys):
    def fake(framework, folder, uv):
        failed = framework == "flask"
        problem = "samples: flask: tests failed (exit 1)" if failed else ""
        return {"passed": not failed, "versions": [f"{framework}==1.0"], "problem": problem}

    monkeypatch.setattr(samples, "run_on_newest", fake)
    results = tmp_path / "results.json"
    assert samples.main(["latest", "--record", str(results)]) == 1
    written = json.loads(results.read_text())
    assert sorted(written) == ["django", "fastapi", "flask"]
    assert written["flask"]["passed"] is False
    assert written["django"]["tested_on"] == datetime.date.today().isoformat()
    out, err = capsys.readouterr()
    assert "samples: django: newest releases: django==1.0" in out
    assert err.strip() == "samples: flask: tests failed (exit 1)"


def test_the_run_needs_a_file_to_record_to(capsys):
    with pytest.raises(SystemExit):
        samples.main(["latest"])
    assert "latest needs --record FILE" in capsys.readouterr().err


# --- recorded on the site


def results_file(tmp_path, **changes) -> Path:
    results = {
        "django": {
            "tested_on": "2026-12-07",
            "passed": True,
            "versions": ["django==5.2.21", "gunicorn==27.0.2", "uvicorn==0.55.0"],
            "problem": "",
        }
    }
    results["django"].update(changes)
    path = tmp_path / "results.json"
    path.write_text(json.dumps(results))
    return path


def record(path) -> str:
    out = io.StringIO()
    call_command("record_samples_latest", str(path), stdout=out)
    return out.getvalue()


def test_a_recorded_run_shows_on_the_code_page_and_the_framework_page(seeded, tmp_path, client):
    assert "Recorded the newest-release runs of django." in record(results_file(tmp_path))
    code = parse(client.get("/code/")).one("dl", class_="facts").clean_text
    assert (
        "On the newest releases its requirements allow, its tests pass with Django 5.2.21, "
        "gunicorn 27.0.2, uvicorn 0.55.0 (7 December 2026)."
    ) in code
    page = parse(client.get("/frameworks/django/")).one("dl", class_="support").clean_text
    assert "its tests pass with Django 5.2.21" in page


def test_a_failed_run_says_what_failed(seeded, tmp_path, client):
    record(results_file(tmp_path, passed=False, problem="samples: django: tests failed (exit 1)"))
    code = parse(client.get("/code/")).one("dl", class_="facts").clean_text
    assert "its tests fail with Django 5.2.21" in code
    assert "(7 December 2026): samples: django: tests failed (exit 1)." in code


@pytest.mark.parametrize(
    ("changes", "problem"),
    [
        ({"passed": "yes"}, "django: passed must be true or false"),
        ({"tested_on": "today"}, "django: tested_on must be a date"),
        ({"versions": "django==5.2.21"}, "django: versions must be a list"),
        ({"versions": ["<b>django</b>"]}, "django: versions must be name==version each"),
        ({"problem": "two\nlines"}, "django: problem must be one line"),
        ({"problem": "x" * 301}, "django: problem must be one line of at most 300 characters"),
    ],
)
def test_a_results_file_of_the_wrong_shape_stores_nothing(seeded, tmp_path, changes, problem):
    before = list(SampleApp.objects.values_list("latest_tested_on", "latest_versions"))
    with pytest.raises(CommandError, match=problem) as raised:
        record(results_file(tmp_path, **changes))
    assert "\n" not in str(raised.value)
    assert list(SampleApp.objects.values_list("latest_tested_on", "latest_versions")) == before


def test_results_for_a_framework_without_a_sample_store_nothing(seeded, tmp_path):
    path = results_file(tmp_path)
    data = json.loads(path.read_text())
    data["rails"] = data["django"]
    path.write_text(json.dumps(data))
    before = list(SampleApp.objects.values_list("latest_tested_on", "latest_versions"))
    with pytest.raises(CommandError, match="no sample app for rails"):
        record(path)
    assert list(SampleApp.objects.values_list("latest_tested_on", "latest_versions")) == before


def test_a_results_file_that_is_not_json(seeded, tmp_path):
    path = tmp_path / "results.json"
    path.write_text("<html>")
    with pytest.raises(CommandError, match=r"results\.json: not JSON"):
        record(path)


# --- a sample pinned behind a security release


def reported(version: str, fixed_in: list[str]) -> None:
    django = Framework.objects.get(slug="django")
    django.security = {
        "read": [version],
        "advisories": [
            {
                "id": "PYSEC-2026-77",
                "aliases": ["CVE-2026-48213"],
                "summary": "Denial of service",
                "link": "https://osv.dev/vulnerability/PYSEC-2026-77",
                "fixed_in": fixed_in,
                "reported_for": version,
            }
        ],
    }
    django.save()


def test_a_sample_pinned_behind_a_security_release_is_flagged(seeded):
    reported("5.2.20", ["5.2.21", "6.1.4"])
    app = SampleApp.objects.get(framework__slug="django")
    assert app.pinned_version == "5.2.20"
    expected = (
        "The Django sample pins 5.2.20, behind 5.2.21, which fixes CVE-2026-48213: update its "
        "lock (make samples-lock)."
    )
    assert app.behind_security() == [expected]
    assert samples_behind_security() == [expected]


def test_a_sample_on_the_fixing_release_or_another_line_is_not_flagged(seeded):
    reported("5.2.19", ["5.2.20"])
    assert samples_behind_security() == []
    reported("6.1.2", ["6.1.3"])
    assert samples_behind_security() == []


def test_the_sample_s_admin_page_warns_of_it(seeded, editor_client):
    reported("5.2.20", ["5.2.21"])
    app = SampleApp.objects.get(framework__slug="django")
    page = parse(editor_client.get(change_url(app)))
    warnings = [li.clean_text for li in page.find_all("li", class_="warning")]
    assert warnings == [
        "The Django sample pins 5.2.20, behind 5.2.21, which fixes CVE-2026-48213: update its "
        "lock (make samples-lock)."
    ]
