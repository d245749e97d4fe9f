import functools
import ipaddress
import re
from urllib.parse import unquote_plus

from django.conf import settings
from django.core.exceptions import BadRequest
from django.urls import reverse
from django.views.defaults import bad_request


@functools.cache
def admin_prefix() -> str:
    return reverse("admin:index")


# C0 and C1 control characters, NUL among them: no address or query of this site has one.
CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")


def refuse_control_characters(get_response):
    """A path or query with a control character (``/code/files/django/%00``) is answered with
    the site's 400 page before any view or the database sees it: PostgreSQL refuses NUL in a
    string with an error, which would otherwise be a 500 and a traceback in the log."""

    def middleware(request):
        query = unquote_plus(request.META.get("QUERY_STRING", ""), errors="replace")
        if CONTROL.search(request.path) or CONTROL.search(query):
            return bad_request(request, BadRequest("A control character in the address."))
        return get_response(request)

    return middleware


def admin_noindex(get_response):
    """Ask search engines never to index the back office."""

    def middleware(request):
        response = get_response(request)
        if request.path.startswith(admin_prefix()):
            response["X-Robots-Tag"] = "noindex, nofollow"
        return response

    return middleware


def _is_trusted_proxy(address: str | None) -> bool:
    try:
        ip = ipaddress.ip_address((address or "").strip())
    except ValueError:
        return False
    return any(ip in network for network in settings.TRUSTED_PROXIES)


def client_ip(request) -> str | None:
    """The client's address, for login throttling.

    X-Forwarded-For is believed only when the request comes from a configured proxy
    (TRUSTED_PROXIES). Read from the right, each proxy appended the address it saw: the first
    entry that is not one of our proxies is the client (entries further left are whatever the
    client sent). From anyone else, such as a client reaching the app server directly, the
    socket's address counts, whatever the header says.
    """
    remote = request.META.get("REMOTE_ADDR")
    if not _is_trusted_proxy(remote):
        return remote
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
    for entry in reversed([entry.strip() for entry in forwarded if entry.strip()]):
        if not _is_trusted_proxy(entry):
            try:
                return str(ipaddress.ip_address(entry))
            except ValueError:  # a proxy of ours would not send this: keep the proxy's own
                return remote
    return remote


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

    Cross-Origin-Resource-Policy: same-origin, unless the view said otherwise.
    (X-Content-Type-Options, Referrer-Policy and Cross-Origin-Opener-Policy come from Django's
    SecurityMiddleware, X-Frame-Options from its clickjacking middleware, HSTS behind TLS.)
    """

    def middleware(request):
        response = get_response(request)
        policy = ADMIN_POLICY if request.path.startswith(admin_prefix()) else PUBLIC_POLICY
        response.setdefault("Content-Security-Policy", policy)
        response.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
        # Other sites may not embed what this one serves (the open data says cross-origin).
        response.setdefault("Cross-Origin-Resource-Policy", "same-origin")
        return response

    return middleware
