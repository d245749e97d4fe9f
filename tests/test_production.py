"""The production path, in-process: headers, the page cache and its invalidation, faults."""

import logging
import os
import secrets
import subprocess
import sys
from pathlib import Path
from unittest import mock

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.db import OperationalError, connection
from django.test import Client
from django.urls import reverse
from reversion.models import Version

import core.cache
from comparisons.models import Framework, UseCase
from tests import factories
from tests.admin_forms import admin_url, change_url, read_form

ROOT = Path(__file__).resolve().parent.parent
FLASK = "/frameworks/flask/"


def page(client, url=FLASK):
    response = client.get(url)
    assert response.status_code == 200
    return response


def warm(client, url=FLASK) -> str:
    page(client, url)
    response = page(client, url)
    assert response["X-Page-Cache"] == "hit"
    return response.content.decode()


# --- security headers


@pytest.mark.parametrize("url", ["/", "/compare/", "admin:login"])
def test_security_headers_on_public_and_admin_pages(seeded, client, url):
    response = client.get(reverse(url) if url.startswith("admin:") else url)
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Frame-Options"] == "DENY"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"
    assert "camera=()" in response["Permissions-Policy"]
    policy = response["Content-Security-Policy"]
    assert "frame-ancestors 'none'" in policy
    assert "base-uri 'none'" in policy
    assert "unsafe-inline" not in policy
    assert "unsafe-eval" not in policy


def test_public_pages_may_run_no_script_at_all(seeded, client):
    policy = client.get("/").headers["Content-Security-Policy"]
    assert "default-src 'none'" in policy
    assert "script-src" not in policy  # falls back to default-src 'none'


def test_admin_may_run_only_its_own_scripts(seeded, client):
    policy = client.get(reverse("admin:login")).headers["Content-Security-Policy"]
    assert "script-src 'self'" in policy
    assert "connect-src 'self'" in policy  # the Markdown preview


def test_check_deploy_is_clean_with_production_settings(tmp_path):
    result = check_deploy(production_environment(tmp_path))
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def production_environment(tmp_path) -> dict:
    """This process's environment with a production site's settings."""
    return {
        **{k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"},
        "DEBUG": "false",
        "BEHIND_TLS": "true",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "guide.example.com",
        "SITE_URL": "https://guide.example.com",
        "TRUSTED_PROXIES": "10.0.0.2",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
    }


def check_deploy(environment: dict) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT, env=environment, capture_output=True, text=True, timeout=60, check=False,
    )  # fmt: skip


@pytest.mark.parametrize(
    ("variable", "value", "warning"),
    [
        ("TRUSTED_PROXIES", "", "core.E002"),
        ("TRUSTED_PROXIES", "0.0.0.0/0", "core.E001"),
        ("TRUSTED_PROXIES", "10.0.0.2, 8.0.0.0/8", "core.E001"),
        ("TRUSTED_PROXIES", "::/0", "core.E001"),
        ("SITE_URL", "http://guide.example.com", "core.W002"),
    ],
)
def test_check_deploy_fails_on_a_proxy_setting_left_out_or_too_wide(
    tmp_path, variable, value, warning
):
    environment = {**production_environment(tmp_path), variable: value}
    result = check_deploy(environment)
    assert result.returncode != 0
    assert warning in result.stderr + result.stdout


# --- the page cache


def test_second_request_is_served_from_the_cache_without_a_query(
    seeded, client, django_assert_num_queries
):
    first = page(client)
    assert first["X-Page-Cache"] == "miss"
    with django_assert_num_queries(0):  # the version: this process read it a moment ago
        second = page(client)
    assert second["X-Page-Cache"] == "hit"
    assert second.content == first.content
    assert second["Content-Type"] == first["Content-Type"]


def test_different_query_strings_are_different_pages(seeded, client):
    all_three = page(client, "/compare/").content
    two = page(client, "/compare/?fw=django&fw=flask").content
    assert all_three != two
    assert page(client, "/compare/?fw=django&fw=flask")["X-Page-Cache"] == "hit"


def test_a_save_shows_at_the_next_request(seeded, client):
    warm(client)
    flask = Framework.objects.get(slug="flask")
    flask.tagline = "Saved through the ORM."
    flask.save()
    assert "Saved through the ORM." in page(client).content.decode()


def edit_flask(editor_client, field: str, value: str) -> None:
    """Change one field of Flask's admin form (the framework's or an inline row's) and save."""
    flask = Framework.objects.get(slug="flask")
    data = read_form(editor_client.get(change_url(flask)), "framework_form")
    data[field] = value
    assert editor_client.post(change_url(flask), data).status_code == 302


def test_an_admin_save_shows_at_the_next_request(seeded, client, editor_client):
    warm(client)
    edit_flask(editor_client, "tagline", "Changed in the admin.")
    assert "Changed in the admin." in page(client).content.decode()


def test_an_inline_change_shows_at_the_next_request(seeded, client, editor_client):
    warm(client)
    edit_flask(editor_client, "pros-0-title", "A pro retitled inline")
    assert "A pro retitled inline" in page(client).content.decode()


