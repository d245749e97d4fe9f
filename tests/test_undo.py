"""Undo is one object's undo (issue 24): restoring a version through History changes that
object and its own rows, nothing else; the form says what will change before it is confirmed;
recovering a deleted row brings back that row; the seed's history is one entry per object."""

import importlib
from types import SimpleNamespace

import pytest
import reversion
from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from reversion.models import Revision, Version

from comparisons.models import Criterion, Framework, ProCon, Rating
from core.content import SEEDED, content_models
from tests.admin_forms import add_inline_row, admin_url, change_url, errors_of, read_form
from tests.html import parse

pytestmark = pytest.mark.django_db


def edit(client, obj, **fields) -> None:
    """Change these fields of an object through its admin change form."""
    data = read_form(client.get(change_url(obj)), f"{obj._meta.model_name}_form")
    data.update(fields)
    response = client.post(change_url(obj), data)
    assert response.status_code == 302, errors_of(response)


def seeded_version(obj) -> Version:
    return Version.objects.get_for_object(obj).last()


def revision_url(obj, version) -> str:
    return admin_url(obj, "revision", obj.pk, version.pk)


def add_fourth_framework(client) -> Framework:
    data = read_form(client.get(admin_url(Framework, "add")), "framework_form")
    data.update(
        name="Bottle",
        slug="bottle",
        tagline="A tiny framework in one file.",
        summary="Bottle is small.",
        category="micro",
        first_released="2009",
        creators="Marcel Hellkamp",
        website="https://bottlepy.org/",
        repository="https://github.com/bottlepy/bottle",
        documentation="https://bottlepy.org/docs/",
        best_for="Scripts that need a web page.",
    )
    for index in range(int(data["ratings-TOTAL_FORMS"])):
        data[f"ratings-{index}-rank"] = "4"
        data[f"ratings-{index}-verdict"] = "Small and plain."
    add_inline_row(
        data, "pros", title="One file", body="No dependencies.", kind="pro", position="1"
    )
    response = client.post(admin_url(Framework, "add"), data)
    assert response.status_code == 302, errors_of(response)
    return Framework.objects.get(slug="bottle")


def snapshot(framework: Framework) -> dict:
    """What a framework holds: its fields and every row it owns, as values."""
    framework.refresh_from_db()
    return {
        "tagline": framework.tagline,
        "pros_cons": sorted(framework.pros_cons.values_list("title", "body")),
        "use_cases": sorted(framework.use_cases.values_list("title", "body")),
        "ratings": sorted(framework.ratings.values_list("criterion__slug", "rank", "verdict")),
        "sources": sorted(framework.sources.values_list("source__url", "fact")),
    }


def test_restoring_one_framework_changes_it_and_no_other(editor_client, client):
    django, flask, fastapi = (Framework.objects.get(slug=s) for s in ("django", "flask", "fastapi"))
    seeded_django = snapshot(django)
    for framework in (django, flask, fastapi):
        edit(editor_client, framework, tagline=f"{framework.name}, edited after the seed.")
    bottle = add_fourth_framework(editor_client)
    others = {f.slug: snapshot(f) for f in (flask, fastapi, bottle)}
    assert len(others["bottle"]["ratings"]) == Criterion.objects.count()

    url = revision_url(django, seeded_version(django))
    form = read_form(editor_client.get(url), "framework_form")
    response = editor_client.post(url, form)
    assert response.status_code == 302, errors_of(response)

    assert snapshot(django) == seeded_django
    assert {f.slug: snapshot(f) for f in (flask, fastapi, bottle)} == others
    assert (
        "Django, edited after the seed." not in client.get("/frameworks/django/").content.decode()
    )
    assert "Flask, edited after the seed." in client.get("/frameworks/flask/").content.decode()


def whole_site_revision() -> Revision:
    """One revision holding every content object, as the seed recorded it before December
    2026 (and as a database not yet migrated still holds it)."""
    Revision.objects.all().delete()
    with reversion.create_revision():
        reversion.set_comment(SEEDED)
        for model in content_models():
            if reversion.is_registered(model):
                for obj in model._base_manager.all():
                    reversion.add_to_revision(obj)
    return Revision.objects.get()


