"""Write the nginx configuration of a deployment from deploy/nginx.conf.in.

    .venv/bin/python scripts/nginx_conf.py --server-name guide.example.com \\
        --app 127.0.0.1:8000 --runtime /srv/fg/var/nginx --user www-data \\
        [--listen 80] [--tls-certificate CERT --tls-key KEY] [--static-root DIR]
        [--workers N] [--cache-status-header] [-o FILE]

Each @WORD@ of the template is replaced by its value; a value that could break out of its
directive (a space, a semicolon, a brace, a quote) is refused, and so is a template word
left without a value. The standard library only: the tests and `make bench-proxy` render
it too (tests/servers/test_proxy.py, scripts/bench.py).
"""

from __future__ import annotations

import argparse
import getpass
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TEMPLATE = ROOT / "deploy" / "nginx.conf.in"
STATIC_ROOT = ROOT / "var" / "staticfiles"
WORD = re.compile(r"@([A-Z_]+)@")
# What one value may hold: a name, an address, a path. Nothing nginx reads as syntax.
SAFE = re.compile(r"[A-Za-z0-9_.:/\[\]@+-]+")


class ConfigError(ValueError):
    """A value the configuration cannot take."""


def _safe(name: str, value: str) -> str:
    if not SAFE.fullmatch(value):
        raise ConfigError(f"{name}: {value!r} is not a plain name, address or path")
    return value


def render(
    *,
    server_name: str,
    app: str,
    runtime: Path,
    listen: str = "80",
    user: str | None = None,
    static_root: Path = STATIC_ROOT,
    tls_certificate: Path | None = None,
    tls_key: Path | None = None,
    cache_status_header: bool = False,
    workers: str = "auto",
    template: Path = TEMPLATE,
) -> str:
    """The configuration, with these values. ``app`` is gunicorn's host:port; paths are made
    absolute (nginx would read relative ones from its prefix). ``cache_status_header`` adds
    X-Proxy-Cache (how nginx answered) to the pages it caches: off unless asked for, since it
    tells any reader whether someone else asked for the same page a moment ago. ``workers``:
    nginx's worker processes, ``auto`` (one per core) or a number."""
    if (tls_certificate is None) != (tls_key is None):
        raise ConfigError("TLS needs both --tls-certificate and --tls-key")
    tls = ""
    if tls_certificate is not None and tls_key is not None:
        tls = "\n        ".join(
            [
                "listen 443 ssl http2;",
                f"ssl_certificate {_safe('tls-certificate', str(tls_certificate.resolve()))};",
                f"ssl_certificate_key {_safe('tls-key', str(tls_key.resolve()))};",
                "ssl_protocols TLSv1.2 TLSv1.3;",
                "ssl_session_cache shared:tls:10m;",
                "ssl_session_timeout 1d;",
                "ssl_session_tickets off;",
            ]
        )
    if app.startswith("unix:"):
        raise ConfigError(
            "app: gunicorn on a loopback port (127.0.0.1:8000), not a UNIX socket: the site "
            "counts readers by address, and a UNIX socket's peer has none"
        )
    if workers != "auto" and not (workers.isascii() and workers.isdigit() and int(workers) > 0):
        raise ConfigError(f"workers: {workers!r} is neither auto nor a number of processes")
    values = {
        "WORKERS": workers,
        "USER": _safe("user", user or getpass.getuser()),
        "RUNTIME": _safe("runtime", str(runtime.resolve())),
        "LISTEN": _safe("listen", listen),
        "TLS": tls,
        "SERVER_NAME": _safe("server-name", server_name.lower()),
        "APP": _safe("app", app),
        "STATIC_ROOT": _safe("static-root", str(static_root.resolve())),
        "CACHE_STATUS": (
            "add_header X-Proxy-Cache $upstream_cache_status always;"
            if cache_status_header
            else "# (X-Proxy-Cache off)"
        ),
    }

    def value(match: re.Match) -> str:
        if match[1] not in values:
            raise ConfigError(f"{template.name}: no value for @{match[1]}@")
        return values[match[1]]

    header = f"# Written by scripts/nginx_conf.py from {template.name}: edit that, not this.\n"
    return header + WORD.sub(value, template.read_text())


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--server-name", required=True, help="the site's name (SITE_URL's host)")
    parser.add_argument("--app", default="127.0.0.1:8000", help="gunicorn's host:port")
    parser.add_argument("--runtime", type=Path, default=ROOT / "var" / "nginx",
                        help="nginx's folder: pid, logs, temporary files, cache")  # fmt: skip
    parser.add_argument("--listen", default="80", help="the plain HTTP listen address or port")
    parser.add_argument("--user", default=None, help="the workers' user (default: yours)")
    parser.add_argument("--static-root", type=Path, default=STATIC_ROOT)
    parser.add_argument("--tls-certificate", type=Path)
    parser.add_argument("--tls-key", type=Path)
    parser.add_argument("--workers", default="auto", help="worker processes (default: auto)")
    parser.add_argument(
        "--cache-status-header", action="store_true", help="X-Proxy-Cache: HIT, MISS... on pages"
    )
    parser.add_argument("-o", "--output", type=Path, help="the file to write (default: stdout)")
    args = parser.parse_args(argv)
    try:
        text = render(
            server_name=args.server_name, app=args.app, runtime=args.runtime,
            listen=args.listen, user=args.user, static_root=args.static_root,
            tls_certificate=args.tls_certificate, tls_key=args.tls_key,
            cache_status_header=args.cache_status_header, workers=args.workers,
        )  # fmt: skip
    except ConfigError as error:
        print(f"nginx_conf: {error}", file=sys.stderr)
        return 2
    if args.output:
        args.output.parent.mkdir(parents=True, exist_ok=True)
        args.output.write_text(text)
    else:
        sys.stdout.write(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
