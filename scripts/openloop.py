"""Latency at a fixed request rate, for `make framework-bench`: an open-loop HTTP/1.1 client.

wrk measures the most a server answers; it sends the next request only when an answer comes
back, so a server that stalls is sent less, and the requests that would have waited are never
counted (coordinated omission). wrk2 fixes that with a fixed rate, but it is not packaged here.
This client issues requests on a fixed schedule instead: request i is due at start + i / rate,
whatever the server does, and its latency is counted from the moment it was due, not the
moment it was sent. A request that waits for a free connection, or for the client itself,
waits on the clock. Connections are kept alive and reused; a new one is opened only when every
open one is busy (up to --connections).

The client is Python (asyncio, the standard library only): it is honest at modest rates, a
few thousand requests a second at most on one core. How late it sent its requests is reported
too (`late_p99_ms`): when that is not small next to the latencies, the rate is too high for it.

    python scripts/openloop.py URL --rate 500 --seconds 3 [--method POST --body '{"text": "x"}'
        --header 'Content-Type: application/json'] [--connections 64]

Prints one line of JSON: the rate asked for, the requests due and answered, the errors
(anything but a 2xx answer, a broken connection, or no answer in time), and p50, p99 and the
largest latency in milliseconds. `parse` reads it back.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import math
import sys
import time
from dataclasses import dataclass
from urllib.parse import urlsplit

ANSWER_TIMEOUT = 10.0  # seconds after its due time that a request may take before it fails


class OpenLoopError(Exception):
    """The client's output cannot be read, or the client failed."""


@dataclass(frozen=True)
class Result:
    rate: float  # requests a second asked for
    due: int  # requests scheduled
    answered: int  # 2xx answers
    errors: int
    p50_ms: float
    p99_ms: float
    max_ms: float
    late_p99_ms: float  # how late the client itself sent its requests (p99)

    @property
    def achieved(self) -> float:
        """The answered requests a second over the schedule's length."""
        seconds = self.due / self.rate if self.rate else 0
        return self.answered / seconds if seconds else 0.0


def percentile(values: list[float], share: float) -> float:
    """The nearest-rank percentile of sorted values (0 for none)."""
    if not values:
        return 0.0
    index = max(0, math.ceil(share * len(values)) - 1)
    return values[min(index, len(values) - 1)]


def parse(output: str) -> Result:
    """The line the client prints, read back."""
    lines = [line for line in output.strip().splitlines() if line.startswith("{")]
    if not lines:
        raise OpenLoopError("openloop: no result line in its output")
    try:
        data = json.loads(lines[-1])
        return Result(
            rate=float(data["rate"]),
            due=int(data["due"]),
            answered=int(data["answered"]),
            errors=int(data["errors"]),
            p50_ms=float(data["p50_ms"]),
            p99_ms=float(data["p99_ms"]),
            max_ms=float(data["max_ms"]),
            late_p99_ms=float(data["late_p99_ms"]),
        )
    except (ValueError, KeyError, TypeError) as error:
        raise OpenLoopError(f"openloop: cannot read its result ({error})") from error


# --- the client ---------------------------------------------------------------------------------


