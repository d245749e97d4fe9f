"""Checks where the edit happens (issue 24): a save that breaks a rank rule (ties, figures) or
makes a text stale says so on the page the editor lands on, as a warning with a link to fix
each problem; on the criterion's, rating's and figure's pages, the framework's (its rating
rows) and a deletion alike. What was wrong before the save is not blamed on it."""

import core.attention
from comparisons.models import Criterion, Figure, Framework, ProCon, Rating
from tests.admin_forms import admin_url, change_url, read_form
from tests.html import parse

# API tooling and validation: FastAPI 1, Django 2, Flask 2. Django moved up to share the lead
# makes 1, 1, 2, which the tie rule forbids (1, 1, 3).
TIE_BREAK = (
    "API tooling and validation: the ranks are 1, 1, 2; after a tie the next rank skips the "
    "shared places, so they should read 1, 1, 3."
)


def warnings_on(response) -> list:
    """The warning messages of the page the editor landed on (li.warning elements)."""
    assert response.status_code == 200, response.status_code
    return parse(response).find_all("li", class_="warning")


def warning_texts(response) -> list[str]:
    return [warning.clean_text for warning in warnings_on(response)]


def links_of(warning) -> list[str]:
    return [a.attrs["href"] for a in warning.find_all("a")]


def row_of(data: dict, prefix: str, field: str, value) -> str:
    """The prefix of the inline row ("ratings-1") whose field has this value."""
    for name, given in data.items():
        if name.startswith(f"{prefix}-") and name.endswith(f"-{field}") and given == str(value):
            return name.removesuffix(f"-{field}")
    raise AssertionError(f"no {prefix} row with {field}={value}")


def api_tooling() -> Criterion:
    return Criterion.objects.get(slug="api-tooling")


def test_ranks_that_break_the_tie_rule_on_the_criterions_page_are_warned_of_where_it_lands(
    seeded, editor_client
):
    criterion = api_tooling()
    django = Framework.objects.get(slug="django")
    data = read_form(editor_client.get(change_url(criterion)), "criterion_form")
    data[row_of(data, "ratings", "framework", django.pk) + "-rank"] = "1"

    response = editor_client.post(change_url(criterion), data, follow=True)

    # Saved (the ranks are public at once), and back on the list of criteria, with the warning.
    assert response.redirect_chain[-1][0] == admin_url(Criterion, "changelist")
    assert Rating.objects.get(criterion=criterion, framework=django).rank == 1
    (warning,) = warnings_on(response)
    assert warning.clean_text.startswith("After this change a rank breaks the rules")
    assert TIE_BREAK in warning.clean_text
    assert links_of(warning) == [change_url(criterion)]
    assert "Edit the ranks on API tooling and validation" in warning.clean_text


def test_saved_and_continued_the_criterions_page_says_it_once(seeded, editor_client):
    criterion = api_tooling()
    django = Framework.objects.get(slug="django")
    data = read_form(editor_client.get(change_url(criterion)), "criterion_form")
    data[row_of(data, "ratings", "framework", django.pk) + "-rank"] = "1"
    data["_continue"] = "Save and continue editing"

    response = editor_client.post(change_url(criterion), data, follow=True)

    assert response.redirect_chain[-1][0] == change_url(criterion)
    texts = warning_texts(response)
    assert len(texts) == 1, texts  # the page's own warning does not repeat the save's
    assert TIE_BREAK in texts[0]
    # Opened again, the page still warns (in its own words, as before).
    assert warning_texts(editor_client.get(change_url(criterion))) == [TIE_BREAK]


def test_a_rank_against_its_figures_saved_on_the_ratings_page_is_warned_of_with_a_link(
    seeded, editor_client
):
    flask = Rating.objects.get(criterion__slug="community", framework__slug="flask")
    data = read_form(editor_client.get(change_url(flask)), "rating_form")
    data["rank"] = "1"

    response = editor_client.post(change_url(flask), data, follow=True)

    texts = warning_texts(response)
    assert len(texts) == 1, texts
    assert "Community size: FastAPI (38 ± 1%) has a better figure than Flask (34 ± 1%)" in texts[0]
    (warning,) = warnings_on(response)
    assert links_of(warning) == [change_url(flask.criterion)] * texts[0].count("Edit the ranks")


def test_a_figure_changed_on_its_own_page_warns_of_the_ranks_it_contradicts(seeded, editor_client):
    figure = Figure.objects.get(
        rating__criterion__slug="community", rating__framework__slug="flask"
    )
    data = read_form(editor_client.get(change_url(figure)), "figure_form")
    data["value"] = "40"  # more than FastAPI's 38%, with a lower rank

    response = editor_client.post(change_url(figure), data, follow=True)

    (text,) = warning_texts(response)
    assert "Flask (40 ± 1%) has a better figure than FastAPI (38 ± 1%)" in text


