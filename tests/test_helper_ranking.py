"""comparisons/helper.py's rank(): the decision helper's score, places, ties, reasons and costs.

One behaviour per test, on frameworks, criteria, ratings and a project type built in memory
(no database: a query would fail the test). tests/test_choose_ranking.py checks the same rules
end to end, and tests/test_helper_scenarios.py the advice, on the seeded content.
"""

import pytest

from comparisons.helper import Weight, places, plus, rank
from comparisons.models import ProjectType
from comparisons.tables import rows_from
from core.templatetags.site import ordinal
from tests.factories import unsaved_criteria, unsaved_frameworks, unsaved_ratings

DJANGO, FLASK, FASTAPI = FRAMEWORKS = unsaved_frameworks("Django", "Flask", "FastAPI")
SPEED, COMMUNITY = CRITERIA = unsaved_criteria("Speed", "Community")
# Speed: FastAPI 1st (3 points), Flask 2nd (2), Django 3rd (1).
# Community: Django 1st (3 points), Flask 2nd (2), FastAPI 3rd (1).
ROWS = rows_from(
    FRAMEWORKS, CRITERIA, unsaved_ratings(FRAMEWORKS, CRITERIA, [[3, 2, 1], [1, 2, 3]])
)
SHOP = ProjectType(pk=1, name="An online shop", slug="shop")


def ranked(weights, project_type=None, rows=ROWS, frameworks=FRAMEWORKS, source="you"):
    """rank() with weights by criterion: {SPEED: 2} rather than {SPEED.pk: Weight(2, ...)}."""
    by_pk = {criterion.pk: Weight(weight, source) for criterion, weight in weights.items()}
    return rank(frameworks, rows, by_pk, project_type)


def scores(placings) -> dict[str, int]:
    return {placing.framework.name: placing.score for placing in placings}


def order(placings) -> list[str]:
    return [placing.framework.name for placing in placings]


def placing_of(placings, framework):
    (placing,) = [p for p in placings if p.framework == framework]
    return placing


def reasons(placings, framework) -> list[str]:
    """A framework's reasons as the reader reads them."""
    return [str(reason) for reason in placing_of(placings, framework).reasons]


# --- the score


def test_score_is_the_criterion_points_times_the_weight():
    assert scores(ranked({SPEED: 2, COMMUNITY: 0})) == {"FastAPI": 6, "Flask": 4, "Django": 2}


def test_score_adds_up_over_the_criteria():
    assert scores(ranked({SPEED: 1, COMMUNITY: 3})) == {"Django": 10, "Flask": 8, "FastAPI": 6}


def test_a_criterion_without_a_weight_counts_nothing():
    assert scores(ranked({SPEED: 1})) == scores(ranked({SPEED: 1, COMMUNITY: 0}))


def test_every_weight_zero_scores_everyone_zero():
    assert scores(ranked({SPEED: 0, COMMUNITY: 0})) == {"Django": 0, "Flask": 0, "FastAPI": 0}


def test_an_unrated_framework_earns_nothing_on_that_criterion():
    rows = rows_from(FRAMEWORKS, [SPEED], unsaved_ratings(FRAMEWORKS, [SPEED], [[None, 2, 1]]))
    assert scores(ranked({SPEED: 1}, rows=rows)) == {"FastAPI": 3, "Flask": 2, "Django": 0}


def test_placings_run_from_the_highest_score():
    placings = ranked({SPEED: 3})
    assert order(placings) == ["FastAPI", "Flask", "Django"]
    assert [placing.place for placing in placings] == [1, 2, 3]


def test_equal_scores_share_a_place_and_are_marked_tied():
    placings = ranked({SPEED: 1, COMMUNITY: 1})  # 4 points each
    assert [(p.place, p.tied) for p in placings] == [(1, True), (1, True), (1, True)]


def test_ties_keep_the_display_order():
    assert order(ranked({SPEED: 1, COMMUNITY: 1})) == ["Django", "Flask", "FastAPI"]
    reversed_display = [FASTAPI, FLASK, DJANGO]
    placings = ranked({SPEED: 1, COMMUNITY: 1}, frameworks=reversed_display)
    assert order(placings) == ["FastAPI", "Flask", "Django"]


def test_the_place_after_a_tie_skips_the_shared_places():
    rows = rows_from(FRAMEWORKS, [SPEED], unsaved_ratings(FRAMEWORKS, [SPEED], [[1, 1, 3]]))
    placings = ranked({SPEED: 1}, rows=rows)  # 3, 3, 1
    assert [(p.framework.name, p.place) for p in placings] == [
        ("Django", 1),
        ("Flask", 1),
        ("FastAPI", 3),
    ]
    assert placings[2].tied is False


@pytest.mark.parametrize(
    "weights",
    [{SPEED: 2, COMMUNITY: 0}, {SPEED: 1, COMMUNITY: 3}, {SPEED: 1, COMMUNITY: 1}, {SPEED: 0}],
)
def test_places_alone_are_the_places_rank_gives(weights):
    """places(), what the short answer ranks every kind of project with, places as rank()."""
    by_pk = {criterion.pk: Weight(weight, "you") for criterion, weight in weights.items()}
    placed = [(p.framework, p.score, p.place, p.tied) for p in places(FRAMEWORKS, ROWS, by_pk)]
    assert placed == [(p.framework, p.score, p.place, p.tied) for p in ranked(weights)]