class Connection:
    def __init__(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self.reader, self.writer = reader, writer

    def close(self) -> None:
        self.writer.close()


async def read_answer(reader: asyncio.StreamReader) -> tuple[int, bool]:
    """One HTTP/1.1 answer: its status, and whether the connection may be reused."""
    status_line = await reader.readline()
    parts = status_line.split(b" ", 2)
    if len(parts) < 2 or not parts[0].startswith(b"HTTP/"):
        raise ConnectionError(f"not an HTTP answer: {status_line[:40]!r}")
    status = int(parts[1])
    length, chunked, keep = None, False, parts[0] == b"HTTP/1.1"
    while True:
        line = await reader.readline()
        if line in (b"\r\n", b"\n", b""):
            break
        name, _, value = line.partition(b":")
        name, value = name.strip().lower(), value.strip().lower()
        if name == b"content-length":
            length = int(value)
        elif name == b"transfer-encoding" and b"chunked" in value:
            chunked = True
        elif name == b"connection":
            keep = value != b"close"
    if chunked:
        while True:
            size = int((await reader.readline()).split(b";")[0], 16)
            await reader.readexactly(size + 2)
            if size == 0:
                break
    elif length is not None:
        await reader.readexactly(length)
    else:  # the body runs to the end of the connection
        await reader.read()
        keep = False
    return status, keep


class Client:
    def __init__(self, url: str, *, method: str, body: bytes, headers: dict[str, str],
                 connections: int) -> None:  # fmt: skip
        parts = urlsplit(url)
        self.host, self.port = parts.hostname or "127.0.0.1", parts.port or 80
        path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
        lines = [f"{method} {path} HTTP/1.1", f"Host: {parts.netloc}"]
        lines += [f"{name}: {value}" for name, value in headers.items()]
        if body or method in ("POST", "PUT", "PATCH"):
            lines.append(f"Content-Length: {len(body)}")
        self.request = ("\r\n".join(lines) + "\r\n\r\n").encode() + body
        self.idle: list[Connection] = []
        self.open = 0
        self.limit = connections
        self.freed = asyncio.Condition()

    async def connection(self) -> Connection:
        async with self.freed:
            while not self.idle and self.open >= self.limit:
                await self.freed.wait()
            if self.idle:
                return self.idle.pop()
            self.open += 1
        try:
            return Connection(*await asyncio.open_connection(self.host, self.port))
        except OSError:
            await self.release(None)
            raise

    async def release(self, connection: Connection | None) -> None:
        async with self.freed:
            if connection is None:
                self.open -= 1
            else:
                self.idle.append(connection)
            self.freed.notify()

    async def one(self) -> bool:
        """One request on a kept-alive connection; whether it was answered with a 2xx."""
        try:
            connection = await self.connection()
        except OSError:
            return False
        try:
            connection.writer.write(self.request)
            await connection.writer.drain()
            status, keep = await read_answer(connection.reader)
        except (OSError, ValueError, asyncio.IncompleteReadError):
            connection.close()
            await self.release(None)
            return False
        if keep:
            await self.release(connection)
        else:
            connection.close()
            await self.release(None)
        return 200 <= status < 300


async def run(url: str, *, rate: float, seconds: float, method: str = "GET", body: bytes = b"",
              headers: dict[str, str] | None = None, connections: int = 64) -> dict:  # fmt: skip
    client = Client(url, method=method, body=body, headers=headers or {}, connections=connections)
    due = max(1, round(rate * seconds))
    latencies: list[float] = []
    late: list[float] = []
    errors = 0

    async def timed(scheduled: float) -> None:
        nonlocal errors
        late.append(time.monotonic() - scheduled)
        try:
            ok = await asyncio.wait_for(client.one(), ANSWER_TIMEOUT)
        except TimeoutError:
            ok = False
        if ok:
            latencies.append(time.monotonic() - scheduled)
        else:
            errors += 1

    start = time.monotonic() + 0.05
    tasks = []
    for number in range(due):
        scheduled = start + number / rate
        await asyncio.sleep(max(0.0, scheduled - time.monotonic()))  # yields when late too
        tasks.append(asyncio.create_task(timed(scheduled)))
    await asyncio.gather(*tasks)
    for connection in client.idle:
        connection.close()
    latencies.sort()
    late.sort()
    return {
        "rate": rate,
        "due": due,
        "answered": len(latencies),
        "errors": errors,
        "p50_ms": round(percentile(latencies, 0.50) * 1000, 3),
        "p99_ms": round(percentile(latencies, 0.99) * 1000, 3),
        "max_ms": round((latencies[-1] if latencies else 0) * 1000, 3),
        "late_p99_ms": round(percentile(late, 0.99) * 1000, 3),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("url")
    parser.add_argument("--rate", type=float, required=True, help="requests a second")
    parser.add_argument("--seconds", type=float, required=True)
    parser.add_argument("--method", default="GET")
    parser.add_argument("--body", default="")
    parser.add_argument("--header", action="append", default=[], help="'Name: value'")
    parser.add_argument("--connections", type=int, default=64)
    args = parser.parse_args(argv)
    if args.rate <= 0 or args.seconds <= 0 or args.connections < 1:
        parser.error("--rate, --seconds and --connections must be more than 0")
    headers = dict(header.split(":", 1) for header in args.header)
    headers = {name.strip(): value.strip() for name, value in headers.items()}
    result = asyncio.run(
        run(args.url, rate=args.rate, seconds=args.seconds, method=args.method,
            body=args.body.encode(), headers=headers, connections=args.connections)
    )  # fmt: skip
    print(json.dumps(result), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
