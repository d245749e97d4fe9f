"""Where the page cache reads the content version: this process's memo (a second at most),
then the shared cache, then the database; published to the shared cache after each commit
that changed content. One behaviour per test."""

import pytest
from django.core.cache import cache

import core.cache
from comparisons.models import Framework
from core.cache import VERSION_KEY, current_version, publish_version, read_version


@pytest.fixture
def shared(monkeypatch):
    """Treat the cache as one every app server reads (as Redis is)."""
    monkeypatch.setattr(core.cache, "shared_cache", lambda: True)


@pytest.fixture
def memo_expired(monkeypatch):
    """Every read finds this process's memo too old."""
    monkeypatch.setattr(core.cache, "MEMO_SECONDS", 0)


def edit_flask():
    flask = Framework.objects.get(slug="flask")
    flask.tagline = "Edited."
    flask.save()


def test_the_version_is_read_once_within_a_second(seeded, django_assert_num_queries):
    with django_assert_num_queries(1):
        first = current_version()
        second = current_version()
    assert first == second == read_version()


def test_past_the_memo_a_local_memory_cache_reads_the_database(
    seeded, memo_expired, monkeypatch, django_assert_num_queries
):
    monkeypatch.setattr(core.cache, "shared_cache", lambda: False)  # as LocMemCache is
    current_version()
    with django_assert_num_queries(1):
        current_version()


def test_past_the_memo_a_shared_cache_answers_without_the_database(
    seeded, shared, memo_expired, django_assert_num_queries
):
    publish_version()
    with django_assert_num_queries(0):
        found = current_version()
    assert found == read_version()


def test_a_version_read_from_the_database_is_left_for_the_others(seeded, shared):
    assert cache.get(VERSION_KEY) is None
    assert current_version() == cache.get(VERSION_KEY) == read_version()


def test_a_reader_never_writes_over_a_version_published_meanwhile(seeded, shared, monkeypatch):
    number, changed_at = read_version()
    newer = (number + 5, changed_at)

    def read_then_someone_publishes():
        found = (number, changed_at)
        cache.set(VERSION_KEY, newer)  # another server commits an edit right now
        return found

    monkeypatch.setattr(core.cache, "read_version", read_then_someone_publishes)
    current_version()
    assert cache.get(VERSION_KEY) == newer


def test_an_edit_publishes_the_new_version_when_it_commits(
    seeded, shared, django_capture_on_commit_callbacks
):
    publish_version()
    before = cache.get(VERSION_KEY)
    with django_capture_on_commit_callbacks(execute=True):
        edit_flask()
    assert cache.get(VERSION_KEY) == read_version()
    assert cache.get(VERSION_KEY)[0] > before[0]


def test_an_edit_not_yet_committed_drops_the_shared_version(
    seeded, shared, django_capture_on_commit_callbacks
):
    publish_version()
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        edit_flask()
    assert callbacks  # the publish waits for the commit
    assert cache.get(VERSION_KEY) is None  # meanwhile readers take it from the database


def test_an_edit_shows_at_this_processs_next_request(seeded, client):
    assert "Edited." not in client.get("/frameworks/flask/").content.decode()
    edit_flask()
    assert "Edited." in client.get("/frameworks/flask/").content.decode()


def test_a_failing_publish_does_not_fail_the_edit(
    seeded, shared, monkeypatch, caplog, django_capture_on_commit_callbacks
):
    def broken(*args):
        raise ConnectionError("Redis is down")

    monkeypatch.setattr(cache, "set", broken)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        edit_flask()  # the publish runs at the commit, and fails there
    assert callbacks
    assert Framework.objects.get(slug="flask").tagline == "Edited."
    assert "Page cache unavailable" in caplog.text  # logged and skipped


@pytest.mark.parametrize(
    ("backend", "shared"),
    [
        ("django.core.cache.backends.locmem.LocMemCache", False),
        ("django.core.cache.backends.dummy.DummyCache", False),
        ("django.core.cache.backends.redis.RedisCache", True),
    ],
)
def test_only_a_cache_every_server_reads_holds_the_version(settings, backend, shared):
    settings.CACHES = {"default": {"BACKEND": backend, "LOCATION": "redis://127.0.0.1:9/0"}}
    assert core.cache.shared_cache() is shared
