"""nginx in front of gunicorn, with the configuration the repository ships (deploy/nginx.conf.in):
slow clients, big bodies, the micro-cache and what it must never keep, forwarded headers.

One site for the module, served as the pass runs the suite: on SQLite with the page cache
in files (a machine of its own, as `make run`) in make test's first pass, on PostgreSQL and
Redis (app servers sharing them) when DATABASE_URL is PostgreSQL, as in its second. Readers
and editors reach it through nginx only (Browser(site.proxy.url)); the app server's own port
is used to show what nginx spares it.
"""

from __future__ import annotations

import contextlib
import gzip
import os
import re
import select
import socket
import threading
import time
import urllib.error
import urllib.request
from dataclasses import dataclass

import pytest
from django.conf import settings
from serving import Proxy, nginx_program, start_proxy  # scripts/, on sys.path (conftest)

from tests.admin_forms import read_form
from tests.servers.conftest import (
    AppServer,
    Browser,
    empty_redis_database,
    missing,
    new_postgres_database,
    prepare_site,
    site_environment,
)
from tests.servers.test_servers import FakeResponse

PASSWORD = "a-long-admin-passphrase-31"
FLASK = "/frameworks/flask/"
FASTAPI = "/frameworks/fastapi/"
BROWSER = {"Accept-Encoding": "br, gzip"}
MB = 1024 * 1024


@dataclass
class Site:
    app: AppServer
    proxy: Proxy

    def reader(self) -> Browser:
        """A new client of the site through nginx, with no cookie yet."""
        return Browser(self.proxy.url)

    def editor(self) -> Browser:
        editor = self.reader()
        editor.log_in("admin", PASSWORD)
        return editor


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    if nginx_program() is None:
        missing("needs nginx (apt-get install -y nginx), as .ci/run installs")
    folder = tmp_path_factory.mktemp("proxied")
    with contextlib.ExitStack() as stack:
        if os.environ.get("DATABASE_URL", "").startswith("postgres"):
            database = stack.enter_context(new_postgres_database())
            cache = stack.enter_context(empty_redis_database("proxy"))
        else:
            database, cache = f"sqlite:///{folder / 'db.sqlite3'}", f"file://{folder / 'cache'}"
        environment = {**site_environment(database, cache), "TRUSTED_PROXIES": "127.0.0.1"}
        environment["PAGE_CACHE_HEADER"] = "false"  # as deployed: nginx keys on X-Page-Kept
        prepare_site(environment)
        app = AppServer(environment).start()
        stack.callback(app.stop)
        proxy = start_proxy(folder / "nginx", app_port=app.port)
        stack.callback(proxy.stop)
        yield Site(app, proxy)


def cached(response) -> str | None:
    """How nginx answered: HIT, MISS, BYPASS... (X-Proxy-Cache); None: no cache there."""
    return response.headers.get("X-Proxy-Cache")


# --- the micro-cache


@pytest.mark.parametrize(
    "path", ["/", FLASK, "/compare/?fw=django&fw=fastapi", "/data/comparison.json", "/feed/"]
)
def test_a_public_page_is_nginxs_copy_from_the_second_request(site, path):
    reader = site.reader()
    first = reader.get(path, BROWSER)
    second = reader.get(path, BROWSER)
    assert first.status == second.status == 200
    assert cached(second) == "HIT"
    assert second.content == first.content
    assert second.headers["Content-Encoding"] == "br"
    again = reader.get(path, {**BROWSER, "If-None-Match": second.headers["ETag"]})
    assert again.status == 304


def test_each_coding_has_its_own_copy(site):
    """The site varies on Accept-Encoding: a copy made for br is never sent to a client that
    asked for gzip, nor a compressed one to a client that asked for none."""
    reader = site.reader()
    codings = {"br": {"Accept-Encoding": "br, gzip"}, "gzip": {"Accept-Encoding": "gzip"},
               "identity": {"Accept-Encoding": "identity"}}  # fmt: skip
    answers = {}
    for _ in range(2):  # the second round from nginx's copies
        for coding, headers in codings.items():
            answers[coding] = reader.get("/frameworks/", headers)
    assert {coding: cached(answer) for coding, answer in answers.items()} == dict.fromkeys(
        codings, "HIT"
    )
    assert answers["br"].headers["Content-Encoding"] == "br"
    assert answers["gzip"].headers["Content-Encoding"] == "gzip"
    assert "Content-Encoding" not in answers["identity"].headers
    assert gzip.decompress(answers["gzip"].content) == answers["identity"].content
    # Another spelling of gzip is sent gzip, never the br copy.
    other = reader.get("/frameworks/", {"Accept-Encoding": "gzip, deflate"})
    assert other.headers["Content-Encoding"] == "gzip"


