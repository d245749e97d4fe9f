"""The page cache: each public page rendered once, kept compressed, replaced after any edit.

Why a middleware of our own rather than Django's ``cache_page``: Django keys a page by its
full URL and by every header it varies on, so junk query strings and made-up cookies would
each store a new copy, and it has no way to drop every page at once when the content
changes. What this one does, in the order a request meets it:

1. Only readers' GET/HEAD requests to a page are taken (not the admin, /healthz, a staff
   member's real session: staff see drafts); the Host is validated first (a bad one is a
   400, cached page or not).
2. A query string is reduced to the parameters its view declares (``@query_parameters``),
   sorted; a request with any other parameter is redirected to the URL without it. So one
   page is one key, whatever junk a client sends.
3. The key names the *generation*: a random token kept in the cache itself, dropped after
   every commit that changed content (``track``), and set to expire at the next moment a
   scheduled article becomes visible (``config.content``'s ``scheduled``). Every app server
   reads the same token from the shared cache (Redis, or the file cache ``make run``
   shares between its workers), so an edit shows everywhere at the next request, and a warm
   hit makes no database query.
4. A page is kept per coding (Brotli, gzip, none; see core/compression.py), compressed once
   when rendered, with its ETag and every header a hit sends, so a hit only reads and
   answers. Django's ConditionalGetMiddleware, above this one, answers
   conditional requests with 304 from that ETag and the generation's Last-Modified.
5. With the database away, a page the cache holds is still served (``X-Page-Cache: stale``),
   to any request: no session can be checked then; with the cache away (Redis down), pages
   are rendered and served uncached. The ``X-Page-Cache`` header (hit, miss, stale) is sent
   only where the operator turns it on (PAGE_CACHE_HEADER): it would tell anyone whether
   another reader asked the same question of /choose/.
"""

from __future__ import annotations

import functools
import hashlib
import logging
import math
import secrets
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from importlib import import_module
from urllib.parse import urlencode

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.db.models import F, Model
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.http import HttpRequest, HttpResponse, HttpResponsePermanentRedirect
from django.urls import Resolver404, resolve, reverse
from django.utils import timezone
from django.utils.cache import patch_vary_headers
from django.utils.http import http_date

from core import compression
from core.views import DATABASE_UNAVAILABLE

logger = logging.getLogger("framework_guide.cache")

GENERATION_KEY = "pages:generation"
PAGE_KEY_PREFIX = "pages:"
PAGE_TIMEOUT = 60 * 60  # pages of an old generation are unreachable; they go within the hour
RETRY_AFTER_FAILURE = 5.0  # seconds without trying a cache that failed
# The headers a view sets that a kept copy carries too (the middleware above this one adds
# the rest, such as the security headers, to every response).
KEPT_HEADERS = {
    "content-type",
    "content-language",
    "content-disposition",
    "access-control-allow-origin",
    "cross-origin-resource-policy",
    "x-robots-tag",
}


@dataclass(frozen=True)
class Generation:
    token: str
    since: datetime  # when it began: no content the pages show has changed since


_cache_down_until = 0.0
_last_generation: Generation | None = None  # what this process read last, for a database outage
_tracked: set[type] = set()
_batch = threading.local()  # per thread: .held inside one_content_change, .changed if one came


def _cache_call(method: str, *args):
    """A call to the cache that never fails: a cache down or hung is logged and left alone
    for RETRY_AFTER_FAILURE seconds, the pages served uncached meanwhile."""
    global _cache_down_until
    if time.monotonic() < _cache_down_until:
        return None
    try:
        return getattr(cache, method)(*args)
    except Exception:
        logger.exception("Page cache unavailable; serving uncached for %ss", RETRY_AFTER_FAILURE)
        _cache_down_until = time.monotonic() + RETRY_AFTER_FAILURE
        return None


# --- the generation


def next_scheduled_change() -> datetime | None:
    """The next moment content becomes visible by itself (an article published for later)."""
    from core.content import scheduled_fields

    moments = [
        model._default_manager.filter(**{f"{field}__gt": timezone.now()})
        .order_by(field)
        .values_list(field, flat=True)
        .first()
        for model, field in scheduled_fields()
    ]
    return min((moment for moment in moments if moment), default=None)


