from django.urls import reverse

from core.addresses import SiteSitemap
from core.cache import current_version


class CodeSitemap(SiteSitemap):
    """The code page: it changes with any content (a sample, a task, a framework's name)."""

    def items(self):
        return ["codesamples:index"]

    def location(self, item):
        return reverse(item)

    def lastmod(self, item):
        _, changed_at = current_version()
        return changed_at


sitemaps = {"code": CodeSitemap}
