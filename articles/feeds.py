from django.contrib.syndication.views import Feed
from django.urls import reverse_lazy
from django.utils.feedgenerator import Atom1Feed

from articles.models import Article


class ArticleFeed(Feed):
    feed_type = Atom1Feed
    title = "Framework Guide"
    subtitle = "Guides to choosing a Python web framework."
    link = reverse_lazy("articles:home")

    def items(self):
        return Article.objects.published().order_by("-published_at")[:20]

    def item_title(self, item):
        return item.title

    def item_description(self, item):
        return item.description

    def item_pubdate(self, item):
        return item.published_at

    def item_updateddate(self, item):
        return item.updated_at
