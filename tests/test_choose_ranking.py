"""The decision helper's answers at /choose/: the ranking, its reasons, ties, a shared link and
editors' data, as a reader sees them on the seeded content.

Every page is parsed (tests/html.py, tests/readers.py); the expected scores are worked out
by hand from fixtures/comparisons.json. The seeded ranks are:

    packages:    Django 1, Flask 2, FastAPI 3
    community:   Django 1, Flask 2, FastAPI 3
    performance: FastAPI 1, Flask 2, Django 3

so on each criterion the leader earns 3 points, the 2nd 2 and the 3rd 1 (worst rank + 1 - rank),
times the reader's weight (0 to 3); each of a framework's use cases that fits the chosen project
type adds MATCH_POINTS (3). Equal scores share a place; ties keep the display order (Django,
Flask, FastAPI).
"""

from django.core.cache import cache

from comparisons.helper import MATCH_POINTS
from comparisons.models import Criterion, ProjectType
from tests import factories
from tests.html import parse
from tests.readers import (
    CHOOSE,
    answer_section,
    checked,
    choose_page,
    placings,
    ranking,
    reasons_of,
)

# --- 1. the ranking for different answers


def test_performance_most_of_all_for_a_model_api_puts_fastapi_first(seeded, client):
    page = choose_page(
        client,
        {"building": "ml-model-api", "w-packages": 0, "w-community": 0, "w-performance": 3},
    )
    # Only performance counts (*3); "Serving machine-learning models" is FastAPI's.
    #   FastAPI: 3 pts * 3 = 9, + 1 use case * 3 = 3  -> 12
    #   Flask:   2 pts * 3 = 6, no use case           ->  6
    #   Django:  1 pt  * 3 = 3, no use case           ->  3
    assert ranking(page) == [
        ("1st", "FastAPI", "12 points"),
        ("2nd", "Flask", "6 points"),
        ("3rd", "Django", "3 points"),
    ]
    assert reasons_of(page, "FastAPI") == [
        "Leads on performance, which matters most to you, your highest weight: Built for async "
        "I/O; usually fastest of the three (+9 points).",
        "Its use cases include “Serving machine-learning models”, which fits “A machine-learning "
        "model served over HTTP” (+3 points).",
    ]
    assert reasons_of(page, "Flask")[0].startswith("Ranks 2nd on performance, which matters most")
    assert reasons_of(page, "Django") == [
        "Ranks 3rd on performance, which matters most to you, your highest weight: Close to "
        "Flask; fast enough for most sites (+3 points).",
        "None of its use cases is listed for “A machine-learning model served over HTTP”.",
    ]


def test_full_website_with_packages_and_community_most_puts_django_first(seeded, client):
    page = choose_page(
        client,
        {"building": "full-website", "w-packages": 3, "w-community": 3, "w-performance": 1},
    )
    # full-website: 5 Django use cases, 1 Flask ("An online social network"), 0 FastAPI.
    #   Django:  3*3 + 3*3 + 1*1 = 19, + 5 * 3 = 15 -> 34
    #   Flask:   2*3 + 2*3 + 2*1 = 14, + 1 * 3 =  3 -> 17
    #   FastAPI: 1*3 + 1*3 + 3*1 =  9, + 0         ->  9
    assert ranking(page) == [
        ("1st", "Django", "34 points"),
        ("2nd", "Flask", "17 points"),
        ("3rd", "FastAPI", "9 points"),
    ]
    django = reasons_of(page, "Django")
    assert django[0].startswith("Leads on packages, which matters most to you, your highest")
    assert django[0].endswith("(+9 points).")
    assert django[1].startswith("Leads on community, which matters most to you")
    assert django[2].startswith("Ranks 3rd on performance, which matters a little to you:")
    assert django[2].endswith("(+1 point).")
    assert django[3] == (
        "Its use cases include “Document management systems”, “Internal CRM systems”, "
        "“Admin dashboards”, “Photo-based verification”, “Email notification systems”, which "
        "fit “A full website with accounts and an admin” (+15 points)."
    )
    assert reasons_of(page, "Flask")[-1] == (
        "Its use cases include “An online social network”, which fits “A full website with "
        "accounts and an admin” (+3 points)."
    )
    assert reasons_of(page, "FastAPI")[-1] == (
        "None of its use cases is listed for “A full website with accounts and an admin”."
    )


