"""`make framework-bench`: the three code samples measured alike, in two setups, with the noise
of the machine measured beside them.

Two setups, both published:
- the same server for all, so that the server is no variable: Granian, WSGI for Django and
  Flask, ASGI for FastAPI (and for Django with its views written `async def`);
- each framework as its documentation deploys it: gunicorn with its threaded worker (gthread,
  which keeps connections alive; its default sync worker closes every connection and wants a
  buffering proxy in front) for Django and Flask, Uvicorn (what `fastapi run` runs) for
  FastAPI, gunicorn with the Uvicorn worker for Django under ASGI.
Every server gets the same workers (2) and, for WSGI, the same threads (2), and is pinned to
core 0 of the machine; the load comes from core 1. Django is measured as `startproject` makes
it (its default apps and middleware); as the sample's minimal settings and with async views
too, labelled. Each server has its own fresh SQLite database, on a memory file system where
the machine has one (/dev/shm), so that the disk does not decide a write, with the same 20
notes posted through its own POST /notes; every answer is checked before any load.

Five tasks per server: a JSON hello, validated input (GET /greet/Ada?times=3), a database
read (GET /notes, the 20 notes), a database write (POST /notes; the rows it adds are deleted
after each load, so the read always lists 20) and a template page (GET /page?name=Ada).

1. The most each server answers: wrk with 16 kept-alive connections on every task, and with
   fresh connections (`Connection: close`) on the hello and the read, in interleaved rounds:
   each round visits every server and task in an order rotated from round to round, so that
   a noisy machine slows all of them alike. A figure is the median across rounds, ± the
   round farthest from it.
2. Latency at a fixed rate, what a reader feels: an open-loop client (scripts/openloop.py)
   sends each task at half the slowest framework's most on that task (the recorded servers';
   at most 1,000 a second, what the Python client keeps to), counting each request's time
   from when it was due, so a stalled server is not sent less (no coordinated omission): p50
   and p99.
3. Memory (the RSS of each worker from /proc after the run) and start-up time (from the
   command to the first answer).
4. The noise floor: in each setup the Flask sample runs twice, as two servers (an A/A twin).
   The widest gap between the twins' medians, over every task and both kinds of connection,
   is how far two identical servers differ here today; a difference inside it is a tie.

Ranks: the performance rank follows the five tasks' geometric mean (kept-alive, the same
server for all), with the noise floor as each figure's spread, so that frameworks closer than
it share a rank; the documented setup's mean is recorded beside it as context.

With --record, after a run without errors: the figures and ranks into fixtures/ (through a
throw-away database seeded from them; comparisons.evidence must find no conflict), and every
round's rows as raw data into comparisons/data/benchmark.json and .csv (served at
/data/benchmark.json and .csv, the JSON's schema at /data/benchmark.schema.json), all files or
none. Without it, the raw data goes to var/framework-bench/ only.

A server that does not start, a wrong answer, a missing tool or a failed load stops the run
with one line naming the framework, the setup and the step, exit status 1, and nothing is
recorded.

    python scripts/framework_bench.py [--rounds 3] [--seconds 2] [--record] [server ...]

BENCH_ROUNDS, BENCH_SECONDS, BENCH_WORKERS, BENCH_THREADS, BENCH_CONNECTIONS,
BENCH_LATENCY_SECONDS and BENCH_FRESH (the tasks loaded with fresh connections too, "all" for
every one) set the defaults.
"""

from __future__ import annotations

import argparse
import csv
import datetime
import io
import json
import math
import os
import platform
import shutil
import signal
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from decimal import ROUND_CEILING, ROUND_HALF_UP, Decimal
from itertools import combinations
from pathlib import Path

import openloop
import wrk
from serving import free_port

from samples import CLEARED_VARIABLES

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # the project: codesamples.files reads the samples' locks
from codesamples.files import locked_versions  # noqa: E402

SAMPLES = ROOT / "samples"
SCRIPTS = Path(__file__).resolve().parent
DATA_DIR = ROOT / "comparisons" / "data"  # where --record writes the raw data
SCRATCH_DATA_DIR = ROOT / "var" / "framework-bench"  # where a run without --record writes it
RAW_FILES = ("benchmark.json", "benchmark.csv")
FRAMEWORKS = ("django", "flask", "fastapi")

# --- what is measured ---------------------------------------------------------------------------

NOTES = 20  # notes posted to each server, so that GET /notes lists the same payload
HELLO = {"message": "Hello, world"}
NOTE_KEYS = {"id", "text", "created_at"}
NOTE_TEXT = "A note from the benchmark"
# Each sample's notes table, for deleting what a load of POST /notes added.
NOTE_TABLES = {"django": "demo_note", "flask": "note", "fastapi": "note"}


@dataclass(frozen=True)
class Endpoint:
    key: str
    method: str
    path: str
    task: str  # what it does, in words
    body: str = ""

    @property
    def label(self) -> str:
        return f"{self.method} {self.path}"


ENDPOINTS = (
    Endpoint("hello", "GET", "/hello", "a JSON hello"),
    Endpoint("greet", "GET", "/greet/Ada?times=3", "validated input (a path and a query value)"),
    Endpoint("list", "GET", "/notes", f"a database read ({NOTES} notes from SQLite)"),
    Endpoint(
        "create",
        "POST",
        "/notes",
        "a database write (a note into SQLite)",
        json.dumps({"text": NOTE_TEXT}),
    ),
    Endpoint("page", "GET", "/page?name=Ada", "a template page"),
)
BY_KEY = {endpoint.key: endpoint for endpoint in ENDPOINTS}
FRESH_DEFAULT = ("hello", "list")  # loaded with fresh connections too (BENCH_FRESH)
RATE_CAP = 1000  # the most a second the Python open-loop client is trusted with

SETUPS = {
    "same": "the same server for all (Granian)",
    "documented": "each as its docs deploy it",
}
SETUP_SHORT = {"same": "same server", "documented": "as documented"}

# --- the servers ---------------------------------------------------------------------------------


class BenchError(Exception):
    """A step failed; the message names the framework (or the tool), the setup and the step."""


@dataclass(frozen=True)
class Server:
    """One sample behind one server, in one setup."""

    key: str  # what the tables call it: "granian/django"
    setup: str  # a key of SETUPS
    framework: str  # the sample's folder and the site's framework slug
    app: str  # how the sample is set up, when it matters: "startproject settings"
    label: str  # "Granian, WSGI"
    program: str  # in the sample's .venv/bin, or an absolute path
    args: tuple[str, ...]  # {port}, {workers} and {threads} are filled in
    packages: tuple[str, ...]  # the versions the tables name, read from the sample's lock
    recorded: bool = False  # its figures become the framework's evidence (with --record)
    twin_of: str = ""  # the key of the server it is the A/A twin of
    settings_module: str = ""  # DJANGO_SETTINGS_MODULE
    setup_steps: tuple[tuple[str, ...], ...] = ()  # run with the sample's Python first

    @property
    def interface(self) -> str:
        return "ASGI" if "ASGI" in self.label else "WSGI"

    @property
    def who(self) -> str:
        """How an error line names it: "flask, same server (granian/flask)"."""
        return f"{self.framework}, {SETUP_SHORT[self.setup]} ({self.key})"

    def threads(self, settings: Settings) -> int | None:
        """WSGI threads per worker; None for ASGI (one event loop per worker)."""
        return settings.threads if self.interface == "WSGI" else None

    def folder(self, samples: Path) -> Path:
        return samples / self.framework

    def filled(self, *, port: int, workers: int, threads: int) -> list[str]:
        return [arg.format(port=port, workers=workers, threads=threads) for arg in self.args]

    def command(self, *, port: int, workers: int, threads: int, samples: Path) -> list[str]:
        program = self.program
        if not os.path.isabs(program):
            program = str(self.folder(samples) / ".venv" / "bin" / program)
        return [program, *self.filled(port=port, workers=workers, threads=threads)]

    def shown(self, *, workers: int, threads: int) -> str:
        """The command as a reader would type it in the sample's folder (no address)."""
        args = self.filled(port=0, workers=workers, threads=threads)
        kept = [a for a, b in zip(args, ["", *args[:-1]], strict=True) if not address(a, b)]
        prefix = f"DJANGO_SETTINGS_MODULE={self.settings_module} " if self.settings_module else ""
        return prefix + " ".join([os.path.basename(self.program), *kept])


def address(arg: str, before: str) -> bool:
    """Whether a command's argument only says where it listens (left out of what is shown)."""
    return arg in ("--host", "--port", "--bind") or before in ("--host", "--port", "--bind")


