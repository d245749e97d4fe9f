"""The Markdown preview: staff only, CSRF-checked, sanitised, never stored, no upload; and every
Markdown widget of the admin previews through it."""

import pytest
from django.conf import settings as django_settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from comparisons.models import Framework, ProCon
from core.markdown import render_markdown
from tests.admin_forms import change_url
from tests.html import parse

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


def preview_url() -> str:
    return reverse("markdown_preview")


@pytest.fixture
def csrf_client(staff_user):
    """A client that, like a browser, must send the CSRF token: logged in as staff."""
    client = Client(enforce_csrf_checks=True)
    client.force_login(staff_user)
    return client


def csrf_token(client) -> str:
    """GET an admin page, as a browser would before previewing, and read the CSRF cookie."""
    assert client.get(reverse("admin:index")).status_code == 200
    return client.cookies[django_settings.CSRF_COOKIE_NAME].value


# --------------------------------------------------------------------------------------------
# 1. The Markdown preview endpoint
# --------------------------------------------------------------------------------------------


def test_preview_url_is_the_one_markdownx_is_told_about():
    assert preview_url() == django_settings.MARKDOWNX_URLS_PATH


def test_anonymous_preview_post_is_redirected_to_login_and_renders_nothing(db, client):
    response = client.post(preview_url(), {"content": "**secret**"})
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login"))
    assert b"<strong>" not in response.content


def test_non_staff_preview_post_is_redirected_to_login(client, django_user_model):
    user = django_user_model.objects.create_user("reader", password="reader-passphrase-99")
    client.force_login(user)
    response = client.post(preview_url(), {"content": "**secret**"})
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login"))
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
    found = list(parse(response).descendants())
    tags = [element.tag for element in found]
    assert "script" not in tags
    assert "iframe" not in tags
    for tag, attrs in ((element.tag, element.attrs) for element in found):
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

    response = admin_client.get(change_url(framework))
    assert response.status_code == 200
    editors = [
        textarea.attrs for textarea in parse(response).find_all("textarea", "markdownx-editor")
    ]
    for attrs in editors:
        assert attrs.get("data-markdownx-urls-path") == preview_url(), attrs.get("name")

    names = [attrs["name"] for attrs in editors]
    rows = sorted(name for name in names if "__prefix__" not in name)
    expected = (
        ["summary", "best_for", "first_steps"]
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
