"""Two app servers, one truth; and a database that goes away and comes back."""

import contextlib
import os
import re
import shutil
import socket
import subprocess
import threading
import time
import urllib.request

import pytest

from tests.admin_forms import read_form
from tests.servers.conftest import (
    GUNICORN,
    ROOT,
    AppServer,
    free_port,
    prepare_site,
    site_environment,
)

PASSWORD = "a-long-admin-passphrase-31"
FLASK = "/frameworks/flask/"
ARTICLE = "/articles/django-flask-or-fastapi/"


class FakeResponse:
    """Enough of a Django test response for tests.admin_forms.read_form."""

    def __init__(self, content: bytes):
        self.content = content


@pytest.fixture
def two_servers(postgres_database, redis_url):
    environment = site_environment(postgres_database, redis_url)
    prepare_site(environment)
    first, second = AppServer(environment).start(), AppServer(environment).start()
    yield first, second
    first.stop()
    second.stop()


def test_an_edit_on_one_server_shows_on_the_other_at_the_next_request(two_servers):
    first, second = two_servers
    for server in (first, second):  # both caches warm
        assert server.get(FLASK).status == 200
        warm = server.get(FLASK)
        assert warm.headers["X-Page-Cache"] == "hit"
        assert "Edited on the first server" not in warm.text

    first.log_in("admin", PASSWORD)
    changelist = first.get("/admin/comparisons/framework/?q=flask").text
    change_path = re.search(r'href="(/admin/comparisons/framework/\d+/change/)[^"]*"', changelist)
    form_page = first.get(change_path.group(1))
    data = read_form(FakeResponse(form_page.content), "framework_form")
    data["tagline"] = "Edited on the first server"
    data.pop("csrfmiddlewaretoken", None)
    assert first.post(change_path.group(1), data).status == 302
    # The first server ended the pages' generation in Redis as it committed: the second
    # starts a new one at its next request.
    after = second.get(FLASK)
    assert "Edited on the first server" in after.text
    assert after.status == 200
    assert after.headers["X-Page-Cache"] == "miss"
    assert "Edited on the first server" in first.get(FLASK).text  # its own: at once


def test_a_warm_hit_reads_no_table_of_the_database(two_servers, postgres_database):
    """The database's count of table reads does not move while pages are served warm,
    second after second: the generation comes from Redis."""
    first, _ = two_servers
    for _ in range(2):
        assert first.get(FLASK).status == 200
    before = table_reads(postgres_database)
    for _ in range(15):
        assert first.get(FLASK).headers["X-Page-Cache"] == "hit"
        time.sleep(0.1)
    assert table_reads(postgres_database) == before


def table_reads(database_url: str) -> int:
    """How many times PostgreSQL has scanned any of the site's tables (its statistics, which
    a backend reports within a second of going idle: wait for them first)."""
    import psycopg

    time.sleep(1.5)
    with psycopg.connect(database_url, autocommit=True) as conn:
        (reads,) = conn.execute(
            "SELECT sum(coalesce(seq_scan, 0) + coalesce(idx_scan, 0)) FROM pg_stat_user_tables"
        ).fetchone()
    return reads


class Switch:
    """A TCP relay in front of PostgreSQL that can be cut and restored: an outage."""

    def __init__(self, target: tuple[str, int]):
        self.target = target
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.port = self.listener.getsockname()[1]
        self.up = True
        self.links: list[socket.socket] = []
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self):
        while True:
            try:
                client, _ = self.listener.accept()
            except OSError:
                return
            if not self.up:
                client.close()
                continue
            try:
                server = socket.create_connection(self.target)
            except OSError:
                client.close()
                continue
            self.links += [client, server]
            for a, b in ((client, server), (server, client)):
                threading.Thread(target=self._pipe, args=(a, b), daemon=True).start()

    @staticmethod
    def _pipe(source, sink):
        try:
            while data := source.recv(65536):
                sink.sendall(data)
        except OSError:
            pass
        finally:
            for end in (source, sink):
                with contextlib.suppress(OSError):
                    end.close()

    def cut(self):
        self.up = False
        for link in self.links:
            with contextlib.suppress(OSError):
                link.shutdown(socket.SHUT_RDWR)
        self.links.clear()

    def restore(self):
        self.up = True

    def close(self):
        self.listener.close()


def test_while_the_database_is_away_kept_pages_answer_and_others_503_until_it_is_back(
    postgres_database, redis_url
):
    from urllib.parse import urlsplit

    environment = site_environment(postgres_database, redis_url)
    prepare_site(environment)
    parts = urlsplit(postgres_database)
    switch = Switch((parts.hostname, parts.port))
    relayed = parts._replace(netloc=f"{parts.username}:{parts.password}@127.0.0.1:{switch.port}")
    server = AppServer({**environment, "DATABASE_URL": relayed.geturl()}).start()
    try:
        assert server.get(FLASK).status == 200  # kept in Redis
        switch.cut()
        kept = server.get(FLASK)
        assert kept.status == 200
        assert kept.headers["X-Page-Cache"] in {"hit", "stale"}
        down = server.get(ARTICLE)  # never rendered, so not kept
        assert down.status == 503
        assert "Temporarily unavailable" in down.text
        assert "Traceback" not in down.text
        assert server.get("/healthz").status == 503
        switch.restore()
        statuses = [server.get(ARTICLE).status for _ in range(4)]
        assert statuses[-1] == 200, statuses
        assert server.get("/healthz").status == 200
    finally:
        server.stop()
        switch.close()


