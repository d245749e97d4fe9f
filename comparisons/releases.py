"""Release facts read from the Python Package Index, for `manage.py refresh_facts` and
`manage.py check_facts` (comparisons/refresh.py applies them).

The index's JSON API (``<index>/<package>/json``) lists every release with its files, and the
known vulnerabilities of the newest release; ``<index>/<package>/<version>/json`` gives one
release's files and vulnerabilities (warehouse's docs/user/api/json.md). From them:

- the latest release is the highest final version (no pre-release, no development release)
  with at least one file that is not yanked — computed here rather than taken from
  ``info.version``;
- a release's date is when its first file was uploaded;
- a release's Python floor is the ``requires_python`` of its files, which is what pip obeys.
  ``info.requires_python`` can lag behind it (for fastapi 0.165.0 it said ``>=3.10`` while
  both files said ``>=3.11``, 2026-12-01), so it is not used;
- a line's newest release is the highest final version in that series (``5.2`` →
  ``5.2.20``);
- a release's vulnerabilities are the index's list for it, each with its id, aliases
  (CVE-…), summary, link and the versions that fix it (``fixed_in``); withdrawn ones are left
  out.

Every answer is checked before anything is read from it (issue 27): a version must be a PEP 440
version, a Requires-Python a PEP 440 specifier set, a date an ISO 8601 timestamp, a list a
list, and a string no longer than the field that keeps it. Anything else is refused with one
line naming the package and the problem (PackageIndexError), so nothing is stored. What the
index says is kept and shown as plain text.
"""

from __future__ import annotations

import datetime
import json
import re
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass

from packaging.specifiers import InvalidSpecifier, SpecifierSet
from packaging.version import InvalidVersion, Version

DEFAULT_TIMEOUT = 10.0  # seconds, for one answer
MAX_BODY = 20_000_000  # bytes of one answer (Django's whole history was 0.6 MB, 2026-12-07)
MAX_DEPTH = 8  # the JSON API's answers nest 5 deep (2026-12-07)

# What the site keeps of an answer, and how long each may be: no longer than the fields that
# keep it (comparisons.models uses these lengths).
VERSION_LENGTH = 40
REQUIRES_PYTHON_LENGTH = 60
ADVISORY_ID_LENGTH = 100
ADVISORY_SUMMARY_LENGTH = 500
ADVISORY_LINK_LENGTH = 200
MAX_ALIASES = 20
MAX_FIXED_IN = 20
MAX_ADVISORIES = 50
# What the site reads but does not keep: bounded too.
RELEASE_NAME_LENGTH = 100
TIMESTAMP_LENGTH = 40
TEXT_LENGTH = 100_000  # an advisory's details


class PackageIndexError(Exception):
    """The index could not be read (``unreachable``), or its answer is not what the JSON API
    returns (refused). The message is one line that names the package."""

    def __init__(self, message: str, unreachable: bool = False):
        super().__init__(message)
        self.unreachable = unreachable


@dataclass(frozen=True)
class Release:
    version: str
    released: datetime.date
    requires_python: str


@dataclass(frozen=True)
class Advisory:
    """One vulnerability the index reports for a release (``reported_for``)."""

    id: str
    aliases: tuple[str, ...]
    summary: str
    link: str
    fixed_in: tuple[str, ...]
    reported_for: str

    def as_dict(self) -> dict:
        return {
            "id": self.id,
            "aliases": list(self.aliases),
            "summary": self.summary,
            "link": self.link,
            "fixed_in": list(self.fixed_in),
            "reported_for": self.reported_for,
        }


# --- reading


class Deadline:
    """The seconds a whole refresh may take (None: no limit): each request waits at most what
    is left of them, and none starts once they are spent."""

    def __init__(self, seconds: float | None):
        self.seconds = seconds
        self.ends = None if seconds is None else time.monotonic() + seconds

    def timeout(self, package: str, per_request: float) -> float:
        if self.ends is None:
            return per_request
        left = self.ends - time.monotonic()
        if left <= 0:
            raise PackageIndexError(
                f"{package}: no answer within the {self.seconds:g} s allowed", unreachable=True
            )
        return min(per_request, left)


def project_url(index_url: str, package: str) -> str:
    return f"{index_url.rstrip('/')}/{urllib.parse.quote(package)}/json"


def release_url(index_url: str, package: str, version: str) -> str:
    quoted = urllib.parse.quote(package)
    return f"{index_url.rstrip('/')}/{quoted}/{urllib.parse.quote(version)}/json"


