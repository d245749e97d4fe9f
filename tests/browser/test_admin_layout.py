"""The admin in Chromium at 1280 by 800 (issue 17): every content change page fits without
sideways scrolling; a rating's sources are edited in a popup from the framework page; and
leaving a change form with unsaved changes asks first."""

import pytest
from django.contrib import admin
from django.contrib.admin.models import LogEntry
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import MD5PasswordHasher
from django.contrib.auth.models import Group
from django.db.models import Max
from django.urls import reverse
from reversion.models import Revision

from comparisons.models import Framework, RatingSource, Source
from core.admin import ContentAdmin
from core.roles import EDITORS
from tests.admin_forms import change_url

PASSWORD = "a-long-editor-passphrase-78"
MD5 = MD5PasswordHasher()
WIDTH, HEIGHT = 1280, 800

CONTENT_MODELS = sorted(
    (model for model, model_admin in admin.site._registry.items()
     if isinstance(model_admin, ContentAdmin)),
    key=lambda model: model._meta.label,
)  # fmt: skip


@pytest.fixture(scope="module")
def editor(site_url):
    """An editor, committed outside any test's transaction so that the live server sees it."""
    editor = get_user_model().objects.create(
        username="edith", password=MD5.encode(PASSWORD, MD5.salt()), is_staff=True
    )
    editor.groups.add(Group.objects.get(name=EDITORS))
    yield editor
    editor.delete()


@pytest.fixture
def editor_page(site, editor, new_page):
    page = new_page(width=WIDTH, height=HEIGHT)
    page.goto(site + reverse("admin:login"))
    page.fill("#id_username", "edith")
    page.fill("#id_password", PASSWORD)
    with page.expect_navigation():
        page.click("input[type=submit]")
    return page


ADDED_SOURCE = "https://example.com/added-in-the-popup"


@pytest.fixture(scope="module")
def django_url(site_url):
    """The Django framework's change page; what this module's saves changed is put back after
    its last test. The live server's writes are not in a test's transaction (and a test that
    reads a table in its transaction would lock the live server out of writing it, on SQLite:
    the tests that save read nothing from the database themselves)."""
    framework = Framework.objects.get(slug="django")
    saved = Framework.objects.filter(pk=framework.pk).values("tagline", "updated_at").get()
    newest_revision = Revision.objects.aggregate(newest=Max("pk"))["newest"] or 0
    newest_entry = LogEntry.objects.aggregate(newest=Max("pk"))["newest"] or 0
    yield change_url(framework)
    RatingSource.objects.filter(source__url=ADDED_SOURCE).delete()
    Source.objects.filter(url=ADDED_SOURCE).delete()
    Framework.objects.filter(pk=framework.pk).update(**saved)
    Revision.objects.filter(pk__gt=newest_revision).delete()
    LogEntry.objects.filter(pk__gt=newest_entry).delete()


def first_rating_evidence(page):
    """The first rating row's sources and figures, and its rating's pk, read from the page."""
    evidence = page.locator(".rating-evidence").first
    return evidence, evidence.get_attribute("id").removeprefix("rating-evidence-")


# --- 1,280 px wide


@pytest.mark.parametrize("model", CONTENT_MODELS, ids=lambda model: model._meta.label_lower)
def test_the_change_page_fits_1280_px(editor_page, site, model):
    obj = model._default_manager.order_by("pk").first()
    assert obj is not None, f"no {model._meta.verbose_name} seeded"
    editor_page.goto(site + change_url(obj))
    assert editor_page.locator("#content-main form").count() == 1
    width = editor_page.evaluate("document.documentElement.scrollWidth")
    assert width <= WIDTH, f"{model._meta.label}: {width} px"


# --- a rating's sources, in a popup from the framework page


