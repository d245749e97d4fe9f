"""Keeping the release facts: read from the package index, applied with a dated record.

``read`` asks the index about each framework's package (comparisons/releases.py checks and
reads every answer) and changes nothing; ``apply`` writes what it found in one transaction;
``record_failure`` keeps the last good check when the index did not answer or was refused.
``manage.py refresh_facts`` (on a schedule, and by ``make run`` at start) reads and applies;
``manage.py check_facts`` reads and reports, and applies with --apply.

What is read for each framework:

- its release facts (the latest release, its date and Python floor; the newest release of its
  long-term support line, its date and Python floor);
- how many final releases came out in the 12 months up to the day of the check;
- the vulnerabilities the index reports for the newest release of each line the site speaks
  of (the latest release's line, the LTS line) and for the release before each (the one a
  reader would most likely have): from the project's answer for the latest release, from the
  release's own answer for the others. Where the index has no such answer (404: what these
  machines get for every release page, 2026-12-07) that release's list is "not read", which
  the pages say; it never stops the refresh.

What the attention page reads: ``last_good_check()`` and ``failing_checks()``.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

import reversion
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, Q
from django.utils import formats, timezone
from packaging.version import Version

from comparisons.models import RELEASE_FACTS, Correction, FactCheck, Framework
from comparisons.releases import (
    DEFAULT_TIMEOUT,
    Deadline,
    PackageIndexError,
    advisories,
    facts_from_index,
    fetch_package,
    fetch_release,
    final_releases,
    previous_release,
    releases_between,
)
from core.cache import content_changed
from core.markdown import markdown_literal
from core.templatetags.site import python_floor

PYPI = "https://pypi.org/pypi"
NONE_RECORDED = "none recorded"
PAST_YEAR = datetime.timedelta(days=365)

LABELS = {
    "latest_version": "latest release",
    "latest_released": "latest release date",
    "latest_requires_python": "Python needed by the latest release",
    "lts_version": "newest LTS release",
    "lts_released": "newest LTS release date",
    "lts_requires_python": "Python needed by the LTS",
}


def now() -> datetime.datetime:
    """The moment of a check (a function, so that tests can set the day)."""
    return timezone.now()


@dataclass
class Found:
    """What the index says of one framework, ready to apply."""

    facts: dict[str, str]  # RELEASE_FACTS, as text
    releases_past_year: int
    security: dict  # {"read": [versions], "advisories": [Advisory.as_dict()]}
    notes: list[str] = field(default_factory=list)  # releases whose list was not read


class UnknownSlug(ValueError):
    """A slug asked for that names no framework with a package on the index."""


def frameworks_to_check(slugs=()) -> list[Framework]:
    """The frameworks with a package on the index: those slugs (all without any). Raises
    UnknownSlug, naming them, for slugs that name none."""
    frameworks = list(Framework.objects.exclude(package="").select_related("fact_check"))
    if not slugs:
        return frameworks
    unknown = sorted(set(slugs) - {f.slug for f in frameworks})
    if unknown:
        raise UnknownSlug(f"No framework with a package on PyPI has the slug {', '.join(unknown)}.")
    return [f for f in frameworks if f.slug in slugs]


def watched_versions(data: dict, package: str, facts: dict[str, str]) -> list[str]:
    """The releases whose vulnerabilities matter: the newest of each line the site speaks of,
    and the release before each."""
    releases = final_releases(data, package)
    watched: list[str] = []
    for newest in (facts["latest_version"], facts["lts_version"]):
        if not newest:
            continue
        before = previous_release(releases, newest)
        for version in (newest, before.version if before else ""):
            if version and version not in watched:
                watched.append(version)
    return watched


def read_one(
    framework: Framework, index_url: str, timeout: float, deadline: Deadline, today
) -> Found:
    """What the index says of one framework; PackageIndexError (one line) if it cannot be
    read or is refused."""
    package = framework.package
    data = fetch_package(index_url, package, deadline.timeout(package, timeout))
    try:
        facts = facts_from_index(data, package, framework.lts_line)
        releases = final_releases(data, package)
        read: list[str] = []
        found = []
        notes = []
        info_version = data.get("info", {}).get("version")
        if "vulnerabilities" in data and info_version:
            read.append(info_version)
            found += advisories(data, package, info_version)
        for version in watched_versions(data, package, facts):
            if version in read:
                continue
            answer = fetch_release(index_url, package, version, deadline.timeout(package, timeout))
            if answer is None or "vulnerabilities" not in answer:
                notes.append(f"the index gave no vulnerability list for {version}")
                continue
            read.append(version)
            found += advisories(answer, package, version)
    except (KeyError, TypeError, ValueError, AttributeError) as error:
        # A shape the checks did not foresee: refused in one line all the same.
        raise PackageIndexError(
            f"{package}: the answer could not be read ({type(error).__name__})"
        ) from error
    found.sort(key=lambda a: (Version(a.reported_for), a.id))
    return Found(
        facts=facts,
        releases_past_year=releases_between(releases, today - PAST_YEAR, today),
        security={
            "read": sorted(read, key=Version),
            "advisories": [advisory.as_dict() for advisory in found],
        },
        notes=notes,
    )


def read(
    frameworks,
    index_url: str = PYPI,
    timeout: float = DEFAULT_TIMEOUT,
    deadline: float | None = None,
    checked_at: datetime.datetime | None = None,
) -> dict[int, Found]:
    """Everything the index says of these frameworks, by primary key; changes nothing.
    PackageIndexError, naming the package and the problem, at the first failure."""
    limit = Deadline(deadline)
    today = timezone.localdate(checked_at or now())
    return {
        framework.pk: read_one(framework, index_url, timeout, limit, today)
        for framework in frameworks
    }


# --- what changes


def drift(framework: Framework, facts: dict[str, str]) -> list[str]:
    """One line per release fact that differs from the index: what we hold → what it says."""
    held = framework.release_facts()
    return [
        f"{LABELS[name]} {held[name] or '(none)'} → {facts[name] or '(none)'}"
        for name in RELEASE_FACTS
        if held[name] != facts[name]
    ]


def differs(framework: Framework, found: Found) -> bool:
    return (
        framework.release_facts() != found.facts
        or framework.releases_past_year != found.releases_past_year
        or framework.security != found.security
    )


def apply(frameworks, found: dict[int, Found], checked_at: datetime.datetime) -> tuple[int, int]:
    """Write what the index said, in one transaction: the frameworks whose facts changed are
    saved (one revision in the history) with a dated correction where a stated fact changed;
    the others only get the day of the check. Returns (frameworks changed, corrections).
    PackageIndexError if a framework would not be valid (nothing is then written)."""
    today = timezone.localdate(checked_at)
    changed = corrections = 0
    with transaction.atomic(), reversion.create_revision():
        reversion.set_comment("Release facts read from the package index (refresh_facts)")
        dated_only = []
        for framework in frameworks:
            if differs(framework, found[framework.pk]):
                corrections += update(framework, found[framework.pk], today)
                changed += 1
            elif framework.facts_checked_on != today:
                dated_only.append(framework.pk)
        if dated_only:
            Framework.objects.filter(pk__in=dated_only).update(facts_checked_on=today)
            if not changed:  # a save starts a new generation of pages; an update does not
                content_changed()
        record_checks(frameworks, {}, checked_at)
    return changed, corrections


def update(framework: Framework, found: Found, today: datetime.date) -> bool:
    """Set what the index gives; a dated correction where a fact stated before changed."""
    held = framework.release_facts()
    restated = any(held[name] and held[name] != found.facts[name] for name in RELEASE_FACTS)
    before = framework_summary(framework)
    for name, value in found.facts.items():
        is_date = name.endswith("_released")
        setattr(framework, name, datetime.date.fromisoformat(value) if is_date and value else value)
        if is_date and not value:
            setattr(framework, name, None)
    framework.releases_past_year = found.releases_past_year
    framework.security = found.security
    framework.facts_checked_on = today
    try:
        framework.full_clean()
    except ValidationError as error:
        problems = "; ".join(f"{k}: {' '.join(v)}" for k, v in error.message_dict.items())
        raise PackageIndexError(f"{framework.package}: {problems}") from error
    framework.save()
    if not restated:  # filled in for the first time: nothing was stated before
        return False
    record_release_change(framework, before, today)
    return True


RELEASE_CORRECTION = "Release facts before "


def record_release_change(framework: Framework, before: str, today: datetime.date) -> None:
    """The framework's one dated correction of its release facts, saying what they were before
    today's change: each change rewrites it (the history keeps the earlier ones). A correction
    per release would grow every page that shows them by one note a release, for ever (the
    guide and Django's page are within a few hundred bytes of their budget). Only the notes
    this function writes are rewritten: of the facts (no pro or con), in its words, dated."""
    values = {
        "original": f"{RELEASE_CORRECTION}{today.isoformat()}: {before}"[:300],
        "now": f"Checked against the Python Package Index on {long_date(today)}: "
        f"{framework_summary(framework, markdown=True)}.",
        "dated": today,
        "position": 100,
    }
    earlier = list(
        Correction.objects.filter(
            framework=framework,
            said_by=Correction.SaidBy.SITE,
            procon__isnull=True,
            original__regex=rf"^{RELEASE_CORRECTION}\d{{4}}-\d{{2}}-\d{{2}}: ",
        ).order_by("-dated", "-pk")
    )
    if not earlier:
        Correction.objects.create(framework=framework, said_by=Correction.SaidBy.SITE, **values)
        return
    newest, *older = earlier
    # From before this rule: one is enough. Deleted first, as two of a day could share the
    # text the newest is about to be given.
    for correction in older:
        correction.delete()
    for name, value in values.items():
        setattr(newest, name, value)
    newest.save()


def framework_summary(framework: Framework, markdown: bool = False) -> str:
    """The release facts in a sentence, as the correction tells them: as plain text (what was
    said), or as Markdown (what is true today) with the index's words as literal text and the
    new facts in bold."""
    lit = markdown_literal if markdown else str
    mark = "**" if markdown else ""
    if not framework.latest_version:
        return NONE_RECORDED
    parts = [f"latest release {mark}{lit(framework.latest_version)}{mark}"]
    if framework.latest_released:
        parts[0] += f" ({long_date(framework.latest_released)})"
    if framework.latest_requires_python:
        floor = lit(python_floor(framework.latest_requires_python))
        parts.append(f"it needs {mark}{floor}{mark}")
    if framework.lts_version:
        lts = f"long-term support release {mark}{lit(framework.lts_version)}{mark}"
        if framework.lts_released:
            lts += f" ({long_date(framework.lts_released)})"
        if framework.lts_requires_python:
            lts += f", which needs {lit(python_floor(framework.lts_requires_python))}"
        parts.append(lts)
    return "; ".join(parts)


def long_date(day: datetime.date) -> str:
    return formats.date_format(day, "j F Y")


# --- the record of each check


def record_checks(frameworks, drifted: dict[int, list[str]], checked_at) -> None:
    """A good check: when, and what differs (nothing, once applied); a failure is cleared."""
    for framework in frameworks:
        FactCheck.objects.update_or_create(
            framework=framework,
            defaults={
                "checked_at": checked_at,
                "drift": "\n".join(drifted.get(framework.pk, [])),
                "failed_at": None,
                "failure": "",
            },
        )


def record_failure(frameworks, error: Exception, failed_at) -> None:
    """A failed check: when and why, beside the last good check, which is kept."""
    for framework in frameworks:
        FactCheck.objects.update_or_create(
            framework=framework, defaults={"failed_at": failed_at, "failure": str(error)[:500]}
        )


def last_good_check() -> datetime.datetime | None:
    """When the index last answered in full for every framework it is asked about: the oldest
    of their last good checks (None if one was never read)."""
    times = [
        getattr(getattr(framework, "fact_check", None), "checked_at", None)
        for framework in frameworks_to_check()
    ]
    if not times or None in times:
        return None
    return min(t for t in times if t is not None)


def failing_checks() -> list[FactCheck]:
    """The frameworks whose last attempt to read the index failed, with when and why (their
    facts are those of their last good check)."""
    failed = FactCheck.objects.filter(failed_at__isnull=False).filter(
        Q(checked_at__isnull=True) | Q(failed_at__gt=F("checked_at"))
    )
    return list(failed.select_related("framework").order_by("framework__position"))


def facts_date() -> datetime.date | None:
    """The day of the facts the site serves: the oldest framework's (None if never read)."""
    days = [f.facts_checked_on for f in frameworks_to_check()]
    return None if not days or None in days else min(d for d in days if d)
