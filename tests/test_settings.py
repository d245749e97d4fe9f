"""Settings come from the environment; a bad value stops start-up with a message naming it."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

from config import env

ROOT = Path(__file__).resolve().parent.parent


def run_with(tmp_path, args, **variables):
    environment = {
        key: value
        for key, value in os.environ.items()
        if key
        not in {"DEBUG", "SECRET_KEY", "ALLOWED_HOSTS", "DATABASE_URL", "CACHE_URL", "SITE_URL"}
    }
    environment["DATABASE_URL"] = f"sqlite:///{tmp_path / 'db.sqlite3'}"
    environment.update(variables)
    return subprocess.run(
        [sys.executable, *args], cwd=ROOT, env=environment, capture_output=True, text=True,
        timeout=60, check=False,
    )  # fmt: skip


@pytest.mark.parametrize(
    ("variable", "value"),
    [
        ("DEBUG", "maybe"),
        ("BEHIND_TLS", "sometimes"),
        ("DATABASE_URL", "not a url"),
        ("DATABASE_URL", "mysql://user@host/db"),
        ("DATABASE_URL", "postgres://user@host:notaport/db"),
        ("CACHE_URL", "memcached://127.0.0.1:11211"),
        ("SECRET_KEY", "short"),
        ("ALLOWED_HOSTS", " , "),
        ("SITE_URL", "guide.example.com"),
        ("SITE_URL", "ftp://guide.example.com"),
        ("SITE_URL", "https://guide.example.com/path/"),
        ("SITE_URL", "https://guide.example.com:notaport"),
        ("TRUSTED_PROXIES", "10.0.0.2, proxy.internal"),
    ],
)
def test_bad_variable_stops_manage_py_naming_it(tmp_path, variable, value):
    result = run_with(tmp_path, ["manage.py", "check"], **{variable: value})
    assert result.returncode != 0
    assert variable in result.stderr
    assert "Traceback" not in result.stderr


def test_bad_variable_stops_the_wsgi_app_naming_it(tmp_path):
    result = run_with(tmp_path, ["-c", "import config.wsgi"], DEBUG="maybe")
    assert result.returncode != 0
    assert "DEBUG" in result.stderr
    assert "Traceback" not in result.stderr


def test_defaults_need_no_variable(tmp_path):
    result = run_with(tmp_path, ["manage.py", "check"])
    assert result.returncode == 0, result.stderr


@pytest.mark.parametrize(
    ("raw", "expected"), [("1", True), ("TRUE", True), ("on", True), ("0", False), ("no", False)]
)
def test_booleans(monkeypatch, raw, expected):
    monkeypatch.setenv("DEBUG", raw)
    assert env.get_bool("DEBUG", default=not expected) is expected


def test_boolean_default_when_unset(monkeypatch):
    monkeypatch.delenv("DEBUG", raising=False)
    assert env.get_bool("DEBUG", default=False) is False


def test_allowed_hosts_from_a_list(monkeypatch):
    monkeypatch.setenv("ALLOWED_HOSTS", "example.com, www.example.com")
    assert env.get_list("ALLOWED_HOSTS", default=[]) == ["example.com", "www.example.com"]


def test_secret_key_generated_once_then_reused(monkeypatch, tmp_path):
    monkeypatch.delenv("SECRET_KEY", raising=False)
    key_file = tmp_path / "var" / "secret_key"
    first = env.get_secret_key("SECRET_KEY", key_file)
    assert len(first) >= 50
    assert key_file.stat().st_mode & 0o777 == 0o600
    assert env.get_secret_key("SECRET_KEY", key_file) == first


def test_secret_key_from_environment_wins(monkeypatch, tmp_path):
    monkeypatch.setenv("SECRET_KEY", "k" * 40)
    assert env.get_secret_key("SECRET_KEY", tmp_path / "unused") == "k" * 40
    assert not (tmp_path / "unused").exists()


def test_sqlite_is_the_default_database(monkeypatch, tmp_path):
    monkeypatch.delenv("DATABASE_URL", raising=False)
    config = env.get_database("DATABASE_URL", default=f"sqlite:///{tmp_path / 'db.sqlite3'}")
    assert config["ENGINE"] == "django.db.backends.sqlite3"
    assert config["NAME"] == str(tmp_path / "db.sqlite3")


def test_postgres_url_is_accepted(monkeypatch):
    monkeypatch.setenv("DATABASE_URL", "postgres://app:secret@127.0.0.1:5433/app")
    config = env.get_database("DATABASE_URL", default="sqlite:///unused")
    assert config["ENGINE"] == "django.db.backends.postgresql"
    assert (config["HOST"], config["PORT"], config["NAME"]) == ("127.0.0.1", 5433, "app")
    assert config["CONN_HEALTH_CHECKS"] is True
    assert config["CONN_MAX_AGE"] > 0


def test_cache_defaults_to_files_every_worker_shares(monkeypatch, tmp_path):
    monkeypatch.delenv("CACHE_URL", raising=False)
    config = env.get_cache("CACHE_URL", tmp_path / "cache")
    assert config["BACKEND"].endswith("FileBasedCache")
    assert config["LOCATION"] == str(tmp_path / "cache")


def test_cache_in_files_of_another_folder(monkeypatch, tmp_path):
    monkeypatch.setenv("CACHE_URL", f"file://{tmp_path / 'pages'}")
    config = env.get_cache("CACHE_URL", tmp_path / "cache")
    assert config["BACKEND"].endswith("FileBasedCache")
    assert config["LOCATION"] == str(tmp_path / "pages")


@pytest.mark.parametrize("url", ["file://relative/folder", "file://host/folder"])
def test_cache_folder_must_be_an_absolute_local_path(monkeypatch, tmp_path, url):
    monkeypatch.setenv("CACHE_URL", url)
    with pytest.raises(env.EnvError, match="CACHE_URL"):
        env.get_cache("CACHE_URL", tmp_path)


def test_cache_in_one_processs_memory_is_a_choice(monkeypatch, tmp_path):
    monkeypatch.setenv("CACHE_URL", "locmem://")
    assert env.get_cache("CACHE_URL", tmp_path)["BACKEND"].endswith("LocMemCache")


def test_redis_cache_url_is_accepted(monkeypatch, tmp_path):
    monkeypatch.setenv("CACHE_URL", "redis://127.0.0.1:6379/1")
    config = env.get_cache("CACHE_URL", tmp_path)
    assert config["BACKEND"] == "django.core.cache.backends.redis.RedisCache"
    assert config["LOCATION"] == "redis://127.0.0.1:6379/1"


def test_behind_tls_turns_on_https_settings(tmp_path):
    code = (
        "from django.conf import settings as s; "
        "print(s.SECURE_SSL_REDIRECT, s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, "
        "s.SECURE_HSTS_SECONDS > 0, s.SECURE_PROXY_SSL_HEADER[0])"
    )
    result = run_with(
        tmp_path, ["-c", f"import django; django.setup(); {code}"],
        BEHIND_TLS="true", DJANGO_SETTINGS_MODULE="config.settings",
    )  # fmt: skip
    assert result.stdout.split() == ["True", "True", "True", "True", "HTTP_X_FORWARDED_PROTO"]


def test_debug_is_off_by_default(tmp_path):
    result = run_with(
        tmp_path, ["-c", "import django; django.setup(); from django.conf import settings; "
                   "print(settings.DEBUG, settings.ALLOWED_HOSTS)"],
        DJANGO_SETTINGS_MODULE="config.settings",
    )  # fmt: skip
    assert result.stdout.strip() == "False ['localhost', '127.0.0.1', '[::1]']"


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("https://Guide.Example.com/", "https://guide.example.com"),
        ("http://127.0.0.1:9000", "http://127.0.0.1:9000"),
    ],
)
def test_site_url_is_kept_as_scheme_and_host_without_a_trailing_slash(monkeypatch, raw, expected):
    monkeypatch.setenv("SITE_URL", raw)
    assert env.get_site_url("SITE_URL", default="http://x") == expected


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        (None, ""),
        ("", ""),
        ("https://github.com/o/r/blob/abc/", "https://github.com/o/r/blob/abc"),
    ],
)
def test_source_url_is_optional_and_kept_without_a_trailing_slash(monkeypatch, raw, expected):
    if raw is None:
        monkeypatch.delenv("SOURCE_URL", raising=False)
    else:
        monkeypatch.setenv("SOURCE_URL", raw)
    assert env.get_base_url("SOURCE_URL") == expected


@pytest.mark.parametrize(
    "raw", ["github.com/o/r", "javascript:alert(1)", "https://x/y?z=1", "https://u@x/y"]
)
def test_a_bad_source_url_names_the_variable(monkeypatch, raw):
    monkeypatch.setenv("SOURCE_URL", raw)
    with pytest.raises(env.EnvError, match="SOURCE_URL"):
        env.get_base_url("SOURCE_URL")


def test_trusted_proxies_read_addresses_and_networks(monkeypatch):
    monkeypatch.setenv("TRUSTED_PROXIES", "10.0.0.2, 192.168.0.0/16,::1")
    assert [str(n) for n in env.get_networks("TRUSTED_PROXIES")] == [
        "10.0.0.2/32",
        "192.168.0.0/16",
        "::1/128",
    ]
