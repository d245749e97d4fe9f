"""The decision helper's answers at /choose/: the ranking, its reasons and costs, ties, a shared
link and editors' data, as a reader sees them on the seeded content.

Every page is parsed (tests/html.py, tests/readers.py); the expected scores are worked out by
hand from fixtures/comparisons.json. With three frameworks a rank earns 3, 2 or 1 points on
every criterion; the seeded points (criteria in display order) are:

    criterion          Django  Flask  FastAPI
    packages             3       2      1
    community size       2       2      3      (Django and Flask tied 2nd)
    performance          1       3      3      (measured: Flask and FastAPI tied 1st)
    learning-curve       2       3      2      (Django and FastAPI tied 2nd)
    batteries            3       2      2      (Flask and FastAPI tied 2nd)
    api-tooling          2       2      3      (Django and Flask tied 2nd)
    async                2       1      3
    stability            3       2      1
    security-defaults    3       2      1
    sum                 21      19     19

Each is multiplied by its weight: the reader's answer, else the project type's need, else 1.
"""

from comparisons import helper
from comparisons.models import Criterion, Framework, ProjectNeed, ProjectType
from tests import factories
from tests.html import parse
from tests.readers import (
    CHOOSE,
    advice_of,
    answer_section,
    checked,
    choose_page,
    ranking,
    reasons_of,
)

JSON_API = "A JSON API for a web or mobile front end"


def costs_of(page, name: str) -> list[str]:
    (item,) = [
        li
        for li in page.one("ol", class_="placings").children
        if li.find("h2").find("a").clean_text == name
    ]
    lists = item.find_all("ul", class_="costs")
    return [li.clean_text for ul in lists for li in ul.find_all("li")]


# --- 1. the ranking, from the project's needs


def test_a_json_api_with_the_projects_own_weights_puts_fastapi_first(seeded, client):
    page = choose_page(client, {"building": "json-api"})
    # json-api needs: api-tooling 3, async 2, batteries 0, security 0, others (performance
    # among them, a tie-breaker) 1.
    #   FastAPI: 3*3 + 3*2 + 3*1 + 0 + 0 + (1 + 3 + 2 + 1) = 25
    #   Django:  2*3 + 2*2 + 1*1 + 0 + 0 + (3 + 2 + 2 + 3) = 21
    #   Flask:   2*3 + 1*2 + 3*1 + 0 + 0 + (2 + 2 + 3 + 2) = 20
    assert ranking(page) == [
        ("1st", "FastAPI", "25 points"),
        ("2nd", "Django", "21 points"),
        ("3rd", "Flask", "20 points"),
    ]
    assert reasons_of(page, "FastAPI")[0] == (
        "Your kind of project needs API tooling and validation most, and here FastAPI leads. "
        "Built in: type hints drive Pydantic validation, serialisation and OpenAPI docs. "
        "(+9 points)"
    )


def test_the_winner_is_told_what_it_costs_with_who_leads_instead(seeded, client):
    page = choose_page(client, {"building": "json-api"})
    costs = costs_of(page, "FastAPI")
    assert costs[0].startswith("On packages it is 3rd of 3: ")
    assert "On stability and maintenance it is 3rd of 3: Still 0.x" in " ".join(costs)
    assert "On learning curve it is joint 2nd of 3: " in " ".join(costs)
    assert all(cost.endswith(("(Django leads here).", "(Flask leads here).")) for cost in costs)
    assert costs_of(page, "Django") == []  # only the first place is told its costs


def test_a_readers_own_weight_replaces_the_projects(seeded, client):
    page = choose_page(client, {"building": "json-api", "w-security-defaults": 3})
    # As above, with security 3 instead of the project's 0:
    #   Django 21 + 3*3 = 30, FastAPI 25 + 1*3 = 28, Flask 20 + 2*3 = 26: Django overtakes
    assert ranking(page) == [
        ("1st", "Django", "30 points"),
        ("2nd", "FastAPI", "28 points"),
        ("3rd", "Flask", "26 points"),
    ]
    assert any(
        reason.startswith("You care most about security defaults, and here Django leads.")
        for reason in reasons_of(page, "Django")
    )


def test_without_a_project_every_criterion_counts_a_little(seeded, client):
    # Only the reader's own weights, no kind of project: one weight said, the rest count 1.
    page = choose_page(client, {"w-packages": 1})
    assert ranking(page) == [
        ("1st", "Django", "21 points"),
        ("=2nd", "Flask", "19 points, tied"),
        ("=2nd", "FastAPI", "19 points, tied"),
    ]
    (working,) = [p for p in answer_section(page).find_all("p", class_="meta")
                  if p.text.startswith("The working")]  # fmt: skip
    assert working.text == (
        "The working, in points for what you told us matters: Django 21, Flask 19, FastAPI 19."
    )


