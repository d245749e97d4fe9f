"""The content apps and their conventions, declared once (config/content.py) and read through
core.content: what the declaration names exists, every app of the site is declared, and each
convention means what the code that reads it expects."""

import ast
import dataclasses
import sys
from datetime import timedelta
from pathlib import Path

import pytest
from django.apps import apps
from django.conf import settings
from django.db import models
from django.utils import timezone

from articles.models import Article, lineup_problems
from comparisons.models import Correction, Framework
from config.content import CONTENT_APPS, ContentApp
from core.content import (
    content_models,
    fixtures,
    lineup_check,
    quoted_fields,
    scheduled_fields,
)
from tests import factories

DECLARED = {app.label: app for app in CONTENT_APPS}
WITH_FIXTURES = [app for app in CONTENT_APPS if app.fixture]


def names_in(app: ContentApp) -> set[str]:
    """Every model name the app's declaration uses."""
    return {
        *app.models,
        *app.records,
        *app.editor_records,
        *app.scheduled,
        *app.quoted,
        *app.lineup_checks,
    }


# --- the declaration and the installed apps


def test_every_declared_app_is_installed():
    assert [label for label in DECLARED if not apps.is_installed(label)] == []


def test_every_app_of_the_project_but_core_is_declared():
    """An app of this repository added to INSTALLED_APPS must say what its models are."""
    own = {
        config.label
        for config in apps.get_app_configs()
        if Path(config.path).parent == settings.BASE_DIR and config.label != "core"
    }
    assert own == set(DECLARED)


@pytest.mark.parametrize("app", CONTENT_APPS, ids=lambda app: app.label)
def test_every_model_the_declaration_names_exists(app):
    missing = []
    for name in sorted(names_in(app)):
        try:
            apps.get_model(app.label, name)
        except LookupError:
            missing.append(f"{app.label}.{name}")
    assert missing == []


@pytest.mark.parametrize("app", WITH_FIXTURES, ids=lambda app: app.label)
def test_every_declared_fixture_file_is_committed(app):
    assert (settings.FIXTURE_DIR / app.fixture).is_file()


def test_the_declaration_imports_nothing_but_the_standard_library():
    """So that it is plain data, readable before Django is set up, and names apps by label."""
    path = Path(settings.BASE_DIR) / "config" / "content.py"
    imported = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            imported |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom):
            imported.add(node.module.split(".")[0])
    assert imported - {"__future__"} <= sys.stdlib_module_names


# --- what core.content makes of it


def test_fixtures_come_in_the_declared_order_of_the_apps():
    assert list(fixtures()) == [app.fixture for app in CONTENT_APPS if app.fixture]


def test_content_models_are_the_declared_models_in_load_order():
    declared = [(app.label, name) for app in CONTENT_APPS for name in app.models]
    assert [(m._meta.app_label, m._meta.model_name) for m in content_models()] == declared


def test_scheduled_fields_are_the_articles_publication_date():
    assert scheduled_fields() == [(Article, "published_at")]


def test_scheduled_fields_are_datetime_fields():
    for model, name in scheduled_fields():
        assert isinstance(model._meta.get_field(name), models.DateTimeField), (model, name)


def test_a_published_article_is_hidden_from_readers_until_its_scheduled_field(db):
    ((model, name),) = scheduled_fields()
    article = factories.article(title="Coming soon", status="published")
    setattr(article, name, timezone.now() + timedelta(days=1))
    article.save()
    assert not model.objects.published().filter(pk=article.pk).exists()
    setattr(article, name, timezone.now() - timedelta(seconds=1))
    article.save()
    assert model.objects.published().filter(pk=article.pk).exists()


def test_a_corrections_old_claim_is_quoted():
    assert quoted_fields(Correction) == ("original",)


def test_a_model_that_quotes_nothing_has_no_quoted_fields():
    assert quoted_fields(Framework) == ()


def test_quoted_fields_are_text_fields_of_their_model():
    for app in CONTENT_APPS:
        for model_name, names in app.quoted.items():
            model = apps.get_model(app.label, model_name)
            for name in names:
                field = model._meta.get_field(name)
                assert isinstance(field, models.CharField | models.TextField), (model, name)


def test_the_articles_lineup_check_is_the_function_declared():
    assert lineup_check(Article) is lineup_problems


def test_a_model_without_a_lineup_check_has_none():
    assert lineup_check(Framework) is None


def test_every_declared_lineup_check_can_be_imported_and_called():
    for app in CONTENT_APPS:
        for model_name in app.lineup_checks:
            assert callable(lineup_check(apps.get_model(app.label, model_name))), model_name


# --- the declaration refuses what cannot be meant


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"scheduled": {"nope": "published_at"}}, r"articles\.scheduled: nope not among"),
        ({"quoted": {"nope": ("title",)}}, r"articles\.quoted: nope not among"),
        ({"lineup_checks": {"nope": "a.b"}}, r"articles\.lineup_checks: nope not among"),
        ({"records": frozenset({"article"})}, "article both content and a record"),
        ({"fixture": None}, "a fixture file if and only if"),
        ({"models": {}}, "a fixture file if and only if"),
    ],
)
def test_a_declaration_that_contradicts_itself_is_refused(changes, message):
    with pytest.raises(ValueError, match=message):
        dataclasses.replace(DECLARED["articles"], **changes)


def test_a_declared_app_cannot_be_changed_once_made():
    articles = DECLARED["articles"]
    with pytest.raises(dataclasses.FrozenInstanceError):
        articles.fixture = "other.json"
    with pytest.raises(TypeError):
        articles.models["article"] = ("title",)