GRANIAN = ("--host", "127.0.0.1", "--port", "{port}", "--workers", "{workers}",
           "--log-level", "warning")  # fmt: skip
GRANIAN_WSGI = ("--interface", "wsgi", "--blocking-threads", "{threads}", *GRANIAN)
GUNICORN = ("--bind", "127.0.0.1:{port}", "--workers", "{workers}", "--no-control-socket")
GTHREAD = ("--worker-class", "gthread", "--threads", "{threads}", *GUNICORN)
# Uvicorn logs each request by default, gunicorn and Granian do not: none logs them here.
UVICORN = ("--host", "127.0.0.1", "--port", "{port}", "--workers", "{workers}",
           "--no-access-log", "--log-level", "warning")  # fmt: skip
MIGRATE = (("manage.py", "migrate", "--noinput", "--verbosity", "0"),)
# Flask and FastAPI create their table as each worker starts: made once before serving, so that
# two workers starting at once on a new database do not both create it (one would fail).
FLASK_TABLES = (("-c", "from demo import create_app; create_app()"),)
FASTAPI_TABLES = (
    ("-c", "from sqlmodel import SQLModel; from app.main import engine; "
     "SQLModel.metadata.create_all(engine)"),
)  # fmt: skip
STARTPROJECT = "startproject settings (6 apps, 7 middleware)"
DJANGO_ASYNC = "startproject settings, views written async def"

SERVERS = (
    # The same server for all: Granian.
    Server("granian/django", "same", "django", STARTPROJECT, "Granian, WSGI", "granian",
           (*GRANIAN_WSGI, "project.wsgi:application"), ("django", "granian"), recorded=True,
           settings_module="project.settings_startproject", setup_steps=MIGRATE),
    # Django's ASGI handler has no lifespan: Granian's "asginl" interface is ASGI without it.
    Server("granian/django-async", "same", "django", DJANGO_ASYNC, "Granian, ASGI", "granian",
           ("--interface", "asginl", *GRANIAN, "project.asgi:application"),
           ("django", "granian"), settings_module="project.settings_async",
           setup_steps=MIGRATE),
    Server("granian/flask", "same", "flask", "", "Granian, WSGI", "granian",
           (*GRANIAN_WSGI, "--factory", "demo:create_app"), ("flask", "granian"),
           recorded=True, setup_steps=FLASK_TABLES),
    Server("granian/flask-twin", "same", "flask", "A/A twin of granian/flask", "Granian, WSGI",
           "granian", (*GRANIAN_WSGI, "--factory", "demo:create_app"), ("flask", "granian"),
           twin_of="granian/flask", setup_steps=FLASK_TABLES),
    Server("granian/fastapi", "same", "fastapi", "", "Granian, ASGI", "granian",
           ("--interface", "asgi", *GRANIAN, "app.main:app"), ("fastapi", "granian"),
           recorded=True, setup_steps=FASTAPI_TABLES),
    # Each as its docs deploy it.
    Server("docs/django", "documented", "django", STARTPROJECT, "gunicorn gthread, WSGI",
           "gunicorn", ("project.wsgi", *GTHREAD), ("django", "gunicorn"), recorded=True,
           settings_module="project.settings_startproject", setup_steps=MIGRATE),
    Server("docs/django-minimal", "documented", "django",
           "the sample's minimal settings (1 app, 3 middleware)", "gunicorn gthread, WSGI",
           "gunicorn", ("project.wsgi", *GTHREAD), ("django", "gunicorn"),
           settings_module="project.settings", setup_steps=MIGRATE),
    Server("docs/django-async", "documented", "django", DJANGO_ASYNC,
           "gunicorn + Uvicorn worker, ASGI", "gunicorn",
           ("project.asgi:application", "--worker-class", "uvicorn_worker.UvicornWorker",
            *GUNICORN), ("django", "gunicorn", "uvicorn", "uvicorn-worker"),
           settings_module="project.settings_async", setup_steps=MIGRATE),
    Server("docs/flask", "documented", "flask", "", "gunicorn gthread, WSGI", "gunicorn",
           ("demo:create_app()", *GTHREAD), ("flask", "gunicorn"), recorded=True,
           setup_steps=FLASK_TABLES),
    Server("docs/flask-twin", "documented", "flask", "A/A twin of docs/flask",
           "gunicorn gthread, WSGI", "gunicorn", ("demo:create_app()", *GTHREAD),
           ("flask", "gunicorn"), twin_of="docs/flask", setup_steps=FLASK_TABLES),
    # `fastapi run --workers N` runs Uvicorn with these workers; Uvicorn itself, without the
    # banner and the access log.
    Server("docs/fastapi", "documented", "fastapi", "", "Uvicorn, ASGI", "uvicorn",
           ("app.main:app", *UVICORN), ("fastapi", "uvicorn", "uvloop", "httptools"),
           recorded=True, setup_steps=FASTAPI_TABLES),
)  # fmt: skip
NAMES = {"django": "Django", "flask": "Flask", "fastapi": "FastAPI", "granian": "Granian",
         "uvicorn": "Uvicorn", "uvicorn-worker": "uvicorn-worker"}  # fmt: skip


def versions(server: Server, samples: Path = SAMPLES) -> str:
    locked = locked_versions(server.folder(samples))
    return ", ".join(
        f"{NAMES.get(name, name)} {locked[name]}" for name in server.packages if name in locked
    )


# --- statistics -------------------------------------------------------------------------------

Cell = tuple[str, str, bool]  # (server key, endpoint key, kept alive)


@dataclass(frozen=True)
class Summary:
    """One server's one task with one kind of connection, across the rounds."""

    rate: float  # median requests/s
    spread: float  # how far the farthest round's rate lies from the median
    p50_ms: float  # median of the rounds' p50 (wrk, at the most it answers)
    p99_ms: float  # median of the rounds' p99
    errors: int  # in all rounds
    rounds: int


def summarise(results: list[wrk.Result]) -> Summary:
    rates = [result.rate for result in results]
    rate = statistics.median(rates)
    return Summary(
        rate=rate,
        spread=max(abs(each - rate) for each in rates),
        p50_ms=statistics.median(result.p50_ms for result in results),
        p99_ms=statistics.median(result.p99_ms for result in results),
        errors=sum(result.errors for result in results),
        rounds=len(results),
    )


def ratios(values: dict[str, float], *, higher_is_better: bool) -> dict[str, float]:
    """Each value as a ratio to the best: rates over the highest, latencies over the lowest."""
    best = max(values.values()) if higher_is_better else min(values.values())
    return {key: (value / best if best else 0.0) for key, value in values.items()}


def relative_gap(a: float, b: float) -> float:
    """How far apart two values are, as a share of the larger: 100 and 93 are 0.07 apart."""
    larger = max(abs(a), abs(b))
    return abs(a - b) / larger if larger else 0.0


def geometric_mean(values: Iterable[float]) -> float:
    values = list(values)
    if not values or min(values) <= 0:
        return 0.0
    return math.exp(sum(math.log(value) for value in values) / len(values))


@dataclass(frozen=True)
class Gap:
    """One measure on which the A/A twins were compared."""

    what: str  # "GET /notes, fresh connections"
    a: float
    b: float

    @property
    def relative(self) -> float:
        return relative_gap(self.a, self.b)


@dataclass(frozen=True)
class Floor:
    """A setup's noise floor: the widest gap between its A/A twins' requests/s."""

    setup: str
    twin: str
    of: str
    gaps: tuple[Gap, ...]
    latency: tuple[Gap, ...] = ()  # p99 at the fixed rate, shown, deciding nothing

    @property
    def relative(self) -> float:
        return max((gap.relative for gap in self.gaps), default=0.0)

    @property
    def widest(self) -> str:
        return max(self.gaps, key=lambda gap: gap.relative).what if self.gaps else ""

    @property
    def latency_relative(self) -> float:
        return max((gap.relative for gap in self.latency), default=0.0)


def within(a: float, b: float, floor: float) -> bool:
    """The noise rule: two values tie when their gap is inside the floor (or they are equal)."""
    return relative_gap(a, b) <= floor


def grouped_ranks(values: dict[str, float], floor: float) -> dict[str, int]:
    """Ranks for the tables (more is better): standard competition ranking, each value tying
    with the best of its group when within the floor of it (1, 1, 3)."""
    order = sorted(values, key=lambda key: values[key], reverse=True)
    ranks: dict[str, int] = {}
    top = None
    for position, key in enumerate(order, start=1):
        if top is not None and within(values[top], values[key], floor):
            ranks[key] = ranks[top]
        else:
            top, ranks[key] = key, position
    return ranks


