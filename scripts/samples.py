"""The code samples (samples/<framework>/): check them, install each into its own environment,
run each one's own tests there.

    python3 scripts/samples.py check [FRAMEWORK ...]    # the structure the site relies on
    python3 scripts/samples.py install [FRAMEWORK ...]  # samples/<fw>/.venv from its lock
    python3 scripts/samples.py test [FRAMEWORK ...]     # check, install, then its own tests
    python3 scripts/samples.py latest [FRAMEWORK ...] --record FILE
        # its own tests on the newest releases its requirements.in allows, not its lock's

`make samples` installs, `make samples-test` tests (and `make test` runs it). Every problem is
one line naming the framework and the step ("samples: flask: tests failed (exit 1)"); the
exit status is 1 when there is any. A framework that fails does not stop the others.

`latest` (`make samples-latest`) resolves the sample's requirements.in afresh for this Python
(uv pip compile, into a temporary lock: never the committed one), installs that into an
environment of its own outside the sample (var/samples-latest/<fw>/.venv), runs the same
steps, and writes each framework's result, day and versions to FILE (JSON), which
`manage.py record_samples_latest` puts on the site.

The standard library only: it runs with the machine's Python, before any environment exists.
The markers and the locks are read by the project's codesamples.files (standard library only
too, no Django), which the site uses as well to show each task's code (see samples/README.md
for the markers); this script puts the project on sys.path to import it.
"""

from __future__ import annotations

import argparse
import datetime
import hashlib
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # the project: codesamples.files reads the samples' files
from codesamples.files import (  # noqa: E402
    FRAMEWORKS,
    LOCKED,
    SampleError,
    lock_problems,
    normalise,
    read_tasks,
    wanted_names,
)

SAMPLES = ROOT / "samples"
# Where `latest` makes each sample's environment of the newest releases (var/ is not committed).
LATEST_ENVIRONMENTS = ROOT / "var" / "samples-latest"

# The files each sample must have beyond its task regions: what serves it, what its tests run
# with, and the template its page is rendered from.
REQUIRED_FILES = {
    "django": [
        "manage.py",
        "project/settings.py",
        "project/wsgi.py",
        "project/asgi.py",
        "demo/migrations/0001_initial.py",
        "demo/templates/demo/page.html",
    ],
    "flask": ["demo/__init__.py", "demo/templates/page.html", "pytest.ini"],
    "fastapi": ["app/main.py", "app/templates/page.html", "pytest.ini"],
}
# Where each sample's tests live, and the steps that test it (run in the sample's folder with
# its environment's Python).
TEST_PATHS = {
    "django": ["demo/tests.py"],
    "flask": ["tests"],
    "fastapi": ["tests"],
}
PYTEST = ["-m", "pytest", "-q", "--tb=short", "-p", "no:cacheprovider"]
DJANGO_TESTS = ["manage.py", "test", "--verbosity", "1"]
STARTPROJECT = "project.settings_startproject"
TEST_STEPS = {
    "django": [
        ("system checks", ["manage.py", "check", "--fail-level", "WARNING"]),
        ("migrations", ["manage.py", "makemigrations", "--check", "--dry-run"]),
        ("tests", DJANGO_TESTS),
        # The settings `make framework-bench` also serves the sample with: as startproject
        # makes a project, and with the views as `async def` (project/settings_*.py).
        ("tests, as startproject makes it", [*DJANGO_TESTS, "--settings", STARTPROJECT]),
        ("tests, async views", [*DJANGO_TESTS, "--settings", "project.settings_async"]),
    ],
    "flask": [("tests", PYTEST)],
    "fastapi": [("tests", PYTEST)],
}
# Variables of the site (or of whoever runs this) that must not leak into a sample's run
# (NOTES_DB is set to a throw-away file instead).
CLEARED_VARIABLES = ("DJANGO_SETTINGS_MODULE", "PYTHONPATH", "VIRTUAL_ENV")


