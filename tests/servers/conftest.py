"""Tests against real servers: gunicorn app servers sharing PostgreSQL and Redis, and nginx in
front of them (test_proxy.py).

They need TEST_POSTGRES_URL (a role that may create databases) and TEST_REDIS_URL, which
.ci/run sets after starting both on loopback, and nginx for the proxy's tests (.ci/run
installs it). Elsewhere they are skipped with a message; with CI=true a missing server fails
the run.
"""

from __future__ import annotations

import contextlib
import fcntl
import http.cookiejar
import os
import secrets
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
GUNICORN = Path(sys.executable).parent / "gunicorn"
sys.path.insert(0, str(ROOT / "scripts"))  # the scripts import each other by name
from serving import GUNICORN_OPTIONS  # noqa: E402


def pytest_collection_modifyitems(config, items):
    here = Path(__file__).parent
    for item in items:
        if here in Path(item.fspath).parents:
            item.add_marker(pytest.mark.servers)


def need(variable: str) -> str:
    value = os.environ.get(variable)
    if not value:
        missing(f"needs {variable} (a real server on loopback, as .ci/run starts)")
    return value


def missing(message: str):
    """Skip the test for want of a server or program; with CI=true, fail it."""
    if os.environ.get("CI") == "true":
        pytest.fail(f"CI must run the server tests: {message}")
    pytest.skip(message)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextlib.contextmanager
