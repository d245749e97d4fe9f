"""The Editors role: exactly the content permissions and those of the records editors handle,
what an editor may open in the admin, and the createeditor command that makes editors."""

import dataclasses
import io

import pytest
from django.apps import apps as django_apps
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.core.exceptions import ImproperlyConfigured
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse

from core.roles import EDITORS, ensure_editors_group
from tests.admin_forms import change_url
from tests.conftest import EDITOR_PASSWORD

CONTENT_MODELS = [
    ("comparisons", "framework"),
    ("comparisons", "procon"),
    ("comparisons", "usecase"),
    ("comparisons", "criterion"),
    ("comparisons", "rating"),
    ("comparisons", "source"),
    ("comparisons", "frameworksource"),
    ("comparisons", "ratingsource"),
    ("comparisons", "figure"),
    ("comparisons", "correction"),
    ("comparisons", "projecttype"),
    ("comparisons", "projectneed"),
    ("articles", "article"),
    ("codesamples", "task"),
    ("codesamples", "sampleapp"),
    ("codesamples", "sample"),
]
CONTENT_PERMISSIONS = {
    f"{app}.{action}_{model}"
    for app, model in CONTENT_MODELS
    for action in ("view", "add", "change", "delete")
}
# Records editors handle: readers' reports, which they read, close and delete, never add.
RECORD_PERMISSIONS = {"reports.view_report", "reports.change_report", "reports.delete_report"}
EDITOR_PERMISSIONS = CONTENT_PERMISSIONS | RECORD_PERMISSIONS


def make_editor(monkeypatch, username="edna"):
    monkeypatch.setenv("EDITOR_PASSWORD", EDITOR_PASSWORD)
    call_command("createeditor", username, email=f"{username}@example.com", stdout=io.StringIO())
    return get_user_model().objects.get(username=username)


def user_model_count(username: str) -> int:
    return get_user_model().objects.filter(username=username).count()


# --------------------------------------------------------------------------------------------
# 3. The Editors role
# --------------------------------------------------------------------------------------------


def group_permissions(group) -> set[str]:
    return {
        f"{app}.{codename}"
        for app, codename in group.permissions.values_list("content_type__app_label", "codename")
    }


def test_editors_group_has_exactly_the_content_and_record_permissions(db):
    group = Group.objects.get(name=EDITORS)
    assert len(CONTENT_PERMISSIONS) == 64  # 16 content models, four actions each
    assert group_permissions(group) == EDITOR_PERMISSIONS


def test_editors_may_not_add_reports(db):
    assert "reports.add_report" not in group_permissions(Group.objects.get(name=EDITORS))


def test_editors_group_has_nothing_on_accounts_sessions_history_or_lockouts(db):
    apps_granted = {
        perm.split(".")[0] for perm in group_permissions(Group.objects.get(name=EDITORS))
    }
    assert apps_granted.isdisjoint(
        {"auth", "contenttypes", "sessions", "reversion", "axes", "admin"}
    )


def test_ensure_editors_group_repairs_the_permissions(db):
    group = Group.objects.get(name=EDITORS)
    group.permissions.add(
        Permission.objects.get(content_type__app_label="auth", codename="delete_user")
    )
    group.permissions.remove(
        Permission.objects.get(content_type__app_label="comparisons", codename="change_framework")
    )
    group.permissions.add(
        Permission.objects.get(content_type__app_label="reports", codename="add_report")
    )
    assert group_permissions(group) != EDITOR_PERMISSIONS

    ensure_editors_group(django_apps)

    assert Group.objects.filter(name=EDITORS).count() == 1
    assert group_permissions(Group.objects.get(name=EDITORS)) == EDITOR_PERMISSIONS


def with_reports_declared(monkeypatch, **changes) -> None:
    """config/content.py as core.roles reads it, with the reports app declared otherwise."""
    import core.roles

    monkeypatch.setattr(
        core.roles,
        "CONTENT_APPS",
        tuple(
            dataclasses.replace(app, **changes) if app.label == "reports" else app
            for app in core.roles.CONTENT_APPS
        ),
    )


def test_a_record_action_editors_cannot_have_is_refused(db, monkeypatch):
    from core.roles import editor_actions

    with_reports_declared(monkeypatch, editor_records={"report": ("view", "publish")})
    with pytest.raises(ImproperlyConfigured, match=r"reports\.editor_records\['report'\]"):
        editor_actions()


def test_editors_may_handle_only_a_model_declared_a_record(db, monkeypatch):
    from core.roles import editor_actions

    with_reports_declared(monkeypatch, records=frozenset())
    with pytest.raises(ImproperlyConfigured, match=r"reports\.editor_records\['report'\]"):
        editor_actions()


# --------------------------------------------------------------------------------------------
# 4. What an editor may open in the admin
# --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "name",
    [
        "admin:auth_user_changelist",
        "admin:auth_user_add",
        "admin:auth_group_changelist",
        "admin:auth_group_add",
        "admin:axes_accessattempt_changelist",
        "admin:axes_accesslog_changelist",
        "admin:axes_accessfailurelog_changelist",
    ],
)
def test_editor_is_forbidden_accounts_and_lockouts(editor_client, name):
    assert editor_client.get(reverse(name)).status_code == 403