def test_restoring_from_a_revision_of_the_whole_site_changes_one_framework(editor_client):
    whole_site_revision()
    django, flask = Framework.objects.get(slug="django"), Framework.objects.get(slug="flask")
    seeded_django = snapshot(django)
    edit(editor_client, django, tagline="Django, edited after the seed.")
    data = read_form(editor_client.get(change_url(flask)), "framework_form")
    data["tagline"] = "Flask, edited after the seed."
    add_inline_row(data, "pros", title="Added since", body="Stays.", kind="pro", position="9")
    assert editor_client.post(change_url(flask), data).status_code == 302
    edited_flask = snapshot(flask)

    url = revision_url(django, seeded_version(django))
    assert (
        editor_client.post(url, read_form(editor_client.get(url), "framework_form")).status_code
        == 302
    )

    assert snapshot(django) == seeded_django
    assert snapshot(flask) == edited_flask


def test_the_restore_form_lists_each_field_it_changes_before_anything_is_saved(editor_client):
    django = Framework.objects.get(slug="django")
    seeded_tagline = django.tagline
    edit(editor_client, django, tagline="A tagline typed later.")
    page = parse(editor_client.get(revision_url(django, seeded_version(django))))
    changes = page.one("section", class_="restore-changes")
    rows = [tr for tr in changes.find_all("tr") if tr.find_all("td")]
    row = next(tr for tr in rows if tr.one("th").clean_text == "Tagline")
    assert [td.clean_text for td in row.find_all("td")] == [
        "A tagline typed later.",
        seeded_tagline,
    ]
    assert Framework.objects.get(slug="django").tagline == "A tagline typed later."


def test_a_row_added_since_stays_and_the_form_says_so(editor_client):
    django = Framework.objects.get(slug="django")
    data = read_form(editor_client.get(change_url(django)), "framework_form")
    add_inline_row(
        data, "pros", title="Added later", body="Still wanted.", kind="pro", position="9"
    )
    assert editor_client.post(change_url(django), data).status_code == 302
    url = revision_url(django, seeded_version(django))
    page = editor_client.get(url)
    text = parse(page).one("section", class_="restore-changes").clean_text
    assert "Pro or con “Django: pro — Added later” was added since and stays" in text
    assert editor_client.post(url, read_form(page, "framework_form")).status_code == 302
    assert ProCon.objects.filter(framework=django, title="Added later").exists()


def test_a_row_added_since_can_be_deleted_on_the_restore_form(editor_client):
    django = Framework.objects.get(slug="django")
    data = read_form(editor_client.get(change_url(django)), "framework_form")
    add_inline_row(data, "pros", title="Added by mistake", body="Oops.", kind="pro", position="9")
    assert editor_client.post(change_url(django), data).status_code == 302
    url = revision_url(django, seeded_version(django))
    form = read_form(editor_client.get(url), "framework_form")
    mistake = ProCon.objects.get(title="Added by mistake")
    row = next(k for k, v in form.items() if k.endswith("-id") and v == str(mistake.pk))
    form[row.replace("-id", "-DELETE")] = "on"
    assert editor_client.post(url, form).status_code == 302
    assert not ProCon.objects.filter(title="Added by mistake").exists()


def test_recovering_a_deleted_rating_brings_back_that_rating_alone(editor_client):
    django = Framework.objects.get(slug="django")
    edit(editor_client, django, tagline="Kept after the recovery.")
    rating = Rating.objects.get(framework=django, criterion__slug="performance")
    before = {r.pk: (r.rank, r.verdict) for r in Rating.objects.exclude(pk=rating.pk)}
    delete = admin_url(rating, "delete", rating.pk)
    assert editor_client.post(delete, {"post": "yes"}).status_code == 302

    version = Version.objects.get_deleted(Rating).get(object_id=str(rating.pk))
    url = admin_url(Rating, "recover", version.pk)
    response = editor_client.post(url, read_form(editor_client.get(url), "rating_form"))
    assert response.status_code == 302, errors_of(response)

    assert Rating.objects.filter(pk=rating.pk).exists()
    assert {r.pk: (r.rank, r.verdict) for r in Rating.objects.exclude(pk=rating.pk)} == before
    assert Framework.objects.get(slug="django").tagline == "Kept after the recovery."


