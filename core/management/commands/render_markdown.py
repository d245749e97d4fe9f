from django.core.management.base import BaseCommand
from django.db import transaction

from core.cache import content_changed
from core.content import content_models
from core.fields import render_stored


class Command(BaseCommand):
    help = (
        "Render the stored HTML of every Markdown field again, with today's render_markdown "
        "(run it after the sanitiser changes). Prints how many rows changed."
    )

    def handle(self, *args, **options):
        with transaction.atomic():
            changed = render_stored(content_models())
            if changed:  # rows are updated without a save: say so to the page cache
                content_changed()
        self.stdout.write(f"{changed} row(s) changed.")
