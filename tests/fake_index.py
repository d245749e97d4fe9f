"""A package index on loopback for the tests: the JSON API's two pages, from the answers
recorded from PyPI (tests/data/pypi/), never the network.

- ``/pypi/<name>/json``: the recorded answer, or the bytes a test gives in ``answers``;
- ``/pypi/<name>/<version>/json``: the bytes a test gives in ``release_answers``, else made
  from the project's answer as PyPI makes it (that release's files as ``urls``, its
  ``info.version``, and the vulnerabilities a test lists in ``vulnerabilities``; none by
  default); 404 for a release the project's answer does not list.

``delay`` holds every answer back that many seconds.
"""

from __future__ import annotations

import http.server
import json
import sys
import threading
import time
from pathlib import Path

import pytest

RECORDED = Path(__file__).parent / "data" / "pypi"


def recorded(name: str) -> dict:
    return json.loads((RECORDED / f"{name}.json").read_text())


class Index(http.server.ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self):
        super().__init__(("127.0.0.1", 0), IndexHandler)
        self.answers: dict[str, bytes] = {}
        self.release_answers: dict[tuple[str, str], bytes] = {}
        self.vulnerabilities: dict[tuple[str, str], list] = {}
        self.delay = 0.0
        self.asked: list[str] = []

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}/pypi"

    def project(self, name: str) -> bytes | None:
        if name in self.answers:
            return self.answers[name]
        if (RECORDED / f"{name}.json").is_file():
            return (RECORDED / f"{name}.json").read_bytes()
        return None

    def release(self, name: str, version: str) -> bytes | None:
        if (name, version) in self.release_answers:
            return self.release_answers[(name, version)]
        project = self.project(name)
        try:
            data = json.loads(project) if project is not None else None
        except ValueError:
            return None
        if not isinstance(data, dict) or version not in data.get("releases", {}):
            return None
        info = dict(data.get("info", {}), version=version)
        answer = {
            "info": info,
            "urls": data["releases"][version],
            "vulnerabilities": self.vulnerabilities.get((name, version), []),
        }
        return json.dumps(answer).encode()

    def set_project(self, name: str, data: dict) -> None:
        self.answers[name] = json.dumps(data).encode()

    def handle_error(self, request, client_address):
        """A client that gave up (a test's timeout) is no error of the index's."""
        if not isinstance(sys.exc_info()[1], ConnectionError):
            super().handle_error(request, client_address)


class IndexHandler(http.server.BaseHTTPRequestHandler):
    server: Index

    def do_GET(self):
        self.server.asked.append(self.path)
        parts = self.path.strip("/").split("/")
        time.sleep(self.server.delay)
        body = None
        if len(parts) == 3 and parts[0] == "pypi" and parts[2] == "json":
            body = self.server.project(parts[1].lower())
        elif len(parts) == 4 and parts[0] == "pypi" and parts[3] == "json":
            body = self.server.release(parts[1].lower(), parts[2])
        if body is None:
            self.send_error(404)
            return
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


@pytest.fixture
def index():
    server = Index()
    thread = threading.Thread(target=server.serve_forever, args=(0.02,), daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()
