"""Browser tests: Playwright drives Debian's Chromium against pytest-django's live server.

Playwright's own browser download does not work here and is never attempted: the tests use
/usr/bin/chromium (Debian's `chromium` package). Without it they are skipped with a message
saying how to install it; in CI (CI=true) a missing Chromium fails the run instead.
"""

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import MD5PasswordHasher
from django.contrib.auth.models import Group
from django.db import connections

from core.roles import EDITORS

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
LAUNCH_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking"]
SCREENSHOTS = Path(__file__).resolve().parents[2] / "var" / "screenshots"
INSTALL_HINT = "install it with: apt-get install -y chromium (never `playwright install`)"


def pytest_collection_modifyitems(config, items):
    here = Path(__file__).parent
    for item in items:
        if here in Path(item.fspath).parents:
            item.add_marker(pytest.mark.browser)
            # The test database is set up (and seeded) for them; each test runs in a
            # transaction that is rolled back, like the others.
            item.add_marker(pytest.mark.django_db)


@pytest.fixture(scope="package")
def browser():
    """One Chromium for the browser tests, closed after the last of them.

    Playwright's sync API runs an event loop in the test thread, so Django must allow
    database calls there (DJANGO_ALLOW_ASYNC_UNSAFE) — only while these tests run: the
    variable must not reach other tests, nor a deployment check one of them runs.
    """
    if not (os.path.exists(CHROMIUM) and os.access(CHROMIUM, os.X_OK)):
        message = f"Chromium not found at {CHROMIUM}; {INSTALL_HINT}"
        if os.environ.get("CI") == "true":
            pytest.fail(f"CI must run the browser tests. {message}")
        pytest.skip(message)
    from playwright.sync_api import sync_playwright

    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with sync_playwright() as playwright:
            chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=LAUNCH_ARGS)
            yield chromium
            chromium.close()
            # Playwright ran the tests in a context of its own, where Django opened a
            # connection of its own: close it here, or PostgreSQL cannot drop the test database.
            connections.close_all()
    finally:
        del os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"]


@pytest.fixture(scope="session")
def site_url(django_db_setup, django_db_blocker):
    """A live server on the session's seeded database (tests/conftest.py), for all the tests.

    The browser tests read content and never change it, so the database is neither emptied
    nor seeded again between them; the one row they add (the editor's account) is made once.
    (pytest-django's own `live_server` fixture would empty the database after every test.)
    """
    from pytest_django.live_server_helper import LiveServer

    with django_db_blocker.unblock():
        server = LiveServer("localhost")
        yield server.url
        server.stop()


@pytest.fixture
def site(site_url, settings):
    """The live server's base URL, serving as in production (DEBUG off)."""
    settings.DEBUG = False
    return site_url


@pytest.fixture
def new_page(browser):
    """Open a page in a fresh context: new_page(width=..., color_scheme=..., javascript=...)."""
    contexts = []

    def open_page(width=1280, height=900, color_scheme="light", javascript=True):
        context = browser.new_context(
            viewport={"width": width, "height": height},
            color_scheme=color_scheme,
            java_script_enabled=javascript,
        )
        context.set_default_timeout(10_000)
        contexts.append(context)
        return context.new_page()

    yield open_page
    for context in contexts:
        context.close()


def screenshot(page, name: str) -> None:
    """Keep a picture for people to look at (var/ is git-ignored)."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=SCREENSHOTS / f"{name}.png", full_page=True)


@contextmanager
def committed_editor(username: str, password: str) -> Iterator:
    """A member of Editors, committed outside any test's transaction so that the live server
    sees it (MD5-hashed: logging in is not what these tests time); deleted after."""
    hasher = MD5PasswordHasher()
    editor = get_user_model().objects.create(
        username=username, password=hasher.encode(password, hasher.salt()), is_staff=True
    )
    editor.groups.add(Group.objects.get(name=EDITORS))
    try:
        yield editor
    finally:
        editor.delete()
