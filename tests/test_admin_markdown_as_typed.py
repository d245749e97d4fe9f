"""Markdown is stored exactly as typed (issue 24): a browser submits a textarea's line breaks as
CRLF, and a form saved without a change to its texts must not count them as changed (History
said "Changed Summary" when nobody had touched it), nor store them otherwise."""

from django.contrib.admin.models import LogEntry

from comparisons.models import Framework, ProCon
from tests.admin_forms import change_url, read_form

SUMMARY = "First paragraph, on\ntwo lines.\n\nSecond paragraph."
PRO_BODY = "A pro on\ntwo lines.\n\n- and\n- a list"


def as_a_browser_sends_it(data: dict) -> dict:
    """What a browser posts: every line break of every text box as CRLF."""
    return {
        name: value.replace("\r\n", "\n").replace("\n", "\r\n") if isinstance(value, str) else value
        for name, value in data.items()
    }


def last_change_message(obj) -> str:
    entry = LogEntry.objects.filter(object_id=str(obj.pk), content_type__model="framework")
    return entry.latest("action_time", "pk").get_change_message()


def django_with_texts_on_several_lines() -> Framework:
    django = Framework.objects.get(slug="django")
    django.summary = SUMMARY
    django.save()
    pro = django.pros_cons.filter(kind=ProCon.Kind.PRO).order_by("position").first()
    pro.body = PRO_BODY
    pro.save()
    return django


def test_saving_the_form_unchanged_says_no_field_changed(seeded, editor_client):
    django = django_with_texts_on_several_lines()
    data = read_form(editor_client.get(change_url(django)), "framework_form")
    assert "\n" in data["summary"]

    response = editor_client.post(change_url(django), as_a_browser_sends_it(data))

    assert response.status_code == 302
    assert last_change_message(django) == "No fields changed."
    django.refresh_from_db()
    assert django.summary == SUMMARY
    assert django.pros_cons.filter(body=PRO_BODY).exists()


def test_a_text_edited_is_changed_and_stored_with_plain_line_breaks(seeded, editor_client):
    django = django_with_texts_on_several_lines()
    data = read_form(editor_client.get(change_url(django)), "framework_form")
    data["summary"] = SUMMARY + "\n\nA third paragraph."

    response = editor_client.post(change_url(django), as_a_browser_sends_it(data))

    assert response.status_code == 302
    assert last_change_message(django) == "Changed Summary."
    django.refresh_from_db()
    assert django.summary == SUMMARY + "\n\nA third paragraph."


def test_a_text_stored_with_crlf_is_not_changed_by_a_save_and_is_stored_plain(
    seeded, editor_client
):
    """Saved before this fix, a text may hold CRLF: opened and saved, it is no change of the
    editor's, and is stored with the line breaks every other text has."""
    django = Framework.objects.get(slug="django")
    Framework.objects.filter(pk=django.pk).update(summary=SUMMARY.replace("\n", "\r\n"))
    data = read_form(editor_client.get(change_url(django)), "framework_form")

    response = editor_client.post(change_url(django), as_a_browser_sends_it(data))

    assert response.status_code == 302
    assert last_change_message(django) == "No fields changed."
    django.refresh_from_db()
    assert django.summary == SUMMARY