def test_the_weights_used_are_listed_with_where_they_come_from(seeded, client):
    page = choose_page(client, {"building": "json-api", "w-community": 0})
    (details,) = answer_section(page).find_all("details", class_="how")
    lines = [li.clean_text for li in details.find_all("li")]
    assert "Community size: weight 0, your answer" in lines
    assert (
        f"API tooling and validation: weight 3, what “{JSON_API}” needs (validation, serialisation "
        "and API docs are the job)" in lines
    )
    assert "Packages: weight 1, the default" in lines


# --- 2. ties


def test_two_frameworks_with_equal_scores_share_first_place_in_display_order(seeded, client):
    page = choose_page(client, {"building": "json-api", "w-security-defaults": 2})
    # As in test_a_json_api_with_the_projects_own_weights_puts_fastapi_first, with security 2
    # instead of 0:
    #   Django 21 + 2*3 = 27, FastAPI 25 + 2*1 = 27, Flask 20 + 2*2 = 24
    assert ranking(page) == [
        ("=1st", "Django", "27 points, tied"),
        ("=1st", "FastAPI", "27 points, tied"),
        ("3rd", "Flask", "24 points"),
    ]
    assert costs_of(page, "Django")
    assert costs_of(page, "FastAPI")


def test_nothing_counting_asks_the_reader_to_pick_something(seeded, client):
    answers = {f"w-{slug}": 0 for slug in Criterion.objects.values_list("slug", flat=True)}
    page = choose_page(client, answers)
    assert ranking(page) == []  # no "=1st, 0 points" three times
    assert "choose how much at least one thing matters" in answer_section(page).text


def test_a_clear_winner_is_named_in_the_first_sentence(seeded, client):
    page = choose_page(client, {"building": "json-api"})
    # Words first: who to start with and why, then the points for those who want them.
    assert advice_of(page) == (
        "Start with FastAPI: it leads on API tooling and validation, which matters most for "
        "this kind of project."
    )
    (working,) = [p for p in answer_section(page).find_all("p", class_="meta")
                  if p.text.startswith("The working")]  # fmt: skip
    assert working.text == (
        "The working, in points for what this kind of project needs: FastAPI 25, Django 21, "
        "Flask 20."
    )


def test_a_tie_says_so_first(seeded, client):
    page = choose_page(client, {"building": "json-api", "w-security-defaults": 2})
    # What would tip it: the criterion that gains each the most over the other here.
    assert advice_of(page) == (
        "A tie between Django and FastAPI: if you care most about security defaults, start "
        "with Django; if about API tooling and validation, start with FastAPI."
    )


def test_a_prototype_is_a_close_call_between_flask_and_django(seeded, client):
    page = choose_page(client, {"building": "prototype-mvp"})
    # prototype-mvp needs: learning 3; performance, stability, security, async 0; others 1.
    #   Flask:   3*3 + 2 + 2 + 2 + 2 = 17   Django: 2*3 + 3 + 2 + 3 + 2 = 16
    #   FastAPI: 2*3 + 1 + 3 + 2 + 3 = 15   (Flask's point on community size: level 2nd)
    assert ranking(page) == [
        ("1st", "Flask", "17 points"),
        ("2nd", "Django", "16 points"),
        ("3rd", "FastAPI", "15 points"),
    ]
    assert advice_of(page) == (
        "A close call between Flask and Django: if you care most about learning curve, start "
        "with Flask; if about packages, start with Django."
    )
    # The editors' advice for the kind of project follows, in words a beginner can act on.
    (ours,) = answer_section(page).find_all("p", class_="our-advice")
    assert ours.text.startswith("Our advice: If your first version needs sign-in")


def test_a_small_lead_is_a_close_call(seeded, client):
    page = choose_page(client, {"building": "large-busy-service"})  # Django 25, FastAPI 24
    assert advice_of(page).startswith("A close call between Django and FastAPI: if you care most")


def test_a_close_call_names_every_framework_within_reach_of_the_leader(seeded, client):
    """Every criterion weighted alike: Django 21, Flask 19 and FastAPI 19 (the two level
    second, each within 10% of the leader): the close call is between all three, and says
    what would tip it towards each."""
    weights = {f"w-{criterion.slug}": 1 for criterion in Criterion.objects.all()}
    page = choose_page(client, weights)
    assert ranking(page) == [
        ("1st", "Django", "21 points"),
        ("=2nd", "Flask", "19 points, tied"),
        ("=2nd", "FastAPI", "19 points, tied"),
    ]
    assert advice_of(page) == (
        "A close call between Django, Flask and FastAPI: if you care most about packages, "
        "start with Django; if about learning curve, start with Flask; if about community "
        "size, start with FastAPI."
    )


def test_a_tie_for_first_with_a_third_a_point_behind_is_a_close_call_between_three(seeded, client):
    """Only API tooling (x2) and security defaults (x1) matter: Django and FastAPI 7, Flask 6,
    within a point. Flask is named; no criterion favours it over both, so no "if" is its."""
    weights = {f"w-{criterion.slug}": 0 for criterion in Criterion.objects.all()}
    weights.update({"w-api-tooling": 2, "w-security-defaults": 1})
    page = choose_page(client, weights)
    assert ranking(page) == [
        ("=1st", "Django", "7 points, tied"),
        ("=1st", "FastAPI", "7 points, tied"),
        ("3rd", "Flask", "6 points"),
    ]
    assert advice_of(page) == (
        "A close call between Django, FastAPI and Flask: if you care most about security "
        "defaults, start with Django; if about API tooling and validation, start with FastAPI."
    )


