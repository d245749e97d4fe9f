"""Two editors on one object: the second save from a form opened before the first is refused.

The second editor gets the form back (nothing saved) with who changed the object and when,
and with what they entered, so they can review it and save again. This holds for a
framework's page with its inline rows, and for every other content model's change form.
"""

from dataclasses import dataclass

import pytest
from django.contrib.auth.models import Group

from articles.models import Article
from comparisons.models import (
    Correction,
    Criterion,
    Framework,
    FrameworkSource,
    ProCon,
    ProjectType,
    Rating,
    RatingSource,
    UseCase,
)
from core.roles import EDITORS
from tests.admin_forms import (
    BrowserClient,
    add_inline_row,
    admin_url,
    change_url,
    errors_of,
    read_form,
)
from tests.html import parse

OPENED = "_opened_version"


@pytest.fixture
def alice_client(django_user_model):
    """A second editor, in the Editors group like edna."""
    alice = django_user_model.objects.create_user("alice", password="alice-pass-phrase-61",
                                                  is_staff=True)  # fmt: skip
    alice.groups.add(Group.objects.get(name=EDITORS))
    client = BrowserClient()
    client.force_login(alice)
    return client


def form_id(obj) -> str:
    return f"{obj._meta.model_name}_form"


def open_form(client, obj) -> dict:
    response = client.get(change_url(obj))
    assert response.status_code == 200
    return read_form(response, form_id(obj))


def save(client, obj, data):
    return client.post(change_url(obj), data)


def saved(response) -> None:
    assert response.status_code == 302, errors_of(response)


def form_errors_shown(response) -> list[str]:
    """The messages at the top of the form, as the editor reads them."""
    page = parse(response)
    lists = [ul for ul in page.find_all("ul", class_="errorlist") if "nonfield" in ul.classes]
    return [li.clean_text for ul in lists for li in ul.find_all("li")]


def assert_refused_as_stale(response, obj, by: str) -> None:
    """The form again (not a redirect), saying who changed the object since it was opened."""
    assert response.status_code == 200
    errors = form_errors_shown(response)
    name = obj._meta.verbose_name
    assert any(
        error.startswith(f"This {name} was changed by {by} at ") and "since you opened it" in error
        for error in errors
    ), errors
    assert any("your changes were not saved" in error for error in errors), errors


def now_shown(client, obj) -> dict:
    """The change form as an editor opening it now sees it: what is saved."""
    return open_form(client, type(obj).objects.get(pk=obj.pk))


# --- the framework page, with its inline rows


DJANGO = "django"


def framework() -> Framework:
    return Framework.objects.get(slug=DJANGO)


def change_tagline(data):
    data["tagline"] = "Alice's tagline"
    return lambda shown: shown["tagline"] == "Alice's tagline"


def retitle_a_pro(data):
    data["pros-0-title"] = "Alice's pro title"
    return lambda shown: shown["pros-0-title"] == "Alice's pro title"


def change_a_rating(data):
    data["ratings-0-verdict"] = "Alice's verdict"
    return lambda shown: shown["ratings-0-verdict"] == "Alice's verdict"


def add_a_use_case(data):
    add_inline_row(data, "use_cases", title="Alice's use case", body="Hers.", position="9")
    return lambda shown: "Alice's use case" in shown.values()


def delete_a_source(data):
    data["sources-0-DELETE"] = "on"
    gone = data["sources-0-id"]
    return lambda shown: (
        gone
        not in [
            value
            for key, value in shown.items()
            if key.startswith("sources-") and key.endswith("-id")
        ]
    )


FIRST_EDITS_ON_THE_PAGE = {
    "a main field": change_tagline,
    "an inline pro's title": retitle_a_pro,
    "an inline rating": change_a_rating,
    "an inline row added": add_a_use_case,
    "an inline row deleted": delete_a_source,
}


@pytest.mark.parametrize(
    "first_edit", FIRST_EDITS_ON_THE_PAGE.values(), ids=FIRST_EDITS_ON_THE_PAGE
)
def test_a_stale_framework_form_is_refused_and_the_first_change_kept(
    editor_client, alice_client, opened_django_form, first_edit
):
    edna_form, alice_form = opened_django_form(), opened_django_form()
    alice_sees_her_change = first_edit(alice_form)
    saved(save(alice_client, framework(), alice_form))

    edna_form["summary"] = "Edna's summary"
    response = save(editor_client, framework(), edna_form)

    assert_refused_as_stale(response, framework(), by="alice")
    shown_now = now_shown(editor_client, framework())
    assert alice_sees_her_change(shown_now)
    assert shown_now["summary"] != "Edna's summary"
    assert read_form(response, "framework_form")["summary"] == "Edna's summary"


