"""Loading a URL with wrk (Debian's `wrk`), for the measuring scripts (make bench, make
framework-bench): pinning to a core, running wrk, reading its output.

The standard library only.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from dataclasses import dataclass

# wrk prints times in these units (its `format_time_us`).
TIME_UNITS_MS = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60_000.0, "h": 3_600_000.0}
TIME = re.compile(r"^([\d.]+)(us|ms|s|m|h)$")


class WrkError(Exception):
    """wrk is missing, failed, or printed something we cannot read."""


@dataclass(frozen=True)
class Result:
    rate: float  # requests/s
    p50_ms: float
    p99_ms: float
    errors: int  # socket errors (connect, read, write, timeout) and non-2xx/3xx answers
    requests: int


def can_pin() -> bool:
    """Whether servers and wrk can each have a core: two cores or more, and taskset."""
    return (os.cpu_count() or 1) >= 2 and shutil.which("taskset") is not None


def pinned(core: int, command: list[str]) -> list[str]:
    """Run on one core when the machine has two or more and taskset exists."""
    if can_pin():
        return ["taskset", "-c", str(core), *command]
    return command


def milliseconds(text: str) -> float:
    """wrk's "812.00us", "8.37ms", "1.02s" in milliseconds."""
    match = TIME.match(text.strip())
    if not match:
        raise WrkError(f"wrk: cannot read the time {text!r}")
    return float(match[1]) * TIME_UNITS_MS[match[2]]


def parse(output: str) -> Result:
    """wrk's --latency output: requests/s, p50, p99, errors and the number of requests."""
    rate = re.search(r"^Requests/sec:\s+([\d.]+)", output, re.M)
    p50 = re.search(r"^\s+50(?:\.000)?%\s+(\S+)", output, re.M)
    p99 = re.search(r"^\s+99(?:\.000)?%\s+(\S+)", output, re.M)
    requests = re.search(r"^\s+(\d+) requests in ", output, re.M)
    if not (rate and p50 and p99 and requests):
        raise WrkError("wrk: no requests/s and latency distribution in its output (--latency?)")
    errors = sum(int(n) for n in re.findall(r"(?:connect|read|write|timeout) (\d+)", output))
    non2xx = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", output)
    errors += int(non2xx[1]) if non2xx else 0
    return Result(
        rate=float(rate[1]),
        p50_ms=milliseconds(p50[1]),
        p99_ms=milliseconds(p99[1]),
        errors=errors,
        requests=int(requests[1]),
    )


def run(
    url: str,
    *,
    seconds: int,
    connections: int,
    core: int = 1,
    headers: dict | None = None,
    script: str | None = None,
) -> Result:
    """One wrk run, one thread, pinned to `core` where the machine allows it, sending these
    request headers, with this Lua script (a POST's method and body) if given."""
    command = ["wrk", "-t1", f"-c{connections}", f"-d{seconds}s", "--latency"]
    for name, value in (headers or {}).items():
        command += ["-H", f"{name}: {value}"]
    if script:
        command += ["-s", script]
    command.append(url)
    try:
        done = subprocess.run(
            pinned(core, command), capture_output=True, text=True, check=False,
            timeout=seconds + 30,
        )  # fmt: skip
    except (OSError, subprocess.TimeoutExpired) as error:
        raise WrkError(f"wrk: {error}") from error
    if done.returncode:
        tail = (done.stderr or done.stdout).strip().splitlines()[-1:] or ["no output"]
        raise WrkError(f"wrk exited with {done.returncode}: {tail[0]}")
    return parse(done.stdout)


def version() -> str:
    """ "4.1.0" from "wrk debian/4.1.0-3+b2 [epoll] ..." (wrk -v prints it, then its usage)."""
    try:
        done = subprocess.run(["wrk", "-v"], capture_output=True, text=True, check=False)
    except OSError as error:
        raise WrkError(f"wrk: {error}") from error
    first = (done.stdout + done.stderr).strip().splitlines()[:1]
    match = re.search(r"wrk (?:\S+/)?(\d[\w.]*)", first[0]) if first else None
    return match[1] if match else "unknown"


def post_script(body: str, content_type: str = "application/json") -> str:
    """A Lua script that makes wrk POST this body (wrk's `-s`)."""
    quoted = body.replace("\\", "\\\\").replace("'", "\\'")
    return (
        'wrk.method = "POST"\n'
        f"wrk.body = '{quoted}'\n"
        f'wrk.headers["Content-Type"] = "{content_type}"\n'
    )
