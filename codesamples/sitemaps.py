from django.urls import reverse

from core.addresses import SiteSitemap
from core.models import ContentVersion


class CodeSitemap(SiteSitemap):
    """The code page: it changes with any content (a sample, a task, a framework's name)."""

    def items(self):
        return ["codesamples:index"]

    def location(self, item):
        return reverse(item)

    def lastmod(self, item):
        return ContentVersion.last_changed()


sitemaps = {"code": CodeSitemap}
