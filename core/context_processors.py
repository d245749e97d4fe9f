from django.templatetags.static import static

from core.addresses import absolute_url


def site(request):
    """What every page's <head> needs: its canonical URL and the default share image, both
    from SITE_URL (never from the request's Host)."""
    return {
        "canonical_url": absolute_url(request.path),
        "share_image_url": absolute_url(static("img/share.png")),
    }