def test_the_message_says_when_and_what_saving_again_would_replace(
    editor_client, alice_client, opened_django_form
):
    edna_form, alice_form = opened_django_form(), opened_django_form()
    retitle_a_pro(alice_form)
    alice_form["tagline"] = "Alice's tagline"
    saved(save(alice_client, framework(), alice_form))
    edna_form["summary"] = "Edna's summary"

    errors = form_errors_shown(save(editor_client, framework(), edna_form))

    assert any(" UTC since you opened it" in error for error in errors), errors
    (replaces,) = [error for error in errors if error.startswith("Saving this form again")]
    assert "Tagline" in replaces
    assert "Summary" in replaces
    assert "pro “Django: pro — " in replaces  # the pro row Alice retitled
    assert "Creators" not in replaces  # a field neither of them changed


def test_the_refreshed_form_saves_when_submitted_again(
    editor_client, alice_client, opened_django_form
):
    edna_form, alice_form = opened_django_form(), opened_django_form()
    alice_form["tagline"] = "Alice's tagline"
    saved(save(alice_client, framework(), alice_form))
    edna_form["summary"] = "Edna's summary"
    refused = save(editor_client, framework(), edna_form)

    again = read_form(refused, "framework_form")
    again["tagline"] = "Alice's tagline"  # having read the message, Edna keeps Alice's tagline
    saved(save(editor_client, framework(), again))

    shown = now_shown(editor_client, framework())
    assert (shown["tagline"], shown["summary"]) == ("Alice's tagline", "Edna's summary")


def test_the_refreshed_form_is_refused_again_if_changed_again_meanwhile(
    editor_client, alice_client, opened_django_form
):
    edna_form = opened_django_form()
    for tagline in ("Alice's first tagline", "Alice's second tagline"):
        alice_form = open_form(alice_client, framework())
        alice_form["tagline"] = tagline
        saved(save(alice_client, framework(), alice_form))
        edna_form["summary"] = "Edna's summary"
        refused = save(editor_client, framework(), edna_form)
        assert_refused_as_stale(refused, framework(), by="alice")
        edna_form = read_form(refused, "framework_form")
    assert now_shown(editor_client, framework())["tagline"] == "Alice's second tagline"


# Changes made elsewhere than on the framework's page still count.


def retitle_the_pro_on_its_own_page(client) -> None:
    pro = ProCon.objects.filter(framework__slug=DJANGO, kind="pro").order_by("position").first()
    data = open_form(client, pro)
    data["title"] = "Retitled on its own page"
    saved(save(client, pro, data))


def reorder_from_the_list(client) -> None:
    changelist = client.get(admin_url(Framework, "changelist"))
    data = read_form(changelist, "changelist-form")
    row = next(k for k, v in data.items() if k.endswith("-id") and v == str(framework().pk))
    data[row.replace("-id", "-position")] = "42"
    data["_save"] = "Save"
    assert client.post(admin_url(Framework, "changelist"), data).status_code == 302


def unpublish_from_the_list(client) -> None:
    response = client.post(
        admin_url(Framework, "changelist"),
        {"action": "set_is_published_False", "_selected_action": [framework().pk]},
    )
    assert response.status_code == 302


ELSEWHERE = {
    "a pro on its own page": retitle_the_pro_on_its_own_page,
    "the list's position": reorder_from_the_list,
    "the unpublish action": unpublish_from_the_list,
}


@pytest.mark.parametrize("first_edit", ELSEWHERE.values(), ids=ELSEWHERE)
def test_a_change_made_elsewhere_also_makes_the_form_stale(
    editor_client, alice_client, opened_django_form, first_edit
):
    edna_form = opened_django_form()
    first_edit(alice_client)
    edna_form["summary"] = "Edna's summary"
    response = save(editor_client, framework(), edna_form)
    assert_refused_as_stale(response, framework(), by="alice")
    assert now_shown(editor_client, framework())["summary"] != "Edna's summary"