def test_place_text_is_an_ordinal_with_an_equals_sign_when_tied():
    rows = rows_from(FRAMEWORKS, [SPEED], unsaved_ratings(FRAMEWORKS, [SPEED], [[1, 1, 3]]))
    placings = ranked({SPEED: 1}, rows=rows)
    assert [p.place_text for p in placings] == ["=1st", "=1st", "3rd"]


def test_ordinals_are_written_as_english_writes_them():
    numbers = [1, 2, 3, 4, 10, 11, 12, 13, 21, 22, 23, 101, 111, 112, 113, 121]
    assert [ordinal(number) for number in numbers] == [
        "1st", "2nd", "3rd", "4th", "10th", "11th", "12th", "13th", "21st", "22nd", "23rd",
        "101st", "111th", "112th", "113th", "121st",
    ]  # fmt: skip


# --- the reasons


def test_a_leader_leads_and_the_others_say_where_they_place_of_how_many():
    placings = ranked({SPEED: 2})
    assert reasons(placings, FASTAPI)[0].startswith(
        "You care quite a lot about speed, and here FastAPI leads."
    )
    assert reasons(placings, FLASK)[0].startswith(
        "You care quite a lot about speed, and here Flask is 2nd of 3."
    )


def test_a_shared_place_is_joint_and_a_shared_lead_is_shared():
    rows = rows_from(FRAMEWORKS, [SPEED], unsaved_ratings(FRAMEWORKS, [SPEED], [[1, 1, 3]]))
    placings = ranked({SPEED: 1}, rows=rows)
    assert "and here Django shares the lead." in reasons(placings, DJANGO)[0]
    rows = rows_from(FRAMEWORKS, [SPEED], unsaved_ratings(FRAMEWORKS, [SPEED], [[1, 2, 2]]))
    assert "and here Flask is joint 2nd of 3." in reasons(ranked({SPEED: 1}, rows=rows), FLASK)[0]


def test_of_counts_only_the_frameworks_rated_on_the_criterion():
    rows = rows_from(FRAMEWORKS, [SPEED], unsaved_ratings(FRAMEWORKS, [SPEED], [[1, 2, None]]))
    assert "is 2nd of 2." in reasons(ranked({SPEED: 1}, rows=rows), FLASK)[0]


def test_a_reason_is_a_sentence_then_the_verdict_then_the_points_gained():
    (reason,) = reasons(ranked({SPEED: 3}), DJANGO)
    assert (
        reason
        == "You care most about speed, and here Django is 3rd of 3. Speed: Django. (+3 points)"
    )


def test_a_weight_from_the_project_type_says_so():
    (reason,) = reasons(ranked({SPEED: 2}, SHOP, source="project"), FASTAPI)
    assert reason.startswith("Your kind of project needs speed quite a lot, and here FastAPI")


def test_a_weight_of_the_readers_own_says_they_care():
    (reason,) = reasons(ranked({SPEED: 2}, SHOP, source="you"), FASTAPI)
    assert reason.startswith("You care quite a lot about speed,")


def test_a_default_weight_says_it_is_the_default():
    (reason,) = reasons(ranked({SPEED: 1}, source="default"), FASTAPI)
    assert reason.startswith("We count speed a little by default,")


def test_a_criterion_named_in_capitals_keeps_them_inside_the_sentence():
    (api,) = unsaved_criteria("API tooling")
    rows = rows_from(FRAMEWORKS, [api], unsaved_ratings(FRAMEWORKS, [api], [[1, 2, 3]]))
    (reason,) = reasons(ranked({api: 1}, rows=rows), DJANGO)
    assert reason.startswith("You care a little about API tooling,")


def test_reasons_come_in_order_of_weight_highest_first():
    placings = ranked({SPEED: 1, COMMUNITY: 3})
    assert [reason.split(",")[0] for reason in reasons(placings, FLASK)] == [
        "You care most about community",
        "You care a little about speed",
    ]


def test_a_criterion_weighted_zero_gives_no_reason():
    (reason,) = reasons(ranked({SPEED: 0, COMMUNITY: 1}), FLASK)
    assert reason.startswith("You care a little about community")


def test_plus_says_point_or_points():
    assert [plus(1), plus(2), plus(0)] == ["+1 point", "+2 points", "+0 points"]


# --- what the winner costs


def test_the_winner_is_told_what_it_gives_up_where_it_does_not_lead():
    placings = ranked({SPEED: 3, COMMUNITY: 1})  # FastAPI 10, Flask 8, Django 6
    assert order(placings)[0] == "FastAPI"
    assert placing_of(placings, FASTAPI).costs == [
        "On community it is 3rd of 3: Community: FastAPI (Django leads here)."
    ]


def test_a_criterion_that_does_not_count_is_no_cost():
    placings = ranked({SPEED: 3, COMMUNITY: 0})
    assert placing_of(placings, FASTAPI).costs == []


def test_only_the_first_place_is_told_its_costs():
    placings = ranked({SPEED: 3, COMMUNITY: 1})
    assert placing_of(placings, FLASK).costs == []
    assert placing_of(placings, DJANGO).costs == []


def test_frameworks_tied_first_are_each_told_their_costs():
    placings = ranked({SPEED: 1, COMMUNITY: 1})  # 4 points each
    assert all(placing.costs for placing in placings if placing.framework != FLASK)
    assert len(placing_of(placings, FLASK).costs) == 2  # 2nd on both