def test_a_framework_saved_with_its_rating_rows_is_warned_of_the_ranks_they_break(
    seeded, editor_client
):
    django = Framework.objects.get(slug="django")
    data = read_form(editor_client.get(change_url(django)), "framework_form")
    data[row_of(data, "ratings", "criterion", api_tooling().pk) + "-rank"] = "1"
    data["_continue"] = "Save and continue editing"

    response = editor_client.post(change_url(django), data, follow=True)

    assert response.redirect_chain[-1][0] == change_url(django)
    rank_warnings = [w for w in warnings_on(response) if "breaks the rules" in w.clean_text]
    assert len(rank_warnings) == 1
    assert TIE_BREAK in rank_warnings[0].clean_text
    assert links_of(rank_warnings[0]) == [change_url(api_tooling())]


def test_deleting_the_leaders_rating_is_warned_of(seeded, editor_client):
    fastapi = Rating.objects.get(criterion__slug="api-tooling", framework__slug="fastapi")

    response = editor_client.post(admin_url(fastapi, "delete", fastapi.pk), {"post": "yes"},
                                  follow=True)  # fmt: skip

    assert not Rating.objects.filter(pk=fastapi.pk).exists()
    (text,) = warning_texts(response)
    assert "API tooling and validation: the ranks are 2, 2" in text


def test_a_save_that_breaks_nothing_warns_of_nothing(seeded, editor_client):
    criterion = api_tooling()
    data = read_form(editor_client.get(change_url(criterion)), "criterion_form")
    data["name"] = "API tooling and validation, renamed"

    response = editor_client.post(change_url(criterion), data, follow=True)

    assert warning_texts(response) == []


def test_a_refused_save_is_not_checked_again_after_and_a_saved_one_is(
    seeded, editor_client, monkeypatch
):
    """The checks run before a save and again after it only if it changed content: a form
    refused changed nothing, so nothing can be newly true."""
    checked_after = []
    monkeypatch.setattr(core.attention, "warn_of_new", lambda _, before: checked_after.append(1))
    criterion = api_tooling()
    data = read_form(editor_client.get(change_url(criterion)), "criterion_form")
    data["name"] = ""

    refused = editor_client.post(change_url(criterion), data)

    assert refused.status_code == 200
    assert "name" in refused.context["adminform"].form.errors
    assert checked_after == []
    data["name"] = "API tooling and validation, renamed"
    editor_client.post(change_url(criterion), data)
    assert Criterion.objects.get(pk=criterion.pk).name.endswith("renamed")
    assert checked_after == [1]


def test_what_was_wrong_before_is_not_blamed_on_an_unrelated_save(seeded, editor_client):
    Rating.objects.filter(criterion__slug="api-tooling", framework__slug="django").update(rank=1)
    flask = Framework.objects.get(slug="flask")
    data = read_form(editor_client.get(change_url(flask)), "framework_form")
    data["tagline"] = "A new tagline."

    response = editor_client.post(change_url(flask), data, follow=True)

    assert warning_texts(response) == []


# --- texts that no longer match the published frameworks


def stale_pro(data: dict) -> str:
    """Make the Django page's first pro say "the four frameworks" (three are published)."""
    row = row_of(data, "pros", "title", "Files laid out by startproject and startapp")
    data[f"{row}-body"] = "Of the four frameworks, it has the most built in."
    return row


def test_a_text_saved_that_miscounts_the_frameworks_is_warned_of_with_its_link(
    seeded, editor_client
):
    django = Framework.objects.get(slug="django")
    data = read_form(editor_client.get(change_url(django)), "framework_form")
    stale_pro(data)

    response = editor_client.post(change_url(django), data, follow=True)

    (warning,) = warnings_on(response)
    assert warning.clean_text.startswith(
        "1 text no longer matches the published frameworks or the release facts:"
    )
    assert "counts four frameworks; 3 are published" in warning.clean_text
    pro = ProCon.objects.get(framework=django, title="Files laid out by startproject and startapp")
    assert links_of(warning) == [change_url(pro)]


def test_a_stale_text_stays_listed_on_the_attention_page_while_it_is_true(seeded, editor_client):
    django = Framework.objects.get(slug="django")
    data = read_form(editor_client.get(change_url(django)), "framework_form")
    stale_pro(data)
    editor_client.post(change_url(django), data, follow=True)
    pro = ProCon.objects.get(framework=django, title="Files laid out by startproject and startapp")

    for _ in range(2):  # the warning went with the page it was on; the listing stays
        section = parse(editor_client.get("/admin/attention/")).by_id("attention-stale-texts")
        assert "counts four frameworks" in section.clean_text
        assert change_url(pro) in links_of(section)

    ProCon.objects.filter(pk=pro.pk).update(body="It has the most built in.")
    section = parse(editor_client.get("/admin/attention/")).by_id("attention-stale-texts")
    assert "counts four frameworks" not in section.clean_text