def test_a_restore_opened_before_another_change_is_refused_and_names_who(editor_client, editor):
    django = Framework.objects.get(slug="django")
    edit(editor_client, django, tagline="First edit.")
    url = revision_url(django, seeded_version(django))
    stale = read_form(editor_client.get(url), "framework_form")
    edit(editor_client, django, tagline="Second edit, made while the restore was open.")

    response = editor_client.post(url, stale, follow=True)
    text = parse(response).one("ul", class_="messagelist").clean_text
    assert "was changed by edna" in text
    assert "nothing was restored" in text
    django.refresh_from_db()
    assert django.tagline == "Second edit, made while the restore was open."


def test_a_version_of_another_model_is_refused_by_name(editor_client):
    django = Framework.objects.get(slug="django")
    pro = django.pros_cons.first()
    edit(editor_client, pro, title="A pro retitled")
    pro_version = Version.objects.get_for_object(pro).first()
    before = Revision.objects.count()
    response = editor_client.post(
        admin_url(django, "revision", pro.pk, pro_version.pk), {}, follow=True
    )
    text = parse(response).one("ul", class_="messagelist").clean_text
    assert f"Version {pro_version.pk} is a version of a pro or con, not of a framework" in text
    assert ProCon.objects.get(pk=pro.pk).title == "A pro retitled"
    assert Revision.objects.count() == before


def test_history_lists_the_newest_change_first(editor_client):
    django = Framework.objects.get(slug="django")
    edit(editor_client, django, tagline="The newest change.")
    page = parse(editor_client.get(admin_url(django, "history", django.pk)))
    rows = page.by_id("change-history").one("tbody").children
    assert "Seeded from the fixtures" not in rows[0].clean_text
    assert "Seeded from the fixtures" in rows[-1].clean_text


# --- the seed's history: one entry per object


def owners_in(revision) -> set[tuple[str, str]]:
    """The objects of a revision that no other object of it owns."""
    versions = list(revision.version_set.select_related("content_type"))
    owned = set()
    for version in versions:
        for row in versions:
            if row is version:
                continue
            model = row.content_type.model_class()
            for field in model._meta.concrete_fields:
                if (
                    field.is_relation
                    and field.related_model is version.content_type.model_class()
                    and str(row.field_dict.get(field.attname)) == version.object_id
                ):
                    owned.add(row.pk)
    return {(v.content_type.model, v.object_id) for v in versions if v.pk not in owned}


def test_the_seed_records_each_object_in_an_entry_of_its_own(seeded):
    revisions = Revision.objects.filter(comment=SEEDED)
    assert revisions.count() > len(Framework.objects.all())
    for revision in revisions:
        assert len(owners_in(revision)) == 1, revision.version_set.all()
    for model in content_models():
        if reversion.is_registered(model):
            for obj in model._base_manager.all():
                assert Version.objects.get_for_object(obj).exists(), obj


def split_migration():
    return importlib.import_module("core.migrations.0002_split_seed_history")


def test_the_migration_splits_a_whole_site_seed_entry(seeded):
    whole = whole_site_revision()
    objects = set(whole.version_set.values_list("content_type", "object_id"))

    split_migration().split_seed_revisions(apps, SimpleNamespace(connection=connection))

    revisions = Revision.objects.filter(comment=SEEDED)
    assert not revisions.filter(pk=whole.pk).exists()
    assert revisions.count() > 1
    assert set(Version.objects.values_list("content_type", "object_id")) == objects
    for revision in revisions:
        assert len(owners_in(revision)) == 1
        assert revision.date_created == whole.date_created
    framework_type = ContentType.objects.get_for_model(Framework)
    django = Framework.objects.get(slug="django")
    version = Version.objects.get(content_type=framework_type, object_id=str(django.pk))
    assert (
        version.revision.version_set.filter(
            content_type=ContentType.objects.get_for_model(ProCon)
        ).count()
        == django.pros_cons.count()
    )
