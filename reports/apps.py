from django.apps import AppConfig


class ReportsConfig(AppConfig):
    """Readers' reports of mistakes on the site's pages, which editors read and close."""

    name = "reports"
    verbose_name = "Reports of mistakes"

    # Records, not content (see comparisons/apps.py): not seeded or exported, and a new or
    # closed report changes no page, so it leaves the content version and page cache alone.
    records = {"report"}
    # What editors may do with these records (core/roles.py): read, close (change) and
    # delete them; only readers make reports, through the site's form.
    editor_records = {"report": ("view", "change", "delete")}
