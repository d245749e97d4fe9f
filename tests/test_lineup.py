"""The site's words name and count the published frameworks (comparisons.lineup): titles,
descriptions and headings follow when a framework is published, and texts editors wrote that
count or list the frameworks as they no longer are are found (`manage.py check_texts`)."""

import re
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from articles.models import Article
from comparisons.lineup import Lineup, problems, stale_texts
from comparisons.models import Correction, Framework, Rating
from core.pages import PUBLIC_PAGES
from tests import factories
from tests.admin_forms import admin_url, change_url, read_form
from tests.html import get_page

THREE = Lineup(("Django", "Flask", "FastAPI"))
FOUR = Lineup(("Django", "Flask", "FastAPI", "Litestar"))
NAMES = list(FOUR.names)
ROOT = Path(__file__).resolve().parent.parent


# --- the words


def test_a_lineup_is_listed_with_and_or_or():
    assert THREE.and_list == "Django, Flask and FastAPI"
    assert FOUR.or_list == "Django, Flask, FastAPI or Litestar"
    assert Lineup(("Django", "Flask")).and_list == "Django and Flask"
    assert Lineup(("Django",)).or_list == "Django"


def test_a_lineup_counts_in_words():
    assert (THREE.count, THREE.count_word, FOUR.count_word) == (3, "three", "four")
    assert Lineup(tuple(f"F{i}" for i in range(14))).count_word == "14"


# --- stale texts


def stale(text: str, lineup: Lineup = FOUR) -> list[str]:
    return [excerpt for excerpt, _ in problems(text, lineup, NAMES)]


@pytest.mark.parametrize(
    "text",
    [
        "Most used of the three in the 2024 survey.",
        "All three are well maintained.",
        "Now for the three side by side.",
        "Three frameworks lead Python web development.",
        "the three web frameworks",
    ],
)
def test_a_count_of_the_frameworks_that_no_longer_matches_is_found(text):
    assert len(stale(text)) == 1
    assert stale(text, THREE) == []  # right while three are published


@pytest.mark.parametrize(
    "text",
    [
        "LTS releases get three years of security fixes.",
        "All six in the box: admin, accounts, ORM, migrations, forms and templates.",
        "on balance we find the two frameworks equal here",
        "one respondent in three",
    ],
)
def test_counts_of_something_else_are_left_alone(text):
    assert stale(text) == []


def test_a_list_of_the_frameworks_that_misses_one_is_found():
    assert stale("Django, Flask or FastAPI?") == ["Django, Flask or FastAPI"]
    assert stale("Django, Flask, FastAPI or Litestar?") == []


def test_a_list_of_two_frameworks_is_a_pair_and_left_alone():
    assert stale("Django and Flask are level on raw speed.") == []


def test_the_seeded_content_is_not_stale(seeded):
    assert stale_texts() == []
    call_command("check_texts")


def test_a_fourth_framework_makes_the_check_name_each_text_to_fix(seeded):
    factories.framework(name="Litestar", slug="litestar")
    found = stale_texts()
    rating = Rating.objects.get(framework__slug="fastapi", criterion__slug="community")
    assert any(t.label == str(rating) and t.excerpt == "the three" for t in found)
    article = Article.objects.get()
    assert any(t.label == article.title and "does not cover Litestar" in t.why for t in found)
    assert any(t.field == "title" and t.excerpt == "Django, Flask or FastAPI" for t in found)
    assert all(t.admin_url.startswith("/admin/") for t in found)
    with pytest.raises(CommandError, match="no longer match"):
        call_command("check_texts")


def test_an_old_claim_quoted_in_a_correction_is_not_stale(seeded):
    factories.framework(name="Litestar", slug="litestar")
    quoted = Correction.objects.get(original="Django has the biggest community of the three.")
    assert not any(t.label == str(quoted) and t.field == "original" for t in stale_texts())


def test_unpublishing_the_fourth_again_leaves_nothing_stale(seeded):
    litestar = factories.framework(name="Litestar", slug="litestar")
    litestar.is_published = False
    litestar.save()
    assert stale_texts() == []


# --- the pages name every published framework where they name them all


