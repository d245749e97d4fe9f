"""The page cache: rendered public pages, replaced at the next request after any edit.

Every content change (admin save, inline change, delete, history restore, seed, fixture
load) bumps ContentVersion through model signals. Cached pages are keyed by that version, so
an edit makes every older entry unreachable on every app server at once; pages also carry
an ETag and Last-Modified made from it, and conditional requests get 304 without rendering.
A cache that fails (Redis down) is logged and skipped for a few seconds: pages are then
served uncached, never with an error.
"""

from __future__ import annotations

import functools
import hashlib
import logging
import threading
import time
from collections import OrderedDict
from dataclasses import dataclass
from datetime import UTC, datetime
from importlib import import_module
from types import SimpleNamespace
from urllib.parse import urlencode

from django.conf import settings
from django.core.cache import cache, caches
from django.core.cache.backends.dummy import DummyCache
from django.core.cache.backends.locmem import LocMemCache
from django.db import OperationalError, connection, transaction
from django.db.models import F
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.http import HttpResponse, HttpResponseNotModified, HttpResponsePermanentRedirect
from django.urls import Resolver404, resolve, reverse
from django.utils.cache import patch_cache_control, patch_vary_headers
from django.utils.dateparse import parse_datetime
from django.utils.http import http_date, parse_http_date_safe

from core import compression
from core.models import ContentVersion
from core.views import DATABASE_UNAVAILABLE

logger = logging.getLogger("framework_guide.cache")

EPOCH = datetime(2000, 1, 1, tzinfo=UTC)
PAGE_TIMEOUT = 60 * 60  # an hour: entries of old versions expire soon; a popular page stays
RETRY_AFTER_FAILURE = 5.0
# Cache keys of pages say how their entries are laid out ((body, headers, coding) since the
# pages were compressed), so entries a previous release left in Redis are never misread.
PAGE_KEY_PREFIX = "page2:"  # seconds without trying the cache once it has failed

# The headers a view sets that a cached copy must carry too (the middleware above adds the
# rest, such as security headers, on every response).
KEPT_HEADERS = {
    "content-type",
    "content-language",
    "content-disposition",
    "access-control-allow-origin",
    "x-robots-tag",
}

_tracked: set[type] = set()
_cache_down_until = 0.0


# --- the version
#
# Where a page is looked for depends on the content version, so every request needs it; the
# database is asked only when the shared cache does not have it. After a commit that changed
# content, the new version is published to the shared cache (Redis) that every app server
# reads; each process keeps what it read for at most MEMO_SECONDS. So a warm hit makes no
# query, an edit shows everywhere within a second, and pages the cache holds are served while
# the database is away. A local-memory cache is one process's own: with one, the version is
# read from the database (at most once a second per process).

VERSION_KEY = "content-version"
MEMO_SECONDS = 1.0
# The published version expires, so a publish lost to a cache hiccup (or two racing) hides an
# edit for at most this long; then the next reader reads it from the database again.
VERSION_TIMEOUT = 30

_VERSION_SQL = None
_known: tuple[tuple[int, datetime], float] | None = None  # the version, and when it was read
_database_down_until = 0.0


def read_version() -> tuple[int, datetime]:
    """The version and when it changed, from the database: one primary-key read.

    Plain SQL rather than a queryset: building the query costs more than running it.
    """
    global _VERSION_SQL
    if _VERSION_SQL is None:
        table = connection.ops.quote_name(ContentVersion._meta.db_table)
        _VERSION_SQL = f"SELECT version, changed_at FROM {table} WHERE id = 1"  # noqa: S608
    with connection.cursor() as cursor:
        cursor.execute(_VERSION_SQL)
        row = cursor.fetchone()
    if not row:
        return 0, EPOCH
    version, changed_at = row
    if isinstance(changed_at, str):  # SQLite returns text
        changed_at = parse_datetime(changed_at)
    if changed_at.tzinfo is None:
        changed_at = changed_at.replace(tzinfo=UTC)
    return version, changed_at


def shared_cache() -> bool:
    """Whether the page cache is one that every app server reads (Redis, not local memory)."""
    return not isinstance(caches["default"], LocMemCache | DummyCache)