def test_static_files_are_compressed_hashed_and_cached_for_ever(postgres_database, redis_url):
    environment = site_environment(postgres_database, redis_url)
    prepare_site(environment)
    server = AppServer(environment).start()
    try:
        html = server.get("/").text
        css = re.search(r'href="(/static/css/site\.[0-9a-f]{12}\.css)"', html).group(1)
        request = urllib.request.Request(server.url + css, headers={"Accept-Encoding": "gzip"})
        with urllib.request.urlopen(request, timeout=10) as response:
            headers = response.headers
        assert headers["Content-Encoding"] == "gzip"
        assert "immutable" in headers["Cache-Control"]
        assert int(re.search(r"max-age=(\d+)", headers["Cache-Control"]).group(1)) >= 31536000
    finally:
        server.stop()


JUNK_LOAD = """
local paths = {
  "/", "/compare/", "/frameworks/django/", "/choose/", "/articles/django-flask-or-fastapi/"
}
local junk = {"r=%d", "utm_source=%d&x=1", "fw=%d", "sort=%d", "building=%d", "w-packages=%d"}
request = function()
  local path = paths[math.random(#paths)]
  if path ~= "/compare/" and path ~= "/choose/" then
    return wrk.format("GET", path .. "?" .. string.format(junk[math.random(2)], math.random(1e9)))
  end
  return wrk.format("GET", path .. "?" .. string.format(junk[math.random(#junk)], math.random(1e9)))
end
"""


def test_random_query_strings_under_load_leave_redis_bounded_and_pages_cached(
    postgres_database, redis_url, tmp_path
):
    """10 s of wrk with a random query string on every request, against a Redis-backed server:
    junk parameters are redirected, ignored values answered uncached, so Redis gains no key."""
    import redis

    wrk = shutil.which("wrk")
    if wrk is None:
        message = "needs wrk (apt-get install -y wrk)"
        if os.environ.get("CI") == "true":
            pytest.fail(f"CI must run the load test: {message}")
        pytest.skip(message)
    environment = site_environment(postgres_database, redis_url)
    prepare_site(environment)
    server = AppServer(environment).start()
    store = redis.Redis.from_url(redis_url)
    try:
        pages = ["/", "/compare/", "/frameworks/django/", "/choose/", ARTICLE]
        for path in pages:  # warm: each page cached once
            server.get(path)
        keys, memory = store.dbsize(), store.info("memory")["used_memory"]
        script = tmp_path / "junk.lua"
        script.write_text(JUNK_LOAD)
        result = subprocess.run(
            [wrk, "-t1", "-c8", "-d10s", "-s", str(script), server.url],
            capture_output=True, text=True, timeout=60, check=True,
        )  # fmt: skip
        requests = int(re.search(r"(\d+) requests in", result.stdout).group(1))
        assert requests > 100, result.stdout
        assert store.dbsize() == keys
        assert store.info("memory")["used_memory"] - memory < 1024 * 1024
        for path in pages:
            assert server.get(path).headers["X-Page-Cache"] == "hit"
    finally:
        server.stop()


def test_reports_sent_at_the_same_moment_stop_at_the_limit(postgres_database, redis_url):
    """Ten posts of the report form from one address at once, to gunicorn on PostgreSQL: five
    stored, never six (the count and the insert are one transaction per sender, issue 27)."""
    import psycopg

    environment = site_environment(postgres_database, redis_url)
    prepare_site(environment)
    server = AppServer(environment).start()
    try:
        server.get("/report/")  # the CSRF cookie
        data = {"page": "/frameworks/django/", "text": "A date on this page is wrong.",
                "email": "", "website": ""}  # fmt: skip
        barrier = threading.Barrier(10)
        statuses = []

        def send():
            barrier.wait()
            statuses.append(server.post("/report/", data).status)

        threads = [threading.Thread(target=send) for _ in range(10)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    finally:
        server.stop()
    with psycopg.connect(postgres_database) as conn:
        stored = conn.execute("SELECT count(*) FROM reports_report").fetchone()[0]
    assert stored == 5
    assert sorted(statuses) == [303] * 5 + [429] * 5


def test_app_servers_share_no_control_socket(tmp_path):
    """gunicorn 25.1 and later opens a control socket unless told not to, at one path for
    every instance of a user (~/.gunicorn/gunicorn.ctl when XDG_RUNTIME_DIR is unset): the
    last one started takes it over, the first one's exit removes it, and `gunicornc
    shutdown` would stop whichever holds it. The project's gunicorns open none."""
    usage = subprocess.run([GUNICORN, "--help"], capture_output=True, text=True, check=True)
    if "--no-control-socket" not in usage.stdout:
        pytest.skip("this gunicorn has no control socket")
    home = tmp_path / "home"
    home.mkdir()
    environment = {
        **site_environment(f"sqlite:///{tmp_path / 'db.sqlite3'}", f"file://{tmp_path / 'cache'}"),
        "HOME": str(home),
    }
    environment.pop("XDG_RUNTIME_DIR", None)
    shared = home / ".gunicorn" / "gunicorn.ctl"

    # Without the option, an instance takes the path every other one would take too.
    bare = subprocess.Popen(
        [GUNICORN, "config.wsgi", "--bind", f"127.0.0.1:{free_port()}", "--workers", "1"],
        cwd=ROOT, env=environment, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    try:
        deadline = time.monotonic() + 30
        while not shared.exists() and time.monotonic() < deadline:
            time.sleep(0.1)
        assert shared.exists(), "gunicorn opened no control socket where this test looks"
    finally:
        bare.terminate()
        bare.wait(timeout=15)
    shutil.rmtree(home / ".gunicorn", ignore_errors=True)

    servers = [AppServer(environment).start() for _ in range(2)]  # /healthz answers: started
    try:
        assert not (home / ".gunicorn").exists()
    finally:
        for server in servers:
            server.stop()
