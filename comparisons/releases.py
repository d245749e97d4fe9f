"""Release facts read from the Python Package Index, for `manage.py check_facts`.

The index's JSON API (``<index>/<package>/json``) lists every release with its files. From it:

- the latest release is the highest final version (no pre-release, no development release)
  with at least one file that is not yanked — computed here rather than taken from
  ``info.version``;
- a release's date is when its first file was uploaded;
- a release's Python floor is the ``requires_python`` of its files, which is what pip obeys.
  ``info.requires_python`` can lag behind it (for fastapi 0.165.0 it said ``>=3.10`` while
  both files said ``>=3.11``, 2026-12-01), so it is not used;
- an LTS line's newest release is the highest final version in that series (``5.2`` →
  ``5.2.19``).
"""

from __future__ import annotations

import datetime
import json
import urllib.error
import urllib.request
from dataclasses import dataclass

from packaging.version import InvalidVersion, Version

DEFAULT_TIMEOUT = 10.0  # seconds, for one package's answer


class PackageIndexError(Exception):
    """The index could not be read, or its answer is not what the JSON API returns."""


@dataclass(frozen=True)
class Release:
    version: str
    released: datetime.date
    requires_python: str


def fetch_package(index_url: str, package: str, timeout: float = DEFAULT_TIMEOUT) -> dict:
    """The index's JSON for one package; PackageIndexError with a clear reason if that fails."""
    url = f"{index_url.rstrip('/')}/{package}/json"
    if not url.startswith(("https://", "http://")):
        raise PackageIndexError(f"the index URL must be http:// or https://, not {index_url!r}")
    request = urllib.request.Request(url, headers={"Accept": "application/json"})  # noqa: S310
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310
            body = response.read(20_000_000)
    except urllib.error.HTTPError as error:
        if error.code == 404:
            raise PackageIndexError(f"{package}: no such package at {url} (404)") from error
        raise PackageIndexError(f"{package}: the index answered {error.code} for {url}") from error
    except TimeoutError as error:
        raise PackageIndexError(f"{package}: no answer from {url} within {timeout:g} s") from error
    except (urllib.error.URLError, OSError) as error:
        reason = getattr(error, "reason", error)
        raise PackageIndexError(f"{package}: could not reach {url} ({reason})") from error
    try:
        data = json.loads(body)
    except ValueError as error:
        raise PackageIndexError(f"{package}: the answer from {url} is not JSON") from error
    if not isinstance(data, dict) or not isinstance(data.get("releases"), dict):
        raise PackageIndexError(f"{package}: the answer from {url} has no list of releases")
    return data


def final_releases(data: dict, package: str) -> dict[Version, Release]:
    """Every final, not yanked release in the index's answer, by version."""
    found = {}
    for text, files in data["releases"].items():
        try:
            version = Version(text)
        except InvalidVersion:
            continue  # not PEP 440: pip ignores it too
        if version.is_prerelease or version.is_devrelease:
            continue
        if not isinstance(files, list):
            raise PackageIndexError(f"{package}: release {text} has no list of files")
        live = [f for f in files if isinstance(f, dict) and not f.get("yanked")]
        if not live:
            continue
        try:
            uploaded = min(f["upload_time_iso_8601"] for f in live)
            released = datetime.datetime.fromisoformat(uploaded.replace("Z", "+00:00")).date()
        except (KeyError, TypeError, ValueError) as error:
            raise PackageIndexError(
                f"{package}: release {text} has no readable upload time"
            ) from error
        floors = {f.get("requires_python") or "" for f in live}
        found[version] = Release(text, released, _one_floor(floors))
    return found


def _one_floor(floors: set[str]) -> str:
    """The files' Requires-Python (they normally agree; if not, every one is kept, joined)."""
    floors.discard("")
    return " | ".join(sorted(floors))


def latest(releases: dict[Version, Release]) -> Release | None:
    return releases[max(releases)] if releases else None


def newest_in_line(releases: dict[Version, Release], line: str) -> Release | None:
    """The newest release of a series such as "5.2" (5.2, 5.2.1, ... but not 5.20)."""
    parts = tuple(int(part) for part in line.split("."))
    in_line = [v for v in releases if v.release[: len(parts)] == parts]
    return releases[max(in_line)] if in_line else None


def facts_from_index(data: dict, package: str, lts_line: str) -> dict[str, str]:
    """The release facts of a framework, by field name, as text (dates as ISO dates)."""
    releases = final_releases(data, package)
    newest = latest(releases)
    if newest is None:
        raise PackageIndexError(f"{package}: the index lists no final release")
    facts = {
        "latest_version": newest.version,
        "latest_released": newest.released.isoformat(),
        "latest_requires_python": newest.requires_python,
        "lts_version": "",
        "lts_requires_python": "",
    }
    if lts_line:
        lts = newest_in_line(releases, lts_line)
        if lts is None:
            raise PackageIndexError(f"{package}: the index lists no release in the {lts_line} line")
        facts["lts_version"] = lts.version
        facts["lts_requires_python"] = lts.requires_python
    return facts
