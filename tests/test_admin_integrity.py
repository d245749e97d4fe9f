"""A save the database refuses shows the form again with the reason; only an unreachable
database gives the "unavailable" page.

The race is made deterministic: the other editor's row is inserted after this editor's form
was validated and before it is saved (a wrapped save hook), or it was there already and
validation is made not to see it (as when it was committed a moment after validation ran).
"""

from types import SimpleNamespace
from unittest import mock

import pytest
from django.db import IntegrityError, InterfaceError, OperationalError, ProgrammingError
from django.test import Client
from reversion.models import Revision

from articles.models import Article
from comparisons.admin import FrameworkAdmin, ProConAdmin
from comparisons.models import Framework, ProCon, Rating
from core.admin import refusal_of
from tests.admin_forms import add_inline_row, admin_url, change_url, errors_of, read_form
from tests.html import parse

SAME_TITLE = "Same title, same moment"
TAKEN = "This framework already has a pro or con with this title."


def django() -> Framework:
    return Framework.objects.get(slug="django")


def another_editors_pro(**fields) -> ProCon:
    values = {"framework": django(), "kind": "pro", "title": SAME_TITLE, "body": "Theirs."}
    return ProCon.objects.create(**{**values, **fields})


def saved_first_by_another_editor(admin_class, hook: str, insert):
    """Wrap the admin's save hook: the other editor's row goes in just before this save."""
    original = getattr(admin_class, hook)

    def racing(self, request, *args):
        insert()
        return original(self, request, *args)

    return mock.patch.object(admin_class, hook, racing)


def form_errors_shown(response) -> list[str]:
    page = parse(response)
    lists = [ul for ul in page.find_all("ul", class_="errorlist") if "nonfield" in ul.classes]
    return [li.clean_text for ul in lists for li in ul.find_all("li")]


def new_pro_form(client) -> dict:
    data = read_form(client.get(admin_url(ProCon, "add")), "procon_form")
    data.update(framework=str(django().pk), kind="pro", title=SAME_TITLE, body="Mine.",
                position="9")  # fmt: skip
    return data


# --- two editors adding a pro with the same title


def test_adding_a_pro_whose_title_was_just_taken_shows_the_error_on_the_title(editor_client):
    data = new_pro_form(editor_client)
    revisions = Revision.objects.count()
    with saved_first_by_another_editor(ProConAdmin, "save_model", another_editors_pro):
        response = editor_client.post(admin_url(ProCon, "add"), data)

    assert response.status_code == 200  # the form again, not the "unavailable" page
    assert errors_of(response) == {"title": [TAKEN]}
    assert read_form(response, "procon_form")["body"] == "Mine."  # the input is kept
    assert not ProCon.objects.filter(body="Mine.").exists()
    assert Revision.objects.count() == revisions  # nor anything in the history


def test_the_other_editors_pro_stays_and_this_one_is_not_added(editor_client):
    theirs = another_editors_pro()
    data = new_pro_form(editor_client)
    # Committed a moment after this form was validated: validation did not see it.
    with mock.patch.object(ProCon, "validate_constraints", return_value=None):
        response = editor_client.post(admin_url(ProCon, "add"), data)

    assert response.status_code == 200
    assert errors_of(response) == {"title": [TAKEN]}
    assert list(ProCon.objects.filter(title=SAME_TITLE)) == [theirs]


def test_saving_again_after_changing_the_title_adds_the_pro(editor_client):
    data = new_pro_form(editor_client)
    with saved_first_by_another_editor(ProConAdmin, "save_model", another_editors_pro):
        refused = editor_client.post(admin_url(ProCon, "add"), data)
    again = read_form(refused, "procon_form")
    again["title"] = "Another title"
    response = editor_client.post(admin_url(ProCon, "add"), again)
    assert response.status_code == 302, errors_of(response)
    assert ProCon.objects.filter(title="Another title", body="Mine.").exists()


def test_a_pro_row_on_the_framework_page_whose_title_was_just_taken(
    editor_client, opened_django_form
):
    data = opened_django_form()
    add_inline_row(data, "pros", title=SAME_TITLE, body="Mine.", kind="pro", position="9")
    data["tagline"] = "Must not be saved"
    with saved_first_by_another_editor(FrameworkAdmin, "save_related", another_editors_pro):
        response = editor_client.post(change_url(django()), data)

    assert response.status_code == 200
    assert f"Pro or con: {TAKEN}" in form_errors_shown(response)
    assert django().tagline != "Must not be saved"  # nothing of the form is stored
    assert not ProCon.objects.filter(body="Mine.").exists()
    assert read_form(response, "framework_form")["tagline"] == "Must not be saved"


def test_a_framework_added_with_a_slug_just_taken_shows_the_error_on_the_slug(editor_client):
    data = read_form(editor_client.get(admin_url(Framework, "add")), "framework_form")
    data.update(
        name="Bottle",
        slug="bottle",
        tagline="Tiny.",
        summary="Small.",
        category="micro",
        first_released="2009",
        creators="Marcel Hellkamp",
        website="https://bottlepy.org/",
        repository="https://github.com/bottlepy/bottle",
        documentation="https://bottlepy.org/docs/",
        best_for="Scripts.",
        position="4",
    )

    def another_bottle():
        Framework.objects.create(**{
            **{k: data[k] for k in ("tagline", "summary", "category", "creators", "website",
                                     "repository", "documentation", "best_for")},
            "name": "Bottle (theirs)", "slug": "bottle", "first_released": 2009,
        })  # fmt: skip

    with saved_first_by_another_editor(FrameworkAdmin, "save_model", another_bottle):
        response = editor_client.post(admin_url(Framework, "add"), data)

    assert response.status_code == 200
    assert errors_of(response) == {"slug": ["Framework with this Slug already exists."]}
    assert not Framework.objects.filter(name="Bottle").exists()


