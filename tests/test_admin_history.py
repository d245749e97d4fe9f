"""Every change made in the admin leaves a history entry that says what it was (issue 17):
the Django log entry and django-reversion's revision comment; and the history tells apart two
changes made in one minute."""

import re

import pytest
from django.contrib.admin.models import LogEntry
from reversion.models import Version

from articles.models import Article
from comparisons.models import Criterion, Framework
from tests.admin_forms import admin_url, change_url, errors_of, read_form
from tests.html import parse

pytestmark = pytest.mark.django_db


def last_comment(obj) -> str:
    return Version.objects.get_for_object(obj).first().revision.get_comment()


def last_log_message(obj) -> str:
    entry = LogEntry.objects.filter(object_id=str(obj.pk), content_type__model=obj._meta.model_name)
    return entry.latest("action_time", "pk").get_change_message()


def run_action(client, model, action: str, *objects) -> None:
    response = client.post(
        admin_url(model, "changelist"),
        {"action": action, "_selected_action": [obj.pk for obj in objects]},
    )
    assert response.status_code == 302


def test_the_publish_action_leaves_published_in_the_history(editor_client):
    flask = Framework.objects.get(slug="flask")
    Framework.objects.filter(pk=flask.pk).update(is_published=False)
    run_action(editor_client, Framework, "set_is_published_True", flask)
    assert last_comment(flask) == "Published."
    assert last_log_message(flask) == "Published."


def test_the_unpublish_action_leaves_unpublished_in_the_history(editor_client):
    flask = Framework.objects.get(slug="flask")
    run_action(editor_client, Framework, "set_is_published_False", flask)
    assert last_comment(flask) == "Unpublished."
    assert last_log_message(flask) == "Unpublished."


def test_the_articles_draft_action_says_so_in_the_history(editor_client):
    article = Article.objects.get()
    run_action(editor_client, Article, "set_status_draft", article)
    assert last_comment(article) == "Returned to draft."
    assert last_log_message(article) == "Returned to draft."


def test_an_action_that_changes_nothing_leaves_no_entry(editor_client):
    flask = Framework.objects.get(slug="flask")  # published already
    versions = Version.objects.get_for_object(flask).count()
    run_action(editor_client, Framework, "set_is_published_True", flask)
    assert Version.objects.get_for_object(flask).count() == versions
    assert not LogEntry.objects.filter(object_id=str(flask.pk)).exists()


def test_a_bulk_edit_in_the_list_says_what_changed(editor_client):
    data = read_form(editor_client.get(admin_url(Criterion, "changelist")), "changelist-form")
    packages = Criterion.objects.get(slug="packages")
    row = next(k for k, v in data.items() if k.endswith("-id") and v == str(packages.pk))
    data[row.replace("-id", "-position")] = "20"
    data["_save"] = "Save"
    response = editor_client.post(admin_url(Criterion, "changelist"), data)
    assert response.status_code == 302
    assert last_comment(packages) == "Changed Position."
    assert last_log_message(packages) == "Changed Position."


def test_a_restored_version_says_which_version_it_restored(editor_client, opened_django_form):
    django = Framework.objects.get(slug="django")
    data = opened_django_form()
    data["tagline"] = "A tagline that will be undone"
    assert editor_client.post(change_url(django), data).status_code == 302
    seeded = Version.objects.get_for_object(django).last()
    url = admin_url(django, "revision", django.pk, seeded.pk)
    response = editor_client.post(url, read_form(editor_client.get(url), "framework_form"))
    assert response.status_code == 302, errors_of(response)
    assert last_comment(django).startswith("Reverted to previous version, saved on")
    assert last_log_message(django) == last_comment(django)


def test_the_history_shows_times_with_seconds(editor_client):
    django = Framework.objects.get(slug="django")
    page = parse(editor_client.get(admin_url(django, "history", django.pk)))
    times = [row.one("th").clean_text for row in page.by_id("change-history").one("tbody").children]
    assert times
    for text in times:
        assert re.search(r"\b\d\d:\d\d:\d\d UTC$", text), text
