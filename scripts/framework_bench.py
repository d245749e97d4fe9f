"""`make framework-bench`: the three code samples served as their docs recommend, loaded alike.

Each sample (samples/<framework>/, in its own environment, `make samples`) is served by the
production server its documentation recommends, all with the same number of workers, all
pinned to core 0: Django with gunicorn (WSGI) and, as well, under ASGI with Uvicorn; Flask
with gunicorn; FastAPI with Uvicorn (what `fastapi run` runs). Each gets a fresh SQLite
database (NOTES_DB) with the same notes, posted through its own POST /notes, and its answers
are checked to be the same shape before any load. wrk, on core 1, then loads the JSON
endpoint (GET /hello) and the database list (GET /notes) of every server in interleaved
rounds (each round visits every server and endpoint, in an order rotated from round to
round), so that a noisy machine slows all of them alike.

Prints, per endpoint and server: the median requests/s across rounds with its spread (how
far the farthest round lies from the median), the median p50 and p99 latency, each as a ratio
to the fastest, and errors; then the versions (from each sample's lock), the workers, the
cores and wrk's version.

With --record, the figures become the performance criterion's evidence, through the fixtures:
a throw-away database is migrated and seeded from fixtures/, each framework's rating gets its
figures (requests/s on GET /hello decides the rank; GET /notes is shown as context), the ranks
are set to follow them (standard competition ranking; values within their spread tie),
comparisons.evidence must find no conflict, and only then is fixtures/ written again, all
files or none. Django's recorded figure is gunicorn's (WSGI, as Django's deployment docs lead
with); its ASGI figure is in the table only. The figures link to the method, the site's own
/methodology/#benchmark.

A server that does not start, a sample without its environment, missing wrk or a failed load
stops the run with one line naming the framework and the step, exit status 1, and nothing is
recorded.

    python scripts/framework_bench.py [--rounds 3] [--seconds 5] [--workers 1] [--record]

BENCH_ROUNDS, BENCH_SECONDS, BENCH_WORKERS and BENCH_CONNECTIONS set the defaults.
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import urllib.request
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from decimal import ROUND_CEILING, ROUND_HALF_UP, Decimal
from itertools import combinations
from pathlib import Path

import wrk
from serving import free_port, wait_until_up

from samples import CLEARED_VARIABLES

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # the project: codesamples.files reads the samples' locks
from codesamples.files import locked_versions  # noqa: E402

SAMPLES = ROOT / "samples"

# The two endpoints loaded: the same paths in every sample (samples/README.md).
ENDPOINTS = {"json": "/hello", "db": "/notes"}
NOTES = 20  # notes posted to each server, so that GET /notes lists the same payload
HELLO = {"message": "Hello, world"}
NOTE_KEYS = {"id", "text", "created_at"}

CRITERION = "performance"
UNIT = "req/s"
# What each figure measures: the same words for every framework and every recording, so that
# figures of one endpoint are compared with each other and a new recording replaces the last.
MEASURES = {
    "json": "serving a JSON hello",
    "db": f"listing {NOTES} rows from SQLite",
}
# The JSON endpoint decides the rank; the database list is shown beside it, as context (two
# deciding figures could order the frameworks differently, and a rank can follow only one).
DIRECTIONS = {"json": "higher", "db": "context"}
# Where the figures' readers find the method: the site's own page (a site path, so the
# fixtures name no deployment's address; the open data makes it absolute from SITE_URL).
METHOD_ANCHOR = "/methodology/#benchmark"
SCRIPT_PATH = "scripts/framework_bench.py"


class BenchError(Exception):
    """A step failed; the message names the framework (or the tool) and the step."""


@dataclass(frozen=True)
class Server:
    """One sample behind one production server."""

    key: str  # what the table calls it: "django-wsgi"
    framework: str  # the sample's folder and the site's framework slug
    label: str  # "gunicorn, WSGI"
    program: str  # in the sample's .venv/bin, or an absolute path
    args: tuple[str, ...]  # {port} and {workers} are filled in
    packages: tuple[str, ...]  # the versions the table names, read from the sample's lock
    recorded: bool  # whether --record writes its figures as the framework's evidence
    setup: tuple[tuple[str, ...], ...] = ()  # steps before serving, with the sample's Python

    def folder(self, samples: Path) -> Path:
        return samples / self.framework

    def command(self, *, port: int, workers: int, samples: Path) -> list[str]:
        program = self.program
        if not os.path.isabs(program):
            program = str(self.folder(samples) / ".venv" / "bin" / program)
        return [program, *(arg.format(port=port, workers=workers) for arg in self.args)]

    def shown(self, *, port: int, workers: int) -> str:
        """The command as a reader would type it in the sample's folder."""
        args = (arg.format(port=port, workers=workers) for arg in self.args)
        return " ".join([os.path.basename(self.program), *args])


