import functools

from django.conf import settings
from django.urls import reverse


@functools.cache
def admin_prefix() -> str:
    return reverse("admin:index")


def admin_noindex(get_response):
    """Ask search engines never to index the back office."""

    def middleware(request):
        response = get_response(request)
        if request.path.startswith(admin_prefix()):
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


# Public pages have no script and load only our stylesheet, icon and images. (connect-src
# 'self' lets tools such as Lighthouse fetch /robots.txt from the page; with no script of
# ours it opens nothing.) The admin runs its own scripts and django-markdownx's, and the
# preview fetches from the same origin.
PUBLIC_POLICY = (
    "default-src 'none'; style-src 'self'; img-src 'self' https:; connect-src 'self'; "
    "form-action 'self'; base-uri 'none'; frame-ancestors 'none'"
)
ADMIN_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' https: data:; "
    "connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'; "
    "object-src 'none'"
)
PERMISSIONS_POLICY = "camera=(), geolocation=(), microphone=(), payment=(), usb=()"


def security_headers(get_response):
    """Content-Security-Policy and Permissions-Policy on every response.

    (X-Content-Type-Options, Referrer-Policy and Cross-Origin-Opener-Policy come from Django's
    SecurityMiddleware, X-Frame-Options from its clickjacking middleware, HSTS behind TLS.)
    """

    def middleware(request):
        response = get_response(request)
        policy = ADMIN_POLICY if request.path.startswith(admin_prefix()) else PUBLIC_POLICY
        response.setdefault("Content-Security-Policy", policy)
        response.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
        return response

    return middleware
