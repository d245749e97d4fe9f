"""What the sample files say now: each task's regions and the versions a sample pins.

The markers and the locks are read by codesamples.files (standard library only: the same code
checks the samples in `make samples-test`, before any environment exists); this module gives
the site what it needs of them, with an error it can report.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from codesamples.files import SampleError, locked_versions, normalise, read_tasks, wanted_names


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
    if not folder.is_dir():
        raise SampleFilesError(f"{folder}: no such folder")
    try:
        tasks = read_tasks(folder)
    except (SampleError, OSError, UnicodeDecodeError) as error:
        raise SampleFilesError(f"{folder}: {error}") from error
    return {
        task: [Part(region.path, region.first_line, region.code) for region in regions]
        for task, regions in tasks.items()
    }


def read_versions(folder: Path) -> list[tuple[str, str]]:
    """The packages a sample asks for (requirements.in, as written there) with the version its
    lock pins (requirements.txt): [("django", "5.2.19"), ("gunicorn", "27.0.1"), ...]."""
    try:
        wanted = wanted_names(folder)
        pinned = locked_versions(folder)
    except OSError as error:
        raise SampleFilesError(f"{folder}: {error.strerror}: {error.filename}") from error
    versions = []
    for name in wanted:
        version = pinned.get(normalise(name))
        if version is None:
            raise SampleFilesError(f"{folder}/requirements.txt: {name!r} is not locked")
        versions.append((name, version))
    return versions