def current_version() -> tuple[int, datetime]:
    """The content version as of at most MEMO_SECONDS ago: from this process's memo, else the
    shared cache, else the database (then published for the others). Raises the database's
    error when it is needed and cannot be reached."""
    global _known, _database_down_until
    now = time.monotonic()
    if _known is not None and now - _known[1] < MEMO_SECONDS:
        return _known[0]
    shared = shared_cache()
    value = _cache_call("get", VERSION_KEY) if shared else None
    if value is None:
        if _known is not None and now < _database_down_until:
            # Failed a moment ago: serve what the cache holds, without waiting for it again.
            raise OperationalError("the database was unavailable a moment ago")
        try:
            value = read_version()
        except DATABASE_UNAVAILABLE:
            _database_down_until = now + RETRY_AFTER_FAILURE
            raise
        if shared:  # add, not set: never over a newer version published meanwhile
            _cache_call("add", VERSION_KEY, value, VERSION_TIMEOUT)
    _known = (value, now)
    return value


def last_known_version() -> tuple[int, datetime] | None:
    """The version this process read last, however long ago (None before its first)."""
    return _known[0] if _known is not None else None


def forget_version() -> None:
    """Drop this process's memo: the next request reads the version afresh (and computes
    what pages computed from the content again)."""
    global _known, _database_down_until
    _known, _database_down_until = None, 0.0
    forget_computed()


def publish_version() -> None:
    """After a commit that changed content: the new version, for this process at once and for
    every app server through the shared cache."""
    global _known
    value = read_version()
    _known = (value, time.monotonic())
    if shared_cache():
        _cache_call("set", VERSION_KEY, value, VERSION_TIMEOUT)


def bump_version(**_signal_kwargs) -> None:
    from django.utils import timezone

    now = timezone.now()
    updated = ContentVersion.objects.filter(pk=1).update(version=F("version") + 1, changed_at=now)
    if not updated:
        ContentVersion.objects.get_or_create(pk=1, defaults={"version": 1, "changed_at": now})
    forget_version()
    # Published once the change is committed (at once outside a transaction): another
    # server that read the new version earlier would render the old content under it. Until
    # then the shared copy is dropped, so that a reader who comes first takes the version
    # from the database (and `add`s it, which never replaces the one published here).
    if shared_cache():
        _cache_call("delete", VERSION_KEY)
    transaction.on_commit(publish_version, robust=True)


def track(*models: type) -> None:
    """Bump the version whenever one of these models is saved, deleted or re-linked."""
    for model in models:
        if model in _tracked:
            continue
        _tracked.add(model)
        post_save.connect(bump_version, sender=model, dispatch_uid=f"bump-save-{model._meta}")
        post_delete.connect(bump_version, sender=model, dispatch_uid=f"bump-del-{model._meta}")
        for field in model._meta.many_to_many:
            m2m_changed.connect(
                bump_version,
                sender=field.remote_field.through,
                dispatch_uid=f"bump-m2m-{model._meta}-{field.name}",
            )


# --- what pages compute from the content, once per version
#
# A page's data (its queries, ranks, chart and footnotes) depends on the content alone, so a
# view computes it once per content version in each process and renders from it after: a
# page rendered again (the page cache off or full, a /choose/ answer not seen before, another
# coding) costs its template, not its queries. Results are shared between requests: read
# them, never change them. Readers' pages only; staff previews are computed afresh.

MEMO_ENTRIES = 256  # results kept per process (each a page's data, a few kB)
_computed: OrderedDict[tuple, object] = OrderedDict()
_computed_version: int | None = None
_computed_lock = threading.Lock()


def per_version(compute, *key):
    """``compute(*key)``, computed once per content version in this process (the least
    recently used results beyond MEMO_ENTRIES are dropped)."""
    global _computed_version
    version = current_version()[0]
    name = (compute.__module__, compute.__qualname__, *key)
    with _computed_lock:
        if version != _computed_version:
            _computed.clear()
            _computed_version = version
        if name in _computed:
            _computed.move_to_end(name)
            return _computed[name]
    value = compute(*key)
    with _computed_lock:
        if version == _computed_version:
            _computed[name] = value
            while len(_computed) > MEMO_ENTRIES:
                _computed.popitem(last=False)
    return value


class _NotKept(Exception):
    """Not an error: an answer (not a 200) that per_version must not keep."""

    def __init__(self, response):
        self.response = response


def document_per_version(view):
    """For a view whose 200 answer is a document drawn from the content alone (the open data,
    the sitemap, the feeds): its body and content headers, rendered once per content version
    and canonical query in each process. Any other answer (a 404 for a page past the end) is
    not kept."""

    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        def render(path: str, query: str) -> tuple[bytes, dict]:
            response = view(request, *args, **kwargs)
            if hasattr(response, "render"):
                response.render()  # a TemplateResponse (the sitemap)
            if response.status_code != 200 or response.streaming:
                raise _NotKept(response)
            kept = {name: value for name, value in response.items() if name.lower() in KEPT_HEADERS}
            return response.content, kept

        rules = getattr(request.resolver_match.func, "query_rules", NO_PARAMETERS)
        try:
            content, headers = per_version(render, request.path, canonical_query(request, rules))
        except _NotKept as answer:
            return answer.response
        return HttpResponse(content, headers=headers)

    return wrapper