def test_a_delete_shows_at_the_next_request(seeded, client, editor_client):
    use_case = UseCase.objects.filter(framework__slug="flask").first()
    assert use_case.title in warm(client)
    delete_url = admin_url(use_case, "delete", use_case.pk)
    assert editor_client.post(delete_url, {"post": "yes"}).status_code == 302
    assert use_case.title not in page(client).content.decode()


def test_a_history_restore_shows_at_the_next_request(seeded, client, editor_client):
    flask = Framework.objects.get(slug="flask")
    original = flask.tagline
    edit_flask(editor_client, "tagline", "To be undone.")
    assert "To be undone." in warm(client)
    version = Version.objects.get_for_object(flask).last()  # the seeded one
    url = admin_url(flask, "revision", flask.pk, version.pk)
    assert (
        editor_client.post(url, read_form(editor_client.get(url), "framework_form")).status_code
        == 302
    )
    restored = page(client).content.decode()
    assert original in restored
    assert "To be undone." not in restored


def test_a_seed_shows_at_the_next_request(empty_content, client):
    assert client.get(FLASK).status_code == 404  # empty database
    call_command("seed", verbosity=0)
    assert client.get(FLASK).status_code == 200


def test_conditional_get_with_the_etag_is_304(seeded, client):
    response = page(client)
    etag = response["ETag"]
    assert etag
    again = client.get(FLASK, headers={"If-None-Match": etag})
    assert again.status_code == 304
    assert again.content == b""
    assert again["ETag"] == etag


def test_conditional_get_with_last_modified_is_304(seeded, client):
    response = page(client)
    again = client.get(FLASK, headers={"If-Modified-Since": response["Last-Modified"]})
    assert again.status_code == 304


def test_an_edit_changes_the_etag(seeded, client):
    etag = page(client)["ETag"]
    flask = Framework.objects.get(slug="flask")
    flask.tagline = "New."
    flask.save()
    response = client.get(FLASK, headers={"If-None-Match": etag})
    assert response.status_code == 200
    assert response["ETag"] != etag


def test_pages_ask_browsers_to_revalidate(seeded, client):
    control = page(client)["Cache-Control"]
    assert "max-age=0" in control
    assert "must-revalidate" in control


def test_staff_pages_are_never_cached(seeded, editor_client, client):
    response = editor_client.get(FLASK)
    assert "X-Page-Cache" not in response
    assert page(client)["X-Page-Cache"] == "miss"  # readers do not get the staff render


def test_staff_preview_is_never_served_to_readers(seeded, editor_client, client):
    flask = Framework.objects.get(slug="flask")
    flask.is_published = False
    flask.save()
    preview = editor_client.get(FLASK)
    assert preview.status_code == 200
    assert "Draft preview" in preview.content.decode()
    assert client.get(FLASK).status_code == 404
    draft = factories.article(status="draft", slug="draft")
    assert editor_client.get(draft.get_absolute_url()).status_code == 200
    assert client.get(draft.get_absolute_url()).status_code == 404


def test_admin_and_healthz_are_not_cached(seeded, client):
    assert "X-Page-Cache" not in client.get(reverse("admin:login"))
    assert "X-Page-Cache" not in client.get("/healthz")


# --- faults


@pytest.fixture
def database_down():
    error = OperationalError("could not connect to server")
    with mock.patch.object(connection, "cursor", side_effect=error):
        yield


DOWN_URLS = ["/", FLASK, "/compare/", "/articles/django-flask-or-fastapi/"]


@pytest.mark.parametrize("url", DOWN_URLS)
def test_database_down_gives_the_plain_503_page_for_a_page_not_cached(seeded, url):
    client = Client(raise_request_exception=False)
    page(client, "/methodology/")  # the process knows the version; this page is not kept
    with mock.patch.object(connection, "cursor", side_effect=OperationalError("down")):
        response = client.get(url)
    assert response.status_code == 503
    body = response.content.decode()
    assert "Temporarily unavailable" in body
    assert "Traceback" not in body
    assert "OperationalError" not in body
    assert response["Retry-After"] == "30"


@pytest.mark.parametrize("url", DOWN_URLS)
def test_database_down_still_serves_a_cached_page(seeded, url):
    client = Client(raise_request_exception=False)
    cached = page(client, url)
    with mock.patch.object(connection, "cursor", side_effect=OperationalError("down")):
        response = client.get(url)
    assert response.status_code == 200
    assert response["X-Page-Cache"] == "hit"
    assert response.content == cached.content


@pytest.mark.parametrize("url", DOWN_URLS)
def test_database_down_with_the_generation_lost_serves_a_cached_page_marked_stale(seeded, url):
    client = Client(raise_request_exception=False)
    cached = page(client, url)
    cache.delete(core.cache.GENERATION_KEY)  # a new one would need the database
    with mock.patch.object(connection, "cursor", side_effect=OperationalError("down")):
        response = client.get(url)
    assert response.status_code == 200
    assert response["X-Page-Cache"] == "stale"
    assert response.content == cached.content


