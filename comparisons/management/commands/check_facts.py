import datetime

import reversion
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import formats, timezone

from comparisons.models import RELEASE_FACTS, Correction, FactCheck, Framework
from comparisons.releases import (
    DEFAULT_TIMEOUT,
    PackageIndexError,
    facts_from_index,
    fetch_package,
)
from core.templatetags.site import python_floor

PYPI = "https://pypi.org/pypi"
NONE_RECORDED = "none recorded"

LABELS = {
    "latest_version": "latest release",
    "latest_released": "latest release date",
    "latest_requires_python": "Python needed by the latest release",
    "lts_version": "newest LTS release",
    "lts_requires_python": "Python needed by the LTS",
}


class Command(BaseCommand):
    help = (
        "Compare each framework's release facts (latest release, its date and Python floor, "
        "the newest release of its LTS line) with the Python Package Index. Reports what "
        "differs; changes nothing unless --apply is given."
    )

    def add_arguments(self, parser):
        parser.add_argument("slugs", nargs="*", help="Frameworks to check (default: all).")
        parser.add_argument(
            "--apply",
            action="store_true",
            help="Update the facts that differ, in one transaction, with a dated correction.",
        )
        parser.add_argument(
            "--index-url", default=PYPI, help="The index's JSON API (default: %(default)s)."
        )
        parser.add_argument(
            "--timeout",
            type=float,
            default=DEFAULT_TIMEOUT,
            help="Seconds to wait for each package's answer (default: %(default)s).",
        )

    def handle(self, *args, slugs, apply, index_url, timeout, verbosity, **options):
        frameworks = list(Framework.objects.exclude(package=""))
        if slugs:
            unknown = sorted(set(slugs) - {f.slug for f in frameworks})
            if unknown:
                raise CommandError(
                    f"No framework with a package on PyPI has the slug {', '.join(unknown)}."
                )
            frameworks = [f for f in frameworks if f.slug in slugs]
        if not frameworks:
            self.stdout.write("No framework names a package on PyPI: nothing to check.")
            return

        # Read everything first: an unreachable index or a bad answer stops before any change.
        found = {}
        for framework in frameworks:
            try:
                data = fetch_package(index_url, framework.package, timeout)
                found[framework.pk] = facts_from_index(data, framework.package, framework.lts_line)
            except PackageIndexError as error:
                raise CommandError(
                    f"Checking facts failed, nothing was changed: {error}"
                ) from error

        checked_at = timezone.now()
        drifted = {}
        for framework in frameworks:
            differences = drift(framework, found[framework.pk])
            if differences:
                drifted[framework.pk] = differences
            self.report(framework, differences, verbosity)

        if apply and drifted:
            with transaction.atomic(), reversion.create_revision():
                reversion.set_comment("Release facts updated from the package index (check_facts)")
                corrected = sum(
                    update(framework, found[framework.pk])
                    for framework in frameworks
                    if framework.pk in drifted
                )
                record_checks(frameworks, {}, checked_at)
            self.stdout.write(
                self.style.SUCCESS(
                    f"Updated {len(drifted)} framework(s); {corrected} dated correction(s)."
                )
            )
            return

        record_checks(frameworks, drifted, checked_at)
        if drifted:
            self.stdout.write(
                f"{len(drifted)} framework(s) differ from the index. Nothing was changed: "
                "run again with --apply to update them."
            )
        else:
            self.stdout.write(self.style.SUCCESS("Every framework's release facts are current."))

    def report(self, framework, differences, verbosity):
        if not differences:
            if verbosity > 1:
                self.stdout.write(f"{framework.name}: current")
            return
        for line in differences:
            self.stdout.write(f"{framework.name}: {line}")


def drift(framework: Framework, facts: dict[str, str]) -> list[str]:
    """One line per release fact that differs from the index: what we hold → what it says."""
    held = framework.release_facts()
    return [
        f"{LABELS[name]} {held[name] or '(none)'} → {facts[name] or '(none)'}"
        for name in RELEASE_FACTS
        if held[name] != facts[name]
    ]


def update(framework: Framework, facts: dict[str, str]) -> bool:
    """Set the facts the index gives; a dated correction where they replace earlier ones."""
    before = framework_summary(framework)
    for name, text in facts.items():
        value = datetime.date.fromisoformat(text) if name == "latest_released" else text
        setattr(framework, name, value)
    framework.full_clean()
    framework.save()
    if before == NONE_RECORDED:  # filled in for the first time: nothing was stated before
        return False
    today = timezone.localdate()
    Correction.objects.update_or_create(
        framework=framework,
        said_by=Correction.SaidBy.SITE,
        original=f"Release facts before {today.isoformat()}: {before}"[:300],
        defaults={
            "now": f"Checked against the Python Package Index on {long_date(today)}: "
            f"{framework_summary(framework, strong=True)}.",
            "dated": today,
            "position": 100,
        },
    )
    return True


def framework_summary(framework: Framework, strong: bool = False) -> str:
    """The release facts in a sentence, as the correction tells them."""
    mark = "**" if strong else ""
    if not framework.latest_version:
        return NONE_RECORDED
    parts = [f"latest release {mark}{framework.latest_version}{mark}"]
    if framework.latest_released:
        parts[0] += f" ({long_date(framework.latest_released)})"
    if framework.latest_requires_python:
        parts.append(f"it needs {mark}{python_floor(framework.latest_requires_python)}{mark}")
    if framework.lts_version:
        lts = f"long-term support release {mark}{framework.lts_version}{mark}"
        if framework.lts_requires_python:
            lts += f", which needs {python_floor(framework.lts_requires_python)}"
        parts.append(lts)
    return "; ".join(parts)


def long_date(day: datetime.date) -> str:
    return formats.date_format(day, "j F Y")


def record_checks(frameworks, drifted: dict[int, list[str]], checked_at) -> None:
    for framework in frameworks:
        FactCheck.objects.update_or_create(
            framework=framework,
            defaults={"checked_at": checked_at, "drift": "\n".join(drifted.get(framework.pk, []))},
        )
