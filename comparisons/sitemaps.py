from functools import cached_property
from itertools import combinations

from django.db.models import Max
from django.urls import reverse

from comparisons.models import Framework
from core.addresses import SiteSitemap


def published_frameworks() -> list[Framework]:
    return list(Framework.objects.published())  # a list: no COUNT query


def latest_framework_change():
    return Framework.objects.published().aggregate(latest=Max("updated_at"))["latest"]


class FrameworkSitemap(SiteSitemap):
    def items(self):
        return published_frameworks()

    def lastmod(self, item):
        return item.updated_at


class ComparisonPageSitemap(SiteSitemap):
    """Pages drawn from every published framework: they change when any of them does."""

    def items(self):
        return [
            "comparisons:framework_list",
            "comparisons:compare",
            "comparisons:choose",
            "comparisons:methodology",
        ]

    def location(self, item):
        return reverse(item)

    @cached_property
    def latest(self):
        return latest_framework_change()  # once per sitemap: its pages share it

    def lastmod(self, item):
        return self.latest


class VersusSitemap(SiteSitemap):
    def items(self):
        return list(combinations(published_frameworks(), 2))

    def location(self, item):
        first, second = item
        return first.versus_url(second)

    def lastmod(self, item):
        return max(framework.updated_at for framework in item)


sitemaps = {
    "comparisons": ComparisonPageSitemap,
    "frameworks": FrameworkSitemap,
    "versus": VersusSitemap,
}