def test_database_down_before_any_generation_is_known_gives_503(seeded):
    client = Client(raise_request_exception=False)
    page(client, FLASK)
    core.cache._last_generation = None  # a process that has not read the generation yet,
    cache.delete(core.cache.GENERATION_KEY)  # nor found it in the cache
    with mock.patch.object(connection, "cursor", side_effect=OperationalError("down")):
        assert client.get(FLASK).status_code == 503


def test_healthz_is_503_while_the_database_is_down(seeded, client, database_down):
    assert client.get("/healthz").status_code == 503


def test_pages_recover_when_the_database_comes_back(seeded):
    client = Client(raise_request_exception=False)
    with mock.patch.object(connection, "cursor", side_effect=OperationalError("down")):
        assert client.get(FLASK).status_code == 503
    assert client.get(FLASK).status_code == 200
    assert client.get("/healthz").status_code == 200


def test_other_errors_still_give_the_500_page(seeded):
    client = Client(raise_request_exception=False)
    with mock.patch("comparisons.views.render", side_effect=RuntimeError("bug")):
        response = client.get(FLASK)
    assert response.status_code == 500
    assert "Something went wrong" in response.content.decode()


REDIS_DOWN = {
    "default": {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": "redis://127.0.0.1:9/0",  # the discard port: nothing listens
        "OPTIONS": {"socket_connect_timeout": 0.2, "socket_timeout": 0.2},
    }
}


def test_redis_down_pages_are_served_uncached_and_the_error_logged(seeded, settings, caplog):
    settings.CACHES = REDIS_DOWN
    with caplog.at_level(logging.ERROR, logger="framework_guide.cache"):
        first = Client().get(FLASK)
        second = Client().get(FLASK)
    assert first.status_code == second.status_code == 200
    assert second["X-Page-Cache"] != "hit"
    assert "Flask" in second.content.decode()
    assert any("Page cache unavailable" in r.getMessage() for r in caplog.records)


def test_make_run_stops_with_a_clear_message_when_migrations_fail():
    environment = {**os.environ, "DATABASE_URL": "postgres://nobody:x@127.0.0.1:9/none"}
    result = subprocess.run(
        ["make", "--no-print-directory", "run"], cwd=ROOT, env=environment,
        capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip
    assert result.returncode != 0
    output = result.stdout + result.stderr
    assert "Database error" in output
    assert "Traceback" not in output


@pytest.mark.parametrize(
    ("url", "header"),
    [
        ("/data/comparison.csv", "Content-Disposition"),
        ("/data/comparison.csv", "Access-Control-Allow-Origin"),
        ("/data/comparison.json", "Access-Control-Allow-Origin"),
    ],
)
def test_a_cached_copy_keeps_the_headers_its_view_set(seeded, client, url, header):
    first = page(client, url)
    second = page(client, url)
    assert second["X-Page-Cache"] == "hit"
    assert second[header] == first[header]
    assert second["Content-Type"] == first["Content-Type"]


# --- what the second attack run found (issue 27)


@pytest.mark.parametrize("cookie", ["made-up-session-key-0123456789", "x" * 40])
def test_database_down_serves_the_cached_page_to_a_request_with_any_session_cookie(seeded, cookie):
    client = Client(raise_request_exception=False)
    cached = page(client, FLASK)
    client.cookies["sessionid"] = cookie
    with mock.patch.object(connection, "cursor", side_effect=OperationalError("down")):
        response = client.get(FLASK)
    assert response.status_code == 200
    assert response.content == cached.content


def test_the_cache_state_is_not_told_unless_the_operator_turns_it_on(seeded, client, settings):
    settings.PAGE_CACHE_HEADER = False
    client.get(FLASK)
    assert "X-Page-Cache" not in client.get(FLASK)
    assert "X-Page-Cache" not in client.get("/choose/?building=json-api")


@pytest.mark.parametrize("first", [True, False], ids=["kept already", "first request"])
def test_if_none_match_star_on_an_existing_page_is_304(seeded, client, first):
    if first:
        client.get(FLASK)
    assert client.get(FLASK, HTTP_IF_NONE_MATCH="*").status_code == 304


@pytest.mark.parametrize(
    ("url", "policy"),
    [
        ("/", "same-origin"),
        (FLASK, "same-origin"),
        ("/admin/login/", "same-origin"),
        ("/data/comparison.json", "cross-origin"),
        ("/data/comparison.csv", "cross-origin"),
    ],
)
def test_other_sites_may_embed_only_the_open_data(seeded, client, url, policy):
    assert client.get(url)["Cross-Origin-Resource-Policy"] == policy


def test_a_kept_page_says_so_to_a_proxy_without_telling_hit_from_miss(seeded, client, settings):
    settings.PAGE_CACHE_HEADER = False
    first, again = client.get(FLASK), client.get(FLASK)
    assert first["X-Page-Kept"] == again["X-Page-Kept"] == "yes"
    assert "X-Page-Kept" not in client.get("/choose/?building=json-api&w-packages=2")
    assert "X-Page-Kept" not in client.get("/report/")