def named_texts(page) -> list[str]:
    """The texts of a page that name frameworks as a set: its title, descriptions, image
    text and headings."""
    texts = [page.one("title").clean_text]
    for meta in page.find_all("meta"):
        if meta.attrs.get("name") in ("description", "twitter:description") or meta.attrs.get(
            "property"
        ) in ("og:description", "og:image:alt", "og:title"):
            texts.append(meta.attrs.get("content", ""))
    texts += [h.clean_text for tag in ("h1", "h2") for h in page.find_all(tag)]
    return texts


# The code page names the frameworks that have a sample app, which a new one has not yet.
NAMING_PAGES = [url for name, url in PUBLIC_PAGES.items() if name != "code"]


@pytest.mark.parametrize("url", NAMING_PAGES)
def test_where_a_page_names_all_the_frameworks_it_names_a_fourth(seeded, client, url):
    """Or, where the words are an editor's (an article's title), the check names them."""
    seeded_names = list(Framework.objects.values_list("name", flat=True))
    factories.framework(name="Litestar", slug="litestar")
    flagged = [text.text for text in stale_texts() if text.text]
    page = get_page(client, url)
    for text in named_texts(page):
        if all(name in text for name in seeded_names) and "Litestar" not in text:
            assert any(written in text for written in flagged), text


def test_the_home_heading_and_description_name_a_fourth_framework(seeded, client):
    factories.framework(name="Litestar", slug="litestar")
    page = get_page(client, "/")
    assert page.one("h1").clean_text == "Django, Flask, FastAPI or Litestar?"
    compare = get_page(client, "/compare/")
    assert compare.one("title").clean_text.startswith("Compare Django, Flask, FastAPI and Litestar")


# --- nothing written into the code


def code_files() -> list[Path]:
    templates = [p for p in (ROOT / "templates").rglob("*.html") if "admin" not in p.parts]
    views = [
        p
        for app in ("articles", "comparisons", "codesamples")
        for p in (ROOT / app).glob("views.py")
    ]
    return templates + views


@pytest.mark.parametrize("path", code_files(), ids=lambda p: str(p.relative_to(ROOT)))
def test_no_template_or_view_names_or_counts_the_frameworks(seeded, path):
    text = path.read_text()
    names = list(Framework.objects.values_list("name", flat=True))
    for name in names:
        assert not re.search(rf"\b{re.escape(name)}\b", text), f"{name} in {path.name}"
    assert not re.search(r"\bthree\b", text, re.IGNORECASE), f"'three' in {path.name}"


# --- the admin says so when a framework is published or unpublished


def warnings_after(response) -> list[str]:
    return [str(m) for m in response.context["messages"] if m.level_tag == "warning"]


def test_publishing_a_fourth_framework_warns_of_the_texts_to_fix(seeded, editor_client):
    draft = factories.framework(name="Litestar", slug="litestar", is_published=False)
    response = editor_client.post(
        admin_url(Framework, "changelist"),
        {"action": "set_is_published_True", "_selected_action": [draft.pk]},
        follow=True,
    )
    (warning,) = warnings_after(response)
    assert "no longer match the published frameworks" in warning
    article = Article.objects.get()
    assert f'href="{change_url(article)}"' in warning
    assert "does not cover Litestar" in warning
    assert warning.count("<li>") == len(stale_texts())  # every one, not the first few


def test_unpublishing_it_again_warns_of_nothing(seeded, editor_client):
    litestar = factories.framework(name="Litestar", slug="litestar")
    response = editor_client.post(
        admin_url(Framework, "changelist"),
        {"action": "set_is_published_False", "_selected_action": [litestar.pk]},
        follow=True,
    )
    assert warnings_after(response) == []


def test_publishing_from_the_change_form_warns_too(seeded, editor_client):
    draft = factories.framework(name="Litestar", slug="litestar", is_published=False)
    page = editor_client.get(change_url(draft))
    data = read_form(page, "framework_form")
    data["is_published"] = "on"
    response = editor_client.post(change_url(draft), data, follow=True)
    assert any("does not cover Litestar" in w for w in warnings_after(response))
