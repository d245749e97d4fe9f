"""The samples' runs on the newest releases (`make samples-latest`), put on the site.

scripts/samples.py writes each framework's result to a JSON file: ``{"django": {"tested_on":
"2026-12-07", "passed": true, "versions": ["django==5.2.20", ...], "problem": ""}, ...}``.
``record`` checks that file's shape (one line naming the framework and the problem, and nothing
stored, if it is not what the script writes) and saves each sample app's fields in one
transaction.
"""

from __future__ import annotations

import datetime
import json
import re
from pathlib import Path

from django.db import transaction

from codesamples.models import SampleApp

PIN = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]*==[A-Za-z0-9][A-Za-z0-9.+!_-]*")
MAX_VERSIONS = 30


class ResultsError(Exception):
    """The results file is missing or not what scripts/samples.py writes (one line)."""


def read(path: Path) -> dict[str, dict]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except OSError as error:
        raise ResultsError(f"{path}: {error.strerror}") from error
    except ValueError as error:
        raise ResultsError(f"{path}: not JSON") from error
    if not isinstance(data, dict):
        raise ResultsError(f"{path}: an object of frameworks was expected")
    for framework, result in data.items():
        problem = _problem(result)
        if problem:
            raise ResultsError(f"{path}: {framework}: {problem}")
    return data


def _problem(result) -> str | None:
    if not isinstance(result, dict):
        return "an object was expected"
    if not isinstance(result.get("passed"), bool):
        return "passed must be true or false"
    try:
        datetime.date.fromisoformat(str(result.get("tested_on")))
    except ValueError:
        return "tested_on must be a date (YYYY-MM-DD)"
    versions = result.get("versions")
    if not isinstance(versions, list) or len(versions) > MAX_VERSIONS:
        return f"versions must be a list of at most {MAX_VERSIONS} name==version"
    if not all(isinstance(v, str) and len(v) <= 100 and PIN.fullmatch(v) for v in versions):
        return "versions must be name==version each"
    problem = result.get("problem")
    max_length = SampleApp._meta.get_field("latest_problem").max_length or 0
    if not isinstance(problem, str) or len(problem) > max_length or "\n" in problem:
        return f"problem must be one line of at most {max_length} characters"
    return None


def record(results: dict[str, dict]) -> list[str]:
    """Save each result on its framework's sample app; the frameworks recorded, in order.
    ResultsError, nothing saved, for a framework the site has no sample app for."""
    apps = {app.framework.slug: app for app in SampleApp.objects.select_related("framework")}
    unknown = sorted(set(results) - set(apps))
    if unknown:
        raise ResultsError(f"no sample app for {', '.join(unknown)}")
    with transaction.atomic():
        for slug, result in results.items():
            app = apps[slug]
            app.latest_tested_on = datetime.date.fromisoformat(result["tested_on"])
            app.latest_passed = result["passed"]
            app.latest_versions = "\n".join(result["versions"])
            app.latest_problem = result["problem"]
            app.save()
    return list(results)
