"""The code samples (samples/<framework>/): the structure the site relies on to show them.

Each framework has every task's code between its markers, a lock with exact versions and
hashes, and tests; codesamples/files.py reads the markers and the locks, and scripts/samples.py
reports what is missing, naming the framework and the step. Fast: no environment is made here
(`make samples-test` runs the samples' own tests).
"""

import ast
import importlib.util
import re
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

from codesamples import files

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "samples"

# The script, as `make samples-test` runs it (scripts/ is not a package).
spec = importlib.util.spec_from_file_location("samples_script", ROOT / "scripts" / "samples.py")
samples = importlib.util.module_from_spec(spec)
spec.loader.exec_module(samples)

FRAMEWORKS = ["django", "flask", "fastapi"]
TASKS = ["setup", "hello", "greet", "notes", "page", "test"]
# Every sample answers the same paths, so that they can be compared and loaded alike (Django
# writes them without the leading slash).
PATHS = {"hello": "hello", "greet": "greet/", "notes": "notes", "page": "page"}


def copy_of(tmp_path, framework):
    """A copy of the samples without environments or databases, to break one of."""
    ignored = shutil.ignore_patterns(".venv", "__pycache__", "*.sqlite3", "instance")
    shutil.copytree(SAMPLES, tmp_path / "samples", ignore=ignored)
    return tmp_path / "samples", tmp_path / "samples" / framework


def test_the_conventions_name_every_framework_and_task():
    assert list(files.FRAMEWORKS) == FRAMEWORKS
    assert list(files.TASKS) == TASKS


def test_the_files_module_imports_only_the_standard_library():
    tree = ast.parse((ROOT / "codesamples" / "files.py").read_text())
    imported = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            imported |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom):
            imported.add(node.module.split(".")[0])
    assert imported - {"__future__"} <= sys.stdlib_module_names


def test_the_script_runs_where_django_cannot_be_imported(tmp_path):
    """As `make samples-test` runs it (`python3 scripts/samples.py ...`, the machine's Python,
    before any environment): it finds codesamples.files by itself, and neither imports Django."""
    no_django = tmp_path / "no-django" / "django"
    no_django.mkdir(parents=True)
    (no_django / "__init__.py").write_text("raise ImportError('no Django here')\n")
    done = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "samples.py"), "check"],
        cwd=tmp_path,
        env={"PATH": "/usr/bin:/bin", "PYTHONPATH": str(no_django.parent)},
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    checked = re.findall(r"^samples: (\w+): check ok", done.stdout, re.MULTILINE)
    assert checked == FRAMEWORKS


@pytest.mark.parametrize("framework", FRAMEWORKS)
def test_every_sample_passes_the_check(framework):
    assert samples.check(framework) == []


@pytest.mark.parametrize("framework", FRAMEWORKS)
def test_every_task_has_code_in_every_sample(framework):
    tasks = files.read_tasks(SAMPLES / framework)
    assert list(tasks) == TASKS
    for task, regions in tasks.items():
        assert regions, task
        for region in regions:
            assert region.lines > 0
            assert "--- task" not in region.code
            assert "--- end" not in region.code


@pytest.mark.parametrize("framework", FRAMEWORKS)
@pytest.mark.parametrize(("task", "path"), PATHS.items())
def test_every_sample_answers_the_same_paths(framework, task, path):
    code = "".join(region.code for region in files.read_tasks(SAMPLES / framework)[task])
    assert re.search(f'"/?{path}', code), code


@pytest.mark.parametrize("framework", FRAMEWORKS)
def test_every_html_page_comes_from_a_template(framework):
    regions = files.read_tasks(SAMPLES / framework)["page"]
    assert any(region.path.endswith(".html") for region in regions)
    assert any(region.path.endswith(".py") for region in regions)


def test_a_region_is_read_without_its_markers_and_dedented(tmp_path):
    code = tmp_path / "urls.py"
    code.write_text("urls = [\n    # --- task: hello\n    path('hello'),\n    # --- end\n]\n")
    [region] = files.regions_of(code, "urls.py")
    assert (region.task, region.path, region.first_line) == ("hello", "urls.py", 3)
    assert region.code == "path('hello'),\n"
    template = tmp_path / "page.html"
    template.write_text("{# --- task: page #}\n<h1>{{ name }}</h1>\n{# --- end #}\n")
    assert files.regions_of(template, "page.html")[0].code == "<h1>{{ name }}</h1>\n"


@pytest.mark.parametrize("framework", FRAMEWORKS)
def test_every_lock_pins_every_package_exactly_with_hashes(framework):
    lock = (SAMPLES / framework / "requirements.txt").read_text()
    requirements = re.findall(r"^([a-z0-9][a-z0-9._-]*)(\S*)", lock, re.MULTILINE | re.IGNORECASE)
    assert requirements
    for name, pin in requirements:
        assert re.fullmatch(r"(\[[^\]]*\])?==\S+", pin), name
    assert lock.count("--hash=sha256:") >= len(requirements)
    assert files.lock_problems(SAMPLES / framework) == []