def test_forms_the_admin_and_the_health_check_never_meet_the_cache(site):
    for path in ["/report/?page=/frameworks/flask/", "/report/thanks/?page=/frameworks/flask/",
                 "/admin/login/", "/healthz"]:  # fmt: skip
        reader = site.reader()
        for _ in range(2):
            answer = reader.get(path)
            assert answer.status == 200, path
            assert cached(answer) is None, path
    form = site.reader().get("/report/?page=/frameworks/flask/")
    assert "no-store" in form.headers["Cache-Control"]
    assert 'name="csrfmiddlewaretoken"' in form.text


def test_what_the_site_does_not_keep_nginx_does_not_keep(site):
    """A 404, a redirect of an unknown parameter, a POST: passed on every time."""
    reader = site.reader()
    for path in ["/frameworks/no-such-framework/", "/compare/?utm_source=feed"]:
        answers = [reader.get(path) for _ in range(3)]
        assert [answer.status for answer in answers] in ([404] * 3, [301] * 3)
        assert "HIT" not in {cached(answer) for answer in answers}, path
    posted = reader.request("/compare/", data={"fw": "django"})
    assert posted.status in {403, 405}
    assert cached(posted) is None


@pytest.mark.parametrize(
    "cookie",
    ["csrftoken=" + "a" * 32, "sessionid=made-up", "theme=dark; sessionid=made-up"],
)
def test_a_request_with_a_session_or_csrf_cookie_bypasses_the_cache(site, cookie):
    reader = site.reader()
    reader.get(FLASK, BROWSER)
    assert cached(reader.get(FLASK, BROWSER)) == "HIT"
    for _ in range(2):
        answer = site.reader().get(FLASK, {**BROWSER, "Cookie": cookie})
        assert answer.status == 200
        assert cached(answer) == "BYPASS"


def test_another_cookie_has_copies_of_its_own(site):
    """The site's Vary: Cookie, obeyed: a cookie the site does not read (a theme, an
    analytics id) gets a copy of its own, never the staff's or a bypass."""
    reader = site.reader()
    answers = [reader.get(FLASK, {**BROWSER, "Cookie": "theme=dark"}) for _ in range(2)]
    assert cached(answers[-1]) == "HIT"


def test_staff_are_never_served_a_copy_and_their_previews_never_kept(site):
    reader, editor = site.reader(), site.editor()
    reader.get(FLASK, BROWSER)
    assert cached(reader.get(FLASK, BROWSER)) == "HIT"
    for _ in range(3):
        page = editor.get(FLASK, BROWSER)
        assert page.status == 200
        assert cached(page) == "BYPASS"
        assert "X-Page-Cache" not in page.headers  # rendered for them, as the site does

    # FastAPI unpublished: staff see a draft preview, readers a 404, whoever asks first.
    set_published(editor, "fastapi", False)
    try:
        for _ in range(3):
            preview = editor.get(FASTAPI)
            assert preview.status == 200
            assert "Draft preview" in preview.text
            assert cached(preview) == "BYPASS"
            hidden = reader.get(FASTAPI)
            assert hidden.status == 404
            assert "Draft preview" not in hidden.text
            assert cached(hidden) != "HIT"
    finally:
        set_published(editor, "fastapi", True)


def change_form_path(editor: Browser, slug: str) -> str:
    changelist = editor.get(f"/admin/comparisons/framework/?q={slug}").text
    found = re.search(r'href="(/admin/comparisons/framework/\d+/change/)[^"]*"', changelist)
    assert found, changelist[:500]
    return found.group(1)


