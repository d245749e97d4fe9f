"""Public responses go out compressed when the client accepts it, compressed once and kept in
the page cache; nothing with a secret in it is ever compressed (BREACH). One behaviour per test.
"""

import gzip

import brotli
import pytest

from core import compression
from core.compression import negotiate
from core.pages import ARTICLE, NOT_FOUND, UNCACHED_PAGES

BOTH = {"Accept-Encoding": "br, gzip"}

# One public address per content type the site sends.
CONTENT_TYPES = {
    "html": "/compare/",
    "json": "/data/comparison.json",
    "csv": "/data/comparison.csv",
    "xml": "/sitemap.xml",
    "atom": "/feed/corrections/",
}

DECODERS = {"br": brotli.decompress, "gzip": gzip.decompress}


def vary(response) -> set[str]:
    return {part.strip().lower() for part in response.get("Vary", "").split(",")}


# --- which coding a client gets


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        ("br, gzip", "br"),
        ("gzip, deflate, br, zstd", "br"),
        ("gzip", "gzip"),
        ("GZIP", "gzip"),
        ("deflate", "identity"),
        ("", "identity"),
        (None, "identity"),
        ("identity", "identity"),
        ("br;q=0, gzip", "gzip"),
        ("gzip;q=0.5, br;q=0.4", "gzip"),
        ("gzip;q=1.0, br;q=1.0", "br"),
        ("*", "br"),
        ("*;q=0", "identity"),
        ("br;q=0, *", "gzip"),
        ("gzip;q=banana", "identity"),
        ("gzip;q=2", "identity"),
        (" , ;q=1, gzip ; q=0.8", "gzip"),
    ],
)
def test_negotiation_follows_the_clients_q_values_then_our_preference(header, expected):
    assert negotiate(header) == expected


def test_compressing_is_deterministic():
    body = b"<p>The same page, twice.</p>" * 40
    for coding in compression.ENCODERS:
        assert compression.compress(body, coding) == compression.compress(body, coding)


# --- public pages


@pytest.mark.parametrize("path", CONTENT_TYPES.values(), ids=CONTENT_TYPES.keys())
@pytest.mark.parametrize("coding", ["br", "gzip"])
def test_each_content_type_comes_compressed_when_asked(seeded, client, path, coding):
    identity = client.get(path)
    response = client.get(path, headers={"Accept-Encoding": coding})
    assert response.status_code == 200
    assert response["Content-Encoding"] == coding
    assert DECODERS[coding](response.content) == identity.content
    assert int(response["Content-Length"]) == len(response.content)
    assert "accept-encoding" in vary(response)


@pytest.mark.parametrize("path", CONTENT_TYPES.values(), ids=CONTENT_TYPES.keys())
def test_each_content_type_comes_as_it_is_when_not_asked(seeded, client, path):
    response = client.get(path)
    assert response.status_code == 200
    assert not response.has_header("Content-Encoding")
    assert int(response["Content-Length"]) == len(response.content)
    assert "accept-encoding" in vary(response)


def test_a_compressed_page_is_much_smaller(seeded, client):
    identity = client.get(ARTICLE)
    compressed = client.get(ARTICLE, headers=BOTH)
    assert len(compressed.content) < len(identity.content) / 3


@pytest.mark.parametrize("coding", ["br", "gzip"])
def test_a_compressed_cache_hit_is_the_identity_body_compressed(seeded, client, coding):
    identity = client.get(ARTICLE)
    assert identity["X-Page-Cache"] == "miss"
    first = client.get(ARTICLE, headers={"Accept-Encoding": coding})  # compressed from the cache
    again = client.get(ARTICLE, headers={"Accept-Encoding": coding})  # the kept variant
    assert (first["X-Page-Cache"], again["X-Page-Cache"]) == ("hit", "hit")
    expected = compression.compress(identity.content, coding)
    assert first.content == expected
    assert again.content == expected


def test_a_page_first_asked_for_compressed_is_kept_in_both_forms(seeded, client):
    first = client.get(ARTICLE, headers=BOTH)
    assert (first["X-Page-Cache"], first["Content-Encoding"]) == ("miss", "br")
    identity = client.get(ARTICLE)
    assert identity["X-Page-Cache"] == "hit"
    assert brotli.decompress(first.content) == identity.content


def test_a_warm_compressed_hit_compresses_nothing(seeded, client, monkeypatch):
    client.get(ARTICLE, headers=BOTH)

    def refuse(body, coding):
        raise AssertionError("compressed again")

    monkeypatch.setattr(compression, "compress", refuse)
    assert client.get(ARTICLE, headers=BOTH)["X-Page-Cache"] == "hit"


