from functools import cached_property

from django.db.models import Max
from django.urls import reverse

from articles.models import Article
from comparisons.models import Framework
from core.addresses import SiteSitemap


class HomeSitemap(SiteSitemap):
    """The home page: the featured article's lede and a card per framework."""

    def items(self):
        return ["articles:home"]

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


class ArticleSitemap(SiteSitemap):
    def items(self):
        return list(Article.objects.published().order_by("slug"))  # a list: no COUNT query

    def lastmod(self, item):
        return item.updated_at


sitemaps = {"home": HomeSitemap, "articles": ArticleSitemap}
