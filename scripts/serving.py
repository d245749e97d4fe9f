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
               f"127.0.0.1:{port}", "--workers", workers]  # fmt: skip
    server = subprocess.Popen(
        wrap(command), cwd=ROOT, env={**os.environ, **(environment or {})},
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    for _ in range(150):
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=1):
                return server
        except OSError:
            time.sleep(0.2)
    server.terminate()
    sys.exit("The server did not start (try `make run`).")
