"""Editors' Markdown is rendered when it is saved, into a stored field of sanitised HTML.

After every kind of edit (an admin form, an inline row, restoring from history, recovering a
deleted object, the seed, a fixture load) the stored HTML is ``render_markdown`` of the
Markdown beside it; HTML from anywhere else (a form, a fixture, the history) never reaches it.
"""

import io
import json

import pytest
from django.apps import apps
from django.core import serializers
from django.core.management import call_command
from django.utils.safestring import SafeData, SafeString
from markdownx.models import MarkdownxField
from reversion.models import Version

from codesamples.models import Task
from comparisons.models import Correction, Criterion, Framework, ProCon
from core.content import content_models, fixtures
from core.fields import RenderedMarkdownField, rendered_fields
from core.markdown import render_markdown
from core.models import ContentVersion
from core.templatetags.site import plain_text
from tests.admin_forms import admin_url, change_url, errors_of, read_form
from tests.html import get_page
from tests.stored_html import stale_stored_html

HOSTILE = "Quokka <script>alert(1)</script> [x](javascript:alert(2)) <img src=x onerror=alert(3)>"
# HTML as a history or a fixture might hold it: kept from before a sanitiser fix, say.
STALE = "<p>kept from an older sanitiser <script>alert(1)</script></p>"


def framework_form(client, framework) -> dict:
    return read_form(client.get(change_url(framework)), "framework_form")


def save_framework_form(client, framework, data) -> None:
    response = client.post(change_url(framework), data)
    assert response.status_code == 302, errors_of(response)


def put_stale_html_in_the_history(revision) -> None:
    """Every object's stored HTML in this revision becomes STALE, as it is kept there."""
    for version in revision.version_set.all():
        (record,) = json.loads(version.serialized_data)
        names = [name for name in record["fields"] if name.endswith("_html")]
        if names:
            record["fields"].update(dict.fromkeys(names, STALE))
            version.serialized_data = json.dumps([record])
            version.save(update_fields=["serialized_data"])


# --- the fields


def test_every_markdown_field_has_its_stored_html():
    missing = [
        f"{model._meta.label}.{field.name}"
        for model in apps.get_models()
        for field in model._meta.concrete_fields
        if isinstance(field, MarkdownxField)
        and field.name not in {html.source for html in rendered_fields(model)}
    ]
    assert missing == []


def test_a_save_stores_the_html_of_the_markdown(seeded):
    criterion = Criterion.objects.get(slug="packages")
    criterion.description = "Counts **packages** & plugins."
    criterion.save()
    criterion.refresh_from_db()
    assert criterion.description_html == render_markdown("Counts **packages** & plugins.")


def test_html_set_by_hand_is_replaced_when_saved(seeded):
    criterion = Criterion.objects.get(slug="packages")
    criterion.description_html = STALE
    criterion.save()
    criterion.refresh_from_db()
    assert criterion.description_html == render_markdown(criterion.description)


def test_stored_html_reads_back_marked_safe(seeded):
    assert isinstance(Criterion.objects.get(slug="packages").description_html, SafeData)


def test_a_raw_save_renders_the_html_too(seeded):
    """loaddata and django-reversion save deserialized rows raw: no Field.pre_save runs."""
    criterion = Criterion.objects.get(slug="packages")
    (record,) = serializers.serialize("python", [criterion])
    record["fields"].update(description="Raw **save**.", description_html=STALE)
    (deserialized,) = serializers.deserialize("python", [record])
    deserialized.save()
    criterion.refresh_from_db()
    assert criterion.description_html == render_markdown("Raw **save**.")


def test_saving_the_markdown_without_its_html_field_is_refused(seeded):
    criterion = Criterion.objects.get(slug="packages")
    criterion.description = "Only this column."
    with pytest.raises(ValueError, match="description_html"):
        criterion.save(update_fields=["description"])