def test_django_is_its_lts_line_which_runs_on_this_python():
    lock = (SAMPLES / "django" / "requirements.txt").read_text()
    assert re.search(r"^django==5\.2\.\d+ ", lock, re.MULTILINE)
    assert "Django 6.x needs Python >= 3.12" in (SAMPLES / "django" / "requirements.in").read_text()


@pytest.mark.parametrize("framework", FRAMEWORKS)
def test_every_sample_has_tests(framework):
    found = []
    for relative in samples.TEST_PATHS[framework]:
        path = SAMPLES / framework / relative
        found += sorted(path.rglob("test*.py")) if path.is_dir() else [path]
    assert any("def test_" in path.read_text() for path in found)


def test_the_django_sample_commits_its_migrations():
    assert (SAMPLES / "django" / "demo" / "migrations" / "0001_initial.py").is_file()


def test_a_missing_task_is_reported_naming_the_framework(tmp_path, capsys):
    root, flask = copy_of(tmp_path, "flask")
    (flask / "demo" / "templates" / "page.html").unlink()
    views = flask / "demo" / "views.py"
    views.write_text(re.sub(r"# --- task: page\n.*?# --- end\n", "", views.read_text(), flags=re.S))
    assert samples.main(["check", "--samples", str(root)]) == 1
    err = capsys.readouterr().err
    assert "samples: flask: check: task 'page' has no code" in err
    assert "django" not in err
    assert "fastapi" not in err


def test_a_missing_sample_file_is_reported(tmp_path, capsys):
    root, fastapi = copy_of(tmp_path, "fastapi")
    (fastapi / "requirements.txt").unlink()
    shutil.rmtree(fastapi / "tests")
    assert samples.main(["check", "fastapi", "--samples", str(root)]) == 1
    err = capsys.readouterr().err
    assert "samples: fastapi: check: requirements: missing requirements.txt" in err
    assert "samples: fastapi: check: no tests in tests" in err


@pytest.mark.parametrize("framework", FRAMEWORKS)
def test_a_missing_template_is_reported(tmp_path, framework):
    root, sample = copy_of(tmp_path, framework)
    [template] = list(sample.rglob("page.html"))
    template.unlink()
    relative = template.relative_to(sample).as_posix()
    assert samples.check(framework, root) == [
        f"samples: {framework}: check: missing file {relative}",
        f"samples: {framework}: check: task 'page' has no template region",
    ]


def test_a_missing_entry_point_is_reported(tmp_path):
    root, django = copy_of(tmp_path, "django")
    (django / "project" / "asgi.py").unlink()
    assert samples.check("django", root) == ["samples: django: check: missing file project/asgi.py"]


def test_a_missing_sample_folder_is_reported(tmp_path):
    root, django = copy_of(tmp_path, "django")
    shutil.rmtree(django)
    [problem] = samples.check("django", root)
    assert problem.startswith("samples: django: check: missing folder")


def test_an_unpinned_or_unhashed_lock_is_reported(tmp_path):
    root, flask = copy_of(tmp_path, "flask")
    lock = flask / "requirements.txt"
    text = lock.read_text()
    text = re.sub(r"^flask==\S+", "flask>=3.0", text, flags=re.MULTILINE)
    text = re.sub(r"^(gunicorn==\S+) \\\n(    --hash\S+( \\)?\n)+", r"\1\n", text, flags=re.M)
    lock.write_text(text)
    problems = samples.check("flask", root)
    assert "samples: flask: check: requirements.txt: 'flask>=3.0' is not pinned with ==" in problems
    assert [p for p in problems if "has no hash" in p] == [
        f"samples: flask: check: requirements.txt: {pin!r} has no hash"
        for pin in re.findall(r"^gunicorn==\S+", text, flags=re.M)
    ]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("# --- task: nope\nx = 1\n# --- end\n", "unknown task 'nope'"),
        ("# --- task: hello\nx = 1\n", "task 'hello' is never closed"),
        ("x = 1\n# --- end\n", "'--- end' with no task open"),
        ("# --- task: hello\n# --- task: greet\nx = 1\n# --- end\n", "task 'hello' is still open"),
        ("# --- task: hello\n\n# --- end\n", "task 'hello' has no code"),
    ],
)
def test_broken_markers_are_reported_with_file_and_line(tmp_path, text, message):
    root, django = copy_of(tmp_path, "django")
    (django / "demo" / "extra.py").write_text(text)
    [problem] = samples.check("django", root)
    assert problem.startswith("samples: django: check: demo/extra.py:")
    assert message in problem


def test_a_failing_step_names_the_framework_and_the_step(tmp_path):
    failing = [sys.executable, "-c", "raise SystemExit(3)"]
    problem = samples.run("flask", "tests", failing, tmp_path)
    assert problem == "samples: flask: tests failed (exit 3)"
    assert samples.run("flask", "tests", [sys.executable, "-c", "pass"], tmp_path) is None
    missing = samples.run("django", "install", [str(tmp_path / "no-such-program")], tmp_path)
    assert missing.startswith("samples: django: install failed (")


