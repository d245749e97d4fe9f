"""`make bench`: how fast the site is served, measured from another process on loopback.

Serves the site as `make run` does (gunicorn, the same workers, DEBUG off, SQLite in var/),
then loads each public page and one static file with wrk (Debian's `wrk`), each for a fixed
time, wrk pinned to another core than the server where the machine has two. Prints
requests/s, p50/p99 latency and errors per URL, and each page's rate as a ratio of the static
file's rate measured in the same run (before and after the pages; their mean). Then the same
with the page cache off (CACHE_URL=dummy://). Then each page's queries and bytes.
Not part of `make test`; BENCH_SECONDS sets the time per URL (default 5).
"""

from __future__ import annotations

import gzip
import json
import os
import shutil
import subprocess
import sys
import urllib.request
from dataclasses import dataclass
from pathlib import Path

import wrk
from serving import free_port, start_site

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # the project: Django, and tests/pages.py for the addresses
from tests.pages import ANSWERED_PAGES, FOR_MACHINES, OPEN_DATA, PUBLIC_PAGES  # noqa: E402

SECONDS = int(os.environ.get("BENCH_SECONDS", "5"))
CONNECTIONS = 16
WORKERS = os.environ.get("WORKERS", "2")
# Every public page, the answered forms, the open data and what machines read: name -> path.
PAGES = {**PUBLIC_PAGES, **ANSWERED_PAGES, **OPEN_DATA, **FOR_MACHINES}


@dataclass
class Load:
    name: str
    url: str
    rate: float
    p50: str
    p99: str
    errors: int


def static_css_path() -> str:
    manifest = json.loads((ROOT / "var" / "staticfiles" / "staticfiles.json").read_text())
    return "/static/" + manifest["paths"]["css/site.css"]


def load(base: str, name: str, path: str) -> Load:
    url = base + path
    for _ in range(3):  # warm the page cache (both workers) before measuring
        urllib.request.urlopen(url, timeout=10).read()
    result = wrk.run(url, seconds=SECONDS, connections=CONNECTIONS, core=1)
    p50, p99 = f"{result.p50_ms:.2f}ms", f"{result.p99_ms:.2f}ms"
    return Load(name, path, result.rate, p50, p99, result.errors)


def run_loads(cache_url: str, label: str) -> list[Load]:
    port = free_port()
    server = start_site(
        port, workers=WORKERS, environment={"CACHE_URL": cache_url}, wrap=lambda c: wrk.pinned(0, c)
    )
    base = f"http://127.0.0.1:{port}"
    static = static_css_path()
    try:
        before = load(base, "static (before)", static)
        pages = [load(base, name, path) for name, path in PAGES.items()]
        after = load(base, "static (after)", static)
    finally:
        server.terminate()
        server.wait(timeout=15)
    static_rate = (before.rate + after.rate) / 2
    print(f"\n{label}: {os.cpu_count()} cores; gunicorn {WORKERS} workers on core 0, "
          f"wrk -t1 -c{CONNECTIONS} -d{SECONDS}s on core 1")  # fmt: skip
    print(f"{'page':<18} {'req/s':>9} {'p50':>9} {'p99':>9} {'errors':>7} {'vs static':>10}  url")
    for row in [before, *pages, after]:
        ratio = row.rate / static_rate
        print(f"{row.name:<18} {row.rate:>9.0f} {row.p50:>9} {row.p99:>9} {row.errors:>7} "
              f"{ratio:>10.2f}  {row.url}")  # fmt: skip
    slowest = min(pages, key=lambda row: row.rate)
    print(
        f"slowest page {slowest.name} ({slowest.url}): {slowest.rate / static_rate:.2f} of the "
        f"static rate; "
        f"errors in all: {sum(row.errors for row in [before, *pages, after])}"
    )
    return pages


def queries_and_bytes() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()
    from django.core.cache import cache
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    css = (ROOT / "static" / "css" / "site.css").read_bytes()
    print(f"\nqueries and bytes (CSS: {len(css)} B, {len(gzip.compress(css, 9))} B gzip)")
    print(f"{'page':<18} {'queries cold':>12} {'warm':>5} {'HTML bytes':>11} {'gzip':>6} "
          f"{'+CSS gzip':>10}")  # fmt: skip
    client = Client(HTTP_HOST="127.0.0.1")
    for name, path in PAGES.items():
        cache.clear()
        with CaptureQueriesContext(connection) as cold:
            response = client.get(path)
        with CaptureQueriesContext(connection) as warm:
            client.get(path)
        body = response.content
        zipped = len(gzip.compress(body, 9))
        print(f"{name:<18} {len(cold):>12} {len(warm):>5} {len(body):>11} {zipped:>6} "
              f"{zipped + len(gzip.compress(css, 9)):>10}")  # fmt: skip
    cache.clear()


def main() -> int:
    if not shutil.which("wrk"):
        if os.geteuid() == 0 and shutil.which("apt-get"):
            subprocess.run(["apt-get", "install", "-y", "-qq", "wrk"], check=True)
        else:
            sys.exit("wrk not found: apt-get install -y wrk")
    run_loads("", "Page cache warm (local memory, per worker)")
    run_loads("dummy://", "Page cache off (every request renders)")
    queries_and_bytes()
    return 0


if __name__ == "__main__":
    sys.exit(main())