def new_postgres_database():
    """A new, empty PostgreSQL database; dropped afterwards."""
    import psycopg

    admin_url = need("TEST_POSTGRES_URL")
    name = f"fg_{secrets.token_hex(4)}"
    with psycopg.connect(admin_url, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    try:
        yield urllib.parse.urlsplit(admin_url)._replace(path=f"/{name}").geturl()
    finally:
        with psycopg.connect(admin_url, autocommit=True) as conn:
            drop_database(conn, name)


def drop_database(conn, name: str, *, tries: int = 50, pause: float = 0.1) -> None:
    """Drop database ``name``, whatever is still connected to it.

    WITH (FORCE) ends the sessions a test's servers left behind (they are the role's own), but
    PostgreSQL refuses it while an autovacuum worker is in the database: the worker has no
    role, so a role that is not a superuser may not end it ("must be a member of the role
    whose process is being terminated"). A plain DROP DATABASE asks autovacuum to leave and
    waits for it, but refuses while a session is open. So the one is tried after the other.
    """
    import psycopg

    for _ in range(tries):
        try:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            return
        except psycopg.errors.InsufficientPrivilege:
            pass
        try:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
            return
        except psycopg.errors.ObjectInUse:
            time.sleep(pause)
    raise RuntimeError(f"database {name} could not be dropped in {tries} tries")


# What the server tests keep in Redis, each in a database of its own.
REDIS_USES = ("servers", "proxy")


def redis_database(use: str, worker: str | None = None, workers: int | None = None) -> int:
    """The Redis database this xdist worker's server tests keep ``use`` in.

    Each worker has its own, counted down from 15 (gw0: 15 and 14, gw1: 13 and 12...), so a
    test that empties its database on one worker does not empty another's in the middle of
    its run. The unit suite's ``workers`` count up from CACHE_URL's database, 1 in CI
    (tests/conftest.py); where the two would meet, the run stops and says so.
    """
    if worker is None:
        worker = os.environ.get("PYTEST_XDIST_WORKER", "gw0")
    if workers is None:
        workers = int(os.environ.get("PYTEST_XDIST_WORKER_COUNT", "1"))
    index = int(worker.removeprefix("gw"))
    number = 15 - len(REDIS_USES) * index - REDIS_USES.index(use)
    if number <= workers:
        pytest.exit(f"the server tests on {worker} of {workers}: no Redis database left for {use}")
    return number


@contextlib.contextmanager
def empty_redis_database(use: str):
    """This worker's Redis database for ``use``, emptied before and after."""
    import redis

    number = redis_database(use)
    url = urllib.parse.urlsplit(need("TEST_REDIS_URL"))._replace(path=f"/{number}").geturl()
    client = redis.Redis.from_url(url)
    client.flushdb()
    try:
        yield url
    finally:
        client.flushdb()


@pytest.fixture
def postgres_database():
    """A new, empty PostgreSQL database for this test; dropped afterwards."""
    with new_postgres_database() as url:
        yield url


@pytest.fixture
def redis_url():
    """This worker's Redis database for the server tests, emptied before and after the test."""
    with empty_redis_database("servers") as url:
        yield url


def site_environment(database_url: str, cache_url: str) -> dict[str, str]:
    return {
        **os.environ,
        "DATABASE_URL": database_url,
        "CACHE_URL": cache_url,
        "SECRET_KEY": "shared-by-all-app-servers-" + "k" * 30,
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "DEBUG": "false",
        "DJANGO_SUPERUSER_PASSWORD": "a-long-admin-passphrase-31",
        "PAGE_CACHE_HEADER": "true",  # the tests read what the cache did
    }


def manage(environment: dict, *args: str) -> str:
    result = subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=environment,
        capture_output=True, text=True, timeout=180, check=False,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    return result.stdout


def prepare_site(environment: dict) -> None:
    manage(environment, "migrate", "--noinput")
    manage(environment, "seed")
    # Every site of these tests collects into the one STATIC_ROOT (var/staticfiles), and
    # test files run side by side (make test's workers): collectstatic deletes and writes
    # the stylesheet's hashed copy and the manifest, so two at once may trip each other up.
    with collecting_static():
        manage(environment, "collectstatic", "--noinput", "--verbosity", "0")
    manage(environment, "createsuperuser", "--noinput", "--username", "admin", "--email",
           "admin@example.com")  # fmt: skip


@contextlib.contextmanager
def collecting_static():
    """One collectstatic at a time on this machine (a lock on a file in var/)."""
    lock = ROOT / "var" / ".collectstatic.lock"
    lock.parent.mkdir(exist_ok=True)
    with lock.open("w") as held:
        fcntl.flock(held, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(held, fcntl.LOCK_UN)


class Browser:
    """A client that keeps its cookies and follows no redirect, as a test reads each answer."""

    url: str

    def __init__(self, url: str = ""):
        if url:
            self.url = url
        self.cookies = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(self.cookies), NoRedirect
        )

    def request(
        self, path: str, data: dict | None = None, headers: dict | None = None, method=None
    ) -> Response:
        body = urllib.parse.urlencode(data, doseq=True).encode() if data is not None else None
        sent = {"Referer": self.url + path} if data is not None else {}
        request = urllib.request.Request(
            self.url + path, data=body, headers={**sent, **(headers or {})}, method=method
        )
        try:
            with self.opener.open(request, timeout=10) as raw:
                return Response(raw.status, dict(raw.headers), raw.read())
        except urllib.error.HTTPError as error:
            return Response(error.code, dict(error.headers), error.read())

    def get(self, path: str, headers: dict | None = None) -> Response:
        return self.request(path, headers=headers)

    def post(self, path: str, data: dict, headers: dict | None = None) -> Response:
        data = {**data, "csrfmiddlewaretoken": self.csrf_token()}
        return self.request(path, data, headers)

    def csrf_token(self) -> str:
        return next(cookie.value for cookie in self.cookies if cookie.name == "csrftoken")

    def log_in(self, username: str, password: str) -> None:
        self.get("/admin/login/")
        response = self.post("/admin/login/", {"username": username, "password": password,
                                               "next": "/admin/"})  # fmt: skip
        assert response.status == 302, response.text[:500]


@dataclass
class AppServer(Browser):
    """One gunicorn app server, as `make run` starts it, with a browser-like client."""

    environment: dict
    port: int = field(default_factory=free_port)
    process: subprocess.Popen | None = None

    def __post_init__(self):
        Browser.__init__(self)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> AppServer:
        self.process = subprocess.Popen(
            [str(GUNICORN), "config.wsgi", "--bind", f"127.0.0.1:{self.port}", "--workers", "2",
             *GUNICORN_OPTIONS],
            cwd=ROOT, env=self.environment, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )  # fmt: skip
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                if self.get("/healthz").status == 200:
                    return self
            except OSError:
                pass
            time.sleep(0.2)
        self.stop()
        raise AssertionError(f"gunicorn did not start on port {self.port}")

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=15)


@dataclass
class Response:
    status: int
    headers: dict
    content: bytes

    @property
    def text(self) -> str:
        return self.content.decode()


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None