def ties(a: tuple[Decimal, Decimal], b: tuple[Decimal, Decimal]) -> bool:
    """Figure.ties_with: values closer than the larger of their spreads (or equal)."""
    return abs(a[0] - b[0]) <= max(a[1], b[1])


def competition_ranks(figures: dict[str, tuple[Decimal, Decimal]]) -> dict[str, int]:
    """Ranks for (value, spread) where more is better: standard competition ranking (1, 1, 3),
    figures within their spread sharing a rank. When the ties do not make groups (A ties B,
    B ties C, but A beats C) no ranking can follow the figures: BenchError."""
    order = sorted(figures, key=lambda key: figures[key][0], reverse=True)
    groups: list[list[str]] = []
    for key in order:
        if groups and ties(figures[groups[-1][-1]], figures[key]):
            groups[-1].append(key)
        else:
            groups.append([key])
    for group in groups:
        for a, b in combinations(group, 2):
            if not ties(figures[a], figures[b]):
                raise BenchError(
                    f"framework-bench: record: no ranking follows the figures: {group[0]} to "
                    f"{group[-1]} overlap one by one but {a} and {b} do not; measure again "
                    "(more rounds, a quieter machine)"
                )
    for upper, lower in combinations(groups, 2):
        for a in upper:
            for b in lower:
                if ties(figures[a], figures[b]):
                    raise BenchError(
                        f"framework-bench: record: no ranking follows the figures: {a} and {b} "
                        "tie, but not with the frameworks between them; measure again"
                    )
    ranks, position = {}, 1
    for group in groups:
        for key in group:
            ranks[key] = position
        position += len(group)
    return ranks