def test_quick_prototype_gives_flask_the_use_case_points_and_first_place(seeded, client):
    page = choose_page(
        client,
        {"building": "prototype-mvp", "w-packages": 1, "w-community": 1, "w-performance": 1},
    )
    # All weights 1; "Quick prototypes and commercial MVPs" is Flask's.
    #   Flask:   2 + 2 + 2 = 6, + 3 -> 9
    #   Django:  3 + 3 + 1 = 7      -> 7
    #   FastAPI: 1 + 1 + 3 = 5      -> 5
    assert ranking(page) == [
        ("1st", "Flask", "9 points"),
        ("2nd", "Django", "7 points"),
        ("3rd", "FastAPI", "5 points"),
    ]
    assert reasons_of(page, "Flask")[-1] == (
        "Its use cases include “Quick prototypes and commercial MVPs”, which fits “A quick "
        "prototype or MVP” (+3 points)."
    )
    assert reasons_of(page, "Django")[0].startswith("Leads on packages, which matters a little")
    assert (
        reasons_of(page, "Django")[-1]
        == "None of its use cases is listed for “A quick prototype or MVP”."
    )


def test_small_site_counts_each_matching_use_case(seeded, client):
    page = choose_page(
        client,
        {"building": "small-site-or-bot", "w-packages": 2, "w-community": 0, "w-performance": 2},
    )
    # small-site-or-bot: 2 Flask use cases ("Facebook and X bots", "Static sites").
    #   Flask:   2*2 + 2*2 = 8, + 2 * 3 = 6 -> 14
    #   Django:  3*2 + 1*2 = 8              ->  8
    #   FastAPI: 1*2 + 3*2 = 8              ->  8  (tied with Django: display order kept)
    assert ranking(page) == [
        ("1st", "Flask", "14 points"),
        ("=2nd", "Django", "8 points, tied"),
        ("=2nd", "FastAPI", "8 points, tied"),
    ]
    assert reasons_of(page, "Flask")[-1] == (
        "Its use cases include “Facebook and X bots”, “Static sites”, which fit “A small site, "
        "bot or static site” (+6 points)."
    )
    # Community (weight 0) gives no points and no reason.
    assert not any("community" in reason for reason in reasons_of(page, "Flask"))


def test_two_frameworks_with_equal_scores_share_first_place_in_display_order(seeded, client):
    page = choose_page(
        client,
        {"building": "shop-or-booking", "w-packages": 0, "w-community": 0, "w-performance": 0},
    )
    # No criterion counts; shop-or-booking has one Django and one Flask use case.
    #   Django:  0 + 1 * 3 -> 3
    #   Flask:   0 + 1 * 3 -> 3   (tied with Django)
    #   FastAPI: 0         -> 0
    assert ranking(page) == [
        ("=1st", "Django", "3 points, tied"),
        ("=1st", "Flask", "3 points, tied"),
        ("3rd", "FastAPI", "0 points"),
    ]
    assert reasons_of(page, "Django") == [
        "Its use cases include “High-load booking engines and shopping platforms”, which fits "
        "“An online shop or booking site” (+3 points)."
    ]
    assert reasons_of(page, "Flask") == [
        "Its use cases include “E-commerce systems”, which fits “An online shop or booking "
        "site” (+3 points)."
    ]
    assert reasons_of(page, "FastAPI") == [
        "None of its use cases is listed for “An online shop or booking site”."
    ]


def test_three_way_tie_keeps_the_display_order(seeded, client):
    page = choose_page(
        client, {"building": "", "w-packages": 0, "w-community": 1, "w-performance": 1}
    )
    # No project type; community *1 and performance *1:
    #   Django:  3 + 1 = 4
    #   Flask:   2 + 2 = 4
    #   FastAPI: 1 + 3 = 4
    assert ranking(page) == [
        ("=1st", "Django", "4 points, tied"),
        ("=1st", "Flask", "4 points, tied"),
        ("=1st", "FastAPI", "4 points, tied"),
    ]
    # Without a project type no reason mentions use cases.
    assert not any("use cases" in r for shown in placings(page) for r in shown.reasons)


def test_nothing_counting_ties_everyone_at_zero_and_says_so(seeded, client):
    page = choose_page(client, {"w-packages": 0, "w-community": 0, "w-performance": 0})
    # Every weight 0, no project type: 0 points each, all tied.
    assert ranking(page) == [
        ("=1st", "Django", "0 points, tied"),
        ("=1st", "Flask", "0 points, tied"),
        ("=1st", "FastAPI", "0 points, tied"),
    ]
    for item in page.one("ol", class_="placings").children:
        assert "Nothing you asked for counts for or against it." in item.text


