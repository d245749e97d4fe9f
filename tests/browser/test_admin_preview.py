"""An editor's live Markdown preview in the admin, in Chromium: typed, rendered, sanitised."""

import re

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import MD5PasswordHasher
from django.contrib.auth.models import Group
from django.urls import reverse

from comparisons.models import Framework
from core.roles import EDITORS
from tests.admin_forms import change_url

PASSWORD = "a-long-editor-passphrase-77"
MD5 = MD5PasswordHasher()
HOSTILE = (
    "Safe **bold**\n\n<script>window.__pwned = 1</script>\n\n"
    '<img src="x" onerror="window.__pwned = 2">\n\n[click](javascript:window.__pwned=3)'
)


@pytest.fixture(scope="module")
def editor(site_url):
    """An account in the Editors group (which migrate keeps up to date, core/roles.py).

    Made once and committed, outside any test's transaction, so that the live server sees it
    on every database; its password is hashed as the tests' settings hash (MD5, fast).
    """
    editor = get_user_model().objects.create(
        username="edna", password=MD5.encode(PASSWORD, MD5.salt()), is_staff=True
    )
    editor.groups.add(Group.objects.get(name=EDITORS))
    yield editor
    editor.delete()


@pytest.fixture
def editor_page(site, editor, new_page):
    page = new_page()
    page.goto(site + reverse("admin:login"))
    page.fill("#id_username", "edna")
    page.fill("#id_password", PASSWORD)
    with page.expect_navigation():
        page.click("input[type=submit]")
    django = Framework.objects.get(slug="django")
    page.goto(site + change_url(django))
    return page


def preview_of(page, textarea_id: str):
    return page.locator(f"#{textarea_id}").locator("xpath=..").locator(".markdownx-preview")


def test_typing_in_the_summary_shows_the_rendered_preview(editor_page):
    editor_page.fill("#id_summary", "A *new* summary with **bold** text.")
    preview = preview_of(editor_page, "id_summary")
    preview.locator("strong").wait_for()
    assert preview.locator("strong").inner_text() == "bold"
    assert preview.locator("em").inner_text() == "new"


def test_preview_works_in_a_pro_row_added_after_page_load(editor_page):
    before = editor_page.locator("textarea[name^='pros-'][name$='-body']:visible").count()
    editor_page.locator(".add-row a", has_text=re.compile(r"^add another pro$", re.I)).click()
    new_id = f"id_pros-{before}-body"
    editor_page.locator(f"#{new_id}").wait_for()
    editor_page.fill(f"#{new_id}", "A **fresh** point")
    preview = preview_of(editor_page, new_id)
    preview.locator("strong").wait_for()
    assert preview.locator("strong").inner_text() == "fresh"


def test_hostile_markdown_in_the_preview_has_no_effect(editor_page):
    editor_page.fill("#id_summary", HOSTILE)
    preview = preview_of(editor_page, "id_summary")
    preview.locator("strong").wait_for()
    editor_page.wait_for_timeout(300)
    assert editor_page.evaluate("window.__pwned") is None
    assert preview.locator("script, [onerror]").count() == 0
    assert preview.locator("a[href^='javascript']").count() == 0


def test_hostile_markdown_in_an_added_row_has_no_effect(editor_page):
    before = editor_page.locator("textarea[name^='cons-'][name$='-body']:visible").count()
    editor_page.locator(".add-row a", has_text=re.compile(r"^add another con$", re.I)).click()
    new_id = f"id_cons-{before}-body"
    editor_page.locator(f"#{new_id}").wait_for()
    editor_page.fill(f"#{new_id}", HOSTILE)
    preview = preview_of(editor_page, new_id)
    preview.locator("strong").wait_for()
    editor_page.wait_for_timeout(300)
    assert editor_page.evaluate("window.__pwned") is None