GUNICORN = ("--bind", "127.0.0.1:{port}", "--workers", "{workers}", "--no-control-socket")
# Uvicorn logs each request by default, gunicorn does not: both without access logs.
UVICORN = ("--host", "127.0.0.1", "--port", "{port}", "--workers", "{workers}",
           "--no-access-log", "--log-level", "warning")  # fmt: skip
MIGRATE = (("manage.py", "migrate", "--noinput", "--verbosity", "0"),)

SERVERS = (
    Server(
        "django-wsgi",
        "django",
        "gunicorn, WSGI",
        "gunicorn",
        ("project.wsgi", *GUNICORN),
        ("django", "gunicorn"),
        recorded=True,
        setup=MIGRATE,
    ),
    # Django's docs serve ASGI with gunicorn's Uvicorn worker (the uvicorn-worker package),
    # which the sample's lock does not have: Uvicorn's own --workers instead.
    Server(
        "django-asgi",
        "django",
        "Uvicorn, ASGI",
        "uvicorn",
        ("project.asgi:application", *UVICORN),
        ("django", "uvicorn"),
        recorded=False,
        setup=MIGRATE,
    ),
    Server(
        "flask",
        "flask",
        "gunicorn, WSGI",
        "gunicorn",
        ("demo:create_app()", *GUNICORN),
        ("flask", "flask-sqlalchemy", "sqlalchemy", "gunicorn"),
        recorded=True,
    ),
    # `fastapi run --workers N` runs Uvicorn; Uvicorn itself, to drop its banner and logs.
    Server(
        "fastapi",
        "fastapi",
        "Uvicorn, ASGI",
        "uvicorn",
        ("app.main:app", *UVICORN),
        ("fastapi", "starlette", "pydantic", "sqlmodel", "uvicorn", "uvloop", "httptools"),
        recorded=True,
    ),
)
NAMES = {"django": "Django", "flask": "Flask", "fastapi": "FastAPI", "flask-sqlalchemy":
         "Flask-SQLAlchemy", "sqlalchemy": "SQLAlchemy", "sqlmodel": "SQLModel", "pydantic":
         "Pydantic", "starlette": "Starlette", "uvicorn": "Uvicorn"}  # fmt: skip


# --- statistics -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Summary:
    """One server's one endpoint across the rounds."""

    rate: float  # median requests/s
    spread: float  # how far the farthest round's rate lies from the median
    p50_ms: float  # median of the rounds' p50
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