def generation() -> Generation:
    """The pages' generation: from the cache, else a new one, which lasts until content
    changes or the next scheduled moment (one query to find it). Raises the database's error
    when a new one is needed and the database cannot be reached."""
    global _last_generation
    found = _cache_call("get", GENERATION_KEY)
    if found is None:
        until = next_scheduled_change()
        now = timezone.now()
        found = Generation(secrets.token_hex(8), now.replace(microsecond=0))
        timeout = None if until is None else max(1, math.ceil((until - now).total_seconds()))
        if not _cache_call("add", GENERATION_KEY, found, timeout):
            found = _cache_call("get", GENERATION_KEY) or found  # another server was first
    _last_generation = found
    return found


def new_generation() -> None:
    """Every page rendered before this is out of date: the next request starts a generation."""
    _cache_call("delete", GENERATION_KEY)


def start_afresh(**_signal_kwargs) -> None:
    """After ``migrate`` (a deploy): pages kept before were drawn by the code it replaces."""
    new_generation()


def content_changed(**_signal_kwargs) -> None:
    """A content change: when content last changed (ContentVersion), and a new generation
    now (for this process's next request) and again once the change is committed (a
    request another server answered meanwhile may have rendered what was there before)."""
    from core.dating import is_seeding
    from core.models import ContentVersion

    if getattr(_batch, "held", False):
        _batch.changed = True
        return

    now = timezone.now()
    changes = (
        {"version": F("version") + 1}
        if is_seeding()
        else {"version": F("version") + 1, "changed_at": now}
    )
    updated = ContentVersion.objects.filter(pk=1).update(**changes)
    if not updated:
        ContentVersion.objects.get_or_create(pk=1, defaults={"version": 1, "changed_at": now})
    new_generation()
    transaction.on_commit(new_generation, robust=True)


@contextmanager
def one_content_change() -> Iterator[None]:
    """Many rows saved or deleted in a row (the seed loads 440): one content change when they
    are all done, rather than one per row (each an UPDATE of the content version). Used inside
    the transaction that writes them; if they fail, there is no change to count."""
    if getattr(_batch, "held", False):  # already inside one
        yield
        return
    _batch.held, _batch.changed = True, False
    try:
        yield
    finally:
        _batch.held = False
    if _batch.changed:
        content_changed()


def track(*models: type[Model]) -> None:
    """Start a new generation whenever one of these models is saved, deleted or re-linked."""
    for model in models:
        if model in _tracked:
            continue
        _tracked.add(model)
        uid = str(model._meta)
        post_save.connect(content_changed, sender=model, dispatch_uid=f"changed-save-{uid}")
        post_delete.connect(content_changed, sender=model, dispatch_uid=f"changed-del-{uid}")
        for field in model._meta.many_to_many:
            m2m_changed.connect(
                content_changed,
                sender=field.remote_field.through,
                dispatch_uid=f"changed-m2m-{uid}-{field.name}",
            )


# --- which requests are canonical


@dataclass(frozen=True)
class QueryRules:
    """The query parameters a view reads: ``single`` ones (the last value counts, as
    ``QueryDict.get`` gives it), ``multi`` ones (a set: order and repeats do not matter) and
    any whose name starts with one of ``prefixes`` (single)."""

    single: frozenset[str] = frozenset()
    multi: frozenset[str] = frozenset()
    prefixes: tuple[str, ...] = ()

    def knows(self, name: str) -> bool:
        return name in self.single or name in self.multi or name.startswith(self.prefixes)


NO_PARAMETERS = QueryRules()


def query_parameters(*single: str, multi: tuple[str, ...] = (), prefixes: tuple[str, ...] = ()):
    """Declare the query parameters a view reads, so the page cache can tell a canonical
    request (cached under one key however its parameters are ordered or repeated) from junk
    (redirected to the URL without it). A view that declares none takes no parameters."""
    rules = QueryRules(frozenset(single), frozenset(multi), tuple(prefixes))

    def decorate(view):
        view.query_rules = rules
        return view

    return decorate


def uncached(response: HttpResponse) -> HttpResponse:
    """Mark a response the page cache must not keep: the view ignored part of what the
    request asked for (an unknown value), so the URL is not one of the site's own."""
    response.page_cache = False  # type: ignore[attr-defined]
    return response