def fetch_json(url: str, package: str, timeout: float, missing_ok: bool = False) -> dict | None:
    """The JSON object at ``url``; None for a 404 when ``missing_ok``; else PackageIndexError
    with a clear reason."""
    if not url.startswith(("https://", "http://")):
        raise PackageIndexError(f"the index URL must be http:// or https://, not {url!r}")
    request = urllib.request.Request(url, headers={"Accept": "application/json"})  # noqa: S310
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310
            body = response.read(MAX_BODY + 1)
    except urllib.error.HTTPError as error:
        if error.code == 404 and missing_ok:
            return None
        if error.code == 404:
            raise PackageIndexError(f"{package}: no such package at {url} (404)") from error
        raise PackageIndexError(
            f"{package}: the index answered {error.code} for {url}", unreachable=True
        ) from error
    except TimeoutError as error:
        raise PackageIndexError(
            f"{package}: no answer from {url} within {timeout:g} s", unreachable=True
        ) from error
    except (urllib.error.URLError, OSError) as error:
        reason = getattr(error, "reason", error)
        raise PackageIndexError(
            f"{package}: could not reach {url} ({reason})", unreachable=True
        ) from error
    if len(body) > MAX_BODY:
        raise PackageIndexError(f"{package}: the answer from {url} is over {MAX_BODY:,} bytes")
    try:
        data = json.loads(body)
    except RecursionError as error:
        raise PackageIndexError(f"{package}: the answer from {url} nests too deep") from error
    except ValueError as error:
        raise PackageIndexError(f"{package}: the answer from {url} is not JSON") from error
    if not isinstance(data, dict):
        raise PackageIndexError(f"{package}: the answer from {url} is not a JSON object")
    return data


def fetch_package(index_url: str, package: str, timeout: float = DEFAULT_TIMEOUT) -> dict:
    """The index's JSON for one package, its shape checked."""
    url = project_url(index_url, package)
    data = fetch_json(url, package, timeout)
    assert data is not None  # noqa: S101 -- not missing_ok
    if not isinstance(data.get("releases"), dict):
        raise PackageIndexError(f"{package}: the answer from {url} has no list of releases")
    check_answer(data, package)
    return data


def fetch_release(
    index_url: str, package: str, version: str, timeout: float = DEFAULT_TIMEOUT
) -> dict | None:
    """The index's JSON for one release, its shape checked; None when the index has no page
    for it (404)."""
    data = fetch_json(release_url(index_url, package, version), package, timeout, missing_ok=True)
    if data is not None:
        check_answer(data, package, release=version)
    return data


# --- the shape of an answer


def _refuse(package: str, where: str, problem: str) -> PackageIndexError:
    return PackageIndexError(f"{package}: {where}: {problem}")


def _shown(value) -> str:
    """A value as an error line quotes it: short, one line."""
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def _depth(value) -> int:
    """How deep lists and objects nest, counted without recursion (the answer is untrusted)."""
    deepest, stack = 0, [(value, 0)]
    while stack:
        item, depth = stack.pop()
        if isinstance(item, dict):
            stack.extend((child, depth + 1) for child in item.values())
        elif isinstance(item, list):
            stack.extend((child, depth + 1) for child in item)
        else:
            deepest = max(deepest, depth)
            continue
        deepest = max(deepest, depth + 1)
        if deepest > MAX_DEPTH:
            return deepest
    return deepest


_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


def text(value, package: str, where: str, limit: int, optional: bool = False) -> str:
    """A string of at most ``limit`` characters, without control characters but tabs and line
    breaks (null or absent is "" where ``optional``)."""
    if value is None and optional:
        return ""
    if not isinstance(value, str):
        raise _refuse(package, where, f"a string was expected, not {_shown(value)}")
    if len(value) > limit:
        raise _refuse(package, where, f"{len(value):,} characters, more than the {limit:,} kept")
    if _CONTROL.search(value):
        raise _refuse(package, where, f"control characters in {_shown(value)}")
    return value


def version_text(value, package: str, where: str) -> str:
    value = text(value, package, where, VERSION_LENGTH)
    try:
        Version(value)
    except InvalidVersion:
        raise _refuse(package, where, f"{_shown(value)} is not a PEP 440 version") from None
    return value


def specifier_text(value, package: str, where: str) -> str:
    """A Requires-Python: a PEP 440 specifier set, or "" (none)."""
    value = text(value, package, where, REQUIRES_PYTHON_LENGTH, optional=True)
    try:
        SpecifierSet(value)
    except InvalidSpecifier:
        raise _refuse(package, where, f"{_shown(value)} is not a version specifier") from None
    return value.strip()