def test_a_change_outside_the_admin_is_refused_without_naming_anyone(
    editor_client, opened_django_form
):
    edna_form = opened_django_form()
    Framework.objects.filter(slug=DJANGO).update(creators="Changed in a shell")
    edna_form["summary"] = "Edna's summary"
    response = save(editor_client, framework(), edna_form)
    assert response.status_code == 200
    errors = form_errors_shown(response)
    assert any(e.startswith("This framework was changed since you opened it") for e in errors)
    assert framework().summary != "Edna's summary"


def test_a_change_form_without_its_version_is_refused(editor_client, opened_django_form):
    data = opened_django_form()
    del data[OPENED]
    data["summary"] = "Edna's summary"
    response = save(editor_client, framework(), data)
    assert response.status_code == 200
    assert any("did not say which version" in e for e in form_errors_shown(response))
    assert framework().summary != "Edna's summary"
    saved(save(editor_client, framework(), read_form(response, "framework_form")))
    assert framework().summary == "Edna's summary"


# --- a form that is not stale


def test_a_form_opened_after_the_other_save_is_saved(
    editor_client, alice_client, opened_django_form
):
    alice_form = opened_django_form()
    alice_form["tagline"] = "Alice's tagline"
    saved(save(alice_client, framework(), alice_form))
    edna_form = open_form(editor_client, framework())
    edna_form["summary"] = "Edna's summary"
    saved(save(editor_client, framework(), edna_form))
    shown = now_shown(editor_client, framework())
    assert (shown["tagline"], shown["summary"]) == ("Alice's tagline", "Edna's summary")


def test_one_editor_saving_twice_from_fresh_forms(editor_client):
    for summary in ("First", "Second"):
        data = open_form(editor_client, framework())
        data["summary"] = summary
        saved(save(editor_client, framework(), data))
    assert framework().summary == "Second"


def test_save_and_continue_gives_a_form_that_saves_again(editor_client, opened_django_form):
    data = opened_django_form()
    data["summary"] = "First"
    data["_continue"] = "Save and continue editing"
    response = save(editor_client, framework(), data)
    assert response.status_code == 302
    data = read_form(editor_client.get(response["Location"]), "framework_form")
    data["summary"] = "Second"
    saved(save(editor_client, framework(), data))
    assert framework().summary == "Second"


def test_a_form_with_other_errors_keeps_its_version(editor_client, opened_django_form):
    data = opened_django_form()
    data["ratings-0-rank"] = "0"
    response = save(editor_client, framework(), data)
    assert response.status_code == 200
    assert not any("since you opened it" in e for e in form_errors_shown(response))
    again = read_form(response, "framework_form")
    again["ratings-0-rank"] = "2"
    saved(save(editor_client, framework(), again))


# --- adding is unaffected


def test_the_add_form_has_no_version_and_adds(editor_client):
    response = editor_client.get(admin_url(UseCase, "add"))
    data = read_form(response, "usecase_form")
    assert OPENED not in data
    data.update(framework=str(framework().pk), title="Added", body="New.", position="5")
    saved(editor_client.post(admin_url(UseCase, "add"), data))
    assert UseCase.objects.filter(title="Added").exists()


def test_two_editors_adding_at_once_both_add(editor_client, alice_client):
    forms = [read_form(c.get(admin_url(UseCase, "add")), "usecase_form")
             for c in (editor_client, alice_client)]  # fmt: skip
    for client, data, title in zip(
        (editor_client, alice_client), forms, ("One", "Two"), strict=True
    ):
        data.update(framework=str(framework().pk), title=title, body="New.", position="5")
        saved(client.post(admin_url(UseCase, "add"), data))
    assert UseCase.objects.filter(title__in=["One", "Two"]).count() == 2


# --- every other content model's change form


@dataclass
class Case:
    """One change form: the first editor changes one field, the second another."""

    obj: object
    first: str
    first_value: object
    second: str
    second_value: object


def m2m_without_first(data: dict, field: str) -> list[str]:
    values = data[field]
    values = values if isinstance(values, list) else [values]
    return values[1:]


