"""The back office is closed to everyone but staff, and staff get only what their role allows.

The Markdown preview (staff only, CSRF-checked, sanitised, no upload), the Markdown widgets
pointing at it, the Editors role and the command that makes editors, login throttling by
django-axes, and noindex on every admin page.
"""

import io
from html.parser import HTMLParser

import pytest
from axes.utils import reset as axes_reset
from django.apps import apps as django_apps
from django.conf import settings as django_settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client
from django.urls import reverse

from comparisons.models import Framework, ProCon
from core.markdown import render_markdown
from core.roles import EDITORS, ensure_editors_group

EDITOR_PASSWORD = "a-long-unusual-passphrase-42"
CONTENT_MODELS = [
    ("comparisons", "framework"),
    ("comparisons", "procon"),
    ("comparisons", "usecase"),
    ("comparisons", "criterion"),
    ("comparisons", "rating"),
    ("comparisons", "frameworksource"),
    ("comparisons", "ratingsource"),
    ("comparisons", "correction"),
    ("comparisons", "projecttype"),
    ("articles", "article"),
]
CONTENT_PERMISSIONS = {
    f"{app}.{action}_{model}"
    for app, model in CONTENT_MODELS
    for action in ("view", "add", "change", "delete")
}
CONTENT_CHANGELISTS = [f"/admin/{app}/{model}/" for app, model in CONTENT_MODELS]
HOSTILE_MARKDOWN = "\n\n".join(
    [
        "<script>alert('script')</script>",
        '<img src="x" onerror="alert(\'img\')">',
        "[click me](javascript:alert('link'))",
        '<a href="javascript:alert(1)" onclick="alert(2)">raw link</a>',
        '<iframe src="https://evil.example/"></iframe>',
        "**still bold**",
    ]
)


# --------------------------------------------------------------------------------------------
# Helpers and fixtures
# --------------------------------------------------------------------------------------------