def test_the_rating_link_opens_the_ratings_page_in_a_popup(editor_page, site, django_url):
    editor_page.goto(site + django_url)
    _, pk = first_rating_evidence(editor_page)
    with editor_page.expect_popup() as opened:
        editor_page.locator(f"#change_rating-evidence-{pk}").click()
    popup = opened.value
    popup.wait_for_load_state()
    assert popup.url.endswith(f"/admin/comparisons/rating/{pk}/change/?_popup=1")
    assert popup.locator("#sources-group").count() == 1
    assert editor_page.url.endswith(django_url)  # the framework page stays


def fields_past_the_edge(page) -> list[str]:
    """The names of the form's shown fields whose right edge is past the window's."""
    return page.evaluate(
        """() => [...document.querySelectorAll(
                "#content-main form input:not([type=hidden]), #content-main form textarea, "
                + "#content-main form select")]
            .filter(field => field.offsetParent !== null
                && field.getBoundingClientRect().right > window.innerWidth)
            .map(field => field.name)"""
    )


def test_the_ratings_popup_fits_its_window(editor_page, site, django_url):
    """Django opens it 800 px wide: the note's Markdown box (610 px in Django's styles) was
    cut off at the right, the form row hiding what did not fit."""
    editor_page.goto(site + django_url)
    _, pk = first_rating_evidence(editor_page)
    with editor_page.expect_popup() as opened:
        editor_page.locator(f"#change_rating-evidence-{pk}").click()
    popup = opened.value
    popup.wait_for_load_state()
    assert popup.evaluate("window.innerWidth") < WIDTH  # the popup's own size, not the page's
    assert popup.locator("#id_note").is_visible()
    assert fields_past_the_edge(popup) == []


def test_a_source_saved_in_the_popup_shows_on_return(editor_page, site, django_url):
    editor_page.goto(site + django_url)
    evidence, pk = first_rating_evidence(editor_page)
    with editor_page.expect_popup() as opened:
        editor_page.locator(f"#change_rating-evidence-{pk}").click()
    popup = opened.value
    popup.wait_for_load_state()
    popup.locator("#sources-group .add-row a").click()
    row = popup.locator("#sources-group tr.form-row:not(.empty-form)").last
    row.locator("input[name$='-title']").fill("A source added in the popup")
    row.locator("input[name$='-url']").fill(ADDED_SOURCE)
    with popup.expect_event("close"):
        popup.locator("input[name=_save]").click()
    evidence.get_by_text("A source added in the popup").wait_for()
    assert editor_page.url.endswith(django_url)


# --- unsaved changes


def dialogs_of(page) -> list[str]:
    """The dialogs the page opens from now on, each answered "leave"."""
    seen: list[str] = []

    def answer(dialog):
        seen.append(dialog.type)
        dialog.accept()

    page.on("dialog", answer)
    return seen


def leave_by_a_link(page) -> None:
    """Follow the breadcrumbs' first link (the admin's home), as an editor leaving would."""
    with page.expect_navigation():
        page.locator(".breadcrumbs a").first.click()
    assert page.url.endswith("/admin/")


def test_leaving_after_a_change_asks_first(editor_page, site, django_url):
    editor_page.goto(site + django_url)
    editor_page.fill("#id_tagline", "A change not saved")
    seen = dialogs_of(editor_page)
    leave_by_a_link(editor_page)
    assert seen == ["beforeunload"]


def test_leaving_without_a_change_does_not_ask(editor_page, site, django_url):
    editor_page.goto(site + django_url)
    editor_page.click("#id_tagline")
    seen = dialogs_of(editor_page)
    leave_by_a_link(editor_page)
    assert seen == []


def test_saving_a_change_does_not_ask(editor_page, site, django_url):
    editor_page.goto(site + django_url)
    editor_page.locator("#id_tagline").press("End")
    editor_page.locator("#id_tagline").type("!")
    seen = dialogs_of(editor_page)
    with editor_page.expect_navigation():
        editor_page.locator("input[name=_continue]").click()
    assert editor_page.locator(".messagelist .success").count() == 1
    leave_by_a_link(editor_page)
    assert seen == []
