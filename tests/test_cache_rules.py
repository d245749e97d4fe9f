"""core/cache.py's rules: which requests and responses the page cache takes, ETags, conditional
requests, and the middleware around a stub view. One behaviour per test.

Requests come from RequestFactory; the generation is stubbed, so no test here touches the
database (a query would fail it). Conditional requests go through Django's
ConditionalGetMiddleware, as settings.MIDDLEWARE puts it above the page cache.
tests/test_production.py checks the cache end to end.
"""

import hashlib
from datetime import UTC, datetime

import pytest
from django.conf import settings
from django.core.cache import cache
from django.http import HttpResponse, StreamingHttpResponse
from django.middleware.http import ConditionalGetMiddleware
from django.urls import reverse
from django.utils.http import http_date

import core.cache
from core.cache import (
    Generation,
    _cacheable_request,
    _cacheable_response,
    page_cache_middleware,
)

CHANGED_AT = datetime(2025, 3, 1, 12, 0, tzinfo=UTC)
ETAG = '"{}"'.format(hashlib.md5(b"rendered", usedforsecurity=False).hexdigest())


# --- which requests


@pytest.mark.parametrize("method", ["get", "head"])
def test_a_readers_get_or_head_is_cacheable(rf, method):
    assert _cacheable_request(getattr(rf, method)("/compare/"))


@pytest.mark.parametrize("method", ["post", "put", "delete", "options"])
def test_other_methods_are_not_cacheable(rf, method):
    assert not _cacheable_request(getattr(rf, method)("/compare/"))


@pytest.mark.parametrize("name", ["admin:index", "admin:login", "healthz"])
def test_the_admin_and_healthz_are_not_cacheable(rf, name):
    assert not _cacheable_request(rf.get(reverse(name)))


def test_a_request_with_a_cookie_is_still_cacheable(rf):
    request = rf.get("/compare/")
    request.COOKIES[settings.SESSION_COOKIE_NAME] = "abc"
    assert _cacheable_request(request)  # whether it is staff's is checked later


def test_a_query_string_leaves_a_request_cacheable(rf):
    assert _cacheable_request(rf.get("/compare/", {"fw": "django"}))


# --- which responses


def test_a_plain_200_is_cacheable():
    assert _cacheable_response(HttpResponse("page"))


@pytest.mark.parametrize("status", [301, 304, 404, 500, 503])
def test_any_other_status_is_not_cacheable(status):
    assert not _cacheable_response(HttpResponse("page", status=status))


def test_a_streaming_response_is_not_cacheable():
    assert not _cacheable_response(StreamingHttpResponse(iter([b"page"])))


@pytest.mark.parametrize(
    "control", ["private", "no-store", "private, no-store", "max-age=0, private"]
)
def test_a_private_or_no_store_response_is_not_cacheable(control):
    assert not _cacheable_response(HttpResponse("page", headers={"Cache-Control": control}))


def test_a_response_that_sets_a_cookie_is_not_cacheable():
    response = HttpResponse("page")
    response.set_cookie("csrftoken", "x")
    assert not _cacheable_response(response)


# --- the middleware, around a stub view


class StubView:
    """A view that counts its calls and answers what it is given."""

    def __init__(self, response_factory=lambda: HttpResponse("rendered")):
        self.calls = 0
        self.response_factory = response_factory

    def __call__(self, request):
        self.calls += 1
        return self.response_factory()


@pytest.fixture
def version(monkeypatch):
    """The generation the middleware reads, without the database: set version.token."""

    class Version:
        token = "seven"

    monkeypatch.setattr(core.cache, "generation", lambda: Generation(Version.token, CHANGED_AT))
    return Version


@pytest.fixture
def view():
    return StubView()


@pytest.fixture
def serve(view, version):
    return ConditionalGetMiddleware(page_cache_middleware(view))


def test_a_first_request_renders_and_says_miss(rf, serve, view):
    response = serve(rf.get("/compare/"))
    assert view.calls == 1
    assert response["X-Page-Cache"] == "miss"
    assert response.content == b"rendered"


def test_a_second_request_is_served_from_the_cache(rf, serve, view):
    first = serve(rf.get("/compare/"))
    second = serve(rf.get("/compare/"))
    assert (view.calls, second["X-Page-Cache"]) == (1, "hit")
    assert second.content == first.content