def test_failing_tests_stop_that_sample_only_and_fail_the_run(tmp_path, monkeypatch, capsys):
    root, _ = copy_of(tmp_path, "flask")
    monkeypatch.setattr(samples, "install", lambda framework, samples_dir, uv: None)
    results = {"flask": "samples: flask: tests failed (exit 1)"}
    monkeypatch.setattr(samples, "run_tests", lambda framework, _: results.get(framework))
    assert samples.main(["test", "--samples", str(root)]) == 1
    out, err = capsys.readouterr()
    assert "samples: django: test ok" in out
    assert "samples: flask: test failed" in out
    assert "samples: fastapi: test ok" in out
    assert err.strip() == "samples: flask: tests failed (exit 1)"


def test_an_unknown_framework_is_refused(capsys):
    with pytest.raises(SystemExit) as stopped:
        samples.main(["check", "rails"])
    assert stopped.value.code == 2
    assert "unknown rails" in capsys.readouterr().err


def test_the_sites_suite_and_coverage_leave_the_samples_alone():
    pyproject = tomllib.loads((ROOT / "pyproject.toml").read_text())
    assert pyproject["tool"]["pytest"]["ini_options"]["testpaths"] == ["tests"]
    measured = pyproject["tool"]["coverage"]["run"]["source"]
    assert measured
    assert not [name for name in measured if name.startswith("samples")]
    ignored = (ROOT / ".gitignore").read_text()
    assert "samples/*/.venv/" in ignored
    assert "samples/*/*.sqlite3" in ignored


def test_a_samples_steps_run_in_its_folder_on_a_throwaway_database(monkeypatch):
    seen = []

    def record(framework, step, command, cwd, env=None):
        seen.append((step, command, cwd, env))

    monkeypatch.setattr(samples, "run", record)
    monkeypatch.setenv("DJANGO_SETTINGS_MODULE", "config.settings")
    monkeypatch.setenv("NOTES_DB", "/somewhere/precious.sqlite3")
    assert samples.run_tests("django") is None
    assert [step for step, *_ in seen] == [
        "system checks",
        "migrations",
        "tests",
        "tests, as startproject makes it",
        "tests, async views",
    ]
    for _, command, cwd, env in seen:
        assert command[0] == str(SAMPLES / "django" / ".venv" / "bin" / "python")
        assert cwd == SAMPLES / "django"
        assert "DJANGO_SETTINGS_MODULE" not in env
        assert env["NOTES_DB"].endswith("notes.sqlite3")
        assert "precious" not in env["NOTES_DB"]
        assert not Path(env["NOTES_DB"]).parent.exists()  # removed once the steps are done


def test_a_sample_is_reinstalled_only_when_its_lock_changes(tmp_path, monkeypatch):
    sample = tmp_path / "flask"
    (sample / ".venv" / "bin").mkdir(parents=True)
    (sample / ".venv" / "bin" / "python").touch()
    (sample / "requirements.txt").write_text("flask==3.1.3 --hash=sha256:0\n")
    steps = []
    monkeypatch.setattr(samples, "run", lambda framework, step, *_: steps.append(step))
    assert samples.install("flask", tmp_path) is None
    assert steps == ["install"]  # the environment exists: only the packages are installed
    assert samples.install("flask", tmp_path) is None
    assert steps == ["install"]  # the same lock: nothing to do
    (sample / "requirements.txt").write_text("flask==3.1.4 --hash=sha256:1\n")
    assert samples.install("flask", tmp_path) is None
    assert steps == ["install", "install"]
    monkeypatch.setattr(samples, "run", lambda framework, step, *_: f"{framework}: {step} failed")
    (sample / "requirements.txt").write_text("flask==3.1.5 --hash=sha256:2\n")
    assert samples.install("flask", tmp_path) == "flask: install failed"
    assert not (sample / ".venv" / ".installed").exists()  # a failed install is tried again


def test_a_samples_environment_is_made_and_filled_by_uv_never_the_bundled_pip(
    tmp_path, monkeypatch
):
    sample = tmp_path / "fastapi"
    sample.mkdir()
    (sample / "requirements.txt").write_text("fastapi==0.165.0 --hash=sha256:0\n")
    commands = []

    def record(framework, step, command, cwd):
        commands.append(command)
        (sample / ".venv").mkdir(exist_ok=True)

    monkeypatch.setattr(samples, "run", record)
    assert samples.install("fastapi", tmp_path, uv="/opt/uv") is None
    made, filled = commands
    assert made[:2] == ["/opt/uv", "venv"]
    assert filled[:3] == ["/opt/uv", "pip", "sync"]
    assert "--require-hashes" in filled
    assert filled[filled.index("--python") + 1] == str(sample / ".venv" / "bin" / "python")
    assert not any("pip" in part and "-m" in command for command in commands for part in command)