def test_a_check_constraint_refused_on_save_is_shown_on_its_field(
    editor_client, opened_django_form
):
    data = opened_django_form()
    data["tagline"] = "Must not be saved"
    original = FrameworkAdmin.save_model

    def corrupting(self, request, obj, form, change):  # a value validation did not check
        obj.first_released = 1800
        original(self, request, obj, form, change)

    with mock.patch.object(FrameworkAdmin, "save_model", corrupting):
        response = editor_client.post(change_url(django()), data)

    assert response.status_code == 200
    errors = errors_of(response)
    assert list(errors) == ["first_released"]
    assert errors["first_released"][0].startswith("The year must be between")
    assert django().tagline != "Must not be saved"


def test_a_refusal_naming_no_known_constraint_is_an_error_of_the_form(editor_client):
    article = Article.objects.get()
    data = read_form(editor_client.get(change_url(article)), "article_form")
    data["description"] = "Must not be saved"

    def refused(self, request, obj, form, change):
        raise IntegrityError("something the database did not like")

    with mock.patch("articles.admin.ArticleAdmin.save_model", refused):
        response = editor_client.post(change_url(article), data)

    assert response.status_code == 200
    assert any(
        e.startswith("The database refused to save this") for e in form_errors_shown(response)
    )
    article.refresh_from_db()
    assert article.description != "Must not be saved"


def test_a_second_refusal_in_the_same_request_is_not_hidden(editor):
    """The form is shown again once; a save that fails again is a real error (a 500)."""
    client = Client(raise_request_exception=False)
    client.force_login(editor)
    data = new_pro_form(client)
    with (
        mock.patch.object(ProConAdmin, "save_model", _always_refused),
        mock.patch("core.admin.add_refusal"),  # the form no longer stops the second save
    ):
        response = client.post(admin_url(ProCon, "add"), data)
    assert response.status_code == 500


def _always_refused(self, request, obj, form, change):
    raise IntegrityError("again")


# --- which constraint, which field: PostgreSQL names them in the error's diagnostics


def postgres_error(constraint: str, table: str, detail: str = "") -> IntegrityError:
    """As Django raises it from psycopg's UniqueViolation, whose `diag` names the constraint."""
    cause = Exception("duplicate key value violates unique constraint")
    cause.diag = SimpleNamespace(
        constraint_name=constraint, table_name=table, message_detail=detail
    )
    error = IntegrityError(*cause.args)
    error.__cause__ = cause
    return error


def test_postgresql_named_unique_constraint_is_found_with_its_field():
    error = postgres_error("comparisons_procon_unique_title", "comparisons_procon")
    assert refusal_of(error, [Framework, ProCon]) == (ProCon, "title", TAKEN)


def test_postgresql_unique_field_is_found_by_its_key():
    error = postgres_error(
        "comparisons_framework_slug_key", "comparisons_framework", "Key (slug)=(x) already exists."
    )
    assert refusal_of(error, [Framework]) == (
        Framework,
        "slug",
        "Framework with this Slug already exists.",
    )


def test_sqlite_unique_constraint_without_a_field_has_the_model_message():
    error = IntegrityError(
        "UNIQUE constraint failed: comparisons_rating.criterion_id, comparisons_rating.framework_id"
    )
    model, field, message = refusal_of(error, [Rating])
    assert (model, field) == (Rating, None)
    assert message == "This framework already has a rating on this criterion."


def test_an_unknown_refusal_names_nothing():
    model, field, message = refusal_of(IntegrityError("FOREIGN KEY constraint failed"), [ProCon])
    assert (model, field) == (None, None)
    assert message.startswith("The database refused to save this")


# --- the error pages: "unavailable" only when the database cannot be reached

FLASK = "/frameworks/flask/"


@pytest.mark.parametrize(
    "error",
    [IntegrityError("duplicate key"), ProgrammingError("no such column"), RuntimeError("bug")],
    ids=["IntegrityError", "ProgrammingError", "not the database"],
)
def test_other_errors_in_a_public_page_are_the_500_page(seeded, error):
    client = Client(raise_request_exception=False)
    with mock.patch("comparisons.views.render", side_effect=error):
        response = client.get(FLASK)
    assert response.status_code == 500
    assert "Something went wrong" in response.content.decode()
    assert "Retry-After" not in response


@pytest.mark.parametrize(
    "error",
    [OperationalError("could not connect to server"), InterfaceError("connection already closed")],
    ids=["OperationalError", "InterfaceError"],
)
def test_an_unreachable_database_is_the_503_page(seeded, error):
    client = Client(raise_request_exception=False)
    with mock.patch("comparisons.views.render", side_effect=error):
        response = client.get(FLASK)
    assert response.status_code == 503
    assert "Temporarily unavailable" in response.content.decode()
    assert response["Retry-After"] == "30"
