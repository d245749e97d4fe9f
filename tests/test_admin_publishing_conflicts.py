"""Publishing a framework whose ranks conflict asks for confirmation (issue 24): from its page
the save is refused, with a form error naming the conflicts and a box to tick; ticked, it
publishes. The list's action shows the conflicts first. A forged confirmation, or an invalid
form, stores nothing."""

from django.contrib.admin.models import LogEntry
from reversion.models import Revision

from comparisons.models import Criterion, Framework, Rating
from tests.admin_forms import admin_url, change_url, errors_of, read_form
from tests.html import parse

CONFLICT = (
    "API tooling and validation: the ranks are 1, 1, 2; after a tie the next rank skips the "
    "shared places, so they should read 1, 1, 3."
)
CONFIRM = "publish_despite"


def flask_unpublished_with_a_lead_it_would_share() -> Framework:
    """Flask as a draft, rated first on API tooling: with FastAPI 1 and Django 2 published,
    publishing it would show 1, 1, 2."""
    Framework.objects.filter(slug="flask").update(is_published=False)
    Rating.objects.filter(criterion__slug="api-tooling", framework__slug="flask").update(rank=1)
    return Framework.objects.get(slug="flask")


def publishing_form(client, framework: Framework) -> dict:
    data = read_form(client.get(change_url(framework)), "framework_form")
    data["is_published"] = "on"
    return data


def history_count() -> tuple[int, int]:
    return LogEntry.objects.count(), Revision.objects.count()


def test_publishing_with_conflicts_is_refused_with_the_conflicts_named(seeded, editor_client):
    flask = flask_unpublished_with_a_lead_it_would_share()
    data = publishing_form(editor_client, flask)
    data["tagline"] = "A tagline typed with the publishing."
    history = history_count()

    response = editor_client.post(change_url(flask), data)

    assert response.status_code == 200
    errors = errors_of(response)["__all__"]
    assert errors[0].startswith("Publishing Flask would show readers ranks that break the rules")
    assert CONFLICT in errors
    flask.refresh_from_db()
    assert not flask.is_published
    assert flask.tagline != "A tagline typed with the publishing."  # nothing stored
    assert history_count() == history
    # The box that confirms, unticked, and the form as the editor filled it in.
    box = parse(response).one("input", name=CONFIRM)
    assert box.attrs["type"] == "checkbox"
    assert "checked" not in box.attrs
    assert box.attrs["value"]
    assert read_form(response, "framework_form")["tagline"] == data["tagline"]
    # Beside the box, each conflict links to where it is fixed.
    listed = parse(response).one("ul", class_="publish-conflicts")
    assert CONFLICT in listed.clean_text
    api_tooling = Criterion.objects.get(slug="api-tooling")
    assert [a.attrs["href"] for a in listed.find_all("a")] == [change_url(api_tooling)]


def test_ticking_the_box_publishes_and_the_conflicts_are_warned_of(seeded, editor_client):
    flask = flask_unpublished_with_a_lead_it_would_share()
    refused = editor_client.post(change_url(flask), publishing_form(editor_client, flask))
    data = read_form(refused, "framework_form")
    data[CONFIRM] = parse(refused).one("input", name=CONFIRM).attrs["value"]

    response = editor_client.post(change_url(flask), data, follow=True)

    assert response.redirect_chain[-1][0] == admin_url(Framework, "changelist")
    flask.refresh_from_db()
    assert flask.is_published
    warnings = [li.clean_text for li in parse(response).find_all("li", class_="warning")]
    assert any(CONFLICT in warning for warning in warnings), warnings


def test_a_forged_confirmation_stores_nothing(seeded, editor_client):
    flask = flask_unpublished_with_a_lead_it_would_share()
    history = history_count()
    for forged in ("on", "1", "0123456789abcdef0123"):
        data = publishing_form(editor_client, flask)
        data[CONFIRM] = forged

        response = editor_client.post(change_url(flask), data)

        assert response.status_code == 200
        assert CONFLICT in errors_of(response)["__all__"]
        assert not Framework.objects.get(pk=flask.pk).is_published
    assert history_count() == history


def test_a_confirmation_of_other_conflicts_stores_nothing(seeded, editor_client):
    """Confirmed, then the ranks changed: the box confirmed what it listed, not what is now."""
    flask = flask_unpublished_with_a_lead_it_would_share()
    refused = editor_client.post(change_url(flask), publishing_form(editor_client, flask))
    data = read_form(refused, "framework_form")
    data[CONFIRM] = parse(refused).one("input", name=CONFIRM).attrs["value"]
    Rating.objects.filter(criterion__slug="community", framework__slug="flask").update(rank=1)
    data = {**publishing_form(editor_client, flask), CONFIRM: data[CONFIRM]}

    response = editor_client.post(change_url(flask), data)

    assert response.status_code == 200
    assert not Framework.objects.get(pk=flask.pk).is_published


