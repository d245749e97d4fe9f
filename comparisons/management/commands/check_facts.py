from django.core.management.base import BaseCommand, CommandError

from comparisons import refresh
from comparisons.releases import DEFAULT_TIMEOUT, PackageIndexError


class Command(BaseCommand):
    help = (
        "Compare each framework's release facts (latest release, its date and Python floor, "
        "the newest release of its LTS line) with the Python Package Index. Reports what "
        "differs; changes nothing unless --apply is given (then it does what refresh_facts "
        "does)."
    )

    def add_arguments(self, parser):
        parser.add_argument("slugs", nargs="*", help="Frameworks to check (default: all).")
        parser.add_argument(
            "--apply",
            action="store_true",
            help="Update what differs, in one transaction, with a dated correction.",
        )
        parser.add_argument(
            "--index-url", default=refresh.PYPI, help="The index's JSON API (default: %(default)s)."
        )
        parser.add_argument(
            "--timeout",
            type=float,
            default=DEFAULT_TIMEOUT,
            help="Seconds to wait for each answer (default: %(default)s).",
        )

    def handle(self, *args, slugs, apply, index_url, timeout, verbosity, **options):
        try:
            frameworks = refresh.frameworks_to_check(slugs)
        except refresh.UnknownSlug as error:
            raise CommandError(str(error)) from error
        if not frameworks:
            self.stdout.write("No framework names a package on PyPI: nothing to check.")
            return

        # Read everything first: an unreachable index or a bad answer stops before any change.
        checked_at = refresh.now()
        try:
            found = refresh.read(frameworks, index_url, timeout, checked_at=checked_at)
        except PackageIndexError as error:
            refresh.record_failure(frameworks, error, checked_at)
            raise CommandError(f"Checking facts failed, nothing was changed: {error}") from error

        drifted = {}
        for framework in frameworks:
            differences = refresh.drift(framework, found[framework.pk].facts)
            if differences:
                drifted[framework.pk] = differences
            self.report(framework, differences, verbosity)

        if apply:
            try:
                changed, corrections = refresh.apply(frameworks, found, checked_at)
            except PackageIndexError as error:
                refresh.record_failure(frameworks, error, checked_at)
                raise CommandError(
                    f"Checking facts failed, nothing was changed: {error}"
                ) from error
            if changed:
                self.stdout.write(
                    self.style.SUCCESS(
                        f"Updated {changed} framework(s); {corrections} dated correction(s)."
                    )
                )
                return

        refresh.record_checks(frameworks, drifted, checked_at)
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
