"""Absolute URLs, always from the configured SITE_URL, never from what a client sends.

A page cached once is served to every reader, so nothing in it may come from one request's
Host header or scheme (an attacker's `Host: LOCALHOST.:9` would otherwise become everyone's
canonical URL).
"""

from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.sitemaps import Sitemap
from django.contrib.syndication.views import Feed
from django.urls import reverse


def absolute_url(path: str) -> str:
    """``/frameworks/`` -> ``https://guide.example.com/frameworks/``."""
    return settings.SITE_URL + path


class SiteSitemap(Sitemap):
    """A sitemap section whose locations use SITE_URL's scheme and host."""

    def get_domain(self, site=None):
        return urlsplit(settings.SITE_URL).netloc

    def get_protocol(self, protocol=None):
        return urlsplit(settings.SITE_URL).scheme


class SiteFeed(Feed):
    """An Atom/RSS feed whose links are absolute from SITE_URL.

    Django's Feed adds the request's host to relative links; these are absolute already, so
    it leaves them alone. ``url_name`` is the feed's own URL name; ``link_name`` its page's.
    """

    url_name = ""
    link_name = ""

    def link(self):
        return absolute_url(reverse(self.link_name))

    def feed_url(self):
        return absolute_url(reverse(self.url_name))

    def item_link(self, item):
        return absolute_url(item.get_absolute_url())
