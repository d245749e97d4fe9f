"""The code samples' files (samples/<framework>/) and their conventions: each task's code
between its markers, and the packages each sample asks for and locks.

The markers are parsed here, in one place (samples/README.md has the convention). Standard
library only, and no Django: `make samples-test` runs scripts/samples.py with the machine's
Python, before any environment exists, and it imports this module; the site reads the files
through codesamples.reader, which imports it too.
"""

from __future__ import annotations

import os
import re
import textwrap
from dataclasses import dataclass
from pathlib import Path

FRAMEWORKS = ("django", "flask", "fastapi")
# Every sample shows each of these, in this order, with the same names.
TASKS = ("setup", "hello", "greet", "notes", "page", "test")
# The files whose code is read for task regions; the rest (lock files, migrations Django
# writes, the environment) never is.
CODE_SUFFIXES = (".py", ".html")
SKIPPED_PARTS = {".venv", "__pycache__", "migrations", "instance"}
# `# --- task: NAME` (Python) or `{# --- task: NAME #}` (templates) opens a region,
# `# --- end` or `{# --- end #}` closes it.
MARKER = re.compile(r"^\s*(?:#|\{#)\s*--- (?:task: (?P<task>\S+?)|(?P<end>end))\s*(?:#\})?\s*$")
# A locked requirement: `name==version` (extras and markers allowed), its hashes follow.
PINNED = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]*(\[[^\]]*\])?==[^\s;\\]+")
# The same, with the name and the version taken.
LOCKED = re.compile(r"^([A-Za-z0-9][A-Za-z0-9._-]*)(?:\[[^\]]*\])?==([^\s;\\]+)")
REQUIREMENT_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]*")


class SampleError(Exception):
    """A sample that breaks the conventions; the message names the file and line."""


@dataclass(frozen=True)
class Region:
    """One task's code in one file: what lies between its markers, markers left out."""

    task: str
    path: str  # relative to the sample's folder, with forward slashes
    first_line: int  # the line number of the region's first line of code
    code: str  # dedented, so a region inside a list reads as it would at the top level

    @property
    def lines(self) -> int:
        """Lines of code: the region's lines that are not blank."""
        return sum(1 for line in self.code.splitlines() if line.strip())


def code_files(sample: Path) -> list[Path]:
    found = []
    for folder, folders, files in os.walk(sample):
        folders[:] = [name for name in folders if name not in SKIPPED_PARTS]
        found += [Path(folder, name) for name in files if name.endswith(CODE_SUFFIXES)]
    return sorted(found)


def regions_of(path: Path, relative: str) -> list[Region]:
    regions = []
    task = None
    start = 0
    lines = path.read_text(encoding="utf-8").splitlines()
    for number, line in enumerate(lines, start=1):
        marker = MARKER.match(line)
        if not marker:
            continue
        if marker["task"]:
            if marker["task"] not in TASKS:
                raise SampleError(f"{relative}:{number}: unknown task {marker['task']!r}")
            if task:
                raise SampleError(f"{relative}:{number}: task {task!r} is still open")
            task, start = marker["task"], number
            continue
        if not task:
            raise SampleError(f"{relative}:{number}: '--- end' with no task open")
        code = textwrap.dedent("\n".join(lines[start : number - 1])).strip("\n")
        if not code.strip():
            raise SampleError(f"{relative}:{start}: task {task!r} has no code")
        regions.append(Region(task, relative, start + 1, code + "\n"))
        task = None
    if task:
        raise SampleError(f"{relative}:{start}: task {task!r} is never closed ('--- end')")
    return regions


def read_tasks(sample: Path) -> dict[str, list[Region]]:
    """Each task's regions in a sample, by file path and then by position in the file."""
    tasks: dict[str, list[Region]] = {task: [] for task in TASKS}
    for path in code_files(sample):
        for region in regions_of(path, path.relative_to(sample).as_posix()):
            tasks[region.task].append(region)
    return tasks


# --- what a sample asks for and what its lock pins


def normalise(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def wanted_names(sample: Path) -> list[str]:
    """The packages a sample asks for (requirements.in), named as written there."""
    names = []
    for line in (sample / "requirements.in").read_text(encoding="utf-8").splitlines():
        name = REQUIREMENT_NAME.match(line.split("#", 1)[0].strip())
        if name:
            names.append(name[0])
    return names


def locked_versions(sample: Path) -> dict[str, str]:
    """Each package the lock pins, by its normalised name: {"django": "5.2.19", ...}."""
    versions = {}
    for line in (sample / "requirements.txt").read_text(encoding="utf-8").splitlines():
        pinned = LOCKED.match(line)
        if pinned:
            versions[normalise(pinned[1])] = pinned[2]
    return versions


def lock_problems(sample: Path) -> list[str]:
    wanted, lock = sample / "requirements.in", sample / "requirements.txt"
    missing = [path.name for path in (wanted, lock) if not path.is_file()]
    if missing:
        return [f"requirements: missing {' and '.join(missing)}"]
    problems = []
    pinned = set()
    # A requirement and its `--hash` continuation lines, joined.
    for entry in lock.read_text(encoding="utf-8").replace("\\\n", " ").splitlines():
        entry = entry.split("#", 1)[0].strip()
        if not entry or entry.startswith("-"):
            continue
        if not PINNED.match(entry):
            problems.append(f"requirements.txt: {entry.split()[0]!r} is not pinned with ==")
        elif "--hash=sha256:" not in entry:
            problems.append(f"requirements.txt: {entry.split()[0]!r} has no hash")
        if name := REQUIREMENT_NAME.match(entry):  # else not pinned, said above
            pinned.add(normalise(name[0]))
    if not pinned:
        problems.append("requirements.txt: no requirement in it")
    problems += [
        f"requirements.txt: {name!r} of requirements.in is not locked"
        for name in wanted_names(sample)
        if normalise(name) not in pinned
    ]
    return problems
