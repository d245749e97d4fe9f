"""A framework's support and upgrade risk, as its page and the open data say it.

Built from one framework row (its release facts, what the package index reported of
vulnerabilities, the project's policy as editors wrote it) and its sample app's run on the
newest releases: no query of its own where the view selected the sample app with the framework.

- The lines: the latest release's line (Django's current feature line, Flask's latest feature
  version, FastAPI's 0.x minor) and, where there is one, the long-term support line; the line
  the site recommends is the LTS line where there is one, else the latest.
- A security release: the index reports vulnerabilities for a release before the newest of a
  line, and fixes them (``fixed_in``) in a release of that line up to its newest; or it
  reports vulnerabilities for the newest itself.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.core.exceptions import ObjectDoesNotExist
from packaging.version import InvalidVersion, Version

from comparisons.models import Framework
from comparisons.releases import in_line, release_line


@dataclass(frozen=True)
class Issue:
    """One vulnerability as a page names it: its CVE where it has one, else the index's id."""

    name: str
    link: str
    summary: str

    @classmethod
    def of(cls, advisory: dict) -> Issue:
        cves = [alias for alias in advisory.get("aliases", []) if alias.startswith("CVE-")]
        return cls(cves[0] if cves else advisory["id"], advisory["link"], advisory["summary"])


@dataclass(frozen=True)
class SecurityRelease:
    """A release that fixes vulnerabilities the index reports for earlier ones of its line."""

    version: str
    released: datetime.date | None  # known for the newest of a line
    issues: list[Issue]


@dataclass
class Line:
    line: str  # "5.2"
    kind: str  # "lts" or "latest"
    newest: str  # "5.2.20"
    released: datetime.date | None
    requires_python: str
    supported_until: datetime.date | None
    recommended: bool
    report_read: bool  # whether the index gave the newest release's list of vulnerabilities
    url: str = ""  # the newest release's page on the index
    open_issues: list[Issue] = field(default_factory=list)  # reported for the newest release
    advisories: list[dict] = field(default_factory=list)  # those, as the index gave them
    security_releases: list[SecurityRelease] = field(default_factory=list)
    unfixed: list[Issue] = field(default_factory=list)  # reported earlier, no fix in the line

    @property
    def warns(self) -> bool:
        return bool(self.open_issues or self.security_releases or self.unfixed)


@dataclass(frozen=True)
class SampleRun:
    """The site's own sample, tested on the newest releases its requirements allow."""

    passed: bool
    tested_on: datetime.date
    versions: list[str]  # "Django==5.2.20"
    problem: str

    @property
    def named(self) -> list[str]:
        """The versions as a sentence names them: "Django 5.2.20"."""
        return [line.replace("==", " ", 1) for line in self.versions]


@dataclass
class Support:
    framework: Framework
    lines: list[Line]
    checked_on: datetime.date | None
    releases_past_year: int | None
    sample: SampleRun | None

    @property
    def last(self) -> Line | None:
        """The line whose newest release came out last (of the lines shown)."""
        dated = [(line.released, line) for line in self.lines if line.released is not None]
        return max(dated, key=lambda pair: pair[0])[1] if dated else None

    @property
    def last_release(self) -> datetime.date | None:
        return self.last.released if self.last else None

    @property
    def days_since_last_release(self) -> int | None:
        if self.last_release is None or self.checked_on is None:
            return None
        return max(0, (self.checked_on - self.last_release).days)

    @property
    def warnings(self) -> list[Line]:
        return [line for line in self.lines if line.warns]


def _version(text: str) -> Version | None:
    try:
        return Version(text)
    except InvalidVersion:
        return None


