"""comparisons/chart.py's ratings_chart(): the grid of places, one behaviour per test.

On ratings built in memory (no database). tests/test_chart_html.py checks the drawn table.
"""

from comparisons.chart import ratings_chart
from comparisons.tables import rows_from
from tests.factories import unsaved_criteria, unsaved_frameworks, unsaved_ratings

DJANGO, FLASK, FASTAPI, LITESTAR = unsaved_frameworks("Django", "Flask", "FastAPI", "Litestar")
THREE = [DJANGO, FLASK, FASTAPI]
SPEED, COMMUNITY = CRITERIA = unsaved_criteria("Speed", "Community")


def chart(ranks, criteria=CRITERIA, frameworks=THREE, current=None):
    """The chart of ratings with these ranks (a row per criterion, a rank per framework)."""
    rows = rows_from(frameworks, criteria, unsaved_ratings(frameworks, criteria, ranks))
    return ratings_chart(rows, frameworks, current=current)


def names(line) -> list[list[str]]:
    """Each place's framework names, place by place."""
    return [[mark.framework.name for mark in place.marks] for place in line.places]


def test_no_ratings_no_chart():
    assert chart([[None, None, None], [None, None, None]]) is None


def test_no_criteria_no_chart():
    assert chart([], criteria=[]) is None


def test_a_line_per_rated_criterion_in_row_order():
    lines = chart([[1, 2, 3], [3, 2, 1]]).lines
    assert [line.criterion for line in lines] == [SPEED, COMMUNITY]


def test_a_criterion_nobody_is_rated_on_has_no_line():
    lines = chart([[None, None, None], [1, 2, 3]]).lines
    assert [line.criterion for line in lines] == [COMMUNITY]


def test_each_framework_sits_in_the_place_of_its_rank():
    (line,) = chart([[3, 1, 2]], criteria=[SPEED]).lines
    assert names(line) == [["Flask"], ["FastAPI"], ["Django"]]


def test_the_columns_are_the_places_written_as_ordinals():
    assert chart([[1, 2, 3]], criteria=[SPEED]).places == ["1st", "2nd", "3rd"]


def test_four_frameworks_make_four_places():
    drawn = chart([[4, 3, 2, 1]], criteria=[SPEED], frameworks=[*THREE, LITESTAR])
    assert drawn.places == ["1st", "2nd", "3rd", "4th"]
    (line,) = drawn.lines
    assert names(line) == [["Litestar"], ["FastAPI"], ["Flask"], ["Django"]]


def test_every_line_has_a_place_per_column_even_when_some_are_unrated():
    drawn = chart([[1, None, None], [1, 2, 3]])
    assert [len(line.places) for line in drawn.lines] == [3, 3]


def test_frameworks_of_equal_rank_share_a_place_in_column_order():
    (line,) = chart([[2, 1, 2]], criteria=[SPEED]).lines
    assert names(line)[1] == ["Django", "FastAPI"]


def test_the_place_after_a_tie_is_left_empty():
    (line,) = chart([[1, 1, 3]], criteria=[SPEED]).lines
    assert names(line) == [["Django", "Flask"], [], ["FastAPI"]]


def test_a_shared_place_is_written_as_a_tie():
    (line,) = chart([[1, 1, 3]], criteria=[SPEED]).lines
    assert [(place.tied, place.text) for place in line.places] == [
        (True, "=1st"),
        (False, "2nd"),
        (False, "3rd"),
    ]


def test_unrated_frameworks_are_left_out_of_the_places_and_named_as_unrated():
    (line,) = chart([[2, None, 1]], criteria=[SPEED]).lines
    assert names(line) == [["FastAPI"], ["Django"], []]
    assert line.unrated == [FLASK]


def test_a_fully_rated_line_has_no_unrated_framework():
    (line,) = chart([[1, 2, 3]], criteria=[SPEED]).lines
    assert line.unrated == []


def test_a_rank_beyond_the_frameworks_shown_adds_its_place():
    """Ranks are among all the frameworks: two of them chosen may be 1st and 3rd."""
    drawn = chart([[1, 3]], criteria=[SPEED], frameworks=[DJANGO, FLASK])
    assert drawn.places == ["1st", "2nd", "3rd"]
    assert names(drawn.lines[0]) == [["Django"], [], ["Flask"]]


def test_only_the_current_frameworks_names_are_marked():
    drawn = chart([[1, 2, 3], [1, 1, 3]], current=FLASK)
    marked = {
        (line.criterion.name, mark.framework.name)
        for line in drawn.lines
        for place in line.places
        for mark in place.marks
        if mark.current
    }
    assert marked == {("Speed", "Flask"), ("Community", "Flask")}
    assert drawn.current == FLASK


def test_without_a_current_framework_no_name_is_marked():
    drawn = chart([[1, 2, 3], [3, 2, 1]])
    marks = [mark for line in drawn.lines for place in line.places for mark in place.marks]
    assert len(marks) == 6
    assert not any(mark.current for mark in marks)
    assert drawn.current is None
