"""The admin's login: throttled by django-axes (by the address the proxy saw), and never indexed."""

import pytest
from axes.utils import reset as axes_reset
from django.conf import settings as django_settings
from django.urls import reverse

from tests.conftest import EDITOR_PASSWORD
from tests.html import parse

# --------------------------------------------------------------------------------------------
# 6. Login throttling
# --------------------------------------------------------------------------------------------


def login_url() -> str:
    return reverse("admin:login")


@pytest.fixture
def no_axes_state(db):
    axes_reset()
    yield
    axes_reset()


def login_post(client, username, password):
    return client.post(
        login_url(), {"username": username, "password": password, "next": reverse("admin:index")}
    )


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
    assert response["Location"] == reverse("admin:index")
    assert client.session["_auth_user_id"] == str(admin_user.pk)


def test_spoofed_forwarded_for_header_does_not_escape_the_lockout(no_axes_state, client, editor):
    fail_five_times(client, "edna")
    response = client.post(
        login_url(),
        {"username": "edna", "password": EDITOR_PASSWORD, "next": reverse("admin:index")},
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
    response = client.get(login_url())
    assert response.status_code == 200
    assert "noindex" in response["X-Robots-Tag"]
    metas = [meta.attrs for meta in parse(response).find_all("meta")]
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
