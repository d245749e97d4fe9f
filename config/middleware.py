from django.conf import settings
from django.urls import reverse


def admin_noindex(get_response):
    """Ask search engines never to index the back office."""
    admin_prefix = None

    def middleware(request):
        nonlocal admin_prefix
        response = get_response(request)
        if admin_prefix is None:
            admin_prefix = reverse("admin:index")
        if request.path.startswith(admin_prefix):
            response["X-Robots-Tag"] = "noindex, nofollow"
        return response

    return middleware


def client_ip(request) -> str | None:
    """The reader's address, for login throttling.

    Behind a TLS-terminating proxy (BEHIND_TLS) every request comes from the proxy; the proxy
    appends the address it saw to X-Forwarded-For, so the last entry is the one to trust
    (earlier entries are whatever the client sent).
    """
    if settings.BEHIND_TLS:
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        if forwarded.strip():
            return forwarded.split(",")[-1].strip()
    return request.META.get("REMOTE_ADDR")