def case_for(name: str, alice_form_of) -> Case:
    if name == "criterion with a rating row":
        obj = Criterion.objects.get(slug="performance")
        return Case(obj, "ratings-0-verdict", "Alice's verdict", "description", "Edna's text")
    if name == "criterion":
        obj = Criterion.objects.get(slug="performance")
        return Case(obj, "name", "Alice's name", "description", "Edna's text")
    if name == "pro or con":
        obj = ProCon.objects.filter(framework__slug="flask").first()
        return Case(obj, "title", "Alice's title", "body", "Edna's body")
    if name == "use case":
        obj = UseCase.objects.filter(framework__slug="flask").first()
        return Case(obj, "title", "Alice's title", "body", "Edna's body")
    if name == "rating":
        obj = Rating.objects.get(criterion__slug="performance", framework__slug="flask")
        return Case(obj, "note", "Alice's note", "verdict", "Edna's verdict")
    if name == "rating with a source row":
        obj = Rating.objects.filter(sources__isnull=False).first()
        return Case(obj, "sources-0-position", "0", "verdict", "Edna's verdict")
    if name == "framework source":
        obj = FrameworkSource.objects.first()
        return Case(obj, "position", "7", "fact", "Edna's fact")
    if name == "rating source":
        obj = RatingSource.objects.first()
        return Case(obj, "position", "7", "url", "https://example.com/edna")
    if name == "correction":
        obj = Correction.objects.first()
        return Case(obj, "original", "Alice's original", "now", "Edna's now")
    if name == "project type":
        obj = ProjectType.objects.first()
        return Case(obj, "name", "Alice's name", "description", "Edna's line")
    if name == "project type's use cases":
        obj = ProjectType.objects.filter(use_cases__isnull=False).first()
        fewer = m2m_without_first(alice_form_of(obj), "use_cases")
        return Case(obj, "use_cases", fewer, "description", "Edna's line")
    if name == "article":
        obj = Article.objects.get()
        return Case(obj, "description", "Alice's lede", "conclusion", "Edna's end")
    if name == "article's frameworks":
        obj = Article.objects.get()
        fewer = m2m_without_first(alice_form_of(obj), "frameworks")
        return Case(obj, "frameworks", fewer, "conclusion", "Edna's end")
    raise AssertionError(name)


OTHER_FORMS = [
    "criterion",
    "criterion with a rating row",
    "pro or con",
    "use case",
    "rating",
    "rating with a source row",
    "framework source",
    "rating source",
    "correction",
    "project type",
    "project type's use cases",
    "article",
    "article's frameworks",
]


def same(shown, expected) -> bool:
    if isinstance(expected, list) and len(expected) == 1:
        expected = expected[0]
    return shown == expected


@pytest.mark.parametrize("name", OTHER_FORMS)
def test_every_content_form_refuses_a_stale_save(editor_client, alice_client, name):
    case = case_for(name, lambda obj: open_form(alice_client, obj))
    obj = case.obj
    edna_form = open_form(editor_client, obj)
    alice_form = open_form(alice_client, obj)
    alice_form[case.first] = case.first_value
    saved(save(alice_client, obj, alice_form))

    edna_form[case.second] = case.second_value
    response = save(editor_client, obj, edna_form)

    assert_refused_as_stale(response, obj, by="alice")
    shown = now_shown(editor_client, obj)
    assert same(shown[case.first], case.first_value)
    assert shown[case.second] != case.second_value
    again = read_form(response, form_id(obj))
    assert again[case.second] == case.second_value

    saved(save(editor_client, obj, again))  # the refreshed form, submitted again
    assert now_shown(editor_client, obj)[case.second] == case.second_value


@pytest.mark.parametrize("name", OTHER_FORMS)
def test_every_content_form_saves_when_not_stale(editor_client, alice_client, name):
    case = case_for(name, lambda obj: open_form(alice_client, obj))
    obj = case.obj
    alice_form = open_form(alice_client, obj)
    alice_form[case.first] = case.first_value
    saved(save(alice_client, obj, alice_form))
    edna_form = open_form(editor_client, obj)
    edna_form[case.second] = case.second_value
    saved(save(editor_client, obj, edna_form))
    shown = now_shown(editor_client, obj)
    assert same(shown[case.first], case.first_value)
    assert shown[case.second] == case.second_value


def test_every_content_admin_checks_the_version():
    """No content model's admin is left out: each is a ContentAdmin."""
    from django.contrib import admin

    from core.admin import ContentAdmin
    from core.content import content_models

    for model in content_models():
        assert isinstance(admin.site._registry[model], ContentAdmin), model