def query_rules(request) -> QueryRules | None:
    """The rules of the view this path resolves to; None when it resolves to none (a 404)."""
    try:
        match = resolve(request.path_info, getattr(request, "urlconf", None))
    except Resolver404:
        return None
    return getattr(match.func, "query_rules", NO_PARAMETERS)


def canonical_query(request, rules: QueryRules) -> str:
    """The known parameters, normalised: sorted by name, a set for multi-valued ones, the
    last value for the others, blank values left out (views ignore them). Two requests the
    view treats alike get the same string. Values are not respelled here: a view takes a
    value only as the site spells it, and marks a response to any other spelling
    ``uncached``, so junk spellings (" performance", "01") are answered but never kept."""
    parts: list[tuple[str, str]] = []
    for name in sorted(key for key in request.GET if rules.knows(key)):
        values = request.GET.getlist(name)
        kept = sorted(set(values)) if name in rules.multi else values[-1:]
        parts.extend((name, value) for value in kept if value.strip())  # blank: not given
    return urlencode(parts)


def without_unknown_parameters(request, rules: QueryRules) -> str | None:
    """The URL without the parameters the view does not know, or None when there are none."""
    pairs = list(request.GET.lists())
    if all(rules.knows(name) for name, _ in pairs):
        return None
    query = urlencode([(name, values) for name, values in pairs if rules.knows(name)], doseq=True)
    return request.path + (f"?{query}" if query else "")


# --- who and what the cache takes


@functools.cache
def _skipped_prefixes() -> tuple[str, ...]:
    """The admin's and /healthz's addresses, reversed once per process (two reverse() calls
    were a fifth of a warm hit's time)."""
    return (reverse("admin:index"), reverse("healthz"))


def _cacheable_request(request) -> bool:
    return request.method in ("GET", "HEAD") and not request.path.startswith(_skipped_prefixes())


def _staff_session(request) -> bool:
    """Whether the request carries a real, current session of a staff member. A made-up
    session cookie costs one query to find no such session, and is then served from the
    cache like any reader: a cookie alone is no way around the cache."""
    key = request.COOKIES.get(settings.SESSION_COOKIE_NAME)
    if not key:
        return False
    from django.contrib.auth import get_user

    store = import_module(settings.SESSION_ENGINE).SessionStore(key)
    probe = HttpRequest()  # get_user reads only its session
    probe.session = store
    return get_user(probe).is_staff


def _cacheable_response(response) -> bool:
    control = response.get("Cache-Control", "")
    return (
        response.status_code == 200
        and getattr(response, "page_cache", True)
        and not response.streaming
        and "private" not in control
        and "no-store" not in control
        and not response.cookies
    )


def _carries_secrets(request, response) -> bool:
    """Whether the body may hold a secret a compression side channel could read (BREACH):
    it sets a cookie, was made for one reader (private, no-store), used the CSRF token, or
    answers a request that brought a session or CSRF cookie."""
    control = response.get("Cache-Control", "")
    return bool(
        response.cookies
        or "private" in control
        or "no-store" in control
        or request.META.get("CSRF_COOKIE_NEEDS_UPDATE")
        or settings.SESSION_COOKIE_NAME in request.COOKIES
        or settings.CSRF_COOKIE_NAME in request.COOKIES
    )


def _compressible(response) -> bool:
    return (
        not response.streaming
        and not response.has_header("Content-Encoding")
        and compression.compressible(response.get("Content-Type", ""), len(response.content))
    )


def compressed_if_public(request, response, level: str = "fast"):
    """A public response compressed in the coding the client prefers, unless nothing in it
    is worth it or something in it is secret."""
    if not _compressible(response) or _carries_secrets(request, response):
        return response
    patch_vary_headers(response, ["Accept-Encoding"])
    coding = compression.negotiate(request.META.get("HTTP_ACCEPT_ENCODING"))
    if coding != compression.IDENTITY:
        response.content = compression.compress(response.content, coding, level)
        response["Content-Encoding"] = coding
        response["Content-Length"] = str(len(response.content))
    return response


def _page_key(token: str, path: str, query: str) -> str:
    address = hashlib.sha256(f"{path}?{query}".encode()).hexdigest()[:32]
    return f"{PAGE_KEY_PREFIX}{token}:{address}"