class _Elements(HTMLParser):
    """Every start tag in a fragment, with its attributes."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.elements: list[tuple[str, dict[str, str]]] = []

    def handle_starttag(self, tag, attrs):
        self.elements.append((tag, {name: value or "" for name, value in attrs}))

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)


def elements(html: str) -> list[tuple[str, dict[str, str]]]:
    parser = _Elements()
    parser.feed(html)
    parser.close()
    return parser.elements


def preview_url() -> str:
    return reverse("markdown_preview")


@pytest.fixture
def staff(django_user_model):
    return django_user_model.objects.create_user(
        "stella", password="stella-staff-passphrase-17", is_staff=True
    )


@pytest.fixture
def staff_client(client, staff):
    client.force_login(staff)
    return client


@pytest.fixture
def csrf_client(staff):
    """A client that, like a browser, must send the CSRF token: logged in as staff."""
    client = Client(enforce_csrf_checks=True)
    client.force_login(staff)
    return client


def csrf_token(client) -> str:
    """GET an admin page, as a browser would before previewing, and read the CSRF cookie."""
    assert client.get("/admin/").status_code == 200
    return client.cookies[django_settings.CSRF_COOKIE_NAME].value


def make_editor(monkeypatch, username="edna"):
    monkeypatch.setenv("EDITOR_PASSWORD", EDITOR_PASSWORD)
    call_command("createeditor", username, email=f"{username}@example.com", stdout=io.StringIO())
    return get_user_model().objects.get(username=username)


@pytest.fixture
def editor(db, monkeypatch):
    return make_editor(monkeypatch)


@pytest.fixture
def editor_client(client, editor):
    client.force_login(editor)
    return client


def user_model_count(username: str) -> int:
    return get_user_model().objects.filter(username=username).count()


# --------------------------------------------------------------------------------------------
# 1. The Markdown preview endpoint
# --------------------------------------------------------------------------------------------


def test_preview_url_is_the_one_markdownx_is_told_about():
    assert preview_url() == django_settings.MARKDOWNX_URLS_PATH


def test_anonymous_preview_post_is_redirected_to_login_and_renders_nothing(db, client):
    response = client.post(preview_url(), {"content": "**secret**"})
    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")
    assert b"<strong>" not in response.content


def test_non_staff_preview_post_is_redirected_to_login(client, django_user_model):
    user = django_user_model.objects.create_user("reader", password="reader-passphrase-99")
    client.force_login(user)
    response = client.post(preview_url(), {"content": "**secret**"})
    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")
    assert b"<strong>" not in response.content


def test_staff_preview_get_is_method_not_allowed(staff_client):
    assert staff_client.get(preview_url(), {"content": "x"}).status_code == 405


def test_staff_preview_post_without_csrf_token_is_forbidden(csrf_client):
    response = csrf_client.post(preview_url(), {"content": "**x**"})
    assert response.status_code == 403
    assert b"<strong>" not in response.content


def test_staff_preview_post_with_csrf_token_returns_render_markdown_output(csrf_client):
    content = "# Title\n\nSome **bold** text and a [link](https://example.com/).\n\n- a\n- b\n"
    response = csrf_client.post(
        preview_url(), {"content": content, "csrfmiddlewaretoken": csrf_token(csrf_client)}
    )
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/html")
    assert response.content.decode() == render_markdown(content)


def test_preview_sanitises_hostile_markdown(staff_client):
    response = staff_client.post(preview_url(), {"content": HOSTILE_MARKDOWN})
    assert response.status_code == 200
    found = elements(response.content.decode())
    tags = [tag for tag, _ in found]
    assert "script" not in tags
    assert "iframe" not in tags
    for tag, attrs in found:
        assert not [name for name in attrs if name.startswith("on")], (tag, attrs)
        for name in ("href", "src"):
            assert not attrs.get(name, "").strip().lower().startswith("javascript:"), (tag, attrs)
    assert "strong" in tags  # the harmless Markdown still renders
    assert "alert('script')" not in response.content.decode()


def test_preview_without_content_field_is_empty_not_an_error(staff_client):
    response = staff_client.post(preview_url(), {})
    assert response.status_code == 200
    assert response.content == b""


def test_preview_at_the_length_limit_is_rendered(staff_client):
    limit = django_settings.MARKDOWN_PREVIEW_MAX_LENGTH
    response = staff_client.post(preview_url(), {"content": "x" * limit})
    assert response.status_code == 200


def test_preview_over_the_length_limit_is_a_bad_request(staff_client):
    limit = django_settings.MARKDOWN_PREVIEW_MAX_LENGTH
    response = staff_client.post(preview_url(), {"content": "x" * (limit + 1)})
    assert response.status_code == 400
    assert b"<p>" not in response.content


def test_preview_response_is_not_stored_by_caches(staff_client):
    response = staff_client.post(preview_url(), {"content": "hello"})
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]


@pytest.mark.parametrize("path", ["/markdownx/upload/", django_settings.MARKDOWNX_UPLOAD_URLS_PATH])
def test_markdownx_upload_is_not_mounted_and_writes_nothing(staff_client, settings, tmp_path, path):
    settings.MEDIA_ROOT = tmp_path
    upload = SimpleUploadedFile(
        "x.html", b"<script>alert(document.cookie)</script>", content_type="image/gif"
    )
    response = staff_client.post(path, {"image": upload})
    assert response.status_code == 404
    assert list(tmp_path.rglob("*")) == []


def test_markdownx_own_markdownify_view_is_not_mounted(staff_client):
    response = staff_client.post("/markdownx/markdownify/", {"content": "<script>x</script>"})
    assert response.status_code == 404


# --------------------------------------------------------------------------------------------
# 2. Every admin Markdown widget previews through our endpoint
# --------------------------------------------------------------------------------------------


def test_every_markdown_widget_on_framework_page_points_at_our_preview(seeded, admin_client):
    framework = Framework.objects.get(slug="django")
    pros = framework.pros_cons.filter(kind=ProCon.Kind.PRO).count()
    cons = framework.pros_cons.filter(kind=ProCon.Kind.CON).count()
    use_cases = framework.use_cases.count()
    ratings = framework.ratings.count()
    corrections = framework.corrections.count()
    assert min(pros, cons, use_cases, ratings) > 0  # the page really has rows of each inline

    response = admin_client.get(f"/admin/comparisons/framework/{framework.pk}/change/")
    assert response.status_code == 200
    editors = [
        attrs
        for tag, attrs in elements(response.content.decode())
        if tag == "textarea" and "markdownx-editor" in attrs.get("class", "").split()
    ]
    for attrs in editors:
        assert attrs.get("data-markdownx-urls-path") == preview_url(), attrs.get("name")

    names = [attrs["name"] for attrs in editors]
    rows = sorted(name for name in names if "__prefix__" not in name)
    expected = (
        ["summary", "best_for"]
        + [f"pros-{i}-body" for i in range(pros)]
        + [f"cons-{i}-body" for i in range(cons)]
        + [f"use_cases-{i}-body" for i in range(use_cases)]
        + [f"ratings-{i}-note" for i in range(ratings)]
        + [f"corrections-{i}-now" for i in range(corrections)]
    )
    assert rows == sorted(expected)
    # The "Add another" template row of each inline (pros, cons, use cases, ratings) too.
    assert sorted(name for name in names if "__prefix__" in name) == sorted(
        [
            "pros-__prefix__-body",
            "cons-__prefix__-body",
            "use_cases-__prefix__-body",
            "corrections-__prefix__-now",
            "ratings-__prefix__-note",
        ]
    )


# --------------------------------------------------------------------------------------------
# 3. The Editors role
# --------------------------------------------------------------------------------------------


def group_permissions(group) -> set[str]:
    return {
        f"{app}.{codename}"
        for app, codename in group.permissions.values_list("content_type__app_label", "codename")
    }


def test_editors_group_has_exactly_the_content_permissions(db):
    group = Group.objects.get(name=EDITORS)
    assert len(CONTENT_PERMISSIONS) == 40
    assert group_permissions(group) == CONTENT_PERMISSIONS


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
    assert group_permissions(group) != CONTENT_PERMISSIONS

    ensure_editors_group(django_apps)

    assert Group.objects.filter(name=EDITORS).count() == 1
    assert group_permissions(Group.objects.get(name=EDITORS)) == CONTENT_PERMISSIONS


# --------------------------------------------------------------------------------------------
# 4. What an editor may open in the admin
# --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "path",
    [
        "/admin/auth/user/",
        "/admin/auth/user/add/",
        "/admin/auth/group/",
        "/admin/auth/group/add/",
        "/admin/axes/accessattempt/",
        "/admin/axes/accesslog/",
        "/admin/axes/accessfailurelog/",
    ],
)
def test_editor_is_forbidden_accounts_and_lockouts(editor_client, path):
    assert editor_client.get(path).status_code == 403


def test_editor_cannot_open_or_change_other_users(editor_client, admin_user):
    assert editor_client.get(f"/admin/auth/user/{admin_user.pk}/change/").status_code == 403
    response = editor_client.post(
        f"/admin/auth/user/{admin_user.pk}/password/",
        {"password1": "x-new-passphrase-77", "password2": "x-new-passphrase-77"},
    )
    assert response.status_code == 403


@pytest.mark.parametrize(
    "path",
    [
        "/admin/reversion/",
        "/admin/reversion/revision/",
        "/admin/reversion/version/",
        "/admin/reversion/version/1/delete/",
        "/admin/reversion/revision/1/delete/",
    ],
)
def test_editor_cannot_reach_history_records(editor_client, path):
    from django.contrib import admin

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


@pytest.mark.parametrize("path", CONTENT_CHANGELISTS)
def test_editor_can_open_every_content_changelist(seeded, editor_client, path):
    assert editor_client.get(path).status_code == 200


def test_editor_admin_index_does_not_list_users_or_groups(editor_client):
    response = editor_client.get("/admin/")
    assert response.status_code == 200
    app_labels = {app["app_label"] for app in response.context["app_list"]}
    assert "auth" not in app_labels
    assert "axes" not in app_labels
    assert {"comparisons", "articles"} <= app_labels
    page = response.content.decode()
    assert "/admin/auth/user/" not in page
    assert "/admin/auth/group/" not in page


# --------------------------------------------------------------------------------------------
# 5. The createeditor command
# --------------------------------------------------------------------------------------------


def test_createeditor_makes_a_staff_non_superuser_editor(editor):
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


# --------------------------------------------------------------------------------------------
# 6. Login throttling
# --------------------------------------------------------------------------------------------

LOGIN = "/admin/login/"


@pytest.fixture
def no_axes_state(db):
    axes_reset()
    yield
    axes_reset()


def login_post(client, username, password):
    return client.post(LOGIN, {"username": username, "password": password, "next": "/admin/"})


def fail_five_times(client, username):
    for _ in range(django_settings.AXES_FAILURE_LIMIT):
        login_post(client, username, "not-the-password")


def test_failed_logins_below_the_limit_show_the_form_again(no_axes_state, client, editor):
    for _ in range(django_settings.AXES_FAILURE_LIMIT - 1):
        response = login_post(client, "edna", "not-the-password")
        assert response.status_code == 200
        assert "_auth_user_id" not in client.session


def test_right_password_is_refused_after_five_failures(no_axes_state, client, editor):
    fail_five_times(client, "edna")
    response = login_post(client, "edna", EDITOR_PASSWORD)
    assert response.status_code == 429
    assert "Too many failed logins" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_lockout_does_not_block_another_username_from_the_same_address(
    no_axes_state, client, editor, admin_user
):
    fail_five_times(client, "edna")
    response = login_post(client, admin_user.username, "password")  # pytest-django's admin
    assert response.status_code == 302
    assert response["Location"] == "/admin/"
    assert client.session["_auth_user_id"] == str(admin_user.pk)


def test_spoofed_forwarded_for_header_does_not_escape_the_lockout(no_axes_state, client, editor):
    fail_five_times(client, "edna")
    response = client.post(
        LOGIN,
        {"username": "edna", "password": EDITOR_PASSWORD, "next": "/admin/"},
        HTTP_X_FORWARDED_FOR="203.0.113.7",
    )
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session


def test_successful_login_resets_the_failure_count(no_axes_state, client, editor):
    below_limit = django_settings.AXES_FAILURE_LIMIT - 1
    for _ in range(below_limit):
        login_post(client, "edna", "not-the-password")
    assert login_post(client, "edna", EDITOR_PASSWORD).status_code == 302
    client.logout()
    for _ in range(below_limit):
        assert login_post(client, "edna", "not-the-password").status_code == 200
    assert login_post(client, "edna", EDITOR_PASSWORD).status_code == 302


# --------------------------------------------------------------------------------------------
# 7. noindex on the admin
# --------------------------------------------------------------------------------------------


def test_admin_login_page_asks_not_to_be_indexed(db, client):
    response = client.get(LOGIN)
    assert response.status_code == 200
    assert "noindex" in response["X-Robots-Tag"]
    metas = [attrs for tag, attrs in elements(response.content.decode()) if tag == "meta"]
    assert {"name": "robots", "content": "noindex, nofollow"} in metas


def test_public_page_has_no_robots_header(seeded, client):
    response = client.get("/")
    assert response.status_code == 200
    assert "X-Robots-Tag" not in response


def test_lockout_counts_the_address_the_proxy_saw_behind_tls(settings, rf):
    from core.middleware import client_ip

    settings.BEHIND_TLS = True
    request = rf.get("/", HTTP_X_FORWARDED_FOR="6.6.6.6, 203.0.113.7", REMOTE_ADDR="10.0.0.1")
    assert client_ip(request) == "203.0.113.7"


def test_lockout_uses_the_socket_address_without_a_proxy(settings, rf):
    from core.middleware import client_ip

    settings.BEHIND_TLS = False
    request = rf.get("/", HTTP_X_FORWARDED_FOR="6.6.6.6", REMOTE_ADDR="10.0.0.1")
    assert client_ip(request) == "10.0.0.1"
