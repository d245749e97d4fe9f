from functools import cached_property
from itertools import combinations

from django.contrib.sitemaps import Sitemap
from django.db.models import Max
from django.urls import reverse

from articles.models import Article
from comparisons.models import Framework


class ArticleSitemap(Sitemap):
    def items(self):
        return Article.objects.published().order_by("slug")

    def lastmod(self, item):
        return item.updated_at


class FrameworkSitemap(Sitemap):
    def items(self):
        return Framework.objects.published()

    def lastmod(self, item):
        return item.updated_at


class PageSitemap(Sitemap):
    """Pages drawn from all frameworks (and the home page's lede): they change with any."""

    def items(self):
        return [
            "articles:home",
            "comparisons:framework_list",
            "comparisons:compare",
            "comparisons:choose",
        ]

    def location(self, item):
        return reverse(item)

    @cached_property
    def latest_change(self):
        stamps = [
            Framework.objects.published().aggregate(latest=Max("updated_at"))["latest"],
            Article.objects.published().aggregate(latest=Max("updated_at"))["latest"],
        ]
        return max((stamp for stamp in stamps if stamp), default=None)

    def lastmod(self, item):
        return self.latest_change


class VersusSitemap(Sitemap):
    def items(self):
        return list(combinations(Framework.objects.published(), 2))

    def location(self, item):
        first, second = item
        return first.versus_url(second)

    def lastmod(self, item):
        return max(framework.updated_at for framework in item)


sitemaps = {
    "pages": PageSitemap,
    "articles": ArticleSitemap,
    "frameworks": FrameworkSitemap,
    "versus": VersusSitemap,
}