def forget_computed() -> None:
    global _computed_version
    with _computed_lock:
        _computed.clear()
        _computed_version = None


# --- the cache, tolerant of failure


def _cache_call(method: str, *args):
    global _cache_down_until
    if time.monotonic() < _cache_down_until:
        return None
    try:
        return getattr(cache, method)(*args)
    except Exception:  # Redis down or hung: serve uncached, say so once per pause
        logger.exception("Page cache unavailable; serving uncached for %ss", RETRY_AFTER_FAILURE)
        _cache_down_until = time.monotonic() + RETRY_AFTER_FAILURE
        return None


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
    response.page_cache = False
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
    last value for the others. Two requests the view treats alike get the same string."""
    parts = []
    for name in sorted(key for key in request.GET if rules.knows(key)):
        values = request.GET.getlist(name)
        kept = sorted(set(values)) if name in rules.multi else values[-1:]
        parts.extend((name, value) for value in kept)
    return urlencode(parts)


def without_unknown_parameters(request, rules: QueryRules) -> str | None:
    """The URL without the parameters the view does not know, or None when there are none."""
    pairs = [(name, value) for name, value in request.GET.lists()]
    if all(rules.knows(name) for name, _ in pairs):
        return None
    kept = [(name, values) for name, values in pairs if rules.knows(name)]
    query = urlencode(kept, doseq=True)
    return request.path + (f"?{query}" if query else "")


# --- who bypasses the cache

_SKIP_PREFIXES: tuple[str, ...] | None = None


def _skipped_prefixes() -> tuple[str, ...]:
    global _SKIP_PREFIXES
    if _SKIP_PREFIXES is None:
        _SKIP_PREFIXES = (reverse("admin:index"), reverse("healthz"))
    return _SKIP_PREFIXES


def _cacheable_request(request) -> bool:
    return request.method in ("GET", "HEAD") and not request.path.startswith(_skipped_prefixes())


def _staff_session(request) -> bool:
    """Whether the request carries a real, current session of a staff member (who may see
    previews of drafts, so is never served from nor stored in the cache).

    A made-up session cookie costs one query to find no such session, and is then served from
    the cache like any reader: a cookie alone is no way around the cache.
    """
    key = request.COOKIES.get(settings.SESSION_COOKIE_NAME)
    if not key:
        return False
    from django.contrib.auth import get_user

    store = import_module(settings.SESSION_ENGINE).SessionStore(key)
    return get_user(SimpleNamespace(session=store)).is_staff


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


def _etag(version: int, path: str, query: str, coding: str = compression.IDENTITY) -> str:
    """The page's ETag: its version and address, and the coding of the bytes it names (a
    strong ETag names one representation: the Brotli bytes are not the gzip bytes)."""
    digest = hashlib.sha256(f"{path}?{query}".encode()).hexdigest()[:16]
    suffix = "" if coding == compression.IDENTITY else f"-{coding}"
    return f'"v{version}-{digest}{suffix}"'


def _not_modified(request, etag: str, changed_at: datetime) -> bool:
    if_none_match = request.headers.get("If-None-Match")
    if if_none_match is not None:
        return etag in {tag.strip().removeprefix("W/") for tag in if_none_match.split(",")}
    since = parse_http_date_safe(request.headers.get("If-Modified-Since", ""))
    return since is not None and int(changed_at.timestamp()) <= since


# --- compression (see core/compression.py)


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


def compressed_if_public(request, response):
    """A public response the cache does not keep (a 404, an ignored parameter), compressed as
    it goes out when the client accepts it and nothing in it is secret."""
    if not _compressible(response) or _carries_secrets(request, response):
        return response
    patch_vary_headers(response, ["Accept-Encoding"])
    coding = compression.negotiate(request.headers.get("Accept-Encoding"))
    if coding != compression.IDENTITY:
        response.content = compression.compress(response.content, coding, "fast")
        response["Content-Encoding"] = coding
        response["Content-Length"] = str(len(response.content))
    return response


def _stored_variant(key: str, coding: str) -> tuple[bytes, dict, str] | None:
    """The cached page in this coding, compressing its identity body once (and keeping the
    result) when only that is stored. (body, headers, coding of the body) or None."""
    if coding != compression.IDENTITY:
        found = _cache_call("get", f"{key}:{coding}")
        if found is not None:
            return found
    found = _cache_call("get", key)
    if found is None or coding == compression.IDENTITY:
        return found
    body, headers, _ = found
    if not compression.compressible(headers.get("Content-Type", ""), len(body)):
        variant = found
    else:
        variant = (compression.compress(body, coding), headers, coding)
    _cache_call("set", f"{key}:{coding}", variant, PAGE_TIMEOUT)
    return variant


def _keeps_pages() -> bool:
    """Whether what is stored now will be there for the next request: not with the page cache
    off (dummy://) or failing."""
    return time.monotonic() >= _cache_down_until and not isinstance(caches["default"], DummyCache)


def _store(key: str, response, coding: str) -> tuple[bytes, dict, str]:
    """Keep the identity body and, when this request wants one, its compressed variant (or,
    for a body not worth compressing, the identity body under that coding's key too, so the
    next hit finds it in one read). Returns what this request gets: (body, headers, coding;
    the coding "br-fast" or "gzip-fast" when nothing is kept, so it was compressed fast)."""
    headers = {name: value for name, value in response.items() if name.lower() in KEPT_HEADERS}
    entries = {key: (response.content, headers, compression.IDENTITY)}
    if not _keeps_pages():  # it goes out once: compress it fast, and keep nothing
        if coding == compression.IDENTITY or not _compressible(response):
            return entries[key]
        return compression.compress(response.content, coding, "fast"), headers, f"{coding}-fast"
    if coding != compression.IDENTITY:
        if _compressible(response):
            variant = compression.compress(response.content, coding)
            entries[f"{key}:{coding}"] = (variant, headers, coding)
        else:
            entries[f"{key}:{coding}"] = entries[key]
    _cache_call("set_many", entries, PAGE_TIMEOUT)
    return entries.get(f"{key}:{coding}", entries[key])


# --- the middleware


def page_cache_middleware(get_response):
    """Answer public pages from the cache, keyed by content version, path and canonical query,
    compressed as the client accepts.

    In order: the Host is validated (a bad one is a 400, cached page or not); a request with
    parameters its view does not know is redirected to the URL without them; staff (a real
    session) bypass the cache and compression; a 304 is sent only for a page the cache holds
    or has just rendered and kept — never for a 404 or a redirect. With the database away, a
    page the cache holds under the last version this process knew is served, marked stale;
    any other answers 503 (the view cannot run).
    """

    def middleware(request):
        if not _cacheable_request(request):
            return get_response(request)
        request.get_host()  # DisallowedHost -> 400, before anything is served
        rules = query_rules(request)
        if rules is None:  # no such page: let the view answer (404)
            return compressed_if_public(request, get_response(request))
        target = without_unknown_parameters(request, rules)
        if target is not None:
            return HttpResponsePermanentRedirect(target)
        if _staff_session(request):
            return get_response(request)
        try:
            (version, changed_at), state = current_version(), "hit"
        except DATABASE_UNAVAILABLE:
            known = last_known_version()
            if known is None:
                raise
            (version, changed_at), state = known, "stale"
        coding = compression.negotiate(request.headers.get("Accept-Encoding"))
        query = canonical_query(request, rules)
        key = PAGE_KEY_PREFIX + _etag(version, request.path, query).strip('"')
        stored = _stored_variant(key, coding)
        if stored is not None:
            body, headers, sent = stored
            response = HttpResponse(body, headers=headers)
            if sent != compression.IDENTITY:
                response["Content-Encoding"] = sent
            response["X-Page-Cache"] = state
        elif state == "stale":  # not kept, and the database is away: the view says 503
            return get_response(request)
        else:
            response = get_response(request)
            if not _cacheable_response(response):
                return compressed_if_public(request, response)
            body, _, sent = _store(key, response, coding)
            if sent != compression.IDENTITY:
                response.content = body
                response["Content-Encoding"] = sent.removesuffix("-fast")
            response["X-Page-Cache"] = "miss"
        response["Content-Length"] = str(len(response.content))
        etag = _etag(version, request.path, query, sent)
        if _not_modified(request, etag, changed_at):
            response = HttpResponseNotModified()
        response["ETag"] = etag
        response["Last-Modified"] = http_date(changed_at.timestamp())
        patch_cache_control(response, public=True, max_age=0, must_revalidate=True)
        # Every kept page varies by coding, whichever this one got (a shared cache in front
        # must not give a Brotli body to a client that asked for none).
        patch_vary_headers(response, ["Cookie", "Accept-Encoding"])
        return response

    return middleware