def check(framework: str, samples: Path = SAMPLES) -> list[str]:
    """What is wrong with one sample, each a line naming the framework and the step."""
    sample = samples / framework
    if not sample.is_dir():
        return [f"samples: {framework}: check: missing folder {sample}"]
    problems = [f"samples: {framework}: check: {problem}" for problem in lock_problems(sample)]
    problems += [
        f"samples: {framework}: check: missing file {relative}"
        for relative in REQUIRED_FILES[framework]
        if not (sample / relative).is_file()
    ]
    try:
        tasks = read_tasks(sample)
    except SampleError as error:
        problems.append(f"samples: {framework}: check: {error}")
    else:
        problems += [
            f"samples: {framework}: check: task {task!r} has no code "
            f"(no '--- task: {task}' region in its .py or .html files)"
            for task, regions in tasks.items()
            if not regions
        ]
        if tasks["page"] and not any(region.path.endswith(".html") for region in tasks["page"]):
            problems.append(f"samples: {framework}: check: task 'page' has no template region")
    for relative in TEST_PATHS[framework]:
        tests = sample / relative
        files = sorted(tests.rglob("test*.py")) if tests.is_dir() else [tests]
        if not any(path.is_file() and "def test_" in path.read_text() for path in files):
            problems.append(f"samples: {framework}: check: no tests in {relative}")
    return problems


def run(framework: str, step: str, command: list[str], cwd: Path, env=None) -> str | None:
    """Runs one step, its output straight to the terminal; a problem line if it fails."""
    print(f"== samples: {framework}: {step}", flush=True)
    try:
        result = subprocess.run(command, cwd=cwd, env=env, check=False)
    except OSError as error:
        return f"samples: {framework}: {step} failed ({error})"
    if result.returncode:
        return f"samples: {framework}: {step} failed (exit {result.returncode})"
    return None


def lock_digest(sample: Path) -> str:
    return hashlib.sha256((sample / "requirements.txt").read_bytes()).hexdigest()


def install(framework: str, samples: Path = SAMPLES, uv: str = "uv") -> str | None:
    """samples/<fw>/.venv with exactly the lock's packages; reinstalls when the lock changed.

    Made and filled by uv (pinned in requirements/uv.txt), never by the interpreter's bundled
    pip, which rejects a hash-locked extra as soon as PyPI has a newer release than the lock.
    """
    sample = samples / framework
    venv = sample / ".venv"
    stamp = venv / ".installed"
    if stamp.is_file() and stamp.read_text().strip() == lock_digest(sample):
        return None
    python = venv / "bin" / "python"
    if not python.exists():
        command = [uv, "venv", "--quiet", "--python", sys.executable, str(venv)]
        if problem := run(framework, "virtual environment", command, sample):
            return problem
    stamp.unlink(missing_ok=True)
    command = [uv, "pip", "sync", "--python", str(python), "--require-hashes", "requirements.txt"]
    if problem := run(framework, "install", command, sample):
        return problem
    stamp.write_text(lock_digest(sample) + "\n")
    return None


def run_tests(framework: str, samples: Path = SAMPLES, venv: Path | None = None) -> str | None:
    """The sample's steps in its environment (its .venv, or ``venv``); a database the tests
    don't make is a throw-away."""
    sample = samples / framework
    python = str((venv or sample / ".venv") / "bin" / "python")
    env = {name: value for name, value in os.environ.items() if name not in CLEARED_VARIABLES}
    with tempfile.TemporaryDirectory(prefix=f"samples-{framework}-") as scratch:
        env["NOTES_DB"] = str(Path(scratch) / "notes.sqlite3")
        for step, arguments in TEST_STEPS[framework]:
            if problem := run(framework, step, [python, *arguments], sample, env):
                return problem
    return None


