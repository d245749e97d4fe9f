"""manage.py sync_samples [--check]: the code samples on the site, from the files in samples/."""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from codesamples.reader import SampleFilesError
from codesamples.sync import differences, sync


class Command(BaseCommand):
    help = (
        "Copy each sample's code (between its task markers), files, lines and pinned versions "
        "from samples/ into the database, keeping the editors' explanations, and add a sample "
        "app for a sample whose framework has none. With --check, change nothing and fail if "
        "the code shown differs from the files."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--check",
            action="store_true",
            help="Report what differs from the files and exit 1 if anything does.",
        )
        parser.add_argument(
            "--root",
            type=Path,
            default=settings.BASE_DIR,
            help="The repository the sample folders are in (default: this checkout).",
        )

    def handle(self, *args, check=False, root=None, **options):
        try:
            if check:
                problems = differences(root)
                if problems:
                    raise CommandError(
                        "The code shown on the site differs from the sample files (run "
                        "`manage.py sync_samples`, then `manage.py export_content`):\n"
                        + "\n".join(problems)
                    )
                self.stdout.write("The code shown on the site is the files' code.")
                return
            changed = sync(root)
        except SampleFilesError as error:
            raise CommandError(f"sync_samples: {error}. Nothing was changed.") from error
        for line in changed:
            self.stdout.write(line)
        self.stdout.write(f"{len(changed)} change(s)." if changed else "Nothing to change.")
