from django.apps import AppConfig


class ReportsConfig(AppConfig):
    """Readers' reports of mistakes on the site's pages, which editors read and close (records,
    not content, and what editors may do with them: config/content.py)."""

    name = "reports"
    verbose_name = "Reports of mistakes"
