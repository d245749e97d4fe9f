"""comparisons/chart.py's ratings_chart(): the bars' layout, one behaviour per test.

On ratings built in memory (no database). tests/test_chart_svg.py checks the drawn SVG.
"""

from comparisons.chart import BAR_SPACE, GAP, HEADING, LABEL_WIDTH, ROW, WIDTH, ratings_chart
from comparisons.tables import rows_from
from tests.factories import unsaved_criteria, unsaved_frameworks, unsaved_ratings

DJANGO, FLASK, FASTAPI = FRAMEWORKS = unsaved_frameworks("Django", "Flask", "FastAPI")
SPEED, COMMUNITY = CRITERIA = unsaved_criteria("Speed", "Community")


def chart(ranks, criteria=CRITERIA, current=None):
    """The chart of ratings with these ranks (a row per criterion, a rank per framework)."""
    rows = rows_from(FRAMEWORKS, criteria, unsaved_ratings(FRAMEWORKS, criteria, ranks))
    return ratings_chart(rows, FRAMEWORKS, current=current)


def widths(group) -> dict[str, int]:
    return {bar.framework.name: bar.width for bar in group.bars}


def test_no_ratings_no_chart():
    assert chart([[None, None, None], [None, None, None]]) is None


def test_no_criteria_no_chart():
    assert chart([], criteria=[]) is None


def test_a_group_per_rated_criterion_in_row_order():
    assert [group.name for group in chart([[1, 2, 3], [3, 2, 1]]).groups] == ["Speed", "Community"]


def test_a_criterion_nobody_is_rated_on_has_no_group():
    assert [group.name for group in chart([[None, None, None], [1, 2, 3]]).groups] == ["Community"]


def test_a_bar_per_rated_cell_in_column_order():
    (group,) = chart([[2, None, 1]], criteria=[SPEED]).groups
    assert [bar.framework for bar in group.bars] == [DJANGO, FASTAPI]


def test_the_leaders_bar_is_full_length():
    (group,) = chart([[1, 2, 3]], criteria=[SPEED]).groups
    assert widths(group)["Django"] == BAR_SPACE


def test_bars_are_as_long_as_their_share_of_the_top_points():
    (group,) = chart([[1, 2, 3]], criteria=[SPEED]).groups  # 3, 2 and 1 points of 3
    assert widths(group) == {
        "Django": BAR_SPACE,
        "Flask": round(2 / 3 * BAR_SPACE),
        "FastAPI": round(1 / 3 * BAR_SPACE),
    }


def test_equal_ranks_draw_equal_bars():
    (group,) = chart([[1, 1, 2]], criteria=[SPEED]).groups
    assert widths(group)["Django"] == widths(group)["Flask"] > widths(group)["FastAPI"]


def test_the_leader_of_every_criterion_has_a_full_length_bar():
    speed, community = chart([[1, 2, 3], [1, 2, None]]).groups
    assert widths(speed)["Django"] == BAR_SPACE
    assert widths(community)["Django"] == BAR_SPACE


def test_the_rank_is_written_as_an_ordinal():
    (group,) = chart([[1, 2, 3]], criteria=[SPEED]).groups
    assert [bar.rank_text for bar in group.bars] == ["1st", "2nd", "3rd"]


def test_a_bar_keeps_its_rating():
    (group,) = chart([[1, 2, 3]], criteria=[SPEED]).groups
    assert [bar.rating.verdict for bar in group.bars] == [
        "Speed: Django",
        "Speed: Flask",
        "Speed: FastAPI",
    ]


def test_only_the_current_frameworks_bars_are_marked():
    drawn = chart([[1, 2, 3], [3, 2, 1]], current=FLASK)
    every = {(group.name, bar.framework.name) for group in drawn.groups for bar in group.bars}
    current = {(g.name, bar.framework.name) for g in drawn.groups for bar in g.bars if bar.current}
    assert len(every) == 6
    assert current == {("Speed", "Flask"), ("Community", "Flask")}


def test_without_a_current_framework_no_bar_is_marked():
    drawn = chart([[1, 2, 3], [3, 2, 1]])
    assert not any(bar.current for group in drawn.groups for bar in group.bars)


def test_bars_stack_a_row_apart_below_their_heading():
    (group,) = chart([[1, 2, 3]], criteria=[SPEED]).groups
    assert group.y == 0
    assert [bar.y for bar in group.bars] == [HEADING, HEADING + ROW, HEADING + 2 * ROW]


def test_the_next_group_starts_after_the_bars_and_a_gap():
    _speed, community = chart([[1, None, 2], [1, 2, 3]]).groups
    assert community.y == HEADING + 2 * ROW + GAP  # Speed has two bars


def test_the_chart_is_as_tall_as_its_groups():
    drawn = chart([[1, None, 2], [1, 2, 3]])
    assert drawn.height == (HEADING + 2 * ROW + GAP) + (HEADING + 3 * ROW + GAP)
    assert drawn.width == WIDTH


def test_the_rank_is_written_just_after_the_bar():
    (group,) = chart([[1, 2, 3]], criteria=[SPEED]).groups
    assert [bar.text_x for bar in group.bars] == [LABEL_WIDTH + bar.width + 8 for bar in group.bars]


def test_the_description_says_each_criterions_ranks_in_words():
    drawn = chart([[1, None, 2], [3, 2, 1]])
    assert drawn.description == (
        "Speed: Django 1st, FastAPI 2nd. Community: Django 3rd, Flask 2nd, FastAPI 1st."
    )