def test_an_invalid_form_stores_nothing_even_confirmed(seeded, editor_client):
    flask = flask_unpublished_with_a_lead_it_would_share()
    refused = editor_client.post(change_url(flask), publishing_form(editor_client, flask))
    data = read_form(refused, "framework_form")
    data[CONFIRM] = parse(refused).one("input", name=CONFIRM).attrs["value"]
    data["name"] = ""
    history = history_count()

    response = editor_client.post(change_url(flask), data)

    assert response.status_code == 200
    assert "name" in errors_of(response)
    flask.refresh_from_db()
    assert not flask.is_published
    assert flask.name == "Flask"
    assert history_count() == history
    # The box is still there, as it was ticked.
    assert "checked" in parse(response).one("input", name=CONFIRM).attrs


def test_publishing_without_conflicts_asks_nothing(seeded, editor_client):
    Framework.objects.filter(slug="flask").update(is_published=False)
    flask = Framework.objects.get(slug="flask")

    response = editor_client.post(change_url(flask), publishing_form(editor_client, flask))

    assert response.status_code == 302
    assert Framework.objects.get(pk=flask.pk).is_published


def test_a_new_framework_published_with_conflicting_ranks_is_refused(seeded, editor_client):
    page = editor_client.get(admin_url(Framework, "add"))
    data = read_form(page, "framework_form")
    data.update(
        name="Litestar", slug="litestar", tagline="Fast.", category="api",
        first_released="2021", creators="Its team", website="https://litestar.dev/",
        repository="https://github.com/litestar-org/litestar",
        documentation="https://docs.litestar.dev/", summary="An ASGI framework.",
        best_for="Typed APIs.", is_published="on",
    )  # fmt: skip
    api_tooling = Criterion.objects.get(slug="api-tooling")
    for name, value in list(data.items()):
        if name.startswith("ratings-") and name.endswith("-criterion") and value:
            row = name.removesuffix("-criterion")
            rank = "1" if value == str(api_tooling.pk) else "4"
            data.update({f"{row}-rank": rank, f"{row}-verdict": "Tested."})

    response = editor_client.post(admin_url(Framework, "add"), data)

    assert response.status_code == 200
    errors = errors_of(response)["__all__"]
    assert errors[0].startswith("Publishing Litestar would show readers ranks")
    assert any(
        error.startswith("API tooling and validation: the ranks are 1, 1, 2, 2") for error in errors
    )
    assert not Framework.objects.filter(slug="litestar").exists()


# --- the list's action


def run_publish(client, *frameworks, **extra):
    return client.post(
        admin_url(Framework, "changelist"),
        {"action": "set_is_published_True", "_selected_action": [f.pk for f in frameworks],
         **extra},
    )  # fmt: skip


def test_the_publish_action_shows_the_conflicts_first(seeded, editor_client):
    flask = flask_unpublished_with_a_lead_it_would_share()

    response = run_publish(editor_client, flask, index="0")

    assert response.status_code == 200
    page = parse(response)
    assert CONFLICT in page.one("ul", class_="publish-conflicts").clean_text
    assert change_url(Criterion.objects.get(slug="api-tooling")) in [
        a.attrs["href"] for a in page.one("ul", class_="publish-conflicts").find_all("a")
    ]
    assert not Framework.objects.get(pk=flask.pk).is_published


def test_confirmed_the_publish_action_publishes(seeded, editor_client):
    flask = flask_unpublished_with_a_lead_it_would_share()
    asked = run_publish(editor_client, flask, index="0")
    data = read_form(asked, "publish-confirmation")

    response = editor_client.post(admin_url(Framework, "changelist"), data, follow=True)

    assert Framework.objects.get(pk=flask.pk).is_published
    warnings = [li.clean_text for li in parse(response).find_all("li", class_="warning")]
    assert any(CONFLICT in warning for warning in warnings), warnings


def test_a_forged_confirmation_of_the_action_publishes_nothing(seeded, editor_client):
    flask = flask_unpublished_with_a_lead_it_would_share()

    response = run_publish(editor_client, flask, publish_despite="on")

    assert response.status_code == 200  # asked again
    assert not Framework.objects.get(pk=flask.pk).is_published
