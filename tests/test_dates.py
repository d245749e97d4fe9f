"""Dates that mean something (issue 25): "Updated", the feed's and the sitemaps' dates come from
the content's own history. The fixtures carry them, seeding never dates anything today, and an
edit dates only what it changed."""

import datetime
import json

import pytest
from django.conf import settings
from django.core.management import call_command
from django.utils import timezone

from articles.models import Article
from comparisons.models import Framework
from core.content import content_models
from core.models import ContentVersion
from tests.admin_forms import add_inline_row, change_url, errors_of, read_form

pytestmark = pytest.mark.django_db


def fixture_dates() -> dict[str, datetime.datetime]:
    """Each dated object's date as the fixtures carry it, by slug."""
    found = {}
    for name in ("comparisons.json", "articles.json"):
        for record in json.loads((settings.FIXTURE_DIR / name).read_text()):
            if record["model"] in {"comparisons.framework", "articles.article"}:
                when = record["fields"]["updated_at"].replace("Z", "+00:00")
                found[record["fields"]["slug"]] = datetime.datetime.fromisoformat(when)
    return found


def stored_dates() -> dict[str, datetime.datetime]:
    return dict(
        [
            *Framework.objects.values_list("slug", "updated_at"),
            *Article.objects.values_list("slug", "updated_at"),
        ]
    )


def empty_and_seed() -> None:
    for model in reversed(content_models()):
        model._default_manager.all().delete()
    call_command("seed", verbosity=0)


def test_a_seed_gives_every_page_the_date_its_fixture_carries(seeded):
    empty_and_seed()
    assert stored_dates() == fixture_dates()


def test_a_seed_dates_nothing_today(seeded):
    start = timezone.now()
    empty_and_seed()
    assert all(when < start for when in stored_dates().values())
    assert ContentVersion.last_changed() == max(fixture_dates().values())


def test_seeding_again_dates_nothing(seeded):
    before = (stored_dates(), ContentVersion.last_changed())
    call_command("seed", verbosity=0)
    assert (stored_dates(), ContentVersion.last_changed()) == before


def test_the_guide_says_the_date_of_its_own_last_change(seeded, client):
    page = client.get("/articles/django-flask-or-fastapi/").content.decode()
    when = fixture_dates()["django-flask-or-fastapi"]
    assert f'datetime="{when.isoformat()}"' in page


def test_the_sitemap_dates_each_framework_page_by_its_own_change(seeded, client):
    sitemap = client.get("/sitemap.xml").content.decode()
    for slug, when in fixture_dates().items():
        if Framework.objects.filter(slug=slug).exists():
            entry = sitemap.split(f"/frameworks/{slug}/</loc>")[1].split("</url>")[0]
            assert f"<lastmod>{when.date().isoformat()}</lastmod>" in entry


def test_an_edit_dates_the_framework_it_changed_and_no_other(seeded, editor_client):
    before = stored_dates()
    django = Framework.objects.get(slug="django")
    data = read_form(editor_client.get(change_url(django)), "framework_form")
    data["tagline"] = "A tagline changed today."
    response = editor_client.post(change_url(django), data)
    assert response.status_code == 302, errors_of(response)
    after = stored_dates()
    assert after["django"] > timezone.now() - datetime.timedelta(minutes=1)
    assert {k: v for k, v in after.items() if k != "django"} == {
        k: v for k, v in before.items() if k != "django"
    }
    assert ContentVersion.last_changed() >= after["django"]


def test_a_new_row_dates_its_framework(seeded, editor_client):
    flask = Framework.objects.get(slug="flask")
    data = read_form(editor_client.get(change_url(flask)), "framework_form")
    add_inline_row(data, "pros", title="A new pro", body="Typed today.", kind="pro", position="9")
    assert editor_client.post(change_url(flask), data).status_code == 302
    assert stored_dates()["flask"] > timezone.now() - datetime.timedelta(minutes=1)
    assert stored_dates()["django"] == fixture_dates()["django"]


def test_a_deleted_row_dates_its_framework(seeded):
    Framework.objects.get(slug="fastapi").use_cases.first().delete()
    assert stored_dates()["fastapi"] > timezone.now() - datetime.timedelta(minutes=1)


def test_a_save_that_changes_nothing_dates_nothing(seeded, editor_client):
    django = Framework.objects.get(slug="django")
    data = read_form(editor_client.get(change_url(django)), "framework_form")
    assert editor_client.post(change_url(django), data).status_code == 302
    assert stored_dates()["django"] == fixture_dates()["django"]


def test_the_export_writes_the_dates_back_as_they_are(seeded, tmp_path):
    call_command("export_content", fixture_dir=tmp_path, verbosity=0)
    for name in ("comparisons.json", "articles.json"):
        assert (tmp_path / name).read_text() == (settings.FIXTURE_DIR / name).read_text()


def test_a_restore_from_history_dates_the_framework_now(seeded):
    from reversion.models import Version

    from core.history import restore

    django = Framework.objects.get(slug="django")
    seeded_version = Version.objects.get_for_object(django).last()
    django.tagline = "Changed, then undone."
    django.save()
    edited_at = Framework.objects.get(slug="django").updated_at
    restore(seeded_version)
    django.refresh_from_db()
    assert django.tagline != "Changed, then undone."
    assert django.updated_at >= edited_at > fixture_dates()["django"]