def test_a_tie_with_nothing_to_tip_it_says_where_to_look():
    """Two frameworks level on every criterion that counts: no criterion favours either."""
    level = [
        helper.Placing(Framework(name=name), 12, place=1, tied=True) for name in ("Alpha", "Beta")
    ]
    assert helper.advice(level).words == (
        "A tie between Alpha and Beta: open each one's reasons below and start with the one "
        "that leads on what you weigh most."
    )


# --- 3. a shared answer


def test_link_to_this_answer_reproduces_the_same_ranking(seeded, client):
    answers = {"building": "json-api", "w-packages": 2, "w-community": 0}
    first = choose_page(client, answers)
    (link,) = [a for a in first.find_all("a") if a.text.strip() == "Link to this answer"]
    href = link.attrs["href"]
    assert href.startswith(CHOOSE + "?")

    response = client.get(href)  # the reader's own weights: rendered again, never kept
    assert response.status_code == 200
    assert "X-Page-Cache" not in response
    again = parse(response.content)
    assert ranking(again) == ranking(first)
    assert answer_section(again).outline() == answer_section(first).outline()


def test_answer_page_form_shows_the_readers_answers_checked(seeded, client):
    page = choose_page(client, {"building": "large-busy-service", "w-packages": 0})
    answers = checked(page)
    assert answers["building"] == ["large-busy-service"]
    assert answers["w-packages"] == ["0"]
    assert answers["w-community"] == [""]  # "as my project needs"


# --- 4. editors' data drives the answer


def test_an_editor_changing_a_need_changes_the_answer(seeded, client):
    need = ProjectNeed.objects.get(
        project_type__slug="json-api", criterion__slug="security-defaults"
    )
    need.weight = 3
    need.save()
    page = choose_page(client, {"building": "json-api"})
    #   Django 21 + 3*3 = 30, FastAPI 25 + 1*3 = 28, Flask 20 + 2*3 = 26: no longer FastAPI's
    assert ranking(page)[:2] == [
        ("1st", "Django", "30 points"),
        ("2nd", "FastAPI", "28 points"),
    ]


def leading_framework_for_a_new_project_type():
    """A new published framework rated 1st on every criterion, and a project type that
    weighs one criterion most of all."""
    newcomer = factories.framework(name="Newcomer", slug="newcomer")
    for criterion in Criterion.objects.all():
        factories.rating(framework=newcomer, criterion=criterion, rank=1, verdict="Best.")
    project_type = ProjectType.objects.create(
        name="A realtime dashboard", slug="realtime-dashboard", description="Live charts."
    )
    ProjectNeed.objects.create(
        project_type=project_type, criterion=Criterion.objects.get(slug="async"), weight=3
    )
    return newcomer


def test_a_new_framework_that_leads_everything_ranks_first(seeded, client):
    leading_framework_for_a_new_project_type()
    page = choose_page(client, {"building": "realtime-dashboard"})
    # Four frameworks: 1st earns 4 points on every criterion, the seeded ranks 3, 2 or 1 the
    # seeded points + 1. Newcomer: 8 criteria * 4 + async 4 * 3 = 44.
    assert ranking(page)[0] == ("1st", "Newcomer", "44 points")
    assert costs_of(page, "Newcomer") == []  # it leads everywhere
    assert checked(page)["building"] == ["realtime-dashboard"]


def test_an_unpublished_framework_is_left_out_of_the_answer(seeded, client):
    newcomer = leading_framework_for_a_new_project_type()
    newcomer.is_published = False
    newcomer.save()
    page = choose_page(client, {"building": "realtime-dashboard"})
    # async 3, the rest 1: Django 21 - 2 + 6 = 25, FastAPI 19 - 3 + 9 = 25, Flask 19 - 1 + 3 = 21
    # (Django and FastAPI tied, in display order)
    assert [name for _, name, _ in ranking(page)] == ["Django", "FastAPI", "Flask"]
    assert "Newcomer" not in page.one("main").text


def test_the_short_answer_names_all_three_in_a_three_way_close_call(seeded, client):
    """A kind of project that weighs every criterion alike: Django 21, Flask and FastAPI 19."""
    kind = ProjectType.objects.create(
        name="A bit of everything", slug="bit-of-everything", description="All alike."
    )
    for criterion in Criterion.objects.all():
        ProjectNeed.objects.create(project_type=kind, criterion=criterion, weight=1)
    page = parse(client.get("/"))
    said = [li.clean_text for li in page.find_all("li") if "bit of everything" in li.clean_text]
    assert said == ["Django, Flask or FastAPI for a bit of everything: a close call, see why."]
