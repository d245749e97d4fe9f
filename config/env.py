"""Typed readers for the settings that come from the environment.

A bad value raises ``EnvError`` with a message that names the variable, so that start-up stops
with one clear line (see ``manage.py`` and ``config/wsgi.py``) instead of a traceback from deep
inside Django.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from django.core.exceptions import ImproperlyConfigured

if TYPE_CHECKING:
    from dj_database_url import DBConfig

TRUE = {"1", "true", "yes", "on"}
FALSE = {"0", "false", "no", "off", ""}


class EnvError(ImproperlyConfigured):
    """A setting read from the environment has a value we cannot use."""


def get_bool(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None:
        return default
    value = raw.strip().lower()
    if value in TRUE:
        return True
    if value in FALSE:
        return False
    raise EnvError(f"{name} must be true or false (1/0, yes/no, on/off), not {raw!r}.")


def get_list(name: str, default: list[str]) -> list[str]:
    raw = os.environ.get(name)
    if raw is None:
        return default
    items = [item.strip() for item in raw.split(",") if item.strip()]
    if not items:
        raise EnvError(f"{name} must be a comma-separated list with at least one entry.")
    return items


def get_secret_key(name: str, key_file: Path) -> str:
    """The secret key from the environment, else from ``key_file``, made on first use."""
    raw = os.environ.get(name)
    if raw is not None:
        if len(raw.strip()) < 32:
            raise EnvError(f"{name} must be at least 32 characters long.")
        return raw.strip()
    try:
        return key_file.read_text().strip()
    except FileNotFoundError:
        pass
    from django.core.management.utils import get_random_secret_key

    key_file.parent.mkdir(parents=True, exist_ok=True)
    try:
        # O_EXCL: when several processes start at once, one writes and the others read.
        fd = os.open(key_file, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return key_file.read_text().strip()
    with os.fdopen(fd, "w") as handle:
        handle.write(get_random_secret_key() + "\n")
    return key_file.read_text().strip()


DATABASE_SCHEMES = {"sqlite", "postgres", "postgresql", "pgsql"}


def get_database(name: str, default: str) -> DBConfig:
    import dj_database_url

    raw = os.environ.get(name) or default
    scheme = urlsplit(raw).scheme
    if scheme not in DATABASE_SCHEMES:
        raise EnvError(
            f"{name} must be a sqlite:/// or postgres:// URL, not {raw!r} "
            "(e.g. postgres://user:password@127.0.0.1:5432/dbname)."
        )
    try:
        config = dj_database_url.parse(raw, conn_max_age=600, conn_health_checks=True)
    except ValueError as exc:
        raise EnvError(f"{name} could not be parsed ({exc}).") from exc
    if not config.get("NAME"):
        raise EnvError(f"{name} must name a database (the path after the host), got {raw!r}.")
    if scheme == "sqlite":
        # Two editors saving at once: a write waits up to 20 s for the other's lock (the
        # admin tries a save that still meets a lock once more, core.admin.NoLostUpdate).
        config.setdefault("OPTIONS", {}).update(timeout=20)
    return config


def get_cache(name: str, folder: Path) -> dict:
    """The page cache. Unset: files in ``folder``, which every worker of one machine shares
    (``make run``); file:///another/folder likewise, elsewhere (a second site on the machine,
    the proxy's tests); locmem:// is one process's own (the tests); redis:// is shared by
    every app server."""
    raw = os.environ.get(name, "").strip()
    parts = urlsplit(raw)
    if not raw or (parts.scheme == "file" and not parts.netloc and parts.path.startswith("/")):
        return {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": parts.path if raw else str(folder),
            "OPTIONS": {"MAX_ENTRIES": 2000},
        }
    if raw == "locmem://":
        return {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    scheme = parts.scheme
    if scheme == "dummy":
        return {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}
    if scheme in {"redis", "rediss"} and urlsplit(raw).hostname:
        return {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": raw,
            "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
        }
    raise EnvError(
        f"{name} must be empty (files in var/cache), file:///folder, locmem://, dummy:// or "
        f"redis://host:port/db, not {raw!r}."
    )


def get_site_url(name: str, default: str) -> str:
    """The site's public address, scheme and host (and port), without a trailing slash."""
    raw = os.environ.get(name) or default
    parts = urlsplit(raw.strip())
    if parts.scheme not in {"http", "https"} or not parts.hostname:
        raise EnvError(f"{name} must be an http:// or https:// address, not {raw!r}.")
    if parts.path not in {"", "/"} or parts.query or parts.fragment or parts.username:
        raise EnvError(
            f"{name} must be the site's address only, such as https://guide.example.com, "
            f"not {raw!r}."
        )
    try:
        parts.port  # noqa: B018 -- raises ValueError for a bad port
    except ValueError as exc:
        raise EnvError(f"{name} has a bad port: {raw!r}.") from exc
    return f"{parts.scheme}://{parts.netloc.lower()}"


def get_base_url(name: str, default: str = "") -> str:
    """An optional http(s) address with a path, such as a repository's file browser
    (https://github.com/owner/repo/blob/main), without a trailing slash; "" when unset."""
    raw = (os.environ.get(name) or default).strip()
    if not raw:
        return ""
    parts = urlsplit(raw)
    if parts.scheme not in {"http", "https"} or not parts.hostname:
        raise EnvError(f"{name} must be an http:// or https:// address, not {raw!r}.")
    if parts.query or parts.fragment or parts.username:
        raise EnvError(f"{name} must be an address without a query, fragment or user: {raw!r}.")
    return raw.rstrip("/")


def get_networks(name: str) -> list:
    """A comma-separated list of IP addresses or networks (CIDR), e.g. 10.0.0.2,10.1.0.0/16;
    the word ``unix`` stands for a proxy on the UNIX socket the app server listens on (its
    requests have no client address of their own) and is kept as that word."""
    import ipaddress

    raw = os.environ.get(name, "")
    networks: list = []
    for item in (part.strip() for part in raw.split(",")):
        if not item:
            continue
        if item.lower() == "unix":
            networks.append("unix")
            continue
        try:
            networks.append(ipaddress.ip_network(item, strict=False))
        except ValueError as exc:
            raise EnvError(
                f"{name} must list IP addresses or networks (10.0.0.2, 10.0.0.0/24) or unix, "
                f"not {item!r}."
            ) from exc
    return networks
