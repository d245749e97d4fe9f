"""What the sample files say now: each task's regions and the versions a sample pins.

The markers are parsed in one place, scripts/samples.py (standard library only, run by
`make samples-test` before any environment exists); this module loads it from the checkout.
"""

from __future__ import annotations

import importlib.util
import re
import sys
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from django.conf import settings


@cache
def samples_script():
    """scripts/samples.py, loaded as a module (scripts/ is not a package)."""
    name = "codesamples_samples_script"
    spec = importlib.util.spec_from_file_location(name, settings.BASE_DIR / "scripts/samples.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module  # its dataclass looks its module up while the class is made
    spec.loader.exec_module(module)
    return module


class SampleFilesError(Exception):
    """The files of a sample cannot be read as the site needs them; the message says where."""


@dataclass(frozen=True)
class Part:
    """One region of a task's code: its file (relative to the sample's folder), first line
    and code, as the markers delimit it."""

    path: str
    first_line: int
    code: str


def read_parts(folder: Path) -> dict[str, list[Part]]:
    """Each task's regions in the sample at ``folder``, in reading order."""
    script = samples_script()
    if not folder.is_dir():
        raise SampleFilesError(f"{folder}: no such folder")
    try:
        tasks = script.read_tasks(folder)
    except (script.SampleError, OSError, UnicodeDecodeError) as error:
        raise SampleFilesError(f"{folder}: {error}") from error
    return {
        task: [Part(region.path, region.first_line, region.code) for region in regions]
        for task, regions in tasks.items()
    }


REQUIREMENT = re.compile(r"^([A-Za-z0-9][A-Za-z0-9._-]*)(?:\[[^\]]*\])?")
LOCKED = re.compile(r"^([A-Za-z0-9][A-Za-z0-9._-]*)(?:\[[^\]]*\])?==([^\s;\\]+)", re.MULTILINE)


def read_versions(folder: Path) -> list[tuple[str, str]]:
    """The packages a sample asks for (requirements.in, as written there) with the version its
    lock pins (requirements.txt): [("django", "5.2.19"), ("gunicorn", "27.0.1"), ...]."""
    normalise = samples_script().normalise
    try:
        wanted = (folder / "requirements.in").read_text(encoding="utf-8")
        lock = (folder / "requirements.txt").read_text(encoding="utf-8")
    except OSError as error:
        raise SampleFilesError(f"{folder}: {error.strerror}: {error.filename}") from error
    pinned = {normalise(name): version for name, version in LOCKED.findall(lock)}
    versions = []
    for line in wanted.splitlines():
        match = REQUIREMENT.match(line.split("#", 1)[0].strip())
        if not match:
            continue
        version = pinned.get(normalise(match[1]))
        if version is None:
            raise SampleFilesError(f"{folder}/requirements.txt: {match[1]!r} is not locked")
        versions.append((match[1], version))
    return versions
