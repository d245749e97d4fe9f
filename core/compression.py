"""Public responses compressed on the wire: which encoding a client gets, and the bytes.

The page cache (core/cache.py) keeps each page's compressed variants next to its identity
body, so a warm hit costs no compression; a public page it does not keep (a 404, an ignored
parameter) is compressed as it goes out. What is compressed is decided there: only bodies
that are the same for every reader, never one with a secret in it (the admin, a CSRF token,
a session), which a compression side channel (BREACH) could read out.

Brotli first, then gzip, each at one of two fixed levels, so a variant's bytes depend on the
body alone and its ETag may be strong. What the cache keeps is compressed once, at the
better level (about 0.7 ms for our largest page): Brotli 5 is within 1% of Brotli 9 on our
pages at a tenth of its time, while 11 saves another 14% but takes ~40 ms, too dear for
/choose/ answers, which are rendered for every new combination. A page the cache could keep
is compressed at that level even when the cache is off or down; what is never kept (a 404,
a page with an ignored parameter) is compressed fast (Brotli 3: a quarter of the time, 11%
larger). zstd is left out: every browser that offers it offers br too, and br is
smaller on our pages.
"""

from __future__ import annotations

import gzip

import brotli

BROTLI_QUALITY = {"kept": 5, "fast": 3}
GZIP_LEVEL = {"kept": 6, "fast": 4}
# Below this, compression saves less than its headers cost (robots.txt is 76 bytes).
MIN_SIZE = 256

# What our public pages are sent as (the part of Content-Type before any parameter).
COMPRESSIBLE_TYPES = frozenset(
    {
        "text/html",
        "text/plain",
        "text/csv",
        "text/xml",
        "application/json",
        "application/xml",
        "application/atom+xml",
        "application/rss+xml",
        "application/schema+json",
    }
)


def _brotli(body: bytes, level: str) -> bytes:
    return brotli.compress(body, mode=brotli.MODE_TEXT, quality=BROTLI_QUALITY[level])


def _gzip(body: bytes, level: str) -> bytes:
    # mtime 0: the same bytes each time
    return gzip.compress(body, compresslevel=GZIP_LEVEL[level], mtime=0)


# Content-Coding -> compressor, in the order we prefer them when a client accepts both.
ENCODERS = {"br": _brotli, "gzip": _gzip}
IDENTITY = "identity"


def negotiate(accept_encoding: str | None) -> str:
    """The coding to send for this Accept-Encoding: "br", "gzip" or "identity".

    Follows RFC 9110 12.5.3: a coding with q=0 is refused, "*" stands for any coding not
    named, the highest q wins and our preference (br, then gzip) breaks ties. A header that
    cannot be read gets identity, which every client takes.
    """
    if not accept_encoding:
        return IDENTITY
    weights: dict[str, float] = {}
    for item in accept_encoding.split(","):
        coding, _, parameters = item.partition(";")
        coding = coding.strip().lower()
        if not coding:
            continue
        q = 1.0
        for parameter in parameters.split(";"):
            name, _, value = parameter.partition("=")
            if name.strip().lower() == "q":
                try:
                    q = float(value.strip())
                except ValueError:
                    q = 0.0
                if not 0.0 <= q <= 1.0:
                    q = 0.0
        weights[coding] = q
    wildcard = weights.get("*", 0.0)
    best, best_q = IDENTITY, 0.0
    for coding in ENCODERS:
        q = weights.get(coding, wildcard)
        if q > best_q:
            best, best_q = coding, q
    return best


def compress(body: bytes, coding: str, level: str = "kept") -> bytes:
    """The body in this Content-Coding (the body itself for identity), at the level for what
    the cache keeps ("kept") or for what goes out once ("fast")."""
    return body if coding == IDENTITY else ENCODERS[coding](body, level)


def compressible(content_type: str, size: int) -> bool:
    """Whether a body of this type and size is worth compressing."""
    media_type = content_type.partition(";")[0].strip().lower()
    return media_type in COMPRESSIBLE_TYPES and size >= MIN_SIZE
