"""`make bench`: how fast the site is served, and how many bytes it sends, measured from
another process on loopback.

Serves the site as `make run` does (gunicorn, the same workers, DEBUG off, SQLite in var/),
then loads each public page and one static file with wrk (Debian's `wrk`), each for a fixed
time, wrk pinned to another core than the server where the machine has two, sending
`Accept-Encoding: br, gzip` as browsers do. Prints requests/s, p50/p99 latency and errors per
URL, and each page's rate as a ratio of the static file's rate, loaded just before it (the
median of a few rounds); beside it, the CPU time the servers spent per request on each, read
from /proc, and its ratio. Where the two ratios agree, the servers were busy all along and
the gap is work they do per request, not time other processes on this shared machine took
(both still move with it: caches and clocks are shared). First with the page cache warm (the
file cache `make run` uses),
then with it off (CACHE_URL=dummy://: every request renders the page from
the database, as the first request after an edit and every new /choose/ answer do). Then the
bytes each page sends on the wire, asked with and without compression, against its budget;
then, in this process, each page's queries and the time of a render.

`--proxy` (`make bench-proxy`) measures the site behind nginx instead, as a deployment serves
it (deploy/nginx.conf.in, rendered into a temporary folder): gunicorn as above and nginx
both on core 0, each page loaded through nginx (its micro-cache warm: about one request a
second per page reaches gunicorn) right after the stylesheet served by nginx itself from
var/staticfiles, and given as a ratio of that rate (target >= 0.8); then again against the
page's own bytes (as nginx sent them) written to a file nginx serves: what the cache costs,
apart from how much more a page weighs than the stylesheet.

Exits non-zero, saying why, when a page is over its byte budget or any request failed. The
speed targets (warm >= 0.8 and cold >= 0.15 of the static rate) are reported, not enforced:
on a shared machine a ratio moves with whatever else runs. Not part of `make test`;
BENCH_SECONDS sets the time per load (default 1), BENCH_ROUNDS the rounds per page (default 3:
each page's ratio is the median round's).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path

import wrk
from serving import free_port, nginx_program, start_proxy, start_site

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # the project: Django, and core/pages.py for the addresses
from core.pages import (  # noqa: E402
    ANSWERED_AFRESH,
    ANSWERED_PAGES,
    FOR_MACHINES,
    OPEN_DATA,
    PUBLIC_PAGES,
)

SECONDS = int(os.environ.get("BENCH_SECONDS", "1"))
ROUNDS = int(os.environ.get("BENCH_ROUNDS", "3"))
CONNECTIONS = 16
WORKERS = os.environ.get("WORKERS", "2")
# Every public page, the answered forms, the open data and what machines read: name -> path.
PAGES = {**PUBLIC_PAGES, **ANSWERED_PAGES, **OPEN_DATA, **FOR_MACHINES}
HTML_PAGES = {**PUBLIC_PAGES, **ANSWERED_PAGES}
BROWSER = {"Accept-Encoding": "br, gzip"}
# One round trip on a new connection (TCP's initial window of 10 segments): a page's HTML and
# its stylesheet, as sent, fit in it; so does each document for machines.
BYTE_BUDGET = 14 * 1024
TARGETS = {"warm": 0.8, "cold": 0.15}  # of the static file's rate
RENDERS = 5  # times each page's render is measured (the median is shown)


@dataclass
class Load:
    name: str
    url: str
    rate: float
    p50: str
    p99: str
    errors: int
    cpu_us: float  # CPU the servers spent per request (user + system), in microseconds


@dataclass
class Wire:
    name: str
    url: str
    identity: int  # bytes of the body asked without Accept-Encoding
    sent: int  # bytes of the body asked with Accept-Encoding: br, gzip
    coding: str  # the Content-Encoding it came in


STATIC_ROOT = ROOT / "var" / "staticfiles"


def static_css_path() -> str:
    manifest = json.loads((STATIC_ROOT / "staticfiles.json").read_text())
    return "/static/" + manifest["paths"]["css/site.css"]


def fetch(url: str, headers: dict) -> tuple[int, str]:
    """The body's size as sent (urllib does not decompress) and its Content-Encoding."""
    request = urllib.request.Request(url, headers=headers)
    with urllib.request.urlopen(request, timeout=10) as response:
        return len(response.read()), response.headers.get("Content-Encoding", "identity")


