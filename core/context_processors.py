import functools

from django.conf import settings
from django.templatetags.static import static
from django.urls import reverse

from core.addresses import absolute_url


def site(request):
    """What every page's <head>, menu and footer need: its canonical URL (from SITE_URL,
    never from the request's Host) and the site's own addresses."""
    return {"canonical_url": absolute_url(request.path), "links": links()}


def links() -> dict[str, str]:
    """The site's own addresses (also for pages rendered without a request: 500, 503)."""
    return _links(settings.SITE_URL, repr(settings.STORAGES["staticfiles"]))


@functools.cache
def _links(site_url: str, static_storage: str) -> dict[str, str]:
    """The addresses base.html links to, looked up once per process (and again only if the
    settings they come from change, as tests change them): a page's menu and footer need
    a dozen, and each {% url %} or {% static %} costs a lookup on every render."""
    names = {
        "home": "articles:home",
        "article_feed": "articles:feed",
        "frameworks": "comparisons:framework_list",
        "compare": "comparisons:compare",
        "choose": "comparisons:choose",
        "methodology": "comparisons:methodology",
        "correction_feed": "comparisons:feed",
        "code": "codesamples:index",
        "report": "reports:new",
    }
    return {
        **{key: reverse(name) for key, name in names.items()},
        "stylesheet": static("css/site.css"),
        "icon": static("img/favicon.svg"),
        "share_image": absolute_url(static("img/share.png")),
    }