def rotations(items: list, rounds: int) -> list[list]:
    """Each round's order: every item once, rotated so that each comes early in one round and
    late in another."""
    return [
        items[r * len(items) // rounds :] + items[: r * len(items) // rounds] for r in range(rounds)
    ]


def fixed_rate(slowest: float, cap: int = RATE_CAP) -> int:
    """Half the slowest server's most, at two significant figures rounded down, at most cap."""
    half = min(slowest / 2, cap)
    if half < 1:
        return 1
    scale = 10 ** max(0, int(math.log10(half)) - 1)
    return int(half // scale * scale)


# --- serving ------------------------------------------------------------------------------------


@dataclass
class Running:
    server: Server
    process: subprocess.Popen
    port: int
    log: Path
    database: Path

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"


def sample_environment(notes_db: Path, settings_module: str = "") -> dict[str, str]:
    """The caller's environment without the site's variables, and the sample's own."""
    env = {name: value for name, value in os.environ.items() if name not in CLEARED_VARIABLES}
    env.update({"NOTES_DB": str(notes_db), "DJANGO_DEBUG": "0"})
    if settings_module:
        env["DJANGO_SETTINGS_MODULE"] = settings_module
    return env


def tail(path: Path, lines: int = 3) -> str:
    try:
        text = path.read_text(errors="replace").strip().splitlines()
    except OSError:
        return "no output"
    return " | ".join(line.strip() for line in text[-lines:]) or "no output"


def answers(url: str, process: subprocess.Popen, *, timeout: float) -> bool:
    """Poll url every 50 ms until it answers 200; False when the server exits first or time
    runs out."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            return False
        try:
            with urllib.request.urlopen(url, timeout=1) as response:
                if response.status == 200:
                    return True
        except OSError:
            pass
        time.sleep(0.05)
    return False


def start(
    server: Server,
    *,
    settings: Settings,
    scratch: Path,
    samples: Path = SAMPLES,
    timeout: float = 60,
) -> tuple[Running, float]:
    """Set the sample up, serve it pinned to core 0; once GET /hello answers 200, the server
    and the seconds from its command to that answer."""
    folder = server.folder(samples)
    if not os.path.isabs(server.program):
        if not (folder / ".venv" / "bin").is_dir():
            raise BenchError(
                f"framework-bench: {server.who}: start: no environment at {folder / '.venv'} "
                "(make samples)"
            )
        if not (folder / ".venv" / "bin" / server.program).exists():
            raise BenchError(
                f"framework-bench: {server.who}: start: {server.program} is not installed in "
                f"{folder / '.venv'} (make samples; bench-requirements.in)"
            )
    database = scratch / f"{server.key.replace('/', '-')}.sqlite3"
    env = sample_environment(database, server.settings_module)
    log = scratch / f"{server.key.replace('/', '-')}.log"
    for step in server.setup_steps:
        python = str(folder / ".venv" / "bin" / "python")
        with log.open("w") as output:
            done = subprocess.run([python, *step], cwd=folder, env=env, stdout=output,
                                  stderr=subprocess.STDOUT, check=False)  # fmt: skip
        if done.returncode:
            doing = "creating the tables" if step[0] == "-c" else " ".join(step[:2])
            raise BenchError(
                f"framework-bench: {server.who}: {doing} failed "
                f"(exit {done.returncode}): {tail(log)}"
            )
    port = free_port()
    workers, threads = settings.workers, settings.threads
    command = server.command(port=port, workers=workers, threads=threads, samples=samples)
    began = time.monotonic()
    with log.open("w") as output:
        process = subprocess.Popen(wrk.pinned(0, command), cwd=folder, env=env, stdout=output,
                                   stderr=subprocess.STDOUT, start_new_session=True)  # fmt: skip
    running = Running(server, process, port, log, database)
    if not answers(f"{running.base}/hello", process, timeout=timeout):
        stop(running)
        raise BenchError(
            f"framework-bench: {server.who}: start: server did not start "
            f"({server.shown(workers=workers, threads=threads)}): {tail(log)}"
        )
    return running, time.monotonic() - began


def stop(running: Running) -> None:
    """The server and the workers it started (its own process group), and nothing else."""
    if running.process.poll() is not None:
        return
    try:
        os.killpg(running.process.pid, signal.SIGTERM)
        running.process.wait(timeout=15)
    except subprocess.TimeoutExpired:
        os.killpg(running.process.pid, signal.SIGKILL)
        running.process.wait(timeout=5)
    except ProcessLookupError:
        pass


def request(url: str, data: dict | None = None) -> tuple[int, str, bytes]:
    """One request: the status, the content type and the body (an error status too)."""
    body = json.dumps(data).encode() if data is not None else None
    headers = {"Content-Type": "application/json"} if data is not None else {}
    try:
        with urllib.request.urlopen(
            urllib.request.Request(url, body, headers), timeout=10
        ) as answer:
            return answer.status, answer.headers.get("Content-Type", ""), answer.read()
    except urllib.error.HTTPError as error:
        return error.code, error.headers.get("Content-Type", ""), error.read()


def reset_notes(running: Running, keep: int = NOTES) -> None:
    """Delete the notes a load of POST /notes added, straight from the server's database file,
    so that GET /notes lists the same notes in every round."""
    table = NOTE_TABLES[running.server.framework]
    with sqlite3.connect(running.database, timeout=30) as connection:
        connection.execute(f"DELETE FROM {table} WHERE id > ?", (keep,))  # noqa: S608
    connection.close()


def prepare(running: Running, notes: int = NOTES) -> None:
    """Post the notes, then check that every task answers what every sample answers."""
    who, base = running.server.who, running.base
    texts = [f"Note number {n}" for n in range(1, notes + 1)]

    def check(step: str, condition: bool, answered: object) -> None:
        if not condition:
            shown = answered.decode(errors="replace") if isinstance(answered, bytes) else answered
            raise BenchError(f"framework-bench: {who}: check {step}: answered {str(shown)[:120]!r}")

    try:
        for text in texts:
            status, _, body = request(f"{base}/notes", {"text": text})
            check("POST /notes", status == 201, f"{status} {body[:80]!r}")
        status, _, body = request(f"{base}/notes", {"text": NOTE_TEXT})
        created = json.loads(body) if status == 201 else None
        check("POST /notes", isinstance(created, dict) and set(created) == NOTE_KEYS
              and created.get("text") == NOTE_TEXT, f"{status} {body[:80]!r}")  # fmt: skip
        reset_notes(running, notes)
        status, _, body = request(f"{base}/hello")
        check("GET /hello", status == 200 and json.loads(body) == HELLO, body)
        status, _, body = request(f"{base}{BY_KEY['greet'].path}")
        greeted = status == 200 and json.loads(body) == {"greetings": ["Hello, Ada"] * 3}
        check(f"GET {BY_KEY['greet'].path}", greeted, body)
        status, _, body = request(f"{base}/notes")
        listed = json.loads(body).get("notes") if status == 200 else None
        check(
            "GET /notes",
            isinstance(listed, list)
            and [n.get("text") for n in listed if isinstance(n, dict)] == texts
            and all(isinstance(n, dict) and set(n) == NOTE_KEYS for n in listed),
            f"not the {notes} notes posted, each with {', '.join(sorted(NOTE_KEYS))}",
        )
        status, kind, body = request(f"{base}{BY_KEY['page'].path}")
        check(f"GET {BY_KEY['page'].path}", status == 200 and kind.startswith("text/html")
              and b"<h1>Hello, Ada</h1>" in body, f"{status} {kind}")  # fmt: skip
    except (OSError, ValueError, sqlite3.Error) as error:
        alive(running, "check")
        raise BenchError(f"framework-bench: {who}: check: {error}") from error


def load(
    running: Running,
    endpoint: Endpoint,
    *,
    seconds: int,
    connections: int,
    kept_alive: bool = True,
    script: str | None = None,
) -> wrk.Result:
    """wrk on one task; fresh connections send `Connection: close`."""
    headers = {} if kept_alive else {"Connection": "close"}
    step = f"load {endpoint.label} ({'kept-alive' if kept_alive else 'fresh'} connections)"
    try:
        result = wrk.run(running.base + endpoint.path, seconds=seconds, connections=connections,
                         headers=headers, script=script if endpoint.body else None)  # fmt: skip
    except wrk.WrkError as error:
        raise BenchError(f"framework-bench: {running.server.who}: {step}: {error}") from None
    alive(running, step)
    if endpoint.body:
        reset_notes(running)
    return result


def latency(running: Running, endpoint: Endpoint, *, rate: int, seconds: float) -> openloop.Result:
    """The open-loop client on one task at a fixed rate, pinned to core 1."""
    command = [sys.executable, str(SCRIPTS / "openloop.py"), running.base + endpoint.path,
               f"--rate={rate}", f"--seconds={seconds}", f"--method={endpoint.method}"]  # fmt: skip
    if endpoint.body:
        command += ["--body", endpoint.body, "--header", "Content-Type: application/json"]
    step = f"fixed rate {endpoint.label} at {rate}/s"
    try:
        done = subprocess.run(wrk.pinned(1, command), capture_output=True, text=True,
                              check=False, timeout=seconds + 60)  # fmt: skip
        if done.returncode:
            last = (done.stderr or done.stdout).strip().splitlines()[-1:] or ["no output"]
            raise openloop.OpenLoopError(f"exit {done.returncode}: {last[0]}")
        result = openloop.parse(done.stdout)
    except (OSError, subprocess.TimeoutExpired, openloop.OpenLoopError) as error:
        raise BenchError(f"framework-bench: {running.server.who}: {step}: {error}") from None
    alive(running, step)
    if endpoint.body:
        reset_notes(running)
    return result


def alive(running: Running, step: str) -> None:
    if running.process.poll() is not None:
        raise BenchError(
            f"framework-bench: {running.server.who}: {step}: the server stopped "
            f"(exit {running.process.returncode}): {tail(running.log)}"
        )


# --- memory ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Memory:
    main_mb: float  # the server's own process (gunicorn's arbiter, Granian's or Uvicorn's main)
    workers_mb: tuple[float, ...]  # each worker process

    @property
    def per_worker_mb(self) -> float:
        return statistics.mean(self.workers_mb) if self.workers_mb else 0.0


def rss_mb(pid: int) -> float | None:
    """A process's resident memory (VmRSS in /proc/<pid>/status), in MB."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    except (OSError, ValueError, IndexError):
        return None
    return None


def children(pid: int) -> list[int]:
    """The processes whose parent is pid (from /proc/<n>/stat)."""
    found = []
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        try:
            stat = Path(f"/proc/{entry.name}/stat").read_text()
        except OSError:
            continue
        if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
            found.append(int(entry.name))
    return found


def memory(running: Running, workers: int) -> Memory:
    """The main process's RSS and each worker's: its `workers` largest children (a helper
    process, such as multiprocessing's resource tracker, is smaller than a worker)."""
    sizes = [rss_mb(pid) for pid in children(running.process.pid)]
    kept = sorted((size for size in sizes if size is not None), reverse=True)[:workers]
    return Memory(rss_mb(running.process.pid) or 0.0, tuple(kept))


# --- the run ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Settings:
    rounds: int
    seconds: int
    workers: int
    connections: int
    threads: int = 2
    warmup: int = 1
    latency_seconds: float = 2
    fresh: tuple[str, ...] = FRESH_DEFAULT
    rate_cap: int = RATE_CAP


@dataclass(frozen=True)
class Machine:
    date: datetime.date
    cores: int
    pinned: bool
    wrk_version: str
    cpu: str = ""
    kernel: str = ""
    python: str = ""
    load_before: tuple[float, ...] = ()
    load_after: tuple[float, ...] = ()


def cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def load_average() -> tuple[float, ...]:
    try:
        return tuple(round(value, 2) for value in os.getloadavg())
    except OSError:
        return ()


@dataclass
class Measured:
    """What a run measured, before any statistics."""

    loads: dict[Cell, list[wrk.Result]] = field(default_factory=dict)  # one per round
    fixed: dict[tuple[str, str], openloop.Result] = field(default_factory=dict)
    rates: dict[str, int] = field(default_factory=dict)  # endpoint key -> the fixed rate
    startup: dict[str, float] = field(default_factory=dict)  # seconds to the first answer
    memory: dict[str, Memory] = field(default_factory=dict)


@contextmanager
def scratch_folder() -> Iterator[Path]:
    """A throw-away folder for the databases and logs: on /dev/shm where there is one."""
    shm = Path("/dev/shm")  # noqa: S108 (a private folder is made inside it)
    where = str(shm) if shm.is_dir() and os.access(shm, os.W_OK) else None
    with tempfile.TemporaryDirectory(prefix="framework-bench-", dir=where) as scratch:
        yield Path(scratch)


def cells_of(keys: Iterable[str], settings: Settings) -> list[Cell]:
    """Every load of a round: the kept-alive ones, then the fresh ones, each task's servers
    one after another (so that the servers compared on a task are loaded close in time)."""
    keys = list(keys)
    kept = [(key, endpoint.key, True) for endpoint in ENDPOINTS for key in keys]
    fresh = [(key, name, False) for name in settings.fresh for key in keys]
    return kept + fresh


def measure(
    servers: Iterable[Server], settings: Settings, samples: Path = SAMPLES, say=print
) -> Measured:
    """Start every server, check it, load it in interleaved rounds, then at fixed rates;
    read its memory; stop them all."""
    measured = Measured()
    running: dict[str, Running] = {}
    with scratch_folder() as scratch:
        script = scratch / "post.lua"
        script.write_text(wrk.post_script(BY_KEY["create"].body))
        try:
            for server in servers:
                say(f"framework-bench: {server.key}: starting ({server.label}; "
                    f"{SETUPS[server.setup]})", flush=True)  # fmt: skip
                running[server.key], measured.startup[server.key] = start(
                    server, settings=settings, scratch=scratch, samples=samples
                )
                prepare(running[server.key])
            cells = cells_of(running, settings)
            if settings.warmup:
                say(f"framework-bench: warming up ({settings.warmup} s a task)", flush=True)
                for key, name, kept_alive in cells:
                    if kept_alive:
                        load(running[key], BY_KEY[name], seconds=settings.warmup,
                             connections=settings.connections, script=str(script))  # fmt: skip
            for number, order in enumerate(rotations(cells, settings.rounds), start=1):
                say(f"framework-bench: round {number} of {settings.rounds} "
                    f"({len(order)} loads of {settings.seconds} s)", flush=True)  # fmt: skip
                for key, name, kept_alive in order:
                    result = load(running[key], BY_KEY[name], seconds=settings.seconds,
                                  connections=settings.connections, kept_alive=kept_alive,
                                  script=str(script))  # fmt: skip
                    measured.loads.setdefault((key, name, kept_alive), []).append(result)
            # Half the slowest framework's most: the recorded servers' (all, if none is).
            compared = [k for k in running if running[k].server.recorded] or list(running)
            for endpoint in ENDPOINTS:
                slowest = min(
                    summarise(measured.loads[(key, endpoint.key, True)]).rate for key in compared
                )
                measured.rates[endpoint.key] = fixed_rate(slowest, settings.rate_cap)
            rates = ", ".join(f"{BY_KEY[k].label} {r}/s" for k, r in measured.rates.items())
            say(f"framework-bench: latency at a fixed rate: {rates}", flush=True)
            for endpoint in ENDPOINTS:
                for key in running:
                    measured.fixed[(key, endpoint.key)] = latency(
                        running[key], endpoint, rate=measured.rates[endpoint.key],
                        seconds=settings.latency_seconds,
                    )  # fmt: skip
            for key, each in running.items():
                measured.memory[key] = memory(each, settings.workers)
        finally:
            for each in running.values():
                stop(each)
    return measured


# --- what the run shows ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Composite:
    """A server's five tasks in one number: the geometric mean of their median requests/s
    (kept-alive), and how far the farthest round's mean lies from it."""

    value: float
    spread: float


@dataclass
class Report:
    servers: list[Server]
    settings: Settings
    machine: Machine
    measured: Measured
    summaries: dict[Cell, Summary]
    composites: dict[str, Composite]
    floors: dict[str, Floor]
    versions: dict[str, str]

    def server(self, key: str) -> Server:
        return next(server for server in self.servers if server.key == key)

    def in_setup(self, setup: str, *, twins: bool = False) -> list[Server]:
        return [s for s in self.servers if s.setup == setup and (twins or not s.twin_of)]

    def recorded(self, setup: str, framework: str) -> Server | None:
        return next((s for s in self.servers if s.setup == setup and s.recorded
                     and s.framework == framework), None)  # fmt: skip

    def floor(self, setup: str) -> float:
        found = self.floors.get(setup)
        return found.relative if found else 0.0


def composite(loads: dict[Cell, list[wrk.Result]], key: str) -> Composite | None:
    per_task = [loads.get((key, endpoint.key, True)) for endpoint in ENDPOINTS]
    if any(not rounds for rounds in per_task):
        return None
    medians = [statistics.median(result.rate for result in rounds) for rounds in per_task]  # type: ignore[union-attr]
    value = geometric_mean(medians)
    count = min(len(rounds) for rounds in per_task)  # type: ignore[arg-type]
    by_round = [geometric_mean(rounds[r].rate for rounds in per_task) for r in range(count)]  # type: ignore[index]
    return Composite(value, max(abs(each - value) for each in by_round))


def what(endpoint: str, kept_alive: bool) -> str:
    return f"{BY_KEY[endpoint].label}, {'kept-alive' if kept_alive else 'fresh'} connections"


def noise_floors(
    summaries: dict[Cell, Summary],
    composites: dict[str, Composite],
    fixed: dict[tuple[str, str], openloop.Result],
    servers: Iterable[Server],
) -> dict[str, Floor]:
    """Each setup's A/A floor, from its twins: the gap on every task and kind of connection,
    and on the five tasks' mean."""
    floors = {}
    for twin in servers:
        if not twin.twin_of:
            continue
        gaps = [
            Gap(what(endpoint, kept_alive), summaries[(twin.twin_of, endpoint, kept_alive)].rate,
                summary.rate)
            for (key, endpoint, kept_alive), summary in summaries.items()
            if key == twin.key and (twin.twin_of, endpoint, kept_alive) in summaries
        ]  # fmt: skip
        if twin.key in composites and twin.twin_of in composites:
            gaps.append(Gap("five tasks' geometric mean", composites[twin.twin_of].value,
                            composites[twin.key].value))  # fmt: skip
        latency_gaps = [
            Gap(f"p99 of {BY_KEY[endpoint].label} at the fixed rate",
                fixed[(twin.twin_of, endpoint)].p99_ms, result.p99_ms)
            for (key, endpoint), result in fixed.items()
            if key == twin.key and (twin.twin_of, endpoint) in fixed
        ]  # fmt: skip
        floors[twin.setup] = Floor(twin.setup, twin.key, twin.twin_of, tuple(gaps),
                                   tuple(latency_gaps))  # fmt: skip
    return floors


def analyse(
    measured: Measured,
    servers: Iterable[Server],
    settings: Settings,
    machine: Machine,
    samples: Path = SAMPLES,
) -> Report:
    servers = [server for server in servers if any(key == server.key for key, *_ in measured.loads)]
    summaries = {cell: summarise(rounds) for cell, rounds in measured.loads.items()}
    composites = {
        server.key: found
        for server in servers
        if (found := composite(measured.loads, server.key)) is not None
    }
    floors = noise_floors(summaries, composites, measured.fixed, servers)
    return Report(
        servers, settings, machine, measured, summaries, composites, floors,
        {server.key: versions(server, samples) for server in servers},
    )  # fmt: skip


def heading(report: Report) -> list[str]:
    machine, settings = report.machine, report.settings
    placing = (
        "each server pinned to core 0 (taskset -c 0), wrk and the fixed-rate client to core 1"
        if machine.pinned
        else "not pinned (fewer than 2 cores or no taskset): servers and load share the CPU"
    )
    load = ", ".join(f"{value:.2f}" for value in machine.load_before) or "unknown"
    return [
        f"framework-bench, {machine.date.isoformat()}: {machine.cores} cores ({machine.cpu}); "
        f"load average before the run {load} (1, 5, 15 min)",
        f"  {placing}; {settings.workers} workers per server, {settings.threads} threads each "
        "where WSGI; wrk "
        f"{machine.wrk_version} -t1 -c{settings.connections}; {settings.rounds} interleaved "
        f"rounds x {settings.seconds} s per load, after {settings.warmup} s of warm-up",
        "  requests/s: the median across rounds, ± the round farthest from it; ratio to the "
        "fastest; rank: servers within the setup's A/A noise floor of each other tie "
        "(the twin is left out of the ranks)",
    ]


def rate_table(report: Report, setup: str, kept_alive: bool) -> list[str]:
    kind = "kept-alive connections" if kept_alive else "fresh connections (Connection: close)"
    lines = [
        f"  the most each answers (wrk), {kind}",
        f"  {'task':<24} {'server':<22} {'req/s':>8} {'±':>6} {'ratio':>6} {'rank':>5} "
        f"{'p50 ms':>8} {'p99 ms':>8} {'errors':>7}",
    ]
    keys = [s.key for s in report.in_setup(setup, twins=True)]
    ranked = {s.key for s in report.in_setup(setup)}
    floor = report.floor(setup)
    for endpoint in ENDPOINTS:
        rows = {k: report.summaries[(k, endpoint.key, kept_alive)] for k in keys
                if (k, endpoint.key, kept_alive) in report.summaries}  # fmt: skip
        if not rows:
            continue
        rate = ratios({k: s.rate for k, s in rows.items()}, higher_is_better=True)
        ranks = grouped_ranks({k: s.rate for k, s in rows.items() if k in ranked}, floor)
        for index, key in enumerate(sorted(rows, key=lambda k: -rows[k].rate)):
            s = rows[key]
            rank = rank_text(ranks, key)
            lines.append(
                f"  {endpoint.label if index == 0 else '':<24} {key:<22} {s.rate:>8.0f} "
                f"{s.spread:>6.0f} {rate[key]:>6.2f} {rank:>5} {s.p50_ms:>8.2f} "
                f"{s.p99_ms:>8.2f} {s.errors:>7}"
            )
    return lines


def rank_text(ranks: dict[str, int], key: str) -> str:
    """ "2", "=2" for a shared rank, "twin" for the A/A twin (left out of the ranks)."""
    if key not in ranks:
        return "twin"
    shared = list(ranks.values()).count(ranks[key]) > 1
    return f"{'=' if shared else ''}{ranks[key]}"


def latency_table(report: Report, setup: str) -> list[str]:
    lines = [
        "  latency at a fixed rate, half the slowest framework's most (open-loop client, "
        "kept-alive connections; milliseconds from each request's due time; late = how late "
        "the client itself sent, p99)",
        f"  {'task':<24} {'rate/s':>7} {'server':<22} {'p50 ms':>8} {'p99 ms':>8} "
        f"{'max ms':>8} {'errors':>7} {'late':>6}",
    ]
    keys = [s.key for s in report.in_setup(setup, twins=True)]
    for endpoint in ENDPOINTS:
        rows = {k: report.measured.fixed[(k, endpoint.key)] for k in keys
                if (k, endpoint.key) in report.measured.fixed}  # fmt: skip
        for index, key in enumerate(sorted(rows, key=lambda k: rows[k].p99_ms)):
            r = rows[key]
            first = index == 0
            lines.append(
                f"  {endpoint.label if first else '':<24} "
                f"{report.measured.rates[endpoint.key] if first else '':>7} {key:<22} "
                f"{r.p50_ms:>8.2f} {r.p99_ms:>8.2f} {r.max_ms:>8.1f} {r.errors:>7} "
                f"{r.late_p99_ms:>6.1f}"
            )
    return lines


def composite_lines(report: Report, setup: str) -> list[str]:
    values = {s.key: report.composites[s.key].value for s in report.in_setup(setup)
              if s.key in report.composites}  # fmt: skip
    if not values:
        return []
    ranks = grouped_ranks(values, report.floor(setup))
    shown = [
        f"{key} {values[key]:,.0f} ± {report.composites[key].spread:,.0f} "
        f"(rank {rank_text(ranks, key)})"
        for key in sorted(values, key=lambda k: -values[k])
    ]
    return ["  five tasks' geometric mean (req/s, kept-alive): " + "; ".join(shown)]


def floor_lines(report: Report, setup: str) -> list[str]:
    floor = report.floors.get(setup)
    if floor is None:
        return ["  A/A noise floor: no twin in this run, so no floor: nothing ties but equals"]
    gaps = ", ".join(f"{gap.what} {gap.relative:.1%}" for gap in floor.gaps)
    lines = [
        f"  A/A noise floor: {floor.relative:.1%} ({floor.twin} against {floor.of}, the "
        f"same app as two servers; widest on {floor.widest})",
        f"    every gap: {gaps}",
    ]
    if floor.latency:
        lines.append(
            f"    latency: the twins' p99 at the fixed rate differ by up to "
            f"{floor.latency_relative:.0%} (shown, deciding nothing)"
        )
    return lines


def server_lines(report: Report) -> list[str]:
    settings = report.settings
    lines = [
        "",
        "servers: start-up (command to first answer), memory after the run (RSS from /proc), "
        "command, versions (from each sample's lock)",
        f"  {'server':<22} {'start s':>7} {'main MB':>8} {'per worker MB':>14}  command",
    ]
    for server in report.servers:
        memory_of = report.measured.memory.get(server.key)
        main = f"{memory_of.main_mb:.1f}" if memory_of else "-"
        each = f"{memory_of.per_worker_mb:.1f}" if memory_of and memory_of.workers_mb else "-"
        start_s = report.measured.startup.get(server.key)
        lines.append(
            f"  {server.key:<22} {start_s or 0:>7.2f} {main:>8} {each:>14}  "
            f"{server.shown(workers=settings.workers, threads=settings.threads)}"
        )
        about = f"; {server.app}" if server.app else ""
        recorded = " (recorded)" if server.recorded else ""
        lines.append(f"  {'':<22} {report.versions[server.key]}{about}{recorded}")
    return lines


def table(report: Report) -> str:
    lines = heading(report)
    for setup, title in SETUPS.items():
        if not report.in_setup(setup, twins=True):
            continue
        lines += ["", f"SETUP: {title}"]
        lines += floor_lines(report, setup)
        lines += rate_table(report, setup, kept_alive=True)
        if any(not kept for (k, _, kept) in report.summaries if report.server(k).setup == setup):
            lines += rate_table(report, setup, kept_alive=False)
        lines += composite_lines(report, setup)
        if report.measured.fixed:
            lines += latency_table(report, setup)
    lines += server_lines(report)
    after = ", ".join(f"{value:.2f}" for value in report.machine.load_after)
    if after:
        lines += ["", f"load average after the run: {after} (1, 5, 15 min)"]
    return "\n".join(lines)


# --- raw data -----------------------------------------------------------------------------------

SCHEMA_VERSION = "1.0"
LICENCE = {
    "name": "CC BY 4.0",
    "url": "https://creativecommons.org/licenses/by/4.0/",
    "attribution": "Framework Guide",
}
ROW_COLUMNS = [
    "measured_on", "round", "setup", "server", "framework", "app", "server_software",
    "interface", "workers", "threads", "keep_alive", "endpoint", "load", "connections",
    "seconds", "offered_rate", "rate", "p50_ms", "p99_ms", "errors", "requests",
    "client_late_p99_ms", "rss_worker_mb", "rss_main_mb", "startup_s", "versions", "machine",
]  # fmt: skip
# The method's changes, dated: the methodology page lists them from the published data.
METHOD_CHANGES = (
    ("2026-12-01", "First measurement: each sample under one server (gunicorn's default sync "
     "worker for Django and Flask, Uvicorn for FastAPI), 1 worker pinned to one core, wrk with "
     "16 kept-alive connections from the other; 5 rounds of 5 s; the JSON hello decided the "
     "rank, the database list was shown beside it."),
    ("2026-12-07", "Two setups, both published: the same server for all (Granian) and each "
     "framework as its docs deploy it (gunicorn's threaded worker, Uvicorn), 2 workers each "
     "on one core. Five tasks instead of two; fresh and kept-alive connections; latency at a "
     "fixed rate from an open-loop client; memory per worker and start-up time; Django as "
     "startproject makes it (its minimal settings and async views beside it); an A/A twin "
     "measures the noise floor, inside which figures tie; every round published as CSV and "
     "JSON. The rank follows the five tasks' geometric mean on the same server."),
)  # fmt: skip


def machine_text(machine: Machine) -> str:
    where = "servers on core 0, load on core 1" if machine.pinned else "not pinned"
    before = "/".join(f"{v:.2f}" for v in machine.load_before) or "unknown"
    after = "/".join(f"{v:.2f}" for v in machine.load_after) or "unknown"
    return (
        f"{machine.cores} cores, {machine.cpu}; Linux {machine.kernel}; Python {machine.python}; "
        f"wrk {machine.wrk_version}; {where}; load average {before} before, {after} after"
    )


def rows(report: Report) -> list[dict]:
    """Every load as one row: each round of wrk, then each fixed-rate run."""
    settings, machine = report.settings, report.machine
    found = []
    for server in report.servers:
        memory_of = report.measured.memory.get(server.key)
        common = {
            "measured_on": machine.date.isoformat(),
            "setup": server.setup,
            "server": server.key,
            "framework": server.framework,
            "app": server.app,
            "server_software": server.label,
            "interface": server.interface,
            "workers": settings.workers,
            "threads": server.threads(settings),
            "rss_worker_mb": round(memory_of.per_worker_mb, 1) if memory_of else None,
            "rss_main_mb": round(memory_of.main_mb, 1) if memory_of else None,
            "startup_s": round(report.measured.startup.get(server.key, 0.0), 2),
            "versions": report.versions[server.key],
            "machine": machine_text(machine),
        }
        for (key, name, kept_alive), results in report.measured.loads.items():
            if key != server.key:
                continue
            for number, result in enumerate(results, start=1):
                found.append(common | {
                    "round": number, "keep_alive": kept_alive, "endpoint": BY_KEY[name].label,
                    "load": "max", "connections": settings.connections,
                    "seconds": settings.seconds, "offered_rate": None,
                    "rate": round(result.rate, 2), "p50_ms": round(result.p50_ms, 3),
                    "p99_ms": round(result.p99_ms, 3), "errors": result.errors,
                    "requests": result.requests, "client_late_p99_ms": None,
                })  # fmt: skip
        for (key, name), fixed in report.measured.fixed.items():
            if key != server.key:
                continue
            found.append(common | {
                "round": 1, "keep_alive": True, "endpoint": BY_KEY[name].label,
                "load": "fixed", "connections": 64, "seconds": settings.latency_seconds,
                "offered_rate": report.measured.rates[name], "rate": round(fixed.achieved, 2),
                "p50_ms": fixed.p50_ms, "p99_ms": fixed.p99_ms, "errors": fixed.errors,
                "requests": fixed.due, "client_late_p99_ms": fixed.late_p99_ms,
            })  # fmt: skip
    return [{column: row[column] for column in ROW_COLUMNS} for row in found]


def raw_data(report: Report, command: str = "make framework-bench") -> dict:
    """The run as the open data publishes it (comparisons/data/benchmark.schema.json)."""
    settings, machine = report.settings, report.machine
    summary = []
    for (key, name, kept_alive), s in report.summaries.items():
        server = report.server(key)
        summary.append({
            "setup": server.setup, "server": key, "framework": server.framework,
            "endpoint": BY_KEY[name].label, "keep_alive": kept_alive,
            "rate": round(s.rate, 2), "spread": round(s.spread, 2), "errors": s.errors,
        })  # fmt: skip
    composites = []
    for setup in SETUPS:
        values = {s.key: report.composites[s.key].value for s in report.in_setup(setup)
                  if s.key in report.composites}  # fmt: skip
        ranks = grouped_ranks(values, report.floor(setup))
        for key, value in values.items():
            composites.append({
                "setup": setup, "server": key, "framework": report.server(key).framework,
                "recorded": report.server(key).recorded, "value": round(value, 2),
                "spread": round(report.composites[key].spread, 2), "rank": ranks[key],
            })  # fmt: skip
    latency_summary = [
        {"setup": report.server(key).setup, "server": key,
         "framework": report.server(key).framework, "endpoint": BY_KEY[name].label,
         "rate": report.measured.rates[name], "p50_ms": result.p50_ms,
         "p99_ms": result.p99_ms, "errors": result.errors}
        for (key, name), result in report.measured.fixed.items()
    ]  # fmt: skip
    servers = []
    for server in report.servers:
        memory_of = report.measured.memory.get(server.key)
        servers.append({
            "key": server.key, "setup": server.setup, "framework": server.framework,
            "app": server.app, "server": server.label, "interface": server.interface,
            "workers": settings.workers, "threads": server.threads(settings),
            "command": server.shown(workers=settings.workers, threads=settings.threads),
            "versions": report.versions[server.key], "recorded": server.recorded,
            "twin_of": server.twin_of or None,
            "startup_s": round(report.measured.startup.get(server.key, 0.0), 2),
            "rss_main_mb": round(memory_of.main_mb, 1) if memory_of else None,
            "rss_workers_mb": [round(mb, 1) for mb in memory_of.workers_mb] if memory_of else [],
        })  # fmt: skip
    floors = [
        {"setup": f.setup, "twin": f.twin, "of": f.of, "relative": round(f.relative, 4),
         "widest": f.widest,
         "gaps": [{"what": g.what, "a": round(g.a, 2), "b": round(g.b, 2),
                   "relative": round(g.relative, 4)} for g in f.gaps],
         "latency_relative": round(f.latency_relative, 4)}
        for f in report.floors.values()
    ]  # fmt: skip
    return {
        "schema_version": SCHEMA_VERSION,
        "licence": LICENCE,
        "title": "Framework Guide's benchmark of Django, Flask and FastAPI",
        "measured_on": machine.date.isoformat(),
        "command": command,
        "method": "/methodology/#benchmark",
        "machine": {
            "cores": machine.cores, "cpu": machine.cpu, "kernel": machine.kernel,
            "python": machine.python, "wrk": machine.wrk_version, "pinned": machine.pinned,
            "load_average_before": list(machine.load_before),
            "load_average_after": list(machine.load_after),
        },
        "settings": {
            "rounds": settings.rounds, "seconds": settings.seconds,
            "warmup_seconds": settings.warmup, "connections": settings.connections,
            "workers": settings.workers, "threads": settings.threads,
            "fresh_endpoints": [BY_KEY[name].label for name in settings.fresh],
            "latency_seconds": settings.latency_seconds, "client_connections": 64,
            "fixed_rate_cap": settings.rate_cap, "notes": NOTES,
        },
        "setups": [{"key": key, "title": title} for key, title in SETUPS.items()],
        "endpoints": [{"key": e.key, "label": e.label, "task": e.task} for e in ENDPOINTS],
        "servers": servers,
        "noise_floors": floors,
        "fixed_rates": [
            {"endpoint": BY_KEY[name].label, "rate": rate}
            for name, rate in report.measured.rates.items()
        ],
        "max_rate": summary,
        "composites": composites,
        "latency": latency_summary,
        "method_changes": [{"date": date, "change": change} for date, change in METHOD_CHANGES],
        "rows": rows(report),
    }  # fmt: skip


def json_text(data: dict) -> str:
    """Indented, with each row of the raw data on one line (a diff shows the rows changed)."""
    parts = []
    for key, value in data.items():
        if isinstance(value, list) and value and all(isinstance(v, dict) for v in value):
            items = ",\n".join(f"    {json.dumps(v, ensure_ascii=False)}" for v in value)
            parts.append(f"  {json.dumps(key)}: [\n{items}\n  ]")
        else:
            text = json.dumps(value, ensure_ascii=False, indent=2).replace("\n", "\n  ")
            parts.append(f"  {json.dumps(key)}: {text}")
    return "{\n" + ",\n".join(parts) + "\n}\n"


def csv_text(data: dict) -> str:
    """The rows as CSV, every cell quoted; an empty cell where a value does not apply."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, quoting=csv.QUOTE_ALL, lineterminator="\n")
    writer.writerow(ROW_COLUMNS)
    for row in data["rows"]:
        writer.writerow([csv_value(row[column]) for column in ROW_COLUMNS])
    return buffer.getvalue()


def csv_value(value: object) -> object:
    """None as an empty cell, a truth value as true or false (as in the JSON)."""
    if value is None:
        return ""
    return str(value).lower() if isinstance(value, bool) else value


def write_raw(data: dict, folder: Path) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    written = [folder / RAW_FILES[0], folder / RAW_FILES[1]]
    written[0].write_text(json_text(data), encoding="utf-8")
    written[1].write_text(csv_text(data), encoding="utf-8")
    return written


# --- recording ----------------------------------------------------------------------------------

CRITERION = "performance"
METHOD_ANCHOR = "/methodology/#benchmark"
MEASURES = {
    "same": "on five tasks, all on one server (Granian)",
    "documented": "on five tasks, served as its docs deploy it",
}


@dataclass(frozen=True)
class Evidence:
    """One Figure to write on a framework's performance rating."""

    framework: str
    measure: str
    value: Decimal
    spread: Decimal
    unit: str = "req/s"
    direction: str = "higher"  # "higher" decides the rank; "context" is shown beside it
    method: str = ""
    position: int = 0


def up(value: float, places: str = "1") -> Decimal:
    return Decimal(str(value)).quantize(Decimal(places), ROUND_CEILING)


def near(value: float, places: str = "1") -> Decimal:
    return Decimal(str(value)).quantize(Decimal(places), ROUND_HALF_UP)


def method_text(report: Report, server: Server) -> str:
    """How a figure was measured, in the 300 characters a Figure's method holds."""
    settings, machine = report.settings, report.machine
    threads = f" x {settings.threads} threads" if server.interface == "WSGI" else ""
    where = f"core 0 of {machine.cores}" if machine.pinned else f"{machine.cores} shared cores"
    text = (
        f"Geometric mean of 5 tasks' median req/s; {server.label.split(',')[0]}, "
        f"{settings.workers} workers{threads} on {where}; wrk -c{settings.connections} "
        f"kept-alive, {settings.rounds} rounds of {settings.seconds} s; ± the A/A noise floor "
        f"({report.floor(server.setup):.1%}); "
        f"{report.versions[server.key]}; {machine.date.isoformat()}"
    )
    return text[:300]


def evidence(report: Report) -> list[Evidence]:
    """The figures --record writes for each framework: the five tasks' mean on the same server
    (it decides) and, as context, as its docs deploy it. Latency, memory and each task are on
    the methodology page and in the raw data."""
    found = []
    for framework in FRAMEWORKS:
        same = report.recorded("same", framework)
        docs = report.recorded("documented", framework)
        if same is None or docs is None:
            raise BenchError(f"framework-bench: {framework}: record: not measured in both setups")
        for position, (server, direction) in enumerate([(same, "higher"), (docs, "context")]):
            mean = report.composites[server.key]
            spread = mean.value * report.floor(server.setup)  # the noise rule: ties inside it
            found.append(
                Evidence(framework, MEASURES[server.setup], near(mean.value), up(spread), "req/s",
                         direction, method_text(report, server), position)
            )  # fmt: skip
    return found


def source_title(date: datetime.date) -> str:
    return f"measured by this site on {date.day} {date:%B %Y}"


def apply_evidence(
    items: list[Evidence], *, as_of: datetime.date, source_url: str
) -> dict[str, int]:
    """Write the figures and the ranks that follow them, in one transaction: the benchmark's
    figures not measured this time are deleted (a recording replaces the last). BenchError
    (and nothing changed) when a rating is missing, a figure is refused or a conflict remains."""
    from django.core.exceptions import ValidationError
    from django.db import transaction

    from comparisons.evidence import criterion_conflicts
    from comparisons.models import Figure, Rating

    with transaction.atomic():
        ratings = {
            rating.framework.slug: rating
            for rating in Rating.objects.filter(criterion__slug=CRITERION).select_related(
                "framework", "criterion"
            )
        }
        Figure.objects.filter(rating__in=list(ratings.values()), source_url=source_url).exclude(
            measure__in={item.measure for item in items}
        ).delete()
        for item in items:
            rating = ratings.get(item.framework)
            if rating is None:
                raise BenchError(
                    f"framework-bench: {item.framework}: record: no rating on {CRITERION} "
                    "in the fixtures; nothing recorded"
                )
            figure = Figure.objects.filter(rating=rating, measure=item.measure).first()
            figure = figure or Figure(rating=rating, measure=item.measure)
            figure.value, figure.spread, figure.unit = item.value, item.spread, item.unit
            figure.method, figure.as_of, figure.direction = item.method, as_of, item.direction
            figure.source_title, figure.source_url = source_title(as_of), source_url
            figure.position = item.position
            try:
                figure.full_clean()
            except ValidationError as error:
                raise BenchError(
                    f"framework-bench: {item.framework}: record: figure refused: "
                    f"{'; '.join(error.messages)}"
                ) from error
            figure.save()
        deciding = {
            item.framework: (item.value, item.spread)
            for item in items
            if item.direction == "higher"
        }
        ranks = competition_ranks(deciding)
        for framework, rank in ranks.items():
            ratings[framework].rank = rank
            ratings[framework].save(update_fields=["rank"])
        criterion = next(iter(ratings.values())).criterion_id
        conflicts = criterion_conflicts(criterion)
        if conflicts:
            raise BenchError(
                "framework-bench: record: the ranks would contradict the evidence, nothing "
                "recorded: " + " ".join(conflicts)
            )
    return ranks


def write_fixtures(
    items: list[Evidence],
    *,
    as_of: datetime.date,
    source_url: str,
    fixture_dir: Path,
    raw: dict | None = None,
    data_dir: Path = DATA_DIR,
) -> dict[str, int]:
    """apply_evidence, then the fixtures written again and the raw data beside them: each to a
    folder beside where it goes first, then moved in, so that a failure anywhere leaves the
    fixtures and the raw data as they were."""
    from django.db import transaction

    from core import content

    fixture_dir.mkdir(parents=True, exist_ok=True)
    data_dir.mkdir(parents=True, exist_ok=True)
    with (
        tempfile.TemporaryDirectory(prefix=".framework-bench-", dir=fixture_dir) as staging,
        tempfile.TemporaryDirectory(prefix=".framework-bench-", dir=data_dir) as data_staging,
    ):
        with transaction.atomic():
            ranks = apply_evidence(items, as_of=as_of, source_url=source_url)
            written = content.export(Path(staging))
        raw_written = write_raw(raw, Path(data_staging)) if raw is not None else []
        for path in written:
            os.replace(path, fixture_dir / path.name)
        for path in raw_written:
            os.replace(path, data_dir / path.name)
    return ranks


def record(
    items: list[Evidence], *, as_of: datetime.date, source_url: str, raw: dict | None = None
) -> dict[str, int]:
    """The figures into fixtures/ through a throw-away database seeded from them, the raw data
    into comparisons/data/."""
    with tempfile.TemporaryDirectory(prefix="framework-bench-site-") as scratch:
        os.environ["DATABASE_URL"] = f"sqlite:///{scratch}/site.sqlite3"
        os.environ["CACHE_URL"] = "locmem://"
        os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings"
        sys.path.insert(0, str(ROOT))
        import django
        from django.conf import settings
        from django.core.management import call_command

        django.setup()
        call_command("migrate", verbosity=0)
        call_command("seed", verbosity=0)
        return write_fixtures(
            items, as_of=as_of, source_url=source_url, fixture_dir=settings.FIXTURE_DIR, raw=raw
        )


# --- the command --------------------------------------------------------------------------------


def positive(name: str) -> Callable[[str], int]:
    def read(text: str) -> int:
        try:
            value = int(text)
        except ValueError:
            value = 0
        if value < 1:
            raise argparse.ArgumentTypeError(f"{name} must be a whole number, 1 or more")
        return value

    return read


def errors_in(report: Report) -> list[str]:
    """The loads with errors on a server whose figures count (recorded, or a twin: the floor);
    the others' errors are shown in the tables only (a server below the fixed rate queues)."""
    counts = {s.key for s in report.servers if s.recorded or s.twin_of}
    failed = [
        f"{key} {what(name, kept_alive)}"
        for (key, name, kept_alive), summary in report.summaries.items()
        if summary.errors and key in counts
    ]
    failed += [
        f"{key} {BY_KEY[name].label} at a fixed rate"
        for (key, name), result in report.measured.fixed.items()
        if result.errors and key in counts
    ]
    return failed


def fresh_endpoints(text: str) -> tuple[str, ...]:
    if text.strip() == "all":
        return tuple(BY_KEY)
    names = tuple(name.strip() for name in text.split(",") if name.strip())
    unknown = [name for name in names if name not in BY_KEY]
    if unknown:
        raise argparse.ArgumentTypeError(
            f"unknown task {', '.join(unknown)}: choose from {', '.join(BY_KEY)} or all"
        )
    return names


def main(argv: list[str] | None = None, samples: Path = SAMPLES) -> int:
    env = os.environ
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=positive("--rounds"),
                        default=env.get("BENCH_ROUNDS", "3"))  # fmt: skip
    parser.add_argument("--seconds", type=positive("--seconds"),
                        default=env.get("BENCH_SECONDS", "2"), help="per load")  # fmt: skip
    parser.add_argument("--workers", type=positive("--workers"),
                        default=env.get("BENCH_WORKERS", "2"), help="per server")  # fmt: skip
    parser.add_argument("--threads", type=positive("--threads"),
                        default=env.get("BENCH_THREADS", "2"), help="per WSGI worker")  # fmt: skip
    parser.add_argument("--connections", type=positive("--connections"),
                        default=env.get("BENCH_CONNECTIONS", "16"))  # fmt: skip
    parser.add_argument("--latency-seconds", type=positive("--latency-seconds"),
                        default=env.get("BENCH_LATENCY_SECONDS", "2"))  # fmt: skip
    parser.add_argument("--fresh", type=fresh_endpoints,
                        default=env.get("BENCH_FRESH", ",".join(FRESH_DEFAULT)),
                        help="tasks loaded with fresh connections too (or all)")  # fmt: skip
    parser.add_argument("--record", action="store_true",
                        help="write the figures, ranks and raw data into the site")  # fmt: skip
    keys = [server.key for server in SERVERS]
    parser.add_argument("servers", nargs="*", help=f"some of {', '.join(keys)} (default: all)")
    args = parser.parse_args(argv)
    unknown = sorted(set(args.servers) - set(keys))
    if unknown:
        parser.error(f"unknown server {', '.join(unknown)}: choose from {', '.join(keys)}")
    servers = [s for s in SERVERS if not args.servers or s.key in args.servers]
    settings = Settings(args.rounds, args.seconds, args.workers, args.connections,
                        threads=args.threads, latency_seconds=args.latency_seconds,
                        fresh=args.fresh)  # fmt: skip
    try:
        if args.record:
            if settings.rounds < 3:
                raise BenchError("framework-bench: record: needs 3 rounds or more (a spread)")
            if {s.key for s in servers} != {s.key for s in SERVERS}:
                raise BenchError("framework-bench: record: needs every server (no subset)")
        if not shutil.which("wrk"):
            raise BenchError(
                "framework-bench: wrk: not found on PATH, nothing loaded or recorded "
                "(apt-get install -y wrk)"
            )
        wrk_version = wrk.version()
        before = load_average()
        measured = measure(servers, settings, samples)
        machine = Machine(
            datetime.date.today(), os.cpu_count() or 1, wrk.can_pin(), wrk_version,
            cpu=cpu_model(), kernel=platform.release(), python=platform.python_version(),
            load_before=before, load_after=load_average(),
        )  # fmt: skip
        report = analyse(measured, servers, settings, machine, samples)
        print(table(report))
        raw = raw_data(report)
        if not args.record:
            write_raw(raw, SCRATCH_DATA_DIR)
            print(f"\nraw data (not published): {SCRATCH_DATA_DIR.relative_to(ROOT)}/")
            return 0
        failed = errors_in(report)
        if failed:
            raise BenchError(
                f"framework-bench: record: errors while loading {', '.join(failed)}; "
                "nothing recorded"
            )
        items = evidence(report)
        ranks = record(items, as_of=machine.date, source_url=METHOD_ANCHOR, raw=raw)
        print(f"\nrecorded into fixtures/: performance ranks {ranks} (source {METHOD_ANCHOR}); "
              f"raw data: comparisons/data/{', '.join(RAW_FILES)}")  # fmt: skip
    except BenchError as error:
        print(error, file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