def save_framework(editor: Browser, slug: str, change) -> None:
    """Open a framework's change form through nginx, change it, save it."""
    path = change_form_path(editor, slug)
    data = read_form(FakeResponse(editor.get(path).content), "framework_form")
    data.pop("csrfmiddlewaretoken", None)
    change(data)
    saved = editor.post(path, data)
    assert saved.status == 302, saved.text[:1000]


def set_published(editor: Browser, slug: str, published: bool) -> None:
    def change(data):
        if published:
            data["is_published"] = "on"
        else:
            data.pop("is_published", None)

    save_framework(editor, slug, change)


def test_an_edit_is_visible_through_the_proxy_within_two_seconds(site):
    """nginx keeps a copy one to two seconds (it counts whole seconds); the first request
    after that may still get the old copy while the new one is fetched."""
    reader, editor = site.reader(), site.editor()
    reader.get(FLASK)
    assert cached(reader.get(FLASK)) == "HIT"
    tagline = f"Edited behind the proxy {time.time_ns()}"
    save_framework(editor, "flask", lambda data: data.update(tagline=tagline))
    saved = time.monotonic()
    while tagline not in reader.get(FLASK).text:
        waited = time.monotonic() - saved
        assert waited < 2, f"the edit was not visible through nginx after {waited:.2f} s"
        time.sleep(0.05)


# --- slow clients and big bodies


