from django.db.models import Max
from django.urls import reverse

from articles.models import Article
from comparisons.models import Framework
from core.addresses import SiteSitemap


def latest_home_change():
    stamps = [
        Framework.objects.published().aggregate(latest=Max("updated_at"))["latest"],
        Article.objects.published().aggregate(latest=Max("updated_at"))["latest"],
    ]
    return max((stamp for stamp in stamps if stamp), default=None)


def published_articles() -> list[Article]:
    return list(Article.objects.published().order_by("slug"))  # a list: no COUNT query


class HomeSitemap(SiteSitemap):
    """The home page: the featured article's lede and a card per framework."""

    def items(self):
        return ["articles:home"]

    def location(self, item):
        return reverse(item)

    def lastmod(self, item):
        return latest_home_change()


class ArticleSitemap(SiteSitemap):
    def items(self):
        return published_articles()

    def lastmod(self, item):
        return item.updated_at


sitemaps = {"home": HomeSitemap, "articles": ArticleSitemap}
