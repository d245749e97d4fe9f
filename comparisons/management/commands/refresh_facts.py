from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from comparisons import refresh
from comparisons.releases import DEFAULT_TIMEOUT, PackageIndexError


class Command(BaseCommand):
    help = (
        "Read each framework's release facts from the Python Package Index and apply them: "
        "the latest release, its date and Python floor, the newest release of its LTS line, "
        "the releases of the past year and the vulnerabilities the index reports. A change "
        "is saved with a dated record; the index unreachable, slow or answering oddly changes "
        "nothing and is said in one line. For a schedule (deploy/refresh-facts.timer) and "
        "`make run`."
    )

    def add_arguments(self, parser):
        parser.add_argument("slugs", nargs="*", help="Frameworks to refresh (default: all).")
        parser.add_argument(
            "--index-url", default=refresh.PYPI, help="The index's JSON API (default: %(default)s)."
        )
        parser.add_argument(
            "--timeout",
            type=float,
            default=DEFAULT_TIMEOUT,
            help="Seconds to wait for each answer (default: %(default)s).",
        )
        parser.add_argument(
            "--deadline",
            type=float,
            default=None,
            help="Seconds the whole refresh may take (default: no limit).",
        )
        parser.add_argument(
            "--at-start",
            action="store_true",
            help="As the site starts: a failure is one line on standard output and the exit "
            "status 0, the site then serving the facts it has.",
        )

    def handle(self, *args, slugs, index_url, timeout, deadline, at_start, **options):
        try:
            frameworks = refresh.frameworks_to_check(slugs)
        except refresh.UnknownSlug as error:
            raise CommandError(str(error)) from error
        if not frameworks:
            self.stdout.write("No framework names a package on PyPI: nothing to refresh.")
            return
        checked_at = refresh.now()
        try:
            found = refresh.read(frameworks, index_url, timeout, deadline, checked_at)
            changes = {f.pk: refresh.drift(f, found[f.pk].facts) for f in frameworks}
            changed, corrections = refresh.apply(frameworks, found, checked_at)
        except PackageIndexError as error:
            refresh.record_failure(frameworks, error, checked_at)
            self.failed(error, at_start)
            return
        unread = sum(len(found[f.pk].notes) for f in frameworks)
        if not at_start:  # at start, the one line below
            for framework in frameworks:
                for line in changes[framework.pk] + found[framework.pk].notes:
                    self.stdout.write(f"{framework.name}: {line}")
        day = refresh.long_date(timezone.localdate(checked_at))
        outcome = (
            f"{changed} framework(s) changed, {corrections} dated correction(s)"
            if changed
            else "current"
        )
        if unread:
            outcome += f"; no vulnerability list for {unread} release(s)"
        self.stdout.write(
            self.style.SUCCESS(f"Release facts: read from the package index on {day}; {outcome}.")
        )

    def failed(self, error: PackageIndexError, at_start: bool) -> None:
        served = refresh.facts_date()
        since = f"from {refresh.long_date(served)}" if served else "as they were seeded"
        what = "did not answer" if error.unreachable else "gave an answer that was refused"
        if at_start:
            self.stdout.write(
                f"Release facts: the package index {what} ({error}); serving the facts {since}."
            )
            return
        raise CommandError(f"Release facts: the package index {what}, nothing was changed: {error}")
