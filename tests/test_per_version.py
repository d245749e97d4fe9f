"""What pages compute and render once per content version (core.cache.per_version and the
{% fragment %} tag), and that an edit still shows at once with the page cache off. One
behaviour per test."""

import pytest
from django.db import connection
from django.template import Context, Template, TemplateSyntaxError
from django.test.utils import CaptureQueriesContext

import core.cache
from comparisons.models import Framework
from core.cache import forget_computed, per_version
from core.pages import ARTICLE, CHOOSE_ANSWER

FLASK = "/frameworks/flask/"


class Counter:
    def __init__(self):
        self.calls = []

    def __call__(self, *key):
        self.calls.append(key)
        return {"key": key}


@pytest.fixture
def compute():
    counter = Counter()
    counter.__qualname__ = "Counter"  # per_version names a result by its function
    return counter


def edit_flask(tagline="Edited."):
    flask = Framework.objects.get(slug="flask")
    flask.tagline = tagline
    flask.save()


# --- per_version


def test_a_result_is_computed_once_per_version(seeded, compute):
    first = per_version(compute, "a")
    assert per_version(compute, "a") is first
    assert compute.calls == [("a",)]


def test_each_key_is_its_own_result(seeded, compute):
    per_version(compute, "a")
    per_version(compute, "b")
    assert compute.calls == [("a",), ("b",)]


def test_an_edit_computes_again(seeded, compute):
    per_version(compute, "a")
    edit_flask()
    per_version(compute, "a")
    assert compute.calls == [("a",), ("a",)]


def test_only_the_most_recent_results_are_kept(seeded, compute, monkeypatch):
    monkeypatch.setattr(core.cache, "MEMO_ENTRIES", 2)
    for key in ("a", "b", "c"):
        per_version(compute, key)
    per_version(compute, "c")
    per_version(compute, "a")  # dropped, the least recently used
    assert compute.calls == [("a",), ("b",), ("c",), ("a",)]


# --- the fragment tag


def render(source: str, **context) -> str:
    return Template("{% load site %}" + source).render(Context(context))


def test_a_fragment_is_rendered_once_per_page_data():
    kept = {}
    first = render('{% fragment "x" %}{{ word }}{% endfragment %}', word="one", fragments=kept)
    again = render('{% fragment "x" %}{{ word }}{% endfragment %}', word="two", fragments=kept)
    assert (first, again) == ("one", "one")


def test_a_fragments_keys_tell_its_renders_apart():
    kept = {}
    source = '{% for w in words %}{% fragment "x" w %}[{{ w }}]{% endfragment %}{% endfor %}'
    assert render(source, words=["a", "b"], fragments=kept) == "[a][b]"


def test_without_page_data_a_fragment_is_simply_rendered():
    source = '{% fragment "x" %}{{ word }}{% endfragment %}'
    assert render(source, word="one") == "one"
    assert render(source, word="two") == "two"


def test_a_fragment_needs_a_quoted_name():
    with pytest.raises(TemplateSyntaxError, match="quoted name"):
        Template("{% load site %}{% fragment x %}{% endfragment %}")


# --- pages, with the page cache off


@pytest.fixture
def no_page_cache(settings):
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}}


def test_a_page_rendered_again_makes_no_query(
    seeded, client, no_page_cache, django_assert_num_queries
):
    client.get(FLASK)
    with django_assert_num_queries(0):
        assert client.get(FLASK).status_code == 200


def test_a_page_rendered_again_is_the_same_page(seeded, client, no_page_cache):
    first = client.get(ARTICLE).content
    assert client.get(ARTICLE).content == first


def test_an_edit_shows_at_the_next_request_with_the_page_cache_off(seeded, client, no_page_cache):
    assert "Edited." not in client.get(FLASK).content.decode()
    edit_flask()
    assert "Edited." in client.get(FLASK).content.decode()


def test_a_helper_answer_seen_before_is_drawn_from_what_was_kept(
    seeded, client, no_page_cache, django_assert_num_queries
):
    first = client.get(CHOOSE_ANSWER).content
    with django_assert_num_queries(0):
        again = client.get(CHOOSE_ANSWER).content
    assert again == first


def test_the_same_answer_in_another_order_shares_its_ranking(seeded, client, no_page_cache):
    one = client.get("/choose/", {"building": "json-api", "w-packages": "2", "w-community": "0"})
    other = client.get("/choose/?w-community=0&w-packages=2&building=json-api")
    assert other.content == one.content


def test_a_staff_preview_of_a_draft_is_never_kept_for_readers(
    seeded, client, staff_client, no_page_cache
):
    flask = Framework.objects.get(slug="flask")
    flask.is_published = False
    flask.save()
    assert b"Draft preview" in staff_client.get(FLASK).content
    assert client.get(FLASK).status_code == 404


def test_a_staff_render_is_not_what_readers_are_served_next(
    seeded, client, staff_client, no_page_cache
):
    staff_client.get(FLASK)
    with CaptureQueriesContext(connection) as reader:
        assert client.get(FLASK).status_code == 200
    assert len(reader) >= 5  # the reader's page was computed afresh, not taken from staff's


def test_staff_see_their_edit_at_once_too(seeded, staff_client, no_page_cache):
    staff_client.get(FLASK)
    edit_flask("Seen by staff.")
    assert "Seen by staff." in staff_client.get(FLASK).content.decode()


def test_forgetting_computes_again(seeded, compute):
    per_version(compute, "a")
    forget_computed()
    per_version(compute, "a")
    assert len(compute.calls) == 2


# --- documents for machines


@pytest.mark.parametrize(
    "path",
    [
        "/data/comparison.json",
        "/data/comparison.csv",
        "/sitemap.xml",
        "/feed/",
        "/feed/corrections/",
    ],
)
def test_a_document_rendered_again_makes_no_query_and_is_the_same(
    seeded, client, no_page_cache, django_assert_num_queries, path
):
    first = client.get(path)
    with django_assert_num_queries(0):
        again = client.get(path)
    assert again.content == first.content
    assert again["Content-Type"] == first["Content-Type"]


def test_an_edit_shows_in_the_open_data_at_once_with_the_page_cache_off(
    seeded, client, no_page_cache
):
    client.get("/data/comparison.json")
    rating = Framework.objects.get(slug="flask").ratings.first()
    rating.verdict = "A new verdict."
    rating.save()
    assert "A new verdict." in client.get("/data/comparison.json").content.decode()


def test_a_sitemap_page_past_the_end_is_404_each_time(seeded, client, no_page_cache):
    assert client.get("/sitemap.xml", {"p": "9"}).status_code == 404
    assert client.get("/sitemap.xml", {"p": "9"}).status_code == 404
    assert client.get("/sitemap.xml").status_code == 200
