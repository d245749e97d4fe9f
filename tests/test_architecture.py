"""How the code is arranged: imports run one way, and one list of content models serves all.

content apps (comparisons, articles, codesamples) -> core -> config; articles and codesamples
may use comparisons, never the reverse (comparisons' pages show the code samples through
codesamples' template tags); reports (readers' reports of mistakes) uses core only; no app
imports another app's views. config/urls.py, the root URLconf, is the one place that names the
apps (config/content.py declares them by label, importing none). Every model of an app is
content or a record; records never start a new generation of pages.
"""

import ast
from pathlib import Path

import pytest
from django.apps import apps
from django.contrib.auth.models import Group, Permission
from django.core.management.sql import emit_post_migrate_signal

from config import content as declaration
from core.cache import _tracked
from core.content import content_models
from core.roles import EDITORS

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ["config", "core", "comparisons", "articles", "codesamples", "reports"]
CONTENT_APPS = ["comparisons", "articles", "codesamples"]
APPS = [*CONTENT_APPS, "reports"]


def imports_of(path: Path) -> set[str]:
    """The project modules a file imports (absolute imports; the project uses no others)."""
    names = set()
    for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
            names.update(f"{node.module}.{alias.name}" for alias in node.names)
    return {name for name in names if name.split(".")[0] in PACKAGES}


def modules(package: str) -> list[Path]:
    return sorted(path for path in (ROOT / package).rglob("*.py") if "migrations" not in path.parts)


def imported_packages(package: str, *, skip: tuple[str, ...] = ()) -> dict[str, set[str]]:
    found = {}
    for path in modules(package):
        if path.name in skip:
            continue
        used = {name.split(".")[0] for name in imports_of(path)} - {package}
        if used:
            found[str(path.relative_to(ROOT))] = used
    return found


def test_core_imports_no_app():
    offenders = {path: used & set(APPS) for path, used in imported_packages("core").items()}
    assert {path: used for path, used in offenders.items() if used} == {}


def test_reports_imports_no_content_app():
    """It learns which pages are public from the root URLconf (the sitemap), not by import."""
    offenders = {path: used - {"core"} for path, used in imported_packages("reports").items()}
    assert {path: used for path, used in offenders.items() if used} == {}


def test_comparisons_never_imports_articles_or_codesamples():
    assert {
        path: used & {"articles", "codesamples"}
        for path, used in imported_packages("comparisons").items()
        if used & {"articles", "codesamples"}
    } == {}


def test_articles_and_codesamples_do_not_import_each_other():
    assert {
        path: used
        for package, other in [("articles", "codesamples"), ("codesamples", "articles")]
        for path, used in imported_packages(package).items()
        if other in used
    } == {}


def test_config_names_no_app_but_in_the_root_urlconf():
    assert imported_packages("config", skip=("urls.py",)) == {}


@pytest.mark.parametrize("package", ["core", *APPS])
def test_no_app_imports_another_apps_views(package):
    views_of_others = {
        path: sorted(
            name
            for name in imports_of(Path(ROOT / path))
            if name.split(".")[0] != package and ".views" in name
        )
        for path in (str(p.relative_to(ROOT)) for p in modules(package))
    }
    assert {path: names for path, names in views_of_others.items() if names} == {}


def declared(app_label: str) -> declaration.ContentApp:
    """The app as config/content.py declares it."""
    return next(app for app in declaration.CONTENT_APPS if app.label == app_label)


def records() -> list[type]:
    """The models apps declare as records (``records`` in config/content.py)."""
    return [
        model
        for app_label in APPS
        for model in apps.get_app_config(app_label).get_models()
        if model._meta.model_name in declared(app_label).records
    ]


def test_every_model_of_the_apps_is_in_the_one_content_list_or_a_record():
    content = set(content_models())
    for app_label in APPS:
        config = apps.get_app_config(app_label)
        records = declared(app_label).records
        for model in config.get_models():
            if model._meta.model_name in records:
                assert model not in content, f"{model._meta.label} is a record, not content"
                continue
            assert model in content, f"{model._meta.label} is missing from content"


def test_content_list_loads_what_a_model_depends_on_first():
    order = content_models()
    for position, model in enumerate(order):
        for field in model._meta.get_fields():
            target = getattr(field, "related_model", None)
            if field.many_to_one and target in order:
                assert order.index(target) < position, (model, target)


def test_every_content_model_moves_the_content_version():
    assert set(content_models()) <= _tracked


def test_no_record_moves_the_content_version():
    found = records()
    assert {model._meta.label for model in found} >= {"comparisons.FactCheck", "reports.Report"}
    assert not set(found) & _tracked


def test_records_editors_handle_are_declared_records():
    for app_label in APPS:
        handled = set(declared(app_label).editor_records)
        assert handled <= declared(app_label).records, app_label
        for model_name in handled:
            assert apps.get_model(app_label, model_name) not in content_models()


def editor_permissions_declared() -> set[tuple[str, str]]:
    """Every action on content; on records, the actions their apps declare."""
    permissions = {
        (model._meta.app_label, f"{action}_{model._meta.model_name}")
        for model in content_models()
        for action in ("view", "add", "change", "delete")
    }
    for app_label in APPS:
        handled = declared(app_label).editor_records
        for model_name, actions in handled.items():
            permissions |= {(app_label, f"{action}_{model_name}") for action in actions}
    return permissions


def test_migrate_restores_the_editors_group_with_exactly_the_editors_permissions(db):
    Group.objects.filter(name=EDITORS).delete()

    emit_post_migrate_signal(verbosity=0, interactive=False, db="default")

    expected = editor_permissions_declared()
    assert ("reports", "change_report") in expected
    granted = set(
        Group.objects.get(name=EDITORS).permissions.values_list(
            "content_type__app_label", "codename"
        )
    )
    assert granted == expected


def test_migrate_takes_away_a_permission_added_to_the_editors_group_by_hand(db):
    group = Group.objects.get(name=EDITORS)
    group.permissions.add(Permission.objects.get(codename="change_user"))

    emit_post_migrate_signal(verbosity=0, interactive=False, db="default")

    assert not group.permissions.filter(codename="change_user").exists()
