"""Shared fixtures. The test database is migrated and seeded once per session (per xdist
worker); each test runs in a transaction that is rolled back, so every test starts from the
database as `make run` leaves it."""

import pytest
from django.core.management import call_command


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """pytest-django's set-up (create and migrate the test database), then the seed, once."""
    with django_db_blocker.unblock():
        call_command("seed", verbosity=0)


@pytest.fixture(autouse=True)
def _plain_static_storage(settings):
    """Tests run without collectstatic: serve static names as they are, not from a manifest."""
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


@pytest.fixture(autouse=True)
def _empty_page_cache():
    """Each test starts with an empty page cache (versions restart with each test's data)."""
    from django.core.cache import cache

    import core.cache

    cache.clear()
    core.cache._cache_down_until = 0.0
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    """Passwords in tests need not resist cracking: hash them quickly."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def seeded(db):
    """The database as `make run` leaves it: the committed fixtures, seeded once per session."""


@pytest.fixture
def empty_content(db):
    """No content at all, as before the first seed (deleted inside the test's transaction)."""
    from core.content import content_models

    for model in reversed(content_models()):  # dependants first
        model._default_manager.all().delete()
