"""Generations of pages (core.cache): a page is rendered once per generation, and a new one
starts after every content change and whenever scheduled content becomes visible."""

import time
from datetime import timedelta

import pytest
from django.core.cache import cache, caches
from django.core.cache.backends.locmem import LocMemCache
from django.utils import timezone

import core.cache
from articles.models import Article
from comparisons.models import Framework
from core.cache import GENERATION_KEY, generation
from core.pages import ARTICLE, CHOOSE_ANSWER

FLASK = "/frameworks/flask/"


def edit_flask(text="Edited.") -> None:
    flask = Framework.objects.get(slug="flask")
    flask.tagline = text
    flask.save()


@pytest.fixture
def no_page_cache(settings):
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}}


class Clock:
    """The site's time, moved forward by a test rather than waited for: timezone.now() and
    the local-memory cache (whose entries expire by time.time()) read it. Another cache
    (Redis, with CACHE_URL) expires its entries by its own clock, so there it is waited for."""

    def __init__(self, monkeypatch):
        self.offset = 0.0
        self.waits = not isinstance(caches["default"], LocMemCache)
        if self.waits:
            return
        real_time, real_now = time.time, timezone.now
        monkeypatch.setattr(time, "time", lambda: real_time() + self.offset)
        monkeypatch.setattr(timezone, "now", lambda: real_now() + timedelta(seconds=self.offset))

    def advance(self, seconds: float) -> None:
        if self.waits:
            time.sleep(seconds)
        else:
            self.offset += seconds


@pytest.fixture
def clock(monkeypatch) -> Clock:
    return Clock(monkeypatch)


@pytest.fixture
def later_article(seeded):
    """A second article, published to appear two seconds from now."""
    article = Article.objects.get()
    article.pk = None
    article.slug = "coming-soon"
    article.title = "Coming soon: a second guide"
    article.published_at = timezone.now() + timedelta(seconds=2)
    article.save()
    article.frameworks.set(Article.objects.get(slug="django-flask-or-fastapi").frameworks.all())
    return article


# --- what a generation is


def test_a_generation_lasts_while_nothing_changes(seeded):
    assert generation() == generation()


def test_an_edit_starts_a_new_generation(seeded):
    before = generation()
    edit_flask()
    assert generation() != before


def test_an_edit_starts_another_when_it_commits(seeded, django_capture_on_commit_callbacks):
    """A request another server answers between the edit and its commit may render the old
    content under a generation begun meanwhile: the commit ends that one too."""
    with django_capture_on_commit_callbacks(execute=True):
        edit_flask()
        meanwhile = generation()
    assert generation() != meanwhile


def test_a_generation_ends_when_scheduled_content_becomes_visible(later_article, clock):
    first = generation()
    clock.advance(2.2)
    assert generation() != first


def added_timeouts(monkeypatch) -> list:
    """The timeouts the generation is added to the cache with, as they are asked for."""
    timeouts = []
    add = cache.add

    def spy(key, value, timeout=None, *args, **kwargs):
        if key == GENERATION_KEY:
            timeouts.append(timeout)
        return add(key, value, timeout, *args, **kwargs)

    monkeypatch.setattr(cache, "add", spy)
    return timeouts


def test_without_anything_scheduled_a_generation_does_not_expire(seeded, monkeypatch):
    timeouts = added_timeouts(monkeypatch)
    generation()
    assert timeouts == [None]  # None: never


def test_a_generation_expires_when_the_next_article_is_due(later_article, monkeypatch):
    timeouts = added_timeouts(monkeypatch)
    generation()
    assert timeouts in ([2], [3])  # seconds, rounded up


def test_two_servers_share_one_generation(seeded, settings, tmp_path):
    """The default cache (files in var/cache): the workers of one machine share it, so an
    edit saved by one ends the generation every other serves."""
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": str(tmp_path),
        }
    }
    from django.core.cache.backends.filebased import FileBasedCache

    other_worker = FileBasedCache(str(tmp_path), {})
    first = generation()
    assert other_worker.get(GENERATION_KEY) == first
    edit_flask()
    assert other_worker.get(GENERATION_KEY) is None
    assert generation() != first


# --- pages


