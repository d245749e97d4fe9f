"""`make bench` (scripts/bench.py) without a server: what it counts against the byte budget,
and that wrk is asked with the headers a browser sends."""

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "scripts"))  # the scripts import each other by name
import bench  # noqa: E402
import wrk  # noqa: E402

WRK_OUTPUT = ROOT / "tests" / "data" / "wrk" / "hello.txt"  # wrk's own output, saved

CSS = bench.Wire("stylesheet", "/static/css/site.css", 8_000, 2_000, "br")


def test_pages_within_the_budget_pass():
    rows = [CSS, bench.Wire("home", "/", 5_000, 1_500, "br")]
    assert bench.report_wire(rows) == []


def test_an_html_page_counts_its_stylesheet():
    rows = [CSS, bench.Wire("compare", "/compare/", 60_000, 13_000, "br")]  # 13,000 + 2,000
    (problem,) = bench.report_wire(rows)
    assert problem.startswith("compare (/compare/): 15,000 B on the wire")


def test_a_document_counts_alone():
    rows = [CSS, bench.Wire("data-json", "/data/comparison.json", 60_000, 13_000, "br")]
    assert bench.report_wire(rows) == []


def test_a_document_over_the_budget_is_named():
    rows = [CSS, bench.Wire("data-json", "/data/comparison.json", 90_000, 15_000, "gzip")]
    (problem,) = bench.report_wire(rows)
    assert "data-json" in problem


def test_wrk_sends_the_headers_it_is_given(monkeypatch):
    seen = {}
    sample = WRK_OUTPUT.read_text()

    def fake_run(command, **kwargs):
        seen["command"] = command
        return subprocess.CompletedProcess(command, 0, stdout=sample, stderr="")

    monkeypatch.setattr(subprocess, "run", fake_run)
    wrk.run("http://127.0.0.1:1/", seconds=1, connections=1, headers=bench.BROWSER)
    command = seen["command"]
    assert command[command.index("-H") + 1] == "Accept-Encoding: br, gzip"
    assert command[-1] == "http://127.0.0.1:1/"


BUSY_WORKER = (
    "import time\n"
    "end = time.process_time() + 0.5\n"
    "while time.process_time() < end: pass\n"
    "print('done', flush=True)\n"
    "time.sleep(60)\n"
)


def test_the_cpu_a_server_spends_counts_its_workers():
    """A server's process that starts a worker, which computes for half a second: the CPU
    counted for the server includes the worker's, and nothing of this test's own process."""
    server = (
        "import subprocess, sys\n"
        f"worker = subprocess.Popen([sys.executable, '-c', {BUSY_WORKER!r}])\n"
        "sys.stdin.readline()\n"  # until the test has counted
        "worker.kill()\n"
    )
    master = subprocess.Popen([sys.executable, "-c", server], stdin=subprocess.PIPE,
                              stdout=subprocess.PIPE, text=True)  # fmt: skip
    try:
        assert master.stdout.readline().strip() == "done"  # the worker's, through the pipe
        assert 0.45 <= bench.cpu_seconds([master.pid]) < 1.5
    finally:
        master.communicate("\n", timeout=10)


def test_a_process_named_in_bytes_that_are_not_text_is_read_all_the_same():
    """Any process on the machine may name itself in any bytes: reading the servers' CPU
    reads every process's line, and must not stop at that one."""
    oddly_named = subprocess.Popen(
        [sys.executable, "-c", "open('/proc/self/comm', 'wb').write(b'\\xff\\xfeodd')\n"
         "print('named', flush=True)\nimport sys; sys.stdin.readline()"],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True,
    )  # fmt: skip
    try:
        assert oddly_named.stdout.readline().strip() == "named"
        assert bench.cpu_seconds([oddly_named.pid]) >= 0
    finally:
        oddly_named.communicate("\n", timeout=10)


def test_a_load_too_short_for_the_cpu_clock_is_not_measured_rather_than_zero(capsys):
    static = bench.Load("static", "/static/site.css", 80_000, "0.1ms", "1ms", 0, 0.0)
    page = bench.Load("home", "/", 60_000, "0.1ms", "1ms", 0, 0.0)
    bench.report_loads([(static, page)], "a made-up run", 0.8)
    printed = capsys.readouterr().out
    assert " n/a " in printed
    assert "by the servers' CPU per request: not measured" in printed