def rotations(pairs: list, rounds: int) -> list[list]:
    """Each round's order: every pair once, rotated so that each pair comes early in one round
    and late in another."""
    return [
        pairs[r * len(pairs) // rounds :] + pairs[: r * len(pairs) // rounds] for r in range(rounds)
    ]


# --- serving ------------------------------------------------------------------------------------


@dataclass
class Running:
    server: Server
    process: subprocess.Popen
    port: int
    log: Path

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"


def sample_environment(notes_db: Path) -> dict[str, str]:
    """The caller's environment without the site's variables, and the sample's own."""
    env = {name: value for name, value in os.environ.items() if name not in CLEARED_VARIABLES}
    env.update({"NOTES_DB": str(notes_db), "DJANGO_DEBUG": "0"})
    return env


def tail(path: Path, lines: int = 3) -> str:
    try:
        text = path.read_text(errors="replace").strip().splitlines()
    except OSError:
        return "no output"
    return " | ".join(line.strip() for line in text[-lines:]) or "no output"


def start(
    server: Server, *, workers: int, scratch: Path, samples: Path = SAMPLES, timeout: float = 30
) -> Running:
    """Set the sample up, serve it pinned to core 0, return once GET /hello answers 200."""
    folder = server.folder(samples)
    if not server.program.startswith("/") and not (folder / ".venv" / "bin").is_dir():
        raise BenchError(
            f"framework-bench: {server.key}: no environment at {folder / '.venv'} (make samples)"
        )
    env = sample_environment(scratch / f"{server.key}.sqlite3")
    log = scratch / f"{server.key}.log"
    for step in server.setup:
        python = str(folder / ".venv" / "bin" / "python")
        with log.open("w") as output:
            done = subprocess.run([python, *step], cwd=folder, env=env, stdout=output,
                                  stderr=subprocess.STDOUT, check=False)  # fmt: skip
        if done.returncode:
            raise BenchError(
                f"framework-bench: {server.key}: {' '.join(step[:2])} failed "
                f"(exit {done.returncode}): {tail(log)}"
            )
    port = free_port()
    command = wrk.pinned(0, server.command(port=port, workers=workers, samples=samples))
    with log.open("w") as output:
        process = subprocess.Popen(command, cwd=folder, env=env, stdout=output,
                                   stderr=subprocess.STDOUT, start_new_session=True)  # fmt: skip
    running = Running(server, process, port, log)
    if not wait_until_up(f"{running.base}{ENDPOINTS['json']}", process, timeout=timeout):
        stop(running)
        raise BenchError(
            f"framework-bench: {server.key}: server did not start "
            f"({server.shown(port=port, workers=workers)}): {tail(log)}"
        )
    return running


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


def request(url: str, data: dict | None = None) -> object:
    body = json.dumps(data).encode() if data is not None else None
    headers = {"Content-Type": "application/json"} if data is not None else {}
    with urllib.request.urlopen(urllib.request.Request(url, body, headers), timeout=10) as answer:
        return json.loads(answer.read())


def prepare(running: Running, notes: int = NOTES) -> None:
    """Post the notes, then check that both endpoints answer what every sample answers."""
    key = running.server.key
    texts = [f"Note number {n}" for n in range(1, notes + 1)]
    try:
        for text in texts:
            request(f"{running.base}/notes", {"text": text})
        hello = request(f"{running.base}{ENDPOINTS['json']}")
        listed = request(f"{running.base}{ENDPOINTS['db']}")
    except (OSError, ValueError) as error:
        raise BenchError(f"framework-bench: {key}: seeding the notes failed: {error}") from error
    if hello != HELLO:
        raise BenchError(f"framework-bench: {key}: check: GET /hello answered {hello!r}")
    shown = listed.get("notes") if isinstance(listed, dict) else None
    if (
        not isinstance(shown, list)
        or [note.get("text") for note in shown if isinstance(note, dict)] != texts
        or any(set(note) != NOTE_KEYS for note in shown)
    ):
        raise BenchError(
            f"framework-bench: {key}: check: GET /notes does not list the {notes} notes posted, "
            f"each with {', '.join(sorted(NOTE_KEYS))}"
        )


def load(running: Running, endpoint: str, *, seconds: int, connections: int) -> wrk.Result:
    path = ENDPOINTS[endpoint]
    try:
        result = wrk.run(running.base + path, seconds=seconds, connections=connections)
    except wrk.WrkError as error:
        raise BenchError(
            f"framework-bench: {running.server.key}: load GET {path}: {error}"
        ) from None
    if running.process.poll() is not None:
        raise BenchError(
            f"framework-bench: {running.server.key}: load GET {path}: the server stopped "
            f"(exit {running.process.returncode}): {tail(running.log)}"
        )
    return result


# --- the run ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Settings:
    rounds: int
    seconds: int
    workers: int
    connections: int
    warmup: int = 1


@dataclass(frozen=True)
class Machine:
    date: datetime.date
    cores: int
    pinned: bool
    wrk_version: str


def versions(server: Server, samples: Path = SAMPLES) -> str:
    locked = locked_versions(server.folder(samples))
    return ", ".join(
        f"{NAMES.get(name, name)} {locked[name]}" for name in server.packages if name in locked
    )


def measure(
    servers: Iterable[Server], settings: Settings, samples: Path = SAMPLES, say=print
) -> dict[tuple[str, str], list[wrk.Result]]:
    """Start every server, seed and check it, load it in interleaved rounds; stop them all."""
    results: dict[tuple[str, str], list[wrk.Result]] = {}
    running: dict[str, Running] = {}
    with tempfile.TemporaryDirectory(prefix="framework-bench-") as scratch:
        try:
            for server in servers:
                say(f"framework-bench: {server.key}: starting {server.label}", flush=True)
                running[server.key] = start(
                    server, workers=settings.workers, scratch=Path(scratch), samples=samples
                )
                prepare(running[server.key])
            pairs = [(key, endpoint) for key in running for endpoint in ENDPOINTS]
            if settings.warmup:
                for key, endpoint in pairs:
                    load(running[key], endpoint, seconds=settings.warmup,
                         connections=settings.connections)  # fmt: skip
            for number, order in enumerate(rotations(pairs, settings.rounds), start=1):
                say(f"framework-bench: round {number} of {settings.rounds}", flush=True)
                for key, endpoint in order:
                    result = load(running[key], endpoint, seconds=settings.seconds,
                                  connections=settings.connections)  # fmt: skip
                    results.setdefault((key, endpoint), []).append(result)
        finally:
            for each in running.values():
                stop(each)
    return results


def table(
    summaries: dict[tuple[str, str], Summary],
    servers: Iterable[Server],
    settings: Settings,
    machine: Machine,
    samples: Path = SAMPLES,
) -> str:
    by_key = {server.key: server for server in servers}
    placing = (
        "each server pinned to core 0 (taskset -c 0), wrk to core 1"
        if machine.pinned
        else "not pinned (fewer than 2 cores or no taskset): servers and wrk share the CPU"
    )
    lines = [
        f"framework-bench, {machine.date.isoformat()}: {machine.cores} cores; {placing}; "
        f"{settings.workers} worker(s) per server; wrk {machine.wrk_version} -t1 "
        f"-c{settings.connections}; {settings.rounds} interleaved round(s) x {settings.seconds} s"
        " (median across rounds; ± = farthest round from the median; ratios to the fastest)",
        "",
        f"{'endpoint':<12} {'server':<12} {'req/s':>9} {'±':>7} {'ratio':>6} {'p50 ms':>8} "
        f"{'ratio':>6} {'p99 ms':>8} {'ratio':>6} {'errors':>7}",
    ]
    for endpoint, path in ENDPOINTS.items():
        rows = {key: s for (key, each), s in summaries.items() if each == endpoint}
        if not rows:
            continue
        rate = ratios({k: s.rate for k, s in rows.items()}, higher_is_better=True)
        p50 = ratios({k: s.p50_ms for k, s in rows.items()}, higher_is_better=False)
        p99 = ratios({k: s.p99_ms for k, s in rows.items()}, higher_is_better=False)
        for index, key in enumerate(sorted(rows, key=lambda k: -rows[k].rate)):
            s = rows[key]
            lines.append(
                f"{'GET ' + path if index == 0 else '':<12} {key:<12} {s.rate:>9.0f} "
                f"{s.spread:>7.0f} {rate[key]:>6.2f} {s.p50_ms:>8.2f} {p50[key]:>6.2f} "
                f"{s.p99_ms:>8.2f} {p99[key]:>6.2f} {s.errors:>7}"
            )
    lines += ["", "servers (versions from each sample's lock):"]
    for key in dict.fromkeys(key for key, _ in summaries):
        server = by_key[key]
        note = "recorded" if server.recorded else "shown, not recorded"
        lines.append(
            f"  {key:<12} {server.shown(port=0, workers=settings.workers).split(' --')[0]:<34} "
            f"{server.label}; {versions(server, samples)} ({note})"
        )
    if "django-asgi" in by_key:
        lines.append(
            "  Django under ASGI: Uvicorn's own --workers (the lock has no uvicorn-worker for "
            "gunicorn -k uvicorn_worker.UvicornWorker) and plain uvicorn (no uvloop/httptools);"
            " --record writes Django's gunicorn (WSGI) figures."
        )
    return "\n".join(lines)


# --- recording ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Evidence:
    """One Figure to write: a framework's figure for one endpoint."""

    framework: str
    endpoint: str
    value: Decimal
    spread: Decimal
    method: str

    @property
    def measure(self) -> str:
        return MEASURES[self.endpoint]

    @property
    def direction(self) -> str:
        return DIRECTIONS[self.endpoint]


def method_text(server: Server, settings: Settings, machine: Machine, samples: Path = SAMPLES):
    """How it was measured, in the 300 characters a Figure's method holds."""
    where = (
        f"pinned to core 0 of {machine.cores}, wrk {machine.wrk_version} -t1 "
        f"-c{settings.connections} on core 1"
        if machine.pinned
        else f"wrk {machine.wrk_version} -t1 -c{settings.connections} on the same "
        f"{machine.cores} core(s)"
    )
    workers = f"{settings.workers} worker{'s' if settings.workers != 1 else ''}"
    text = (
        f"{server.label.split(',')[0]} with {workers} {where}; median of {settings.rounds} "
        f"interleaved rounds of {settings.seconds} s, ± the farthest round; "
        f"{versions(server, samples)}; by make framework-bench on {machine.date.isoformat()}"
    )
    return text[:300]


def evidence(
    summaries: dict[tuple[str, str], Summary],
    servers: Iterable[Server],
    settings: Settings,
    machine: Machine,
    samples: Path = SAMPLES,
) -> list[Evidence]:
    """The figures --record writes: every recorded server's endpoints, whole requests/s, the
    spread rounded up."""
    found = []
    for server in servers:
        if not server.recorded:
            continue
        for endpoint in ENDPOINTS:
            summary = summaries[(server.key, endpoint)]
            found.append(
                Evidence(
                    framework=server.framework,
                    endpoint=endpoint,
                    value=Decimal(summary.rate).quantize(Decimal(1), ROUND_HALF_UP),
                    spread=Decimal(summary.spread).quantize(Decimal(1), ROUND_CEILING),
                    method=method_text(server, settings, machine, samples),
                )
            )
    return found


def source_title(date: datetime.date) -> str:
    return f"measured by this site on {date.day} {date:%B %Y}"


def apply_evidence(
    items: list[Evidence], *, as_of: datetime.date, source_url: str
) -> dict[str, int]:
    """Write the figures and the ranks that follow them, in one transaction; BenchError (and
    nothing changed) when a rating is missing, a figure is refused or a conflict remains."""
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
        for item in items:
            rating = ratings.get(item.framework)
            if rating is None:
                raise BenchError(
                    f"framework-bench: {item.framework}: record: no rating on {CRITERION} "
                    "in the fixtures; nothing recorded"
                )
            figure = Figure.objects.filter(rating=rating, measure=item.measure).first()
            figure = figure or Figure(rating=rating, measure=item.measure)
            figure.value, figure.spread, figure.unit = item.value, item.spread, UNIT
            figure.method, figure.as_of, figure.direction = item.method, as_of, item.direction
            figure.source_title, figure.source_url = source_title(as_of), source_url
            figure.position = list(ENDPOINTS).index(item.endpoint)
            try:
                figure.full_clean()
            except ValidationError as error:
                raise BenchError(
                    f"framework-bench: {item.framework}: record: figure refused: "
                    f"{'; '.join(error.messages)}"
                ) from error
            figure.save()
        deciding = {
            item.framework: (item.value, item.spread) for item in items if item.endpoint == "json"
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
    items: list[Evidence], *, as_of: datetime.date, source_url: str, fixture_dir: Path
) -> dict[str, int]:
    """apply_evidence, then the fixtures written again: to a folder beside them first, then
    moved in, so that a failure anywhere leaves fixture_dir as it was."""
    from django.db import transaction

    from core import content

    fixture_dir.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix=".framework-bench-", dir=fixture_dir) as staging:
        with transaction.atomic():
            ranks = apply_evidence(items, as_of=as_of, source_url=source_url)
            written = content.export(Path(staging))
        for path in written:
            os.replace(path, fixture_dir / path.name)
    return ranks