def newest_versions(lock: Path, sample: Path) -> list[str]:
    """What a lock pins of what the sample asks for: ["django==5.2.20", ...], in the order
    of requirements.in."""
    pinned = {}
    for line in lock.read_text(encoding="utf-8").splitlines():
        found = LOCKED.match(line)
        if found:
            pinned[normalise(found[1])] = found[2]
    return [
        f"{name}=={pinned[normalise(name)]}"
        for name in wanted_names(sample)
        if normalise(name) in pinned
    ]


def run_on_newest(
    framework: str,
    samples: Path = SAMPLES,
    uv: str = "uv",
    environments: Path = LATEST_ENVIRONMENTS,
) -> dict:
    """Its own tests on the newest releases its requirements.in allows: {"passed", "versions",
    "problem"}, the versions those it was tested with (none where resolving failed)."""
    sample = samples / framework
    venv = environments / framework / ".venv"
    result: dict = {"passed": False, "versions": [], "problem": ""}
    with tempfile.TemporaryDirectory(prefix=f"samples-latest-{framework}-") as scratch:
        lock = Path(scratch) / "requirements.txt"
        steps = [
            ("newest releases", [uv, "pip", "compile", "--quiet", "--python", sys.executable,
                                 "--no-header", "requirements.in", "-o", str(lock)]),
            ("virtual environment", [uv, "venv", "--quiet", "--allow-existing", "--python",
                                     sys.executable, str(venv)]),
            ("install newest", [uv, "pip", "sync", "--quiet", "--python",
                                str(venv / "bin" / "python"), str(lock)]),
        ]  # fmt: skip
        for step, command in steps:
            if problem := run(framework, step, command, sample):
                result["problem"] = problem
                return result
            if step == "newest releases":
                result["versions"] = newest_versions(lock, sample)
    if problem := run_tests(framework, samples, venv):
        result["problem"] = problem
        return result
    result["passed"] = True
    return result


def record(path: Path, results: dict[str, dict]) -> None:
    """The results of `latest`, for `manage.py record_samples_latest`: by framework, each with
    the day it was tested."""
    day = datetime.date.today().isoformat()
    found = {framework: {"tested_on": day, **result} for framework, result in results.items()}
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(found, indent=2) + "\n", encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("command", choices=["check", "install", "test", "latest"])
    parser.add_argument("frameworks", nargs="*", help=f"some of {', '.join(FRAMEWORKS)}")
    parser.add_argument("--samples", type=Path, default=SAMPLES, help="the samples' folder")
    parser.add_argument("--uv", default="uv", help="the uv that makes the environments")
    parser.add_argument(
        "--record", type=Path, help="latest: the JSON file its results are written to"
    )
    args = parser.parse_args(argv)
    unknown = sorted(set(args.frameworks) - set(FRAMEWORKS))
    if unknown:
        parser.error(f"unknown {', '.join(unknown)}: choose from {', '.join(FRAMEWORKS)}")
    if args.command == "latest" and args.record is None:
        parser.error("latest needs --record FILE")
    problems = []
    results = {}
    for framework in args.frameworks or FRAMEWORKS:
        started = time.monotonic()
        found = check(framework, args.samples)
        if not found and args.command == "latest":
            results[framework] = run_on_newest(framework, args.samples, args.uv)
            found = [results[framework]["problem"]] if results[framework]["problem"] else []
            versions = ", ".join(results[framework]["versions"])
            print(f"samples: {framework}: newest releases: {versions or 'none resolved'}")
        elif not found and args.command != "check":
            found = [problem for problem in [install(framework, args.samples, args.uv)] if problem]
        if not found and args.command == "test":
            found = [problem for problem in [run_tests(framework, args.samples)] if problem]
        problems += found
        outcome = "failed" if found else "ok"
        seconds = time.monotonic() - started
        print(f"samples: {framework}: {args.command} {outcome} ({seconds:.1f} s)", flush=True)
    if args.command == "latest":
        record(args.record, results)
        print(f"samples: results written to {args.record}")
    for problem in problems:
        print(problem, file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