def test_update_or_create_stores_the_html_with_the_markdown(seeded):
    """As check_facts records a dated correction (update_fields chosen by Django)."""
    correction = Correction.objects.first()
    Correction.objects.update_or_create(
        framework=correction.framework,
        original=correction.original,
        defaults={"now": "Checked *today*."},
    )
    correction.refresh_from_db()
    assert correction.now_html == render_markdown("Checked *today*.")


# --- every kind of edit


def test_an_admin_change_form_stores_the_html_of_the_new_markdown(
    seeded, editor_client, opened_django_form
):
    django = Framework.objects.get(slug="django")
    data = opened_django_form()
    data["summary"] = "Django is *batteries included*."
    save_framework_form(editor_client, django, data)
    django.refresh_from_db()
    assert django.summary_html == render_markdown("Django is *batteries included*.")


def test_a_pro_edited_inline_stores_the_html_of_its_new_body(
    seeded, editor_client, opened_django_form
):
    django = Framework.objects.get(slug="django")
    data = opened_django_form()
    pro = ProCon.objects.get(pk=data["pros-0-id"])
    data["pros-0-body"] = "Edited **inline**."
    save_framework_form(editor_client, django, data)
    pro.refresh_from_db()
    assert pro.body_html == render_markdown("Edited **inline**.")


def test_restoring_from_history_renders_the_html_afresh(seeded, editor_client, opened_django_form):
    django = Framework.objects.get(slug="django")
    data = opened_django_form()
    data["summary"] = "A summary that will be undone."
    save_framework_form(editor_client, django, data)
    seeded_version = Version.objects.get_for_object(django).last()
    put_stale_html_in_the_history(seeded_version.revision)

    revision_url = admin_url(django, "revision", django.pk, seeded_version.pk)
    form = read_form(editor_client.get(revision_url), "framework_form")
    response = editor_client.post(revision_url, form)
    assert response.status_code == 302, errors_of(response)

    django.refresh_from_db()
    assert django.summary != "A summary that will be undone."
    rows, stale = stale_stored_html()
    assert rows > 100
    assert stale == []


def test_recovering_a_deleted_framework_renders_the_html_afresh(seeded, editor_client):
    flask = Framework.objects.get(slug="flask")
    assert (
        editor_client.post(admin_url(flask, "delete", flask.pk), {"post": "yes"}).status_code == 302
    )
    version = Version.objects.get_deleted(Framework).get(object_repr="Flask")
    put_stale_html_in_the_history(version.revision)

    recover_url = admin_url(Framework, "recover", version.pk)
    form = read_form(editor_client.get(recover_url), "framework_form")
    assert editor_client.post(recover_url, form).status_code == 302

    assert Framework.objects.get(slug="flask").pros_cons.exists()
    rows, stale = stale_stored_html()
    assert rows > 100
    assert stale == []


def test_seed_stores_the_html_of_every_markdown_field_of_every_row(seeded):
    rows, stale = stale_stored_html()
    assert rows > 100
    assert stale == []


def test_loaddata_renders_the_html_a_fixture_does_not_hold(seeded, tmp_path):
    task = Task.objects.first()
    (record,) = serializers.serialize("python", [task], use_natural_primary_keys=True)
    record["fields"]["summary"] = "Loaded *from a file*."
    del record["fields"]["summary_html"]
    path = tmp_path / "task.json"
    path.write_text(json.dumps([record]), encoding="utf-8")
    call_command("loaddata", str(path), verbosity=0)
    task.refresh_from_db()
    assert task.summary_html == render_markdown("Loaded *from a file*.")


# --- hostile Markdown, and HTML from outside


def test_hostile_markdown_typed_in_the_admin_never_reaches_the_stored_html(
    seeded, editor_client, opened_django_form
):
    django = Framework.objects.get(slug="django")
    data = opened_django_form()
    data["summary"] = HOSTILE
    save_framework_form(editor_client, django, data)
    django.refresh_from_db()
    stored = django.summary_html.lower()
    assert django.summary == HOSTILE
    assert "quokka" in stored  # rendered from what was typed
    assert "<script" not in stored
    assert "javascript:" not in stored
    assert "onerror" not in stored