def cpu_seconds(servers: list[int]) -> float:
    """CPU time (user + system) these server processes and their children (the workers) have
    used, from /proc: per request, the rate the servers would reach with their core to
    themselves."""
    ticks = 0
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:  # bytes: a process may name itself in anything
            fields = stat.read_bytes().rsplit(b")", 1)[1].split()
        except (OSError, IndexError):
            continue  # a process that ended meanwhile
        # After the name: state, ppid, ... utime, stime, and what its children that ended
        # used (a worker restarted), the 12th to the 15th.
        if int(stat.parent.name) in servers or int(fields[1]) in servers:
            ticks += sum(int(value) for value in fields[11:15])
    return ticks / os.sysconf("SC_CLK_TCK")


def load(base: str, name: str, path: str, servers: list[int]) -> Load:
    url = base + path
    for _ in range(3):  # warm the page cache (both workers) before measuring
        fetch(url, BROWSER)
    before = cpu_seconds(servers)
    result = wrk.run(url, seconds=SECONDS, connections=CONNECTIONS, core=1, headers=BROWSER)
    cpu_us = (cpu_seconds(servers) - before) / max(result.requests, 1) * 1e6
    p50, p99 = f"{result.p50_ms:.2f}ms", f"{result.p99_ms:.2f}ms"
    return Load(name, path, result.rate, p50, p99, result.errors, cpu_us)


def on_the_wire(base: str, static: str) -> list[Wire]:
    rows = []
    for name, path in {"stylesheet": static, **PAGES}.items():
        identity, _ = fetch(base + path, {"Accept-Encoding": "identity"})
        sent, coding = fetch(base + path, BROWSER)
        rows.append(Wire(name, path, identity, sent, coding))
    return rows


def same_bytes_files(base: str, folder: Path) -> dict[str, str]:
    """Each page's body as nginx sends it (Accept-Encoding: br, gzip) written to a file nginx
    serves from the static folder: name -> its /static/ path. A page against its own bytes
    as a file measures what the proxy's cache costs, apart from how big the page is."""
    folder.mkdir(parents=True, exist_ok=True)
    paths = {}
    for name, path in PAGES.items():
        request = urllib.request.Request(base + path, headers=BROWSER)
        with urllib.request.urlopen(request, timeout=10) as response:
            (folder / f"{name}.bin").write_bytes(response.read())
        paths[name] = f"/static/{folder.name}/{name}.bin"
    return paths


