from datetime import UTC, datetime, time

from django.utils.feedgenerator import Atom1Feed

from comparisons.models import Correction
from core.addresses import SiteFeed


def latest_corrections() -> list[Correction]:
    return list(
        Correction.objects.filter(framework__is_published=True)
        .select_related("framework")
        .order_by("-dated", "-pk")[:50]
    )


class CorrectionFeed(SiteFeed):
    """Where the original article was out of date, newest first: what is true today.

    The title (Atom's <title>, which carries no type, is text) is plain text and goes out as
    it is; the summary is declared type="html" and is the correction's stored, sanitised
    HTML.
    """

    feed_type = Atom1Feed
    title = "Framework Guide: corrections"
    subtitle = (
        "Facts the original article or this site got wrong or that have changed since, "
        "with the date."
    )
    url_name = "comparisons:feed"
    link_name = "comparisons:framework_list"

    def items(self):
        return latest_corrections()

    def item_title(self, item):
        return f"{item.framework.name}: {item.original}"

    def item_description(self, item):
        return item.now_html  # stored sanitised HTML: right for an html-typed <summary>

    def item_guid(self, item):
        """The entry's id: its link and its date, so that a note rewritten on a later day (a
        framework's release facts: comparisons.refresh rewrites its one note at each change)
        is a new entry to feed readers, not an old one edited out of sight."""
        return f"{self.item_link(item)}-{item.dated.isoformat()}"

    item_guid_is_permalink = False

    def item_pubdate(self, item):
        return datetime.combine(item.dated, time(), tzinfo=UTC)

    def item_updateddate(self, item):
        return self.item_pubdate(item)