def timestamp(value, package: str, where: str) -> datetime.datetime:
    """An ISO 8601 timestamp, as UTC where it names no zone."""
    value = text(value, package, where, TIMESTAMP_LENGTH)
    try:
        moment = datetime.datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        raise _refuse(package, where, f"{_shown(value)} is not an ISO 8601 timestamp") from None
    return moment if moment.tzinfo else moment.replace(tzinfo=datetime.UTC)


def listed(value, package: str, where: str, limit: int) -> list:
    if not isinstance(value, list):
        raise _refuse(package, where, f"a list was expected, not {_shown(value)}")
    if len(value) > limit:
        raise _refuse(package, where, f"{len(value):,} items, more than the {limit:,} read")
    return value


def _object(value, package: str, where: str) -> dict:
    if not isinstance(value, dict):
        raise _refuse(package, where, f"an object was expected, not {_shown(value)}")
    return value


def check_file(file, package: str, where: str) -> None:
    """One file of a release: its upload time, Requires-Python and yanked flag."""
    file = _object(file, package, where)
    if "upload_time_iso_8601" not in file:
        raise _refuse(package, where, "no upload time")
    timestamp(file["upload_time_iso_8601"], package, f"{where}: upload time")
    specifier_text(file.get("requires_python"), package, f"{where}: Requires-Python")
    if not isinstance(file.get("yanked", False), bool):
        raise _refuse(package, where, f"yanked is {_shown(file['yanked'])}, not true or false")


def check_answer(data: dict, package: str, release: str | None = None) -> None:
    """The parts of a project's (or, with ``release``, one release's) answer that are read:
    PackageIndexError naming the first problem."""
    if _depth(data) > MAX_DEPTH:
        raise _refuse(package, "the answer", f"lists and objects nest more than {MAX_DEPTH} deep")
    info = _object(data.get("info", {}), package, "info")
    if "version" in info or release is not None:
        version_text(info.get("version"), package, "info.version")
    if release is not None and info["version"] != release:
        raise _refuse(package, "info.version", f"{info['version']} is not {release}")
    for name, files in _object(data.get("releases", {}), package, "releases").items():
        text(name, package, "a release's name", RELEASE_NAME_LENGTH)
        for number, file in enumerate(listed(files, package, f"release {name}", 1000), 1):
            check_file(file, package, f"release {name}, file {number}")
    for number, file in enumerate(listed(data.get("urls", []), package, "urls", 1000), 1):
        check_file(file, package, f"urls, file {number}")
    if "vulnerabilities" in data:
        for number, item in enumerate(
            listed(data["vulnerabilities"], package, "vulnerabilities", MAX_ADVISORIES), 1
        ):
            check_advisory(item, package, f"vulnerability {number}")


def check_advisory(item, package: str, where: str) -> None:
    item = _object(item, package, where)
    ident = text(item.get("id"), package, f"{where}: id", ADVISORY_ID_LENGTH)
    if not ident.strip():
        raise _refuse(package, f"{where}: id", "empty")
    where = f"vulnerability {ident}"
    for alias in listed(item.get("aliases") or [], package, f"{where}: aliases", MAX_ALIASES):
        text(alias, package, f"{where}: an alias", ADVISORY_ID_LENGTH)
    text(item.get("summary"), package, f"{where}: summary", ADVISORY_SUMMARY_LENGTH, True)
    text(item.get("details"), package, f"{where}: details", TEXT_LENGTH, optional=True)
    for fixed in listed(item.get("fixed_in") or [], package, f"{where}: fixed_in", MAX_FIXED_IN):
        version_text(fixed, package, f"{where}: fixed_in")
    link = text(item.get("link"), package, f"{where}: link", ADVISORY_LINK_LENGTH, True)
    if link and not _web_address(link):
        raise _refuse(package, f"{where}: link", f"{_shown(link)} is not an http(s) address")
    if item.get("withdrawn") is not None:
        timestamp(item["withdrawn"], package, f"{where}: withdrawn")


def _web_address(link: str) -> bool:
    parts = urllib.parse.urlsplit(link)
    return parts.scheme in ("http", "https") and bool(parts.netloc) and " " not in link


# --- what the answers say (their shape already checked)