class SlowClients:
    """Connections that send a request head a byte at a time, a round every 0.1 s, never
    finishing it (slowloris), for as long as the block lasts."""

    HEAD = b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nUser-Agent: slow\r\nAccept: */*\r\nX-A: b\r\n"

    def __init__(self, port: int, count: int = 50):
        self.sockets = [socket.create_connection(("127.0.0.1", port), timeout=2)
                        for _ in range(count)]  # fmt: skip
        self.stopped = threading.Event()
        self.thread = threading.Thread(target=self._dribble, daemon=True)

    def _dribble(self):
        sent = 0
        while not self.stopped.wait(0.1) and sent < len(self.HEAD):
            for sock in self.sockets:
                with contextlib.suppress(OSError):
                    sock.send(self.HEAD[sent : sent + 1])
            sent += 1

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.stopped.set()
        self.thread.join(timeout=5)
        for sock in self.sockets:
            sock.close()


def timed_get(url: str, timeout: float = 1.0) -> tuple[int | str, float]:
    start = time.monotonic()
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:
            response.read()
            status: int | str = response.status
    except (OSError, urllib.error.URLError) as error:
        status = type(error).__name__
    return status, time.monotonic() - start


def test_slow_clients_hold_no_worker_behind_the_proxy(site):
    # Straight at gunicorn, the same slow clients hold both sync workers: nothing answers.
    with SlowClients(site.app.port):
        time.sleep(0.3)
        status, _ = timed_get(f"{site.app.url}/healthz")
        assert status != 200, "gunicorn answered past 50 slow clients: the test shows nothing"

    # Through nginx, readers are answered at once, the pages nginx keeps and those it passes
    # on to gunicorn alike, while the 50 slow clients dribble for 3 s.
    answers = []
    with SlowClients(site.proxy.port):
        until = time.monotonic() + 3
        while time.monotonic() < until:
            for path in [FLASK, "/healthz", "/report/?page=/frameworks/flask/"]:
                answers.append((path, *timed_get(site.proxy.url + path)))
            time.sleep(0.1)
    assert len(answers) >= 15
    slow = [(path, status, f"{took:.2f}s") for path, status, took in answers
            if status != 200 or took >= 1]  # fmt: skip
    assert slow == []


def post_streamed(port: int, path: str, size: int, *, chunked: bool) -> tuple[str, int]:
    """POST a body of ``size`` bytes, 64 KB at a time, until the server answers; return the
    answer's status line and how many bytes of the body were sent by then. Nothing of the
    size is held in memory."""
    framing = "Transfer-Encoding: chunked" if chunked else f"Content-Length: {size}"
    head = (f"POST {path} HTTP/1.1\r\nHost: 127.0.0.1\r\n"
            f"Content-Type: application/x-www-form-urlencoded\r\n{framing}\r\n\r\n")  # fmt: skip
    piece = b"a" * 65536
    sent = 0
    with socket.create_connection(("127.0.0.1", port), timeout=10) as sock:
        sock.sendall(head.encode())
        with contextlib.suppress(ConnectionError):
            while sent < size and not select.select([sock], [], [], 0)[0]:
                chunk = piece[: size - sent]
                sock.sendall(b"%x\r\n%s\r\n" % (len(chunk), chunk) if chunked else chunk)
                sent += len(chunk)
            if chunked and sent >= size:
                sock.sendall(b"0\r\n\r\n")
        answer = b""
        with contextlib.suppress(ConnectionError):
            while b"\r\n" not in answer and (data := sock.recv(4096)):
                answer += data
    return answer.split(b"\r\n", 1)[0].decode(), sent


@pytest.mark.parametrize("chunked", [False, True], ids=["content-length", "chunked"])
def test_a_50_mb_report_is_refused_by_the_proxy(site, chunked):
    status, sent = post_streamed(site.proxy.port, "/report/", 50 * MB, chunked=chunked)
    assert status == "HTTP/1.1 413 Request Entity Too Large"
    # Refused long before its end: what had been sent by then sat mostly in the two sockets'
    # buffers (a few MB on loopback), unread.
    assert sent < 10 * MB


def test_the_admin_takes_bigger_bodies_than_the_public_site(site):
    status, sent = post_streamed(site.proxy.port, "/admin/login/", 2 * MB, chunked=False)
    assert sent == 2 * MB
    assert status == "HTTP/1.1 403 Forbidden"  # Django's answer (no CSRF token), not nginx's 413


# --- what nginx tells the site


def test_a_client_cannot_pass_for_another_address_through_the_proxy(site):
    """nginx replaces X-Forwarded-For with the address it sees, and drops the headers a
    client could use to pass as the proxy: a reader sending a new address each time still
    meets the report form's limit (and gunicorn never sees a contradictory X-Forwarded-Ssl,
    which it would refuse with 400)."""
    reader = site.reader()
    reader.get("/report/?page=/frameworks/flask/")
    statuses = []
    for n in range(settings.REPORT_LIMIT + 1):
        forged = {"X-Forwarded-For": f"203.0.113.{n}", "X-Real-IP": f"203.0.113.{n}",
                  "Forwarded": f"for=203.0.113.{n}", "X-Forwarded-Ssl": "on"}  # fmt: skip
        report = {"page": FLASK, "text": f"Report number {n}: a mistake here.", "email": "",
                  "website": ""}  # fmt: skip
        statuses.append(reader.post("/report/", report, headers=forged).status)
    assert statuses == [303] * settings.REPORT_LIMIT + [429]


def test_another_host_is_refused_by_the_proxy(site):
    answer = site.reader().get("/", {"Host": "attacker.example"})
    assert answer.status == 400


# --- static files, and gunicorn away


def test_static_files_are_nginxs_own(site):
    reader = site.reader()
    html = reader.get("/").text
    css = re.search(r'href="(/static/css/site\.[0-9a-f]{12}\.css)"', html).group(1)
    answer = reader.get(css, {"Accept-Encoding": "gzip"})
    assert answer.status == 200
    assert answer.headers["Content-Encoding"] == "gzip"
    assert "immutable" in answer.headers["Cache-Control"]
    assert "max-age=315360000" in answer.headers["Cache-Control"]
    assert answer.headers["X-Content-Type-Options"] == "nosniff"
    assert "Accept-Encoding" in answer.headers["Vary"]
    assert "Content-Security-Policy" not in answer.headers  # which every answer of the app has
    # A file this machine's copy lacks is asked of the app (WhiteNoise, then Django's 404).
    lacking = reader.get("/static/css/not-collected.css")
    assert lacking.status == 404
    assert "Content-Security-Policy" in lacking.headers


def test_while_gunicorn_is_away_nginx_serves_what_it_kept(site):
    reader = site.reader()
    reader.get(FLASK)
    site.app.stop()
    try:
        time.sleep(2.1)  # the copy is past its time now: nginx asks gunicorn, which is away
        page = reader.get(FLASK)
        assert page.status == 200
        assert cached(page) in {"STALE", "UPDATING"}
        assert "Flask" in page.text
        assert reader.get("/healthz").status == 502
        assert reader.get("/static/css/site.css").status == 200
    finally:
        site.app.start()
