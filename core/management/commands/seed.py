from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import DatabaseError

from core import content


class Command(BaseCommand):
    help = "Load the site's content from the fixtures into an empty database (never overwrites)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--fixture-dir",
            type=Path,
            default=settings.FIXTURE_DIR,
            help="Folder holding the fixture files (default: %(default)s).",
        )

    def handle(self, *args, fixture_dir: Path, verbosity: int, **options):
        try:
            counts = content.seed(fixture_dir)
        except content.FixtureError as exc:
            raise CommandError(f"Seeding failed, nothing was stored: {exc}") from exc
        except DatabaseError as exc:
            raise CommandError(
                f"Seeding failed, the database is not ready ({exc}). Run 'manage.py migrate' first."
            ) from exc
        if counts is None:
            if verbosity:
                self.stdout.write("The database already has content: nothing changed.")
            return
        if not verbosity:
            return
        summary = ", ".join(f"{count} {label}" for label, count in counts.items())
        self.stdout.write(self.style.SUCCESS(f"Seeded {summary} from {fixture_dir}."))