def paired(base: str, static: str, name: str, path: str, servers: list[int]) -> tuple[Load, Load]:
    """The static file then the page, ROUNDS times; the round whose ratio is the median. On
    a shared machine the rate of the same URL swings severalfold within a minute: a ratio
    taken from loads seconds apart, its median over rounds, is what holds still."""
    rounds = [
        (load(base, "static", static, servers), load(base, name, path, servers))
        for _ in range(ROUNDS)
    ]
    rounds.sort(key=lambda pair: pair[1].rate / pair[0].rate)
    return rounds[len(rounds) // 2]


def run_loads(cache_url: str, label: str, target: float) -> tuple[list[Load], list[Wire], int]:
    """Each page loaded right after the static file, and its rate given as a ratio of that
    static rate: on a shared machine, rates swing from one minute to the next."""
    port = free_port()
    server = start_site(
        port, workers=WORKERS, environment={"CACHE_URL": cache_url}, wrap=lambda c: wrk.pinned(0, c)
    )
    base = f"http://127.0.0.1:{port}"
    static = static_css_path()
    try:
        pairs = [paired(base, static, name, path, [server.pid]) for name, path in PAGES.items()]
        wire = on_the_wire(base, static)
    finally:
        server.terminate()
        server.wait(timeout=15)
    heading = (f"{label}: {os.cpu_count()} cores; gunicorn {WORKERS} workers on core 0, "
               f"wrk -t1 -c{CONNECTIONS} -d{SECONDS}s on core 1, Accept-Encoding: br, gzip; "
               f"each page right after the static file, the median of {ROUNDS} rounds")  # fmt: skip
    errors = report_loads(pairs, heading, target)
    return [row for _, row in pairs], wire, errors


def report_loads(pairs: list[tuple[Load, Load]], heading: str, target: float) -> int:
    """Print each page's rate, latency and ratio to the static file's, then the servers' CPU
    per request for both and its ratio (the rate each would reach alone on its core); return
    the errors."""
    print(f"\n{heading}")
    print(f"{'page':<18} {'req/s':>9} {'p50':>9} {'p99':>9} {'errors':>7} {'static':>7} "
          f"{'vs static':>10} {'cpu us':>7} {'static':>7} {'by cpu':>7}  url")  # fmt: skip
    ratios, by_cpu = [], []
    for static_load, row in pairs:
        ratio = row.rate / static_load.rate
        # None when a load was too short for the clock's ticks to count its CPU.
        cpu_ratio = static_load.cpu_us / row.cpu_us if row.cpu_us and static_load.cpu_us else None
        # A page answered afresh every time is held to the cold target, caches or not.
        wanted = min(target, TARGETS["cold"]) if row.name in ANSWERED_AFRESH else target
        if wanted == target:
            ratios.append((ratio, row))
            if cpu_ratio is not None:
                by_cpu.append(cpu_ratio)
        mark = "  below target" if ratio < wanted else ""
        mark += f"  (answered afresh: target {wanted})" if wanted != target else ""
        print(f"{row.name:<18} {row.rate:>9.0f} {row.p50:>9} {row.p99:>9} {row.errors:>7} "
              f"{static_load.rate:>7.0f} {ratio:>10.2f} {row.cpu_us:>7.1f} "
              f"{static_load.cpu_us:>7.1f} {_ratio(cpu_ratio):>7}  {row.url}{mark}")  # fmt: skip
    lowest, slowest = min(ratios, key=lambda pair: pair[0])
    errors = sum(one.errors for pair in pairs for one in pair)
    cpu = (f"lowest {min(by_cpu):.2f}, median {statistics.median(by_cpu):.2f}" if by_cpu
           else "not measured")  # fmt: skip
    print(
        f"slowest page {slowest.name} ({slowest.url}): {lowest:.2f} of the static rate "
        f"(target {target}); median {statistics.median(r for r, _ in ratios):.2f}; by the "
        f"servers' CPU per request: {cpu}; errors in all: {errors}"
    )
    return errors


def _ratio(value: float | None) -> str:
    return "n/a" if value is None else f"{value:.2f}"


def proxy_cache_status(url: str) -> str:
    """How nginx answered a second request in a row for this URL (X-Proxy-Cache)."""
    for _ in range(2):
        request = urllib.request.Request(url, headers=BROWSER)
        with urllib.request.urlopen(request, timeout=10) as response:
            response.read()
            status = response.headers.get("X-Proxy-Cache", "none")
    return status


def run_proxy_loads(target: float) -> tuple[int, list[str]]:
    """The site behind nginx (deploy/nginx.conf.in): each page through nginx's micro-cache,
    right after the stylesheet nginx serves from var/staticfiles itself. Returns the errors
    and the pages nginx did not keep."""
    port = free_port()
    server = start_site(port, workers=WORKERS, wrap=lambda c: wrk.pinned(0, c))
    static = static_css_path()
    try:
        with tempfile.TemporaryDirectory(prefix="bench-nginx-") as folder:
            # One worker on its one core, as `auto` gives a deployment one per core: two
            # on one core would take turns holding the cache's lock.
            proxy = start_proxy(
                Path(folder), app_port=port, workers="1", wrap=lambda c: wrk.pinned(0, c)
            )
            try:
                # Every page kept, but those answered afresh by design, which must not be.
                unkept = [f"{name} ({path}): X-Proxy-Cache {status}"
                          for name, path in PAGES.items()
                          if ((status := proxy_cache_status(proxy.url + path)) == "HIT")
                          == (name in ANSWERED_AFRESH)]  # fmt: skip
                servers = [server.pid, proxy.process.pid]
                pairs = [paired(proxy.url, static, name, path, servers)
                         for name, path in PAGES.items()]  # fmt: skip
                same = same_bytes_files(proxy.url, STATIC_ROOT / "_bench-same-bytes")
                same_pairs = [paired(proxy.url, same[name], name, path, servers)
                              for name, path in PAGES.items()]  # fmt: skip
            finally:
                proxy.stop()
                shutil.rmtree(STATIC_ROOT / "_bench-same-bytes", ignore_errors=True)
    finally:
        server.terminate()
        server.wait(timeout=15)
    how = (f"{os.cpu_count()} cores; nginx (1 worker) and gunicorn {WORKERS} workers on core 0, "
           f"wrk -t1 -c{CONNECTIONS} -d{SECONDS}s on core 1, Accept-Encoding: br, gzip; "
           f"each page right after the static file, the median of {ROUNDS} rounds")  # fmt: skip
    errors = report_loads(
        pairs,
        f"Through nginx (micro-cache warm), against the stylesheet nginx serves: {how}",
        target,
    )
    errors += report_loads(
        same_pairs,
        "Through nginx (micro-cache warm), against the page's own bytes as a static file "
        f"(what the cache costs, whatever a page weighs): {how}",
        target,
    )
    return errors, unkept


def report_wire(wire: list[Wire]) -> list[str]:
    """Print bytes on the wire; return what is over budget."""
    css = next(row for row in wire if row.name == "stylesheet")
    print(f"\nbytes on the wire (bodies; budget {BYTE_BUDGET:,} B: an HTML page with its "
          f"stylesheet, a document alone)")  # fmt: skip
    print(f"{'page':<18} {'identity':>9} {'br, gzip':>9} {'coding':>8} {'+CSS':>7} {'budget':>7}")
    over = []
    for row in wire:
        total = row.sent + (css.sent if row.name in HTML_PAGES else 0)
        within = row.name == "stylesheet" or total <= BYTE_BUDGET
        if not within:
            over.append(f"{row.name} ({row.url}): {total:,} B on the wire > {BYTE_BUDGET:,}")
        with_css = f"{total:,}" if row.name in HTML_PAGES else ""
        verdict = "ok" if within else "OVER"
        print(f"{row.name:<18} {row.identity:>9,} {row.sent:>9,} {row.coding:>8} "
              f"{with_css:>7} {verdict:>7}")  # fmt: skip
    return over


def queries_and_renders() -> None:
    """In this process: each page's queries and time when rendered with the cache empty."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    os.environ["CACHE_URL"] = "locmem://"
    import django

    django.setup()
    from django.core.cache import cache
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    def timed(path: str) -> tuple[float, int]:
        cache.clear()  # as after an edit: a new generation, nothing kept
        with CaptureQueriesContext(connection) as queries:
            start = time.perf_counter()
            client.get(path)
            took = (time.perf_counter() - start) * 1000
        return took, len(queries)

    print(f"\nin this process: a render with the cache empty (median of {RENDERS})")
    print(f"{'page':<18} {'queries':>7} {'render ms':>9}  url")
    client = Client(HTTP_HOST="127.0.0.1")
    for name, path in PAGES.items():
        renders = [timed(path) for _ in range(RENDERS)]
        render_ms = statistics.median(took for took, _ in renders)
        print(f"{name:<18} {renders[0][1]:>7} {render_ms:>9.2f}  {path}")
    cache.clear()


def install(program: str, package: str) -> None:
    """Debian's package, installed when missing and this is root on Debian; else a stop."""
    if shutil.which(program) or (program == "nginx" and nginx_program()):
        return
    if os.geteuid() == 0 and shutil.which("apt-get"):
        subprocess.run(["apt-get", "install", "-y", "-qq", package], check=True)
    else:
        sys.exit(f"{program} not found: apt-get install -y {package}")


def load_average() -> str:
    one, five, fifteen = os.getloadavg()
    return f"load average {one:.2f} {five:.2f} {fifteen:.2f} on {os.cpu_count()} cores"


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description="make bench: the site's speed and bytes")
    parser.add_argument("--proxy", action="store_true", help="through nginx (make bench-proxy)")
    args = parser.parse_args(argv)
    install("wrk", "wrk")
    print(f"before: {load_average()}")
    if args.proxy:
        install("nginx", "nginx")
        errors, unkept = run_proxy_loads(TARGETS["warm"])
        print(f"after: {load_average()}")
        problems = [f"not kept by nginx, or kept when it must not be: {page}" for page in unkept]
        if errors:
            problems.append(f"{errors} requests failed (socket errors or non-2xx)")
        if problems:
            print("\nmake bench-proxy FAILED:\n  " + "\n  ".join(problems), file=sys.stderr)
            return 1
        print("\nEvery page kept by nginx (but those answered afresh); no request failed.")
        return 0
    _, wire, warm_errors = run_loads(
        "", "Page cache warm (files in var/cache, shared by the workers)", TARGETS["warm"]
    )
    _, _, cold_errors = run_loads(
        "dummy://", "Page cache off (every request renders)", TARGETS["cold"]
    )
    print(f"after: {load_average()}")
    problems = report_wire(wire)
    queries_and_renders()
    if warm_errors or cold_errors:
        problems.append(f"{warm_errors + cold_errors} requests failed (socket errors or non-2xx)")
    if problems:
        print("\nmake bench FAILED:\n  " + "\n  ".join(problems), file=sys.stderr)
        return 1
    print("\nAll pages within their byte budget; no request failed.")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
