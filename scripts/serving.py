"""Serve the site as `make run` does, for the measuring scripts (make bench, make audit), and
put nginx in front of it as a deployment does (make bench-proxy, tests/servers/test_proxy.py).
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import nginx_conf

ROOT = Path(__file__).resolve().parent.parent
# gunicorn (25.1 and later) opens a control socket by default at one path per user
# (~/.gunicorn/gunicorn.ctl), which a second instance takes over and the first one's exit
# removes: every gunicorn the project starts goes without (`make run`, README's recipe).
GUNICORN_OPTIONS = ["--no-control-socket"]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_site(
    port: int,
    *,
    workers: str = "2",
    environment: dict[str, str] | None = None,
    wrap: Callable[[list[str]], list[str]] = lambda command: command,
) -> subprocess.Popen:
    """gunicorn on 127.0.0.1:port (wrap may pin it to a core); returns once /healthz answers."""
    command = [str(ROOT / ".venv" / "bin" / "gunicorn"), "config.wsgi", "--bind",
               f"127.0.0.1:{port}", "--workers", workers, *GUNICORN_OPTIONS]  # fmt: skip
    server = subprocess.Popen(
        wrap(command), cwd=ROOT, env={**os.environ, **(environment or {})},
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    if wait_until_up(f"http://127.0.0.1:{port}/healthz", server, timeout=30):
        return server
    server.terminate()
    sys.exit("The server did not start (try `make run`).")


def wait_until_up(url: str, server: subprocess.Popen, *, timeout: float) -> bool:
    """Poll url until it answers 200; False when the server exits first or time runs out."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.poll() is not None:
            return False
        try:
            with urllib.request.urlopen(url, timeout=1) as response:
                if response.status == 200:
                    return True
        except OSError:
            pass
        time.sleep(0.2)
    return False


# --- nginx in front


def nginx_program() -> str | None:
    """Debian's nginx (in /usr/sbin, which a user's PATH may lack), or None."""
    found = shutil.which("nginx")
    if found:
        return found
    return "/usr/sbin/nginx" if os.access("/usr/sbin/nginx", os.X_OK) else None


@dataclass
class Proxy:
    """nginx with deploy/nginx.conf.in's configuration, run from a folder of its own."""

    process: subprocess.Popen
    runtime: Path
    port: int

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def log(self) -> str:
        """What nginx wrote to its error log (and its standard error), for a failure's message."""
        parts = [self.runtime / "error.log", self.runtime / "stderr.log"]
        return "\n".join(path.read_text() for path in parts if path.exists()).strip()

    def stop(self) -> None:
        """A fast shutdown (SIGTERM), of this process only; its workers exit with it."""
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=5)


def start_proxy(
    runtime: Path,
    *,
    app_port: int,
    port: int | None = None,
    server_name: str = "127.0.0.1",
    workers: str = "auto",
    wrap: Callable[[list[str]], list[str]] = lambda command: command,
) -> Proxy:
    """nginx on 127.0.0.1:port in front of gunicorn on app_port, its configuration rendered
    into ``runtime`` (pid, logs, temporary files and cache there too). Run in the foreground
    ("daemon off"): it is this process's child, stopped by its id. Returns once /healthz
    answers through it; raises RuntimeError with nginx's log when it does not."""
    program = nginx_program()
    if program is None:
        raise RuntimeError("nginx not found (apt-get install -y nginx)")
    port = port or free_port()
    runtime.mkdir(parents=True, exist_ok=True)
    conf = runtime / "nginx.conf"
    conf.write_text(
        nginx_conf.render(
            server_name=server_name, app=f"127.0.0.1:{app_port}", runtime=runtime,
            listen=f"127.0.0.1:{port}", cache_status_header=True, workers=workers,
        )
    )  # fmt: skip
    command = [program, "-c", str(conf), "-p", f"{runtime}/", "-g", "daemon off;"]
    with (runtime / "stderr.log").open("wb") as stderr:
        process = subprocess.Popen(
            wrap(command), stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=stderr
        )
    proxy = Proxy(process, runtime, port)
    if wait_until_up(f"{proxy.url}/healthz", process, timeout=15):
        return proxy
    proxy.stop()
    raise RuntimeError(f"nginx did not answer on port {port}: {proxy.log() or 'no log'}")