# --- 2. a shared answer


def test_link_to_this_answer_reproduces_the_same_ranking(seeded, client):
    answers = {"building": "json-api", "w-packages": 2, "w-community": 0, "w-performance": 3}
    first = choose_page(client, answers)
    (link,) = [a for a in first.find_all("a") if a.text.strip() == "Link to this answer"]
    href = link.attrs["href"]
    assert href.startswith(CHOOSE + "?")

    cache.clear()  # rendered again, not served from the page cache
    response = client.get(href)
    assert response.status_code == 200
    assert response["X-Page-Cache"] == "miss"
    again = parse(response.content)

    # json-api: Django "Backends for iOS and Android apps", FastAPI "APIs where speed matters".
    #   FastAPI: 1*2 + 3*3 = 11, + 3 -> 14
    #   Django:  3*2 + 1*3 =  9, + 3 -> 12
    #   Flask:   2*2 + 2*3 = 10      -> 10
    assert ranking(again) == [
        ("1st", "FastAPI", "14 points"),
        ("2nd", "Django", "12 points"),
        ("3rd", "Flask", "10 points"),
    ]
    assert answer_section(again).outline() == answer_section(first).outline()


def test_answer_page_form_shows_the_readers_answers_checked(seeded, client):
    page = choose_page(
        client,
        {"building": "large-busy-service", "w-packages": 0, "w-community": 2, "w-performance": 3},
    )
    assert checked(page) == {
        "building": ["large-busy-service"],
        "w-packages": ["0"],
        "w-community": ["2"],
        "w-performance": ["3"],
    }
    # large-busy-service: Django 1 use case, FastAPI 2.
    #   FastAPI: 1*2 + 3*3 = 11, + 2 * 3 = 6 -> 17
    #   Django:  3*2 + 1*3 =  9, + 1 * 3 = 3 -> 12
    #   Flask:   2*2 + 2*3 = 10              -> 10
    assert ranking(page) == [
        ("1st", "FastAPI", "17 points"),
        ("2nd", "Django", "12 points"),
        ("3rd", "Flask", "10 points"),
    ]


# --- 5. editors' data drives the answer


def leading_framework_for_a_new_project_type():
    """A new published framework rated 1st on every criterion, and a project type that
    matches one of its use cases (and none of the seeded ones)."""
    newcomer = factories.framework(name="Newcomer", slug="newcomer")
    for criterion in Criterion.objects.all():
        factories.rating(framework=newcomer, criterion=criterion, rank=1, verdict="Best.")
    use = factories.use_case(framework=newcomer, title="Realtime dashboards")
    project_type = ProjectType.objects.create(
        name="A realtime dashboard", slug="realtime-dashboard", description="Live charts."
    )
    project_type.use_cases.add(use)
    return newcomer


def test_a_new_framework_that_leads_everything_ranks_first_for_its_project_type(seeded, client):
    leading_framework_for_a_new_project_type()
    page = choose_page(client, {"building": "realtime-dashboard"})
    # Weights default to 1; rank 1 shares the top points with the seeded leaders (worst rank
    # is still 3, so rank 1 earns 3):
    #   Newcomer: 3 + 3 + 3 = 9, + 3 -> 12
    #   Django:   3 + 3 + 1 = 7      ->  7
    #   Flask:    2 + 2 + 2 = 6      ->  6
    #   FastAPI:  1 + 1 + 3 = 5      ->  5
    assert ranking(page) == [
        ("1st", "Newcomer", "12 points"),
        ("2nd", "Django", "7 points"),
        ("3rd", "Flask", "6 points"),
        ("4th", "FastAPI", "5 points"),
    ]
    assert reasons_of(page, "Newcomer")[-1] == (
        "Its use cases include “Realtime dashboards”, which fits “A realtime dashboard” "
        f"(+{MATCH_POINTS} points)."
    )
    assert checked(page)["building"] == ["realtime-dashboard"]


def test_an_unpublished_framework_is_left_out_of_the_answer(seeded, client):
    newcomer = leading_framework_for_a_new_project_type()
    newcomer.is_published = False
    newcomer.save()
    page = choose_page(client, {"building": "realtime-dashboard"})
    # Only the seeded three, with the default weights and no matching use case: 7, 6, 5.
    assert ranking(page) == [
        ("1st", "Django", "7 points"),
        ("2nd", "Flask", "6 points"),
        ("3rd", "FastAPI", "5 points"),
    ]
    assert "Newcomer" not in page.one("main").text