def test_a_hit_sends_the_headers_the_page_was_first_sent_with(rf, serve):
    """A kept copy's headers are made once, when it is kept: a hit sends the same."""

    def headers(response):
        return {name: value for name, value in response.items() if name != "X-Page-Cache"}

    first = serve(rf.get("/compare/", headers={"Accept-Encoding": "br"}))
    second = serve(rf.get("/compare/", headers={"Accept-Encoding": "br"}))
    assert second["X-Page-Cache"] == "hit"
    assert headers(second) == headers(first)
    assert second["Content-Length"] == str(len(second.content))


def test_another_query_string_is_another_page(rf, serve, view):
    serve(rf.get("/compare/"))
    serve(rf.get("/compare/", {"fw": "flask"}))
    assert view.calls == 2


def test_a_new_generation_renders_again(rf, serve, view, version):
    serve(rf.get("/compare/"))
    version.token = "eight"
    assert serve(rf.get("/compare/"))["X-Page-Cache"] == "miss"
    assert view.calls == 2


def test_a_cached_copy_keeps_only_the_views_own_content_headers(rf, version):
    def response_factory():
        return HttpResponse(
            "a,b",
            content_type="text/csv",
            headers={"Content-Disposition": 'attachment; filename="x.csv"', "X-Debug": "1"},
        )

    serve = page_cache_middleware(StubView(response_factory))
    serve(rf.get("/data/comparison.csv"))
    response = serve(rf.get("/data/comparison.csv"))
    assert response["X-Page-Cache"] == "hit"
    assert response["Content-Type"] == "text/csv"
    assert response["Content-Disposition"] == 'attachment; filename="x.csv"'
    assert "X-Debug" not in response


# --- the ETag and Last-Modified


def test_the_etag_is_the_strong_digest_of_the_bytes_sent(rf, serve):
    assert serve(rf.get("/compare/"))["ETag"] == ETAG


def test_a_kept_page_keeps_its_etag(rf, serve):
    serve(rf.get("/compare/"))
    assert serve(rf.get("/compare/"))["ETag"] == ETAG


def test_the_same_page_in_a_new_generation_has_the_same_etag(rf, serve, version):
    serve(rf.get("/compare/"))
    version.token = "eight"
    assert serve(rf.get("/compare/"))["ETag"] == ETAG


def test_each_coding_has_its_own_etag(rf, version):
    serve = page_cache_middleware(StubView(lambda: HttpResponse("rendered " * 100)))
    etags = {
        serve(rf.get("/compare/", headers={"Accept-Encoding": coding}))["ETag"]
        for coding in ("br", "gzip", "identity")
    }
    assert len(etags) == 3


def test_pages_carry_the_last_modified_of_their_generation(rf, serve):
    response = serve(rf.get("/compare/"))
    assert response["Last-Modified"] == http_date(CHANGED_AT.timestamp())


def test_pages_ask_to_be_revalidated_and_vary_on_cookie(rf, serve):
    response = serve(rf.get("/compare/"))
    directives = {d.strip() for d in response["Cache-Control"].split(",")}
    assert {"public", "max-age=0", "must-revalidate"} <= directives
    assert "Cookie" in response["Vary"]


# --- conditional requests


def conditional(serve, **headers):
    serve(rf_get("/compare/"))  # the page, kept
    return serve(rf_get("/compare/", headers=headers))


def rf_get(path, headers=None):
    from django.test import RequestFactory

    return RequestFactory().get(path, headers=headers or {})


def test_no_condition_is_not_a_304(serve):
    assert conditional(serve).status_code == 200


def test_the_current_etag_is_not_modified(serve):
    assert conditional(serve, **{"If-None-Match": ETAG}).status_code == 304


def test_a_weak_form_of_the_current_etag_is_not_modified(serve):
    assert conditional(serve, **{"If-None-Match": f"W/{ETAG}"}).status_code == 304


def test_the_current_etag_among_others_is_not_modified(serve):
    assert conditional(serve, **{"If-None-Match": f'"old", {ETAG}'}).status_code == 304


def test_another_etag_is_modified(serve):
    assert conditional(serve, **{"If-None-Match": '"old"'}).status_code == 200


def test_if_modified_since_the_generation_began_is_not_modified(serve):
    since = http_date(CHANGED_AT.timestamp())
    assert conditional(serve, **{"If-Modified-Since": since}).status_code == 304


def test_if_modified_since_before_the_generation_began_is_modified(serve):
    since = http_date(CHANGED_AT.timestamp() - 1)
    assert conditional(serve, **{"If-Modified-Since": since}).status_code == 200


def test_an_unreadable_date_is_modified(serve):
    assert conditional(serve, **{"If-Modified-Since": "last Tuesday"}).status_code == 200