def test_a_warm_page_makes_no_query(seeded, client, django_assert_num_queries):
    client.get(FLASK)
    with django_assert_num_queries(0):
        assert client.get(FLASK)["X-Page-Cache"] == "hit"


def test_an_edit_shows_at_the_next_request(seeded, client):
    client.get(FLASK)
    edit_flask()
    assert "Edited." in client.get(FLASK).content.decode()


def test_an_edit_shows_at_the_next_request_with_the_page_cache_off(seeded, client, no_page_cache):
    assert "Edited." not in client.get(FLASK).content.decode()
    edit_flask()
    assert "Edited." in client.get(FLASK).content.decode()


def test_the_same_answer_in_another_order_is_one_page(seeded, client):
    one = client.get("/compare/", {"fw": ["flask", "django"], "sort": "packages"})
    other = client.get("/compare/?sort=packages&fw=django&fw=flask&fw=django")
    assert (one["X-Page-Cache"], other["X-Page-Cache"]) == ("miss", "hit")
    assert other.content == one.content


def test_an_answer_with_the_readers_own_weights_is_rendered_each_time_never_kept(seeded, client):
    """One of millions: kept, they could push the site's own pages out (issue 27)."""
    first = client.get(CHOOSE_ANSWER)
    again = client.get(CHOOSE_ANSWER)
    assert "X-Page-Cache" not in first
    assert "X-Page-Cache" not in again
    assert again.content == first.content


def test_a_staff_preview_of_a_draft_is_never_kept_for_readers(seeded, client, staff_client):
    flask = Framework.objects.get(slug="flask")
    flask.is_published = False
    flask.save()
    assert b"Draft preview" in staff_client.get(FLASK).content
    assert client.get(FLASK).status_code == 404


def test_a_staff_render_is_not_what_readers_are_served_next(seeded, client, staff_client):
    staff_client.get(FLASK)
    assert client.get(FLASK)["X-Page-Cache"] == "miss"


def test_staff_see_their_edit_at_once(seeded, staff_client):
    staff_client.get(FLASK)
    edit_flask("Seen by staff.")
    assert "Seen by staff." in staff_client.get(FLASK).content.decode()


def test_an_edit_shows_in_the_open_data_at_once(seeded, client):
    client.get("/data/comparison.json")
    rating = Framework.objects.get(slug="flask").ratings.first()
    rating.verdict = "A new verdict."
    rating.save()
    assert "A new verdict." in client.get("/data/comparison.json").content.decode()


def test_a_sitemap_page_past_the_end_is_404_each_time(seeded, client):
    assert client.get("/sitemap.xml", {"p": "9"}).status_code == 404
    assert client.get("/sitemap.xml", {"p": "9"}).status_code == 404
    assert client.get("/sitemap.xml").status_code == 200


# --- scheduled content, every cache on, no edit in between


def test_an_article_scheduled_for_later_appears_when_its_time_comes(later_article, client, clock):
    assert client.get(later_article.get_absolute_url()).status_code == 404
    assert later_article.title not in client.get("/").content.decode()
    assert later_article.get_absolute_url() not in client.get("/sitemap.xml").content.decode()
    assert client.get("/")["X-Page-Cache"] == "hit"  # the pages above are kept

    clock.advance(2.2)

    page = client.get(later_article.get_absolute_url())
    assert page.status_code == 200
    assert later_article.title in page.content.decode()
    assert later_article.title in client.get("/").content.decode()
    assert later_article.get_absolute_url() in client.get("/sitemap.xml").content.decode()


def test_the_article_page_is_kept_once_it_appears(later_article, client, clock):
    clock.advance(2.2)
    client.get(later_article.get_absolute_url())
    assert client.get(later_article.get_absolute_url())["X-Page-Cache"] == "hit"


def test_a_published_article_is_unaffected_by_one_scheduled(later_article, client):
    assert client.get(ARTICLE).status_code == 200


def test_a_failing_generation_read_is_a_new_generation_each_time(seeded, monkeypatch):
    """The cache down: nothing is kept, so every request renders (and a new generation
    costs one query to find the next scheduled moment)."""
    monkeypatch.setattr(core.cache, "_cache_down_until", float("inf"))
    assert generation() != generation()
