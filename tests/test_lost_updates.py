"""No lost update anywhere (issue 24): a change list's editable column, a reader's report's
note, and a save that finds the database busy. (Change forms: test_admin_conflicts.py;
restore forms: test_undo.py.)"""

from unittest import mock

import pytest
from django.contrib.auth.models import Group
from django.db import DatabaseError, OperationalError

from comparisons.models import Framework
from core.admin import is_busy
from core.roles import EDITORS
from reports.models import Report
from tests.admin_forms import BrowserClient, admin_url, change_url, errors_of, read_form
from tests.html import parse

pytestmark = pytest.mark.django_db


@pytest.fixture
def alice_client(django_user_model):
    """A second editor, in the Editors group like edna."""
    alice = django_user_model.objects.create_user("alice", is_staff=True)
    alice.groups.add(Group.objects.get(name=EDITORS))
    client = BrowserClient()
    client.force_login(alice)
    return client


# --- the change list's editable position


def list_form(client) -> dict:
    data = read_form(client.get(admin_url(Framework, "changelist")), "changelist-form")
    return {**data, "_save": "Save"}


def row_of(data: dict, framework: Framework) -> str:
    return next(k for k, v in data.items() if k.endswith("-id") and v == str(framework.pk))[:-3]


def set_position(client, framework: Framework, position: int) -> None:
    data = read_form(client.get(change_url(framework)), "framework_form")
    data["position"] = str(position)
    response = client.post(change_url(framework), data)
    assert response.status_code == 302, errors_of(response)


def test_a_list_save_opened_before_another_change_of_its_row_is_refused(
    editor_client, alice_client
):
    flask = Framework.objects.get(slug="flask")
    data = list_form(editor_client)
    row = row_of(data, flask)
    set_position(alice_client, flask, 40)

    data[f"{row}-position"] = "30"
    response = editor_client.post(admin_url(Framework, "changelist"), data)

    assert response.status_code == 200
    assert Framework.objects.get(slug="flask").position == 40
    page = parse(response)
    error = page.one("ul", class_="errorlist").clean_text
    assert "Changed to 40 by alice at" in error
    assert "not saved" in error
    kept = page.one("input", name=f"{row}-position")
    assert kept.attrs["value"] == "30"


def test_the_refused_list_saves_when_sent_again(editor_client, alice_client):
    flask = Framework.objects.get(slug="flask")
    data = list_form(editor_client)
    set_position(alice_client, flask, 40)
    data[f"{row_of(data, flask)}-position"] = "30"
    refused = editor_client.post(admin_url(Framework, "changelist"), data)
    again = {**read_form(refused, "changelist-form"), "_save": "Save"}
    assert editor_client.post(admin_url(Framework, "changelist"), again).status_code == 302
    assert Framework.objects.get(slug="flask").position == 30


def test_a_list_save_leaves_a_row_it_did_not_touch_as_another_editor_set_it(
    editor_client, alice_client
):
    flask, django = Framework.objects.get(slug="flask"), Framework.objects.get(slug="django")
    data = list_form(editor_client)
    set_position(alice_client, flask, 40)
    data[f"{row_of(data, django)}-position"] = "25"
    response = editor_client.post(admin_url(Framework, "changelist"), data)
    assert response.status_code == 302
    assert Framework.objects.get(slug="flask").position == 40
    assert Framework.objects.get(slug="django").position == 25


# --- a reader's report: two editors' notes


def test_a_second_note_on_a_report_from_a_stale_form_is_refused(editor_client, alice_client):
    report = Report.objects.create(page="/frameworks/django/", text="The year is wrong here.")
    edna_form = read_form(editor_client.get(change_url(report)), "report_form")
    alice_form = read_form(alice_client.get(change_url(report)), "report_form")
    alice_form["note"] = "Checked the release notes: fixed."
    assert alice_client.post(change_url(report), alice_form).status_code == 302

    edna_form["note"] = "Asked the reader for a source."
    response = editor_client.post(change_url(report), edna_form)

    assert response.status_code == 200
    report.refresh_from_db()
    assert report.note == "Checked the release notes: fixed."
    errors = parse(response).one("ul", class_="errorlist").clean_text
    assert "This report was changed by alice at" in errors
    assert "Asked the reader for a source." in response.content.decode()


# --- a busy database: tried again, then the form with the input kept


def locked_saves(times: int):
    """Framework.save raising SQLite's lock error the first `times` calls, then saving."""
    real_save = Framework.save
    calls = {"n": 0}

    def save(self, *args, **kwargs):
        calls["n"] += 1
        if calls["n"] <= times:
            raise OperationalError("database is locked")
        return real_save(self, *args, **kwargs)

    return mock.patch.object(Framework, "save", save)


def test_a_save_that_meets_a_lock_once_is_tried_again_and_saved(editor_client):
    django = Framework.objects.get(slug="django")
    data = read_form(editor_client.get(change_url(django)), "framework_form")
    data["tagline"] = "Saved on the second try."
    with locked_saves(1):
        response = editor_client.post(change_url(django), data)
    assert response.status_code == 302, errors_of(response)
    assert Framework.objects.get(slug="django").tagline == "Saved on the second try."


def test_a_save_that_meets_a_lock_twice_shows_the_form_with_the_input_kept(editor_client):
    django = Framework.objects.get(slug="django")
    before = django.tagline
    data = read_form(editor_client.get(change_url(django)), "framework_form")
    data["tagline"] = "Typed while another save held the lock."
    with locked_saves(2):
        response = editor_client.post(change_url(django), data)
    assert response.status_code == 200
    assert "database was busy" in parse(response).one("ul", class_="errorlist").clean_text
    kept = parse(response).one("input", name="tagline")
    assert kept.attrs["value"] == "Typed while another save held the lock."
    assert Framework.objects.get(slug="django").tagline == before


def test_another_database_error_is_not_taken_for_a_busy_database(editor_client):
    django = Framework.objects.get(slug="django")
    data = read_form(editor_client.get(change_url(django)), "framework_form")

    def broken(self, *args, **kwargs):
        raise OperationalError("no such table: comparisons_framework")

    with mock.patch.object(Framework, "save", broken), pytest.raises(OperationalError):
        editor_client.post(change_url(django), data)


class Cause(Exception):
    def __init__(self, sqlstate):
        self.sqlstate = sqlstate


@pytest.mark.parametrize(
    ("sqlstate", "busy"), [("40001", True), ("40P01", True), ("23505", False), (None, False)]
)
def test_postgresqls_serialisation_failure_and_deadlock_count_as_busy(sqlstate, busy):
    error = DatabaseError("could not serialize access")
    error.__cause__ = Cause(sqlstate)
    assert is_busy(error) is busy