def record(items: list[Evidence], *, as_of: datetime.date, source_url: str) -> dict[str, int]:
    """The figures into fixtures/ through a throw-away database seeded from them."""
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
            items, as_of=as_of, source_url=source_url, fixture_dir=settings.FIXTURE_DIR
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


def main(argv: list[str] | None = None, samples: Path = SAMPLES) -> int:
    env = os.environ
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=positive("--rounds"),
                        default=env.get("BENCH_ROUNDS", "3"))  # fmt: skip
    parser.add_argument("--seconds", type=positive("--seconds"),
                        default=env.get("BENCH_SECONDS", "5"), help="per load")  # fmt: skip
    parser.add_argument("--workers", type=positive("--workers"),
                        default=env.get("BENCH_WORKERS", "1"),
                        help="per server (default: 1, the one core servers get)")  # fmt: skip
    parser.add_argument("--connections", type=positive("--connections"),
                        default=env.get("BENCH_CONNECTIONS", "16"))  # fmt: skip
    parser.add_argument("--record", action="store_true",
                        help="write the figures and ranks into fixtures/")  # fmt: skip
    keys = [server.key for server in SERVERS]
    parser.add_argument("servers", nargs="*", help=f"some of {', '.join(keys)} (default: all)")
    args = parser.parse_args(argv)
    unknown = sorted(set(args.servers) - set(keys))
    if unknown:
        parser.error(f"unknown server {', '.join(unknown)}: choose from {', '.join(keys)}")
    servers = [s for s in SERVERS if not args.servers or s.key in args.servers]
    settings = Settings(args.rounds, args.seconds, args.workers, args.connections)
    try:
        if args.record:
            if settings.rounds < 3:
                raise BenchError("framework-bench: record: needs 3 rounds or more (a spread)")
            if {s.framework for s in servers if s.recorded} != {"django", "flask", "fastapi"}:
                raise BenchError("framework-bench: record: needs django-wsgi, flask and fastapi")
        if not shutil.which("wrk"):
            raise BenchError(
                "framework-bench: wrk: not found on PATH, nothing loaded or recorded "
                "(apt-get install -y wrk)"
            )
        wrk_version = wrk.version()
        machine = Machine(datetime.date.today(), os.cpu_count() or 1, wrk.can_pin(), wrk_version)
        results = measure(servers, settings, samples)
        summaries = {pair: summarise(rounds) for pair, rounds in results.items()}
        print(table(summaries, servers, settings, machine, samples))
        if args.record:
            failed = [f"{k} GET {ENDPOINTS[e]}" for (k, e), s in summaries.items() if s.errors]
            if failed:
                raise BenchError(
                    f"framework-bench: record: errors while loading {', '.join(failed)}; "
                    "nothing recorded"
                )
            items = evidence(summaries, servers, settings, machine, samples)
            ranks = record(items, as_of=machine.date, source_url=METHOD_ANCHOR)
            print(f"\nrecorded into fixtures/: performance ranks {ranks} (source {METHOD_ANCHOR})")
    except BenchError as error:
        print(error, file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