def test_editor_cannot_open_or_change_other_users(editor_client, admin_user):
    assert editor_client.get(change_url(admin_user)).status_code == 403
    response = editor_client.post(
        reverse("admin:auth_user_password_change", args=[admin_user.pk]),
        {"password1": "x-new-passphrase-77", "password2": "x-new-passphrase-77"},
    )
    assert response.status_code == 403


@pytest.mark.parametrize(
    "path",
    [
        # Written out: where django-reversion's models are not registered (as here), the
        # admin has no URL name for them to reverse.
        "reversion/",
        "reversion/revision/",
        "reversion/version/",
        "reversion/version/1/delete/",
        "reversion/revision/1/delete/",
    ],
)
def test_editor_cannot_reach_history_records(editor_client, path):
    from django.contrib import admin

    path = reverse("admin:index") + path
    registered = any(model._meta.app_label == "reversion" for model in admin.site._registry)
    expected = 403 if registered else 404
    assert editor_client.get(path).status_code == expected
    assert editor_client.post(path, {"post": "yes"}).status_code == expected


def test_editor_has_no_permission_to_delete_history(editor):
    for perm in (
        "reversion.delete_version",
        "reversion.delete_revision",
        "reversion.change_version",
        "reversion.change_revision",
    ):
        assert not editor.has_perm(perm), perm


@pytest.mark.parametrize(("app", "model"), [*CONTENT_MODELS, ("reports", "report")])
def test_editor_can_open_every_content_and_record_changelist(seeded, editor_client, app, model):
    assert editor_client.get(reverse(f"admin:{app}_{model}_changelist")).status_code == 200


def test_editor_admin_index_does_not_list_users_or_groups(editor_client):
    response = editor_client.get(reverse("admin:index"))
    assert response.status_code == 200
    app_labels = {app["app_label"] for app in response.context["app_list"]}
    assert "auth" not in app_labels
    assert "axes" not in app_labels
    assert {"comparisons", "articles", "codesamples"} <= app_labels
    page = response.content.decode()
    assert reverse("admin:auth_user_changelist") not in page
    assert reverse("admin:auth_group_changelist") not in page


# --------------------------------------------------------------------------------------------
# 5. The createeditor command
# --------------------------------------------------------------------------------------------


def test_createeditor_makes_a_staff_non_superuser_editor(db, monkeypatch):
    editor = make_editor(monkeypatch)
    assert editor.is_staff
    assert not editor.is_superuser
    assert editor.is_active
    assert editor.groups.filter(name=EDITORS).exists()
    assert editor.has_usable_password()
    assert editor.check_password(EDITOR_PASSWORD)
    assert editor.email == "edna@example.com"


def test_createeditor_refuses_an_existing_username(db, monkeypatch, django_user_model):
    existing = django_user_model.objects.create_user("edna", password="whatever-passphrase-31")
    monkeypatch.setenv("EDITOR_PASSWORD", EDITOR_PASSWORD)
    with pytest.raises(CommandError, match="already exists"):
        call_command("createeditor", "edna", stdout=io.StringIO())
    existing.refresh_from_db()
    assert not existing.is_staff
    assert not existing.groups.exists()
    assert existing.check_password("whatever-passphrase-31")


def test_createeditor_refuses_a_weak_password_and_creates_nothing(db, monkeypatch):
    monkeypatch.setenv("EDITOR_PASSWORD", "password")
    with pytest.raises(CommandError, match="too common"):
        call_command("createeditor", "weakling", stdout=io.StringIO())
    assert user_model_count("weakling") == 0


def test_createeditor_without_password_or_terminal_fails_and_creates_nothing(db, monkeypatch):
    monkeypatch.delenv("EDITOR_PASSWORD", raising=False)

    def no_terminal(prompt=""):
        raise EOFError

    monkeypatch.setattr("getpass.getpass", no_terminal)
    with pytest.raises(CommandError, match="No password"):
        call_command("createeditor", "silent", stdout=io.StringIO())
    assert user_model_count("silent") == 0


def test_createeditor_refuses_two_different_typed_passwords(db, monkeypatch):
    monkeypatch.delenv("EDITOR_PASSWORD", raising=False)
    typed = iter(["first-long-passphrase-1", "second-long-passphrase-2"])
    monkeypatch.setattr("getpass.getpass", lambda prompt="": next(typed))
    with pytest.raises(CommandError, match="differ"):
        call_command("createeditor", "typo", stdout=io.StringIO())
    assert user_model_count("typo") == 0


def test_createeditor_accepts_the_same_password_typed_twice(db, monkeypatch):
    monkeypatch.delenv("EDITOR_PASSWORD", raising=False)
    monkeypatch.setattr("getpass.getpass", lambda prompt="": "typed-long-passphrase-3")
    call_command("createeditor", "typist", stdout=io.StringIO())
    user = get_user_model().objects.get(username="typist")
    assert user.check_password("typed-long-passphrase-3")
