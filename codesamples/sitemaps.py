from functools import cached_property

from django.urls import reverse

from core.addresses import SiteSitemap
from core.models import ContentVersion


class CodeSitemap(SiteSitemap):
    """The code page: it changes with any content (a sample, a task, a framework's name)."""

    def items(self):
        return ["codesamples:index"]

    def location(self, item):
        return reverse(item)

    @cached_property
    def latest_change(self):
        version = ContentVersion.objects.filter(pk=1).first()
        return version.changed_at if version else None

    def lastmod(self, item):
        return self.latest_change


sitemaps = {"code": CodeSitemap}
