"""Adding a framework in the admin without unwritten conventions (issue 17): its position
goes at the end, and the "Our advice" label comes from the templates, not from the content."""

import importlib
import json
import re
from types import SimpleNamespace

import pytest
from django.apps import apps
from django.conf import settings
from django.db import connection

from comparisons.models import Criterion, Framework, ProjectType
from tests.admin_forms import admin_url, change_url, errors_of, read_form
from tests.html import parse
from tests.pages import PUBLIC_PAGES

pytestmark = pytest.mark.django_db


# --- position: at the end, with the positions in use shown


@pytest.mark.parametrize("model", [Framework, Criterion, ProjectType])
def test_a_new_objects_position_defaults_to_one_after_the_highest(editor_client, model):
    highest = max(model.objects.values_list("position", flat=True))
    data = read_form(editor_client.get(admin_url(model, "add")), f"{model._meta.model_name}_form")
    assert data["position"] == str(highest + 1)


def test_the_position_help_text_lists_the_positions_in_use(editor_client):
    response = editor_client.get(admin_url(Framework, "add"))
    help_text = str(response.context["adminform"].form.fields["position"].help_text)
    assert "In use: 1 Django, 2 Flask, 3 FastAPI." in help_text


def test_the_position_help_text_is_shown_on_a_change_page_too(editor_client):
    page = editor_client.get(change_url(Criterion.objects.get(slug="packages"))).content.decode()
    assert "In use: 1 Packages, 2 Community, 3 Performance" in page


# --- "Our advice": a label of the pages


def without_label_migration():
    return importlib.import_module("comparisons.migrations.0012_best_for_without_our_advice")


def test_the_migration_strips_the_label_and_renders_the_html_again(seeded):
    flask = Framework.objects.get(slug="flask")
    flask.best_for = "Our advice: choose *Flask* for small sites."
    flask.save()
    migration = without_label_migration()
    migration.strip_label(apps, SimpleNamespace(connection=connection))
    flask.refresh_from_db()
    assert flask.best_for == "Choose *Flask* for small sites."
    assert flask.best_for_html == "<p>Choose <em>Flask</em> for small sites.</p>"


def test_the_migration_leaves_a_text_without_the_label_alone(seeded):
    django = Framework.objects.get(slug="django")
    before = (django.best_for, django.updated_at)
    without_label_migration().strip_label(apps, SimpleNamespace(connection=connection))
    django.refresh_from_db()
    assert (django.best_for, django.updated_at) == before


def test_no_best_for_in_the_fixtures_starts_with_the_label():
    rows = json.loads((settings.FIXTURE_DIR / "comparisons.json").read_text())
    texts = [row["fields"]["best_for"] for row in rows if row["model"] == "comparisons.framework"]
    assert texts
    assert not [text for text in texts if text.lower().startswith("our advice")]


def test_a_best_for_typed_with_the_label_is_saved_without_it(editor_client):
    django = Framework.objects.get(slug="django")
    data = read_form(editor_client.get(change_url(django)), "framework_form")
    data["best_for"] = "Our advice: choose it for a whole website."
    response = editor_client.post(change_url(django), data)
    assert response.status_code == 302, errors_of(response)
    django.refresh_from_db()
    assert django.best_for == "Choose it for a whole website."


def test_a_best_for_that_only_mentions_advice_later_is_kept(editor_client):
    django = Framework.objects.get(slug="django")
    data = read_form(editor_client.get(change_url(django)), "framework_form")
    data["best_for"] = "Choose it when you follow our advice: start small."
    assert editor_client.post(change_url(django), data).status_code == 302
    django.refresh_from_db()
    assert django.best_for == "Choose it when you follow our advice: start small."


@pytest.mark.parametrize("url", PUBLIC_PAGES.values(), ids=PUBLIC_PAGES.keys())
def test_no_page_says_our_advice_twice_in_a_row(seeded, client, url):
    text = parse(client.get(url)).clean_text
    assert not re.search(r"our advice\W*our advice", text, re.IGNORECASE)


@pytest.mark.parametrize("url", ["/", "/frameworks/"])
def test_each_card_shows_the_label(seeded, client, url):
    cards = parse(client.get(url)).find_all("li", class_="card")
    assert len(cards) == Framework.objects.count()
    for card in cards:
        assert card.one("p", class_="best-for").clean_text.startswith("Our advice: Choose ")


def test_the_pair_labels_each_frameworks_advice(seeded, client):
    page = parse(client.get("/compare/django-vs-flask/"))
    for slug in ("django", "flask"):
        section = page.one("section", aria_labelledby=f"{slug}-title")
        assert "Our advice" in [h3.clean_text for h3 in section.find_all("h3")]


def test_the_articles_conclusion_labels_each_frameworks_advice(seeded, client):
    conclusion = parse(client.get("/articles/django-flask-or-fastapi/")).by_id("conclusion")
    headings = [h3.clean_text for h3 in conclusion.find_all("h3")]
    assert headings == [f"Our advice on {f.name}" for f in Framework.objects.all()]
