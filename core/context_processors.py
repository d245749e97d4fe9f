from django.core.exceptions import DisallowedHost
from django.templatetags.static import static


def site(request):
    """What every page's <head> needs: its canonical URL and the default share image.

    On the 400 page for a bad Host header there is no trustworthy host: no absolute URLs then.
    """
    try:
        return {
            "canonical_url": request.build_absolute_uri(request.path),
            "share_image_url": request.build_absolute_uri(static("img/share.png")),
        }
    except DisallowedHost:
        return {}