def test_a_tiny_body_is_sent_as_it_is(seeded, client):
    response = client.get("/robots.txt", headers=BOTH)
    assert not response.has_header("Content-Encoding")
    assert response.content.startswith(b"User-agent")


def test_the_not_found_page_comes_compressed(seeded, client):
    response = client.get(NOT_FOUND, headers=BOTH)
    assert response.status_code == 404
    assert response["Content-Encoding"] == "br"
    assert b"</html>" in brotli.decompress(response.content)


def test_an_unknown_framework_404_comes_compressed(seeded, client):
    response = client.get("/frameworks/no-such-framework/", headers={"Accept-Encoding": "gzip"})
    assert response.status_code == 404
    assert response["Content-Encoding"] == "gzip"


# --- ETags and 304, per coding


def test_each_coding_has_its_own_etag(seeded, client):
    tags = {
        client.get(ARTICLE, headers={"Accept-Encoding": coding})["ETag"]
        for coding in ("br", "gzip", "identity")
    }
    assert len(tags) == 3


@pytest.mark.parametrize("coding", ["br", "gzip", "identity"])
def test_a_conditional_request_with_its_codings_etag_is_304(seeded, client, coding):
    headers = {"Accept-Encoding": coding}
    etag = client.get(ARTICLE, headers=headers)["ETag"]
    response = client.get(ARTICLE, headers={**headers, "If-None-Match": etag})
    assert response.status_code == 304
    assert response["ETag"] == etag
    assert "accept-encoding" in vary(response)


def test_another_codings_etag_gets_the_full_page(seeded, client):
    gzip_etag = client.get(ARTICLE, headers={"Accept-Encoding": "gzip"})["ETag"]
    response = client.get(ARTICLE, headers={**BOTH, "If-None-Match": gzip_etag})
    assert response.status_code == 200
    assert response["Content-Encoding"] == "br"
    assert response["ETag"] != gzip_etag


# --- never with a secret in it


def test_the_admin_is_never_compressed(seeded, editor_client):
    response = editor_client.get("/admin/", headers=BOTH)
    assert response.status_code == 200
    assert not response.has_header("Content-Encoding")


def test_the_admin_login_page_is_never_compressed(seeded, client):
    response = client.get("/admin/login/", headers=BOTH)
    assert response.status_code == 200
    assert b"csrfmiddlewaretoken" in response.content
    assert not response.has_header("Content-Encoding")


@pytest.mark.parametrize("path", UNCACHED_PAGES.values(), ids=UNCACHED_PAGES.keys())
def test_pages_with_a_csrf_token_are_never_compressed(seeded, client, path):
    response = client.get(path, headers=BOTH)
    assert response.status_code == 200
    assert not response.has_header("Content-Encoding")


def test_a_page_for_staff_is_never_compressed(seeded, staff_client):
    response = staff_client.get(ARTICLE, headers=BOTH)
    assert response.status_code == 200
    assert not response.has_header("Content-Encoding")


def test_a_404_for_a_request_with_a_session_cookie_is_not_compressed(seeded, client):
    client.cookies["sessionid"] = "made-up"
    response = client.get(NOT_FOUND, headers=BOTH)
    assert response.status_code == 404
    assert not response.has_header("Content-Encoding")


def test_a_public_page_served_to_a_made_up_session_is_the_shared_compressed_copy(seeded, client):
    reader = client.get(ARTICLE, headers=BOTH)
    client.cookies["sessionid"] = "made-up"
    response = client.get(ARTICLE, headers=BOTH)
    assert response["X-Page-Cache"] == "hit"
    assert response.content == reader.content  # the same bytes as everyone's: nothing secret


# --- what goes out once is compressed fast


@pytest.fixture
def no_page_cache(settings):
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}}


def test_with_the_page_cache_off_a_page_is_still_compressed(seeded, client, no_page_cache):
    identity = client.get(ARTICLE).content
    response = client.get(ARTICLE, headers=BOTH)
    assert response["Content-Encoding"] == "br"
    assert brotli.decompress(response.content) == identity


def test_what_the_cache_keeps_is_compressed_at_the_better_level(seeded, client):
    identity = client.get(ARTICLE).content
    kept = client.get(ARTICLE, headers=BOTH).content
    assert kept == compression.compress(identity, "br")
    assert len(kept) < len(compression.compress(identity, "br", "fast"))


def test_a_failing_cache_still_compresses(seeded, client, monkeypatch):
    import core.cache

    monkeypatch.setattr(core.cache, "_cache_down_until", float("inf"))
    identity = client.get(ARTICLE).content
    response = client.get(ARTICLE, headers={"Accept-Encoding": "gzip"})
    assert response["Content-Encoding"] == "gzip"
    assert gzip.decompress(response.content) == identity
