"""The page cache: rendered public pages, replaced at the next request after any edit.

Every content change (admin save, inline change, delete, history restore, seed, fixture
load) bumps ContentVersion through model signals. Cached pages are keyed by that version, so
an edit makes every older entry unreachable on every app server at once; pages also carry
an ETag and Last-Modified made from it, and conditional requests get 304 without rendering.
A cache that fails (Redis down) is logged and skipped for a few seconds: pages are then
served uncached, never with an error.
"""

from __future__ import annotations

import hashlib
import logging
import time
from datetime import UTC, datetime

from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.db.models import F
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.http import HttpResponse, HttpResponseNotModified
from django.urls import reverse
from django.utils.cache import patch_cache_control, patch_vary_headers
from django.utils.dateparse import parse_datetime
from django.utils.http import http_date, parse_http_date_safe

from core.models import ContentVersion

logger = logging.getLogger("framework_guide.cache")

EPOCH = datetime(2000, 1, 1, tzinfo=UTC)
PAGE_TIMEOUT = 60 * 60 * 24  # entries of old versions expire on their own
RETRY_AFTER_FAILURE = 5.0  # seconds without trying the cache once it has failed

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


_VERSION_SQL = None


def current_version() -> tuple[int, datetime]:
    """The version and when it changed: one primary-key read, on every cacheable request.

    Plain SQL rather than a queryset: this runs for every page served from the cache, and
    building the query costs more than running it.
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


def bump_version(**_signal_kwargs) -> None:
    from django.utils import timezone

    now = timezone.now()
    updated = ContentVersion.objects.filter(pk=1).update(version=F("version") + 1, changed_at=now)
    if not updated:
        ContentVersion.objects.get_or_create(pk=1, defaults={"version": 1, "changed_at": now})


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


# --- the middleware

_SKIP_PREFIXES: tuple[str, ...] | None = None


def _skipped_prefixes() -> tuple[str, ...]:
    global _SKIP_PREFIXES
    if _SKIP_PREFIXES is None:
        _SKIP_PREFIXES = (reverse("admin:index"), reverse("healthz"))
    return _SKIP_PREFIXES


def _cacheable_request(request) -> bool:
    return (
        request.method in ("GET", "HEAD")
        and not request.path.startswith(_skipped_prefixes())
        # Readers have no session; a session may be staff's, who may see previews: those
        # requests are never answered from, nor stored in, the cache.
        and settings.SESSION_COOKIE_NAME not in request.COOKIES
    )


def _cacheable_response(response) -> bool:
    control = response.get("Cache-Control", "")
    return (
        response.status_code == 200
        and not response.streaming
        and "private" not in control
        and "no-store" not in control
        and not response.cookies
    )


def _etag(version: int, full_path: str) -> str:
    digest = hashlib.sha256(full_path.encode()).hexdigest()[:16]
    return f'"v{version}-{digest}"'


def _not_modified(request, etag: str, changed_at: datetime) -> bool:
    if_none_match = request.headers.get("If-None-Match")
    if if_none_match is not None:
        return etag in {tag.strip().removeprefix("W/") for tag in if_none_match.split(",")}
    since = parse_http_date_safe(request.headers.get("If-Modified-Since", ""))
    return since is not None and int(changed_at.timestamp()) <= since


def page_cache_middleware(get_response):
    def middleware(request):
        if not _cacheable_request(request):
            return get_response(request)
        version, changed_at = current_version()
        etag = _etag(version, request.get_full_path())
        last_modified = http_date(changed_at.timestamp())
        if _not_modified(request, etag, changed_at):
            response = HttpResponseNotModified()
        else:
            key = "page:" + etag.strip('"')
            stored = _cache_call("get", key)
            if stored is not None:
                content, headers = stored
                response = HttpResponse(content, headers=headers)
                response["X-Page-Cache"] = "hit"
            else:
                response = get_response(request)
                if not _cacheable_response(response):
                    return response
                headers = {
                    name: value for name, value in response.items() if name.lower() in KEPT_HEADERS
                }
                _cache_call("set", key, (response.content, headers), PAGE_TIMEOUT)
                response["X-Page-Cache"] = "miss"
        response["ETag"] = etag
        response["Last-Modified"] = last_modified
        patch_cache_control(response, public=True, max_age=0, must_revalidate=True)
        patch_vary_headers(response, ["Cookie"])
        return response

    return middleware
