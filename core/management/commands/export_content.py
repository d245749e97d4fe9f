from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand

from core import content


class Command(BaseCommand):
    help = "Write the current content back as the fixture files, in a stable order."

    def add_arguments(self, parser):
        parser.add_argument(
            "--fixture-dir",
            type=Path,
            default=settings.FIXTURE_DIR,
            help="Folder to write the fixture files to (default: %(default)s).",
        )

    def handle(self, *args, fixture_dir: Path, **options):
        for path in content.export(fixture_dir):
            self.stdout.write(f"Wrote {path}")
