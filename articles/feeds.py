from django.utils.feedgenerator import Atom1Feed
from django.utils.html import escape

from articles.models import Article
from core.addresses import SiteFeed


def latest_articles() -> list[Article]:
    return list(Article.objects.published().order_by("-published_at")[:20])


class ArticleFeed(SiteFeed):
    """The published articles, newest first.

    Atom titles are text (they carry no type), so a title goes out as it is. The summary is
    declared type="html", so the article's description, plain text, is escaped as HTML first:
    a feed reader shows "<script>" or "&" as those characters, never as markup.
    """

    feed_type = Atom1Feed
    title = "Framework Guide"
    subtitle = "Guides to choosing a Python web framework."
    url_name = "articles:feed"
    link_name = "articles:home"

    def items(self):
        return latest_articles()

    def item_title(self, item):
        return item.title

    def item_description(self, item):
        return escape(item.description)  # plain text, sent in an html-typed <summary>

    def item_pubdate(self, item):
        return item.published_at

    def item_updateddate(self, item):
        return item.updated_at