def security_of(line: Line, advisories: list[dict], newest_released) -> None:
    """Fill in a line's security: what the index reports for its newest release, and which of
    its releases fix what it reports for earlier ones."""
    newest = Version(line.newest)
    fixes: dict[str, dict[str, Issue]] = {}
    for advisory in advisories:
        reported = _version(advisory["reported_for"])
        if reported is None:
            continue
        issue = Issue.of(advisory)
        if reported == newest:
            line.open_issues.append(issue)
            line.advisories.append(advisory)
            continue
        if reported > newest:
            continue
        fixed_in = [
            v
            for v in map(_version, advisory.get("fixed_in", []))
            if v is not None and in_line(v, line.line) and reported < v <= newest
        ]
        if fixed_in:
            fixes.setdefault(str(min(fixed_in)), {})[issue.name] = issue
        elif in_line(reported, line.line):
            line.unfixed.append(issue)
    line.security_releases = [
        SecurityRelease(version, newest_released if version == line.newest else None, [
            issues[name] for name in sorted(issues)
        ])
        for version, issues in sorted(fixes.items(), key=lambda item: Version(item[0]))
    ]  # fmt: skip


def sample_run(framework: Framework) -> SampleRun | None:
    """Its sample app's last run on the newest releases (codesamples' SampleApp.newest_run),
    where the view selected the sample app with the framework."""
    try:
        app = framework.sample_app
    except ObjectDoesNotExist:
        return None
    return app.newest_run


def support(framework: Framework) -> Support:
    f = framework
    security = f.security if isinstance(f.security, dict) else {}
    read = set(security.get("read", []))
    advisories = security.get("advisories", [])
    lines = []
    latest_line = release_line(f.latest_version) if f.latest_version else ""
    if f.latest_version:
        same_as_lts = bool(f.lts_version) and f.lts_line == latest_line
        lines.append(
            Line(
                line=latest_line,
                kind="lts" if same_as_lts else "latest",
                newest=f.latest_version,
                released=f.latest_released,
                requires_python=f.latest_requires_python,
                supported_until=(
                    f.lts_supported_until
                    if same_as_lts
                    else f.feature_line_supported_until
                    if f.feature_line == latest_line
                    else None
                ),
                recommended=not f.lts_version or same_as_lts,
                report_read=f.latest_version in read,
                url=f.pypi_url,
            )
        )
        security_of(lines[-1], advisories, f.latest_released)
    if f.lts_version and f.lts_line != latest_line:
        lts = Line(
            line=f.lts_line,
            kind="lts",
            newest=f.lts_version,
            released=f.lts_released,
            requires_python=f.lts_requires_python,
            supported_until=f.lts_supported_until,
            recommended=True,
            report_read=f.lts_version in read,
            url=f.lts_pypi_url,
        )
        security_of(lts, advisories, f.lts_released)
        lines.insert(0, lts)  # the line the site recommends first
    return Support(
        framework=f,
        lines=lines,
        checked_on=f.facts_checked_on,
        releases_past_year=f.releases_past_year,
        sample=sample_run(f),
    )


def open_data(framework: Framework) -> dict:
    """The panel as the open data carries it (schema 1.3: frameworks[].support)."""
    panel = support(framework)
    f = framework

    def day(value: datetime.date | None) -> str | None:
        return value.isoformat() if value else None

    sample = panel.sample
    return {
        "policy": {
            "text": f.support_policy,
            "source": f.support_policy_url or None,
            "read_on": day(f.support_policy_read),
        },
        "checked_on": day(panel.checked_on),
        "releases_past_year": panel.releases_past_year,
        "days_since_last_release": panel.days_since_last_release,
        "lines": [
            {
                "line": line.line,
                "kind": line.kind,
                "recommended": line.recommended,
                "newest": line.newest,
                "released": day(line.released),
                "supported_until": day(line.supported_until),
                "vulnerabilities": line.advisories if line.report_read else None,
                "security_releases": [
                    {
                        "version": release.version,
                        "released": day(release.released),
                        "fixes": [
                            {"name": issue.name, "link": issue.link or None}
                            for issue in release.issues
                        ],
                    }
                    for release in line.security_releases
                ],
            }
            for line in panel.lines
        ],
        "sample_on_newest": None
        if sample is None
        else {
            "passed": sample.passed,
            "tested_on": sample.tested_on.isoformat(),
            "versions": sample.versions,
            "problem": sample.problem,
        },
    }
