"""Serve the site as `make run` does, for the measuring scripts (make bench, make audit)."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Callable
from pathlib import Path

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
