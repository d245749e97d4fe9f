"""An editor breaks a rank rule and is told where it happened (issue 24), in Chromium.

On Django's page an editor moves Django up to share the lead on API tooling (FastAPI 1,
Django 2, Flask 2 becomes 1, 1, 2, which the tie rule forbids: 1, 1, 3) in its rating row and
saves and continues: the framework page it comes back to warns of it, with a link to the
criterion's page. There the ranks are side by side, with the same warning; Django put back,
the warning is gone.

The live server's writes are not in the test's transaction (and on SQLite a test that read a
table in its transaction would lock the live server out of writing it): what the test needs
from the database is read before, and what the live server wrote is put back after.
"""

from types import SimpleNamespace

import pytest
from django.contrib.admin.models import LogEntry
from django.db.models import Max
from django.urls import reverse
from reversion.models import Revision

from comparisons.models import Criterion, Framework, Rating
from tests.admin_forms import change_url
from tests.browser.conftest import committed_editor, screenshot

USERNAME = "rank-editor"
PASSWORD = "a-long-editor-passphrase-53"
WIDTH, HEIGHT = 1280, 800
TIE_BREAK = (
    "API tooling and validation: the ranks are 1, 1, 2; after a tie the next rank skips the "
    "shared places, so they should read 1, 1, 3."
)


@pytest.fixture(scope="module")
def editor(site_url):
    with committed_editor(USERNAME, PASSWORD) as editor:
        yield editor


@pytest.fixture(scope="module")
def before(site_url, editor):
    """What the journey needs, read before it; Django's rating and page, and the history the
    saves wrote, put back after it."""
    django = Framework.objects.get(slug="django")
    criterion = Criterion.objects.get(slug="api-tooling")
    rating = Rating.objects.get(criterion=criterion, framework=django)
    saved = Framework.objects.filter(pk=django.pk).values("updated_at").get()
    assert rating.rank == 2
    newest = {model: model.objects.aggregate(newest=Max("pk"))["newest"] or 0
              for model in (Revision, LogEntry)}  # fmt: skip
    yield SimpleNamespace(
        django_url=change_url(django),
        criterion_url=change_url(criterion),
        criterion_name=criterion.name,
        django_pk=str(django.pk),
    )
    Rating.objects.filter(pk=rating.pk).update(rank=2)
    Framework.objects.filter(pk=django.pk).update(**saved)
    for model, pk in newest.items():
        model.objects.filter(pk__gt=pk).delete()


def log_in(site, page) -> None:
    page.goto(site + reverse("admin:login"))
    page.fill("#id_username", USERNAME)
    page.fill("#id_password", PASSWORD)
    with page.expect_navigation():
        page.click("input[type=submit]")


def warnings(page) -> list[str]:
    return page.locator(".messagelist .warning").all_inner_texts()


def test_an_editor_who_breaks_a_rank_rule_is_warned_where_it_happened(site, before, new_page):
    page = new_page(width=WIDTH, height=HEIGHT)
    dialogs = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.accept()))
    log_in(site, page)

    # Django's page: its rating on API tooling, moved up to share the lead.
    page.goto(site + before.django_url)
    row = page.locator("#ratings-group .inline-related:not(.empty-form)").filter(
        has=page.locator(
            "select[name$='-criterion'] option:checked", has_text=before.criterion_name
        )
    )
    assert row.count() == 1
    rank = row.locator("input[name$='-rank']")
    assert rank.input_value() == "2"
    rank.fill("1")
    with page.expect_navigation():
        page.locator("input[name=_continue]").click()

    # Back on Django's page: saved, and warned of, with the link to where it is fixed.
    assert page.url == site + before.django_url
    assert "was changed successfully" in page.inner_text(".messagelist .success")
    (warning,) = warnings(page)
    assert warning.startswith("After this change a rank breaks the rules, and readers see it")
    assert TIE_BREAK in warning
    screenshot(page, "rank-warning-1-on-the-framework-page")
    link = page.locator(".messagelist .warning a")
    assert link.inner_text() == f"Edit the ranks on {before.criterion_name}"

    # The link: the criterion's page, where the ranks are side by side, warns too.
    with page.expect_navigation():
        link.click()
    assert page.url == site + before.criterion_url
    assert warnings(page) == [TIE_BREAK]
    screenshot(page, "rank-warning-2-on-the-criterions-page")

    # Django put back to 2: saved, with no warning, here or on the page opened again.
    row = page.locator("#ratings-group .inline-related:not(.empty-form)").filter(
        has=page.locator(f"select[name$='-framework'] option:checked[value='{before.django_pk}']")
    )
    row.locator("input[name$='-rank']").fill("2")
    with page.expect_navigation():
        page.locator("input[name=_continue]").click()
    assert "was changed successfully" in page.inner_text(".messagelist .success")
    assert warnings(page) == []
    page.goto(site + before.criterion_url)
    assert warnings(page) == []
    assert dialogs == []