def final_releases(data: dict, package: str) -> dict[Version, Release]:
    """Every final, not yanked release in the index's answer, by version."""
    found = {}
    for name, files in data["releases"].items():
        try:
            version = Version(name)
        except InvalidVersion:
            continue  # not PEP 440: pip ignores it too
        if version.is_prerelease or version.is_devrelease:
            continue
        text(name, package, f"release {name[:20]}…", VERSION_LENGTH)
        if not isinstance(files, list):
            raise PackageIndexError(f"{package}: release {name} has no list of files")
        live = [f for f in files if isinstance(f, dict) and not f.get("yanked")]
        if not live:
            continue
        try:
            released = min(
                timestamp(f["upload_time_iso_8601"], package, f"release {name}") for f in live
            ).date()
        except (KeyError, TypeError, PackageIndexError) as error:
            raise PackageIndexError(
                f"{package}: release {name} has no readable upload time"
            ) from error
        floors = {specifier_text(f.get("requires_python"), package, name) for f in live}
        requires_python = _one_floor(floors)
        if len(requires_python) > REQUIRES_PYTHON_LENGTH:
            raise _refuse(
                package,
                f"release {name}",
                f"its files' Requires-Python are more than {REQUIRES_PYTHON_LENGTH} characters",
            )
        found[version] = Release(name, released, requires_python)
    return found


def _one_floor(floors: set[str]) -> str:
    """The files' Requires-Python (they normally agree; if not, every one is kept, joined)."""
    floors.discard("")
    return " | ".join(sorted(floors))


def latest(releases: dict[Version, Release]) -> Release | None:
    return releases[max(releases)] if releases else None


def release_line(version: str) -> str:
    """The series a version belongs to: "6.1.3" → "6.1", "0.165.0" → "0.165", "5.2" → "5.2"."""
    parts = Version(version).release
    return ".".join(str(part) for part in (*parts, 0)[:2])


def in_line(version: Version, line: str) -> bool:
    """Whether a version is of a series ("5.2.20" of "5.2"; "6" of "6.0", as 6.0)."""
    parts = tuple(int(part) for part in line.split("."))
    return (version.release + (0,) * len(parts))[: len(parts)] == parts


def newest_in_line(releases: dict[Version, Release], line: str) -> Release | None:
    """The newest release of a series such as "5.2" (5.2, 5.2.1, ... but not 5.20)."""
    found = [v for v in releases if in_line(v, line)]
    return releases[max(found)] if found else None


def previous_release(releases: dict[Version, Release], newest: str) -> Release | None:
    """The release a reader on the newest one's line would most likely have: the one before it
    in its line, else the one before it at all."""
    below = [v for v in releases if v < Version(newest)]
    same_line = [v for v in below if in_line(v, release_line(newest))]
    chosen = same_line or below
    return releases[max(chosen)] if chosen else None


def releases_between(
    releases: dict[Version, Release], since: datetime.date, until: datetime.date
) -> int:
    """How many final releases came out after ``since``, up to and including ``until``."""
    return sum(1 for release in releases.values() if since < release.released <= until)


def advisories(data: dict, package: str, reported_for: str) -> list[Advisory]:
    """The vulnerabilities an answer lists (its shape checked), withdrawn ones left out."""
    found = []
    for item in data.get("vulnerabilities") or []:
        if item.get("withdrawn") is not None:
            continue
        found.append(
            Advisory(
                id=item["id"],
                aliases=tuple(item.get("aliases") or ()),
                summary=item.get("summary") or "",
                link=item.get("link") or "",
                fixed_in=tuple(item.get("fixed_in") or ()),
                reported_for=reported_for,
            )
        )
    return found


def facts_from_index(data: dict, package: str, lts_line: str) -> dict[str, str]:
    """The release facts of a framework, by field name, as text (dates as ISO dates)."""
    check_answer(data, package)
    releases = final_releases(data, package)
    newest = latest(releases)
    if newest is None:
        raise PackageIndexError(f"{package}: the index lists no final release")
    facts = {
        "latest_version": newest.version,
        "latest_released": newest.released.isoformat(),
        "latest_requires_python": newest.requires_python,
        "lts_version": "",
        "lts_released": "",
        "lts_requires_python": "",
    }
    if lts_line:
        lts = newest_in_line(releases, lts_line)
        if lts is None:
            raise PackageIndexError(f"{package}: the index lists no release in the {lts_line} line")
        facts["lts_version"] = lts.version
        facts["lts_released"] = lts.released.isoformat()
        facts["lts_requires_python"] = lts.requires_python
    return facts