def test_html_posted_with_an_admin_form_is_ignored(seeded, editor_client, opened_django_form):
    django = Framework.objects.get(slug="django")
    data = opened_django_form()
    data["summary_html"] = STALE
    data["pros-0-body_html"] = STALE
    save_framework_form(editor_client, django, data)
    django.refresh_from_db()
    assert django.summary_html == render_markdown(django.summary)
    assert not ProCon.objects.filter(body_html=STALE).exists()


def models_with_stored_html() -> list:
    return [model for model in content_models() if rendered_fields(model)]


@pytest.mark.parametrize("model", models_with_stored_html(), ids=lambda model: model._meta.label)
def test_no_admin_form_has_a_stored_html_field(seeded, admin_client, model):
    obj = model._default_manager.first()
    response = admin_client.get(change_url(obj))
    assert response.status_code == 200
    form_id = f"{model._meta.model_name}_form"
    names = [name for name in read_form(response, form_id) if name.endswith("_html")]
    assert names == []


def test_the_fixtures_hold_no_stored_html(settings):
    held = []
    for file_name, specs in fixtures().items():
        derived = {
            spec.label: {field.name for field in rendered_fields(spec.model)} for spec in specs
        }
        path = settings.FIXTURE_DIR / file_name
        for record in json.loads(path.read_text(encoding="utf-8")):
            held.extend(set(record["fields"]) & derived[record["model"]])
    assert held == []


def test_the_fixture_fields_leave_the_stored_html_out():
    for specs in fixtures().values():
        for spec in specs:
            derived = {field.name for field in rendered_fields(spec.model)}
            assert not derived & set(spec.field_names), spec.label


# --- pages print the stored HTML


def test_a_page_prints_the_stored_html_not_the_markdown_rendered_again(seeded, client):
    Framework.objects.filter(slug="django").update(summary_html="<p>As <kbd>stored</kbd>.</p>")
    page = get_page(client, "/frameworks/django/")
    assert [kbd.text for kbd in page.find_all("kbd")] == ["stored"]


def test_a_page_prints_the_stored_html_as_markup(seeded, client):
    django = Framework.objects.get(slug="django")
    django.summary = "Django is **batteries included**."
    django.save()
    page = get_page(client, "/frameworks/django/")
    assert "batteries included" in [strong.text for strong in page.find_all("strong")]


def test_plain_text_is_never_marked_safe():
    text = plain_text(SafeString('A "quoted" word'))
    assert text == 'A "quoted" word'
    assert not isinstance(text, SafeData)


# --- manage.py render_markdown


def render_markdown_command() -> str:
    out = io.StringIO()
    call_command("render_markdown", stdout=out)
    return out.getvalue()


def test_render_markdown_command_renders_stale_rows_again_and_counts_them(seeded):
    Criterion.objects.filter(slug__in=["packages", "community"]).update(description_html=STALE)
    assert render_markdown_command() == "2 row(s) changed.\n"
    assert stale_stored_html()[1] == []


def test_render_markdown_command_changes_nothing_when_all_is_current(seeded):
    assert render_markdown_command() == "0 row(s) changed.\n"


def test_render_markdown_command_moves_the_content_version(seeded):
    before = ContentVersion.objects.get(pk=1).version
    Criterion.objects.filter(slug="packages").update(description_html=STALE)
    render_markdown_command()
    assert ContentVersion.objects.get(pk=1).version > before


def test_stored_html_field_keeps_its_source_through_a_migration_state():
    """The migrations rebuild the field from deconstruct(): the source must come through."""
    field = Framework._meta.get_field("summary_html")
    _, path, args, kwargs = field.deconstruct()
    assert (path, kwargs) == ("core.fields.RenderedMarkdownField", {"source": "summary"})
    assert RenderedMarkdownField(*args, **kwargs).source == "summary"
