"""manage.py record_samples_latest FILE: the samples' runs on the newest releases, on the site."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from codesamples.newest import ResultsError, read, record


class Command(BaseCommand):
    help = (
        "Record each sample's run on the newest releases its requirements allow (the JSON "
        "file `scripts/samples.py latest --record FILE` writes: `make samples-latest`), shown "
        "on /code/ and on the framework pages. Then `manage.py export_content` to commit it."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path, help="The results, e.g. var/samples-latest.json.")

    def handle(self, *args, file: Path, **options):
        try:
            recorded = record(read(file))
        except ResultsError as error:
            raise CommandError(f"Nothing was recorded: {error}") from error
        self.stdout.write(
            self.style.SUCCESS(f"Recorded the newest-release runs of {', '.join(recorded)}.")
        )
