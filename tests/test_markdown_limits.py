"""Pathological Markdown: refused when an editor saves it, shown as text if it is stored anyway.

Python-Markdown is quadratic on some shapes (brackets left open, long runs of marks) and
recurses once per nesting level. The attack: `"[" * 9000 + "]" * 9000` in a rating note took a
framework page 30 s, on every request. (scripts/markdown_limits.py times the worst shapes that
pass the limits; see the closing note of the hardening issue.)
"""

import io
from unittest import mock

import markdown.blockprocessors
import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command

from comparisons.models import Framework, Rating
from core.markdown import MAX_LENGTH, MAX_NESTING, markdown_problem, render_markdown
from tests.admin_forms import change_url, errors_of, read_form

ATTACKS = {
    "the reported one": "[" * 9000 + "]" * 9000,
    "brackets left open": "[" * (MAX_NESTING + 1) + "a",
    "parentheses left open": "[a](" * (MAX_NESTING + 1),
    "angle brackets left open": "<a " * (MAX_NESTING + 1),
    "image links left open": "![a](" * (MAX_NESTING + 1),
    "emphasis run": "*" * (MAX_NESTING + 1) + "a" + "*" * (MAX_NESTING + 1),
    "backtick run": "`" * (MAX_NESTING + 1) + "a",
    "deep quotes": ">" * (MAX_NESTING + 1) + " a",
    "deep list": "".join("  " * level + "- a\n" for level in range(MAX_NESTING + 2)),
    "too long": "word " * (MAX_LENGTH // 5 + 1),
}
FINE = {
    "seeded-like prose": "Django ships an **admin**, an ORM and [migrations](https://x.example/).",
    "a link with an image": "[![logo](https://x.example/a.png)](https://x.example/)",
    "angle brackets in prose, paragraphs apart": "\n\n".join(["a < b"] * (MAX_NESTING * 2)),
    "a table": "| a | b |\n|---|---|\n| 1 | 2 |\n",
    "at the length limit": "a" * MAX_LENGTH,
    "nested a little": "> > quote\n\n- a\n  - b\n    - c\n",
}


@pytest.mark.parametrize("text", ATTACKS.values(), ids=ATTACKS.keys())
def test_pathological_markdown_is_named_as_a_problem(text):
    assert markdown_problem(text)


@pytest.mark.parametrize("text", FINE.values(), ids=FINE.keys())
def test_ordinary_markdown_is_within_the_limits(text):
    assert markdown_problem(text) is None


@pytest.mark.parametrize("text", ATTACKS.values(), ids=ATTACKS.keys())
def test_pathological_markdown_never_reaches_the_markdown_library(text):
    with mock.patch("core.markdown.markdown.markdown") as library:
        html = render_markdown(text)
    library.assert_not_called()
    assert html.startswith("<p>")


def test_text_past_the_limits_is_shown_escaped_in_paragraphs():
    html = render_markdown("<script>x</script> " + "[" * 40 + "\n\nsecond")
    assert html.startswith("<p>&lt;script&gt;x&lt;/script&gt; [[[")
    assert html.endswith("<p>second</p>")


def test_a_recursion_the_limits_did_not_foresee_shows_text_instead_of_a_crash():
    with mock.patch("core.markdown.markdown.Markdown.convert", side_effect=RecursionError):
        assert render_markdown("*an unforeseen shape*") == "<p>*an unforeseen shape*</p>"


def test_a_text_given_up_inside_a_list_leaves_the_next_text_rendered_in_full():
    """Given up half-way through a list item, the renderer is left with the list still open
    (a state its reset does not clear); the next text must not inherit it."""
    paragraph = markdown.blockprocessors.ParagraphProcessor.run

    def give_up_on_the_marker(self, parent, blocks):
        if "UNFORESEEN" in blocks[0]:
            raise RecursionError
        return paragraph(self, parent, blocks)

    with mock.patch.object(
        markdown.blockprocessors.ParagraphProcessor, "run", give_up_on_the_marker
    ):
        assert render_markdown("- an item UNFORESEEN") == "<p>- an item UNFORESEEN</p>"
    assert render_markdown("First.\n\nSecond.") == "<p>First.</p>\n<p>Second.</p>"


@pytest.mark.parametrize("text", ATTACKS.values(), ids=ATTACKS.keys())
def test_the_model_refuses_pathological_markdown(seeded, text):
    rating = Rating.objects.first()
    rating.note = text
    with pytest.raises(ValidationError) as refused:
        rating.full_clean()
    assert "note" in refused.value.message_dict


def test_an_editor_saving_the_attack_gets_a_field_error_and_nothing_is_stored(
    seeded, editor_client
):
    django = Framework.objects.get(slug="django")
    page = editor_client.get(change_url(django))
    data = read_form(page, "framework_form")
    note = next(name for name in data if name.startswith("ratings-") and name.endswith("-note"))
    data[note] = ATTACKS["the reported one"]
    response = editor_client.post(change_url(django), data)
    assert response.status_code == 200
    errors = errors_of(response)
    assert "Keep it to 5,000 characters" in " ".join(errors[note])
    assert not Rating.objects.filter(note__startswith="[[[").exists()


def test_a_page_with_the_attack_stored_anyway_answers_with_the_text(seeded, client):
    """Stored past validation (an old row, a raw update) and rendered by the migration or by
    `manage.py render_markdown`: it renders as text, and the page answers."""
    Rating.objects.filter(framework__slug="django").update(note=ATTACKS["the reported one"])
    call_command("render_markdown", stdout=io.StringIO())
    response = client.get("/frameworks/django/")
    assert response.status_code == 200
    assert "[[[[[[[[" in response.content.decode()


def test_the_preview_shows_the_attack_as_text_and_says_why(seeded, editor_client):
    from django.urls import reverse

    response = editor_client.post(
        reverse("markdown_preview"), {"content": ATTACKS["the reported one"]}
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "Shown as plain text: Keep it to" in html
    assert "[[[[" in html


# --- A-vs-B addresses: no "vs" as a word of a slug


@pytest.mark.parametrize("slug", ["django-vs-flask", "vs-code", "flask-vs", "vs", "a-vs-b-vs-c"])
def test_a_framework_slug_with_vs_as_a_word_is_refused(seeded, slug):
    framework = Framework.objects.get(slug="flask")
    framework.slug = slug
    with pytest.raises(ValidationError) as refused:
        framework.full_clean()
    assert "comparison addresses" in " ".join(refused.value.message_dict["slug"])


@pytest.mark.parametrize("slug", ["canvas", "obvs", "vsc", "versus", "flask-vsx"])
def test_slugs_that_only_contain_the_letters_vs_are_fine(seeded, slug):
    framework = Framework.objects.get(slug="flask")
    framework.slug = slug
    framework.full_clean()


def test_the_database_refuses_a_vs_slug_too(seeded):
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        Framework.objects.filter(slug="flask").update(slug="a-vs-b")


def test_an_editor_gets_the_vs_slug_refused_on_the_slug_field(seeded, editor_client):
    flask = Framework.objects.get(slug="flask")
    data = read_form(editor_client.get(change_url(flask)), "framework_form")
    data["slug"] = "flask-vs-django"
    response = editor_client.post(change_url(flask), data)
    assert response.status_code == 200
    assert "comparison addresses" in " ".join(errors_of(response)["slug"])
    assert Framework.objects.filter(slug="flask").exists()