def test_an_etag_condition_wins_over_a_date(serve):
    headers = {"If-None-Match": '"old"', "If-Modified-Since": http_date(CHANGED_AT.timestamp())}
    assert conditional(serve, **headers).status_code == 200


def test_a_conditional_request_for_a_cached_page_is_304_without_rendering(rf, serve, view):
    serve(rf.get("/compare/"))
    response = serve(rf.get("/compare/", headers={"If-None-Match": ETAG}))
    assert response.status_code == 304
    assert view.calls == 1
    assert response["ETag"] == ETAG


def test_a_conditional_request_for_a_page_not_yet_cached_renders_it_first(rf, serve, view):
    response = serve(rf.get("/compare/", headers={"If-None-Match": ETAG}))
    assert response.status_code == 304
    assert view.calls == 1


def test_a_conditional_request_for_a_page_that_is_not_a_200_gets_what_the_view_says(rf, version):
    view = StubView(lambda: HttpResponse("gone", status=404))
    serve = ConditionalGetMiddleware(page_cache_middleware(view))
    far_future = http_date(CHANGED_AT.timestamp() + 10**8)
    response = serve(rf.get("/compare/", headers={"If-Modified-Since": far_future}))
    assert response.status_code == 404


# --- canonical requests


@pytest.mark.parametrize(
    ("first", "second"),
    [
        ("fw=django&fw=flask", "fw=flask&fw=django"),
        ("fw=django&fw=django", "fw=django"),
        ("c=packages&fw=django", "fw=django&c=packages"),
        ("sort=community&sort=packages", "sort=packages"),
    ],
)
def test_requests_the_view_reads_alike_share_one_cached_copy(rf, serve, view, first, second):
    serve(rf.get(f"/compare/?{first}"))
    assert serve(rf.get(f"/compare/?{second}"))["X-Page-Cache"] == "hit"
    assert view.calls == 1


@pytest.mark.parametrize(
    ("asked", "redirected_to"),
    [
        ("/compare/?r=1", "/compare/"),
        ("/compare/?fw=django&utm_source=x&fw=flask", "/compare/?fw=django&fw=flask"),
        ("/frameworks/django/?x=1&y=2", "/frameworks/django/"),
        (
            "/choose/?building=json-api&junk=1&w-packages=2",
            "/choose/?building=json-api&w-packages=2",
        ),
        ("/?=1", "/"),
    ],
)
def test_unknown_parameters_are_redirected_away_without_rendering(
    rf, serve, view, asked, redirected_to
):
    response = serve(rf.get(asked))
    assert response.status_code == 301
    assert response["Location"] == redirected_to
    assert view.calls == 0


def test_a_response_the_view_marks_uncached_is_not_kept(rf, version):
    view = StubView(lambda: core.cache.uncached(HttpResponse("ignored nope")))
    serve = page_cache_middleware(view)
    serve(rf.get("/compare/?fw=nope"))
    response = serve(rf.get("/compare/?fw=nope"))
    assert view.calls == 2
    assert "X-Page-Cache" not in response


def test_a_path_that_resolves_to_no_view_is_left_to_django(rf, serve, view):
    response = serve(rf.get("/no-such-page/?r=1"))
    assert view.calls == 1
    assert "X-Page-Cache" not in response


def test_an_uncacheable_request_goes_straight_to_the_view(rf, serve, view):
    response = serve(rf.post("/compare/"))
    assert view.calls == 1
    assert "X-Page-Cache" not in response
    assert "ETag" not in response


def test_an_uncacheable_response_is_returned_as_is_and_not_kept(rf, version):
    view = StubView(lambda: HttpResponse("private", headers={"Cache-Control": "private"}))
    serve = page_cache_middleware(view)
    first = serve(rf.get("/choose/"))
    serve(rf.get("/choose/"))
    assert view.calls == 2
    assert "X-Page-Cache" not in first
    assert "ETag" not in first


def test_a_failing_cache_serves_pages_uncached_and_logs_once(rf, serve, view, monkeypatch, caplog):
    def broken(*args):
        raise ConnectionError("cache down")

    monkeypatch.setattr(cache, "get", broken)
    monkeypatch.setattr(cache, "set", broken)
    first = serve(rf.get("/compare/"))
    second = serve(rf.get("/compare/"))
    assert first.status_code == second.status_code == 200
    assert view.calls == 2
    assert [r.getMessage() for r in caplog.records].count(
        f"Page cache unavailable; serving uncached for {core.cache.RETRY_AFTER_FAILURE}s"
    ) == 1
