from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from comparisons.lineup import published_lineup, stale_texts


class Command(BaseCommand):
    help = (
        "List the texts editors wrote that count or list the frameworks as they no longer "
        'are ("the three" with four published, "Django, Flask and FastAPI" without the '
        "fourth), articles that do not cover a published framework, and sentences that say a "
        "release fact (a version, the Python it needs) otherwise than the facts box. Exits 1 "
        "if any."
    )

    def handle(self, *args, **options):
        lineup = published_lineup()
        found = stale_texts()
        if not found:
            self.stdout.write(
                f"No text miscounts the {lineup.count} published frameworks or disagrees with "
                "the release facts."
            )
            return
        for text in found:
            where = f"{text.model} “{text.label}”, {text.field}"
            quoted = f": “{text.excerpt}”" if text.excerpt else ""
            self.stdout.write(
                f"{where}{quoted} {text.why}. Edit: {settings.SITE_URL}{text.admin_url}"
            )
        raise CommandError(
            f"{len(found)} text(s) no longer match the published frameworks or the release facts."
        )
