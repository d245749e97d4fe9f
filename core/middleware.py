import functools
import ipaddress
import re
from urllib.parse import unquote_plus

from django.conf import settings
from django.core.exceptions import BadRequest
from django.shortcuts import render
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


def limit_body(get_response):
    """A request body larger than its form needs is refused with 413 before anything reads or
    spools it (a 300 MB upload to the report form once filled a small disk): the public forms
    take PUBLIC_BODY_LIMIT bytes, the admin ADMIN_BODY_LIMIT (it has no uploads). A body
    without a Content-Length is not read at all (Django reads what the length says)."""

    def middleware(request):
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            return bad_request(request, BadRequest("A Content-Length that is not a number."))
        admin = request.path.startswith(admin_prefix())
        limit = settings.ADMIN_BODY_LIMIT if admin else settings.PUBLIC_BODY_LIMIT
        if length > limit:
            response = render(request, "413.html", {"limit_kb": limit // 1024}, status=413)
            response["Connection"] = "close"
            return response
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
    return any(
        not isinstance(network, str) and ip in network for network in settings.TRUSTED_PROXIES
    )


def client_ip(request) -> str | None:
    """The client's address, as login throttling and the report form's limit count it.

    X-Forwarded-For is believed only when the request comes from a configured proxy
    (TRUSTED_PROXIES): one of its addresses, or, with ``unix`` among them, the proxy on the
    UNIX socket the app server listens on (such a request has no address of its own). Read
    from the right, each proxy appended the address it saw: the first entry that is not one
    of our proxies is the client (entries further left are whatever the client sent). From
    anyone else, such as a client reaching the app server directly, the socket's address
    counts, whatever the header says. None when there is no address to count.

    An IPv6 client is counted by its /64 (one subscriber's share of addresses: a client may
    pick any of them), as the first address of that network; an IPv4-mapped one as IPv4.
    """
    remote = request.META.get("REMOTE_ADDR") or ""
    from_socket = not remote and "unix" in settings.TRUSTED_PROXIES
    if not from_socket and not _is_trusted_proxy(remote):
        return counted(remote)
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
    for entry in reversed([entry.strip() for entry in forwarded if entry.strip()]):
        if not _is_trusted_proxy(entry):
            try:
                return counted(str(ipaddress.ip_address(entry)))
            except ValueError:  # a proxy of ours would not send this: keep the proxy's own
                return counted(remote)
    return counted(remote)


def counted(address: str) -> str | None:
    """The address a limit counts: IPv4 as it is, IPv6 as its /64 network's first address."""
    try:
        ip = ipaddress.ip_address(address.strip())
    except ValueError:
        return None
    if isinstance(ip, ipaddress.IPv6Address):
        if ip.ipv4_mapped is not None:
            return str(ip.ipv4_mapped)
        return str(ipaddress.ip_network(f"{ip}/64", strict=False).network_address)
    return str(ip)


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