def _entry(body: bytes, headers: dict, coding: str, since: datetime) -> tuple[bytes, dict]:
    """A page as kept in one coding: its body compressed (once, at the better level) unless
    it is too small or not text, with every header a hit sends made here, once: the view's
    own (KEPT_HEADERS), the ETag of those bytes, the generation's Last-Modified, and what
    readers' caches and a proxy in front are told (Cache-Control, Vary, X-Page-Kept). The
    middleware above this one adds the security headers to every response."""
    headers = {name: value for name, value in headers.items() if name.lower() in KEPT_HEADERS}
    if coding != compression.IDENTITY and compression.compressible(
        headers.get("Content-Type", ""), len(body)
    ):
        body = compression.compress(body, coding)
        headers["Content-Encoding"] = coding
    headers["ETag"] = f'"{hashlib.md5(body, usedforsecurity=False).hexdigest()}"'
    headers["Content-Length"] = str(len(body))
    headers["Last-Modified"] = http_date(since.timestamp())
    # Readers' caches revalidate every time, with the ETag (a 304 costs a few bytes).
    headers["Cache-Control"] = "public, max-age=0, must-revalidate"
    headers["Vary"] = "Cookie, Accept-Encoding"
    # For a proxy in front (deploy/nginx.conf.in): a page this cache keeps, which it may
    # keep too. The same on every copy, so it tells no one what others asked; the proxy
    # removes it.
    headers["X-Page-Kept"] = "yes"
    return body, headers


def _from_identity(key: str, coding: str, since: datetime) -> tuple[bytes, dict] | None:
    """The page in this coding made from its identity copy, when the cache has that one (and
    kept, so it is compressed once)."""
    if coding == compression.IDENTITY:
        return None
    identity: tuple[bytes, dict] | None = _cache_call("get", f"{key}:{compression.IDENTITY}")
    if identity is None:
        return None
    entry = _entry(*identity, coding, since)
    _cache_call("set", f"{key}:{coding}", entry, PAGE_TIMEOUT)
    return entry


def _keep(key: str, coding: str, response, since: datetime) -> tuple[bytes, dict]:
    """A rendered page kept as it is and in this coding; the latter returned."""
    identity = _entry(response.content, dict(response.items()), compression.IDENTITY, since)
    entries = {f"{key}:{compression.IDENTITY}": identity}
    entries[f"{key}:{coding}"] = _entry(*identity, coding, since)
    _cache_call("set_many", entries, PAGE_TIMEOUT)
    return entries[f"{key}:{coding}"]


# --- the middleware


def page_cache_middleware(get_response):
    """Answer readers' pages from the cache (see the module's docstring)."""

    def middleware(request):
        if not _cacheable_request(request):
            return get_response(request)
        request.get_host()  # DisallowedHost -> 400, before anything is served
        # Without a query string there is nothing to tell apart: the path is looked up as it
        # is (a path no view answers is a 404, which is never kept).
        rules = query_rules(request) if request.GET else NO_PARAMETERS
        if rules is None:  # no such page: the view answers (404)
            return compressed_if_public(request, get_response(request))
        target = without_unknown_parameters(request, rules)
        if target is not None:
            return HttpResponsePermanentRedirect(target)
        try:
            if _staff_session(request):
                return get_response(request)
            current, state = generation(), "hit"
        except DATABASE_UNAVAILABLE:
            # No session can be checked: every request is a reader's (staff see the public
            # page until the database is back; drafts need it anyway).
            if _last_generation is None:
                raise
            current, state = _last_generation, "stale"
        coding = compression.negotiate(request.META.get("HTTP_ACCEPT_ENCODING"))
        key = _page_key(current.token, request.path, canonical_query(request, rules))
        found = _cache_call("get", f"{key}:{coding}")
        if found is None and state == "stale":  # not kept, the database away: the view's 503
            return get_response(request)
        if found is None:
            found = _from_identity(key, coding, current.since)
        if found is None:
            response = get_response(request)
            if not _cacheable_response(response):
                return compressed_if_public(request, response)
            found, state = _keep(key, coding, response, current.since), "miss"
        body, headers = found
        response = HttpResponse(body, headers=headers)
        if settings.PAGE_CACHE_HEADER:  # an operator's tool: it tells what others asked
            response["X-Page-Cache"] = state
        return response

    return middleware
