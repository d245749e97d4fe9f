"""comparisons/tables.py: the table builder, one behaviour per test.

On frameworks, criteria and ratings built in memory (tests/factories.py): these tests have no
database, so any query they made would fail them. Only build_table's own tests use it.
"""

import pytest

from comparisons.models import Criterion, Framework, Rating
from comparisons.tables import build_table, choose, points, rows_from, sort_by_criterion
from tests.factories import unsaved_criteria, unsaved_frameworks, unsaved_ratings

DJANGO, FLASK, FASTAPI = FRAMEWORKS = unsaved_frameworks("Django", "Flask", "FastAPI")
SPEED, COMMUNITY = CRITERIA = unsaved_criteria("Speed", "Community")


def table(ranks, frameworks=FRAMEWORKS, criteria=CRITERIA):
    """rows_from on ratings with these ranks (a row per criterion, a rank per framework)."""
    return rows_from(frameworks, criteria, unsaved_ratings(frameworks, criteria, ranks))


def verdicts(rows) -> list[list[str | None]]:
    return [[cell.verdict if cell else None for cell in row.cells] for row in rows]


# --- rows_from


def test_rows_from_makes_a_row_per_criterion_in_the_order_given():
    rows = table([[1, 2, 3], [3, 2, 1]], criteria=[COMMUNITY, SPEED])
    assert [row.criterion for row in rows] == [COMMUNITY, SPEED]


def test_rows_from_puts_each_rating_in_its_frameworks_column():
    rows = table([[1, 2, 3], [3, 2, 1]])
    assert verdicts(rows) == [
        ["Speed: Django", "Speed: Flask", "Speed: FastAPI"],
        ["Community: Django", "Community: Flask", "Community: FastAPI"],
    ]


def test_rows_from_follows_the_column_order_it_is_given():
    ratings = unsaved_ratings(FRAMEWORKS, [SPEED], [[1, 2, 3]])
    (row,) = rows_from([FASTAPI, DJANGO], [SPEED], ratings)
    assert [cell.verdict for cell in row.cells] == ["Speed: FastAPI", "Speed: Django"]


def test_rows_from_leaves_an_unrated_cell_empty():
    (row,) = table([[1, None, 2]], criteria=[SPEED])
    assert verdicts([row]) == [["Speed: Django", None, "Speed: FastAPI"]]


def test_row_ratings_skip_the_empty_cells():
    (row,) = table([[None, 1, None]], criteria=[SPEED])
    assert [rating.verdict for rating in row.ratings] == ["Speed: Flask"]


def test_rows_from_ignores_ratings_outside_the_table():
    ratings = unsaved_ratings(FRAMEWORKS, CRITERIA, [[1, 2, 3], [1, 2, 3]])
    (row,) = rows_from([DJANGO], [SPEED], ratings)
    assert [cell.verdict for cell in row.cells] == ["Speed: Django"]


def test_rows_from_without_criteria_is_an_empty_table():
    assert rows_from(FRAMEWORKS, [], unsaved_ratings(FRAMEWORKS, [SPEED], [[1, 2, 3]])) == []


# --- build_table (the database)


def test_build_table_reads_the_ratings_in_one_query(seeded, django_assert_num_queries):
    frameworks = list(Framework.objects.all())
    criteria = list(Criterion.objects.all())
    with django_assert_num_queries(1):
        rows = build_table(frameworks, criteria)
        # The framework and criterion of each rating come in the same query.
        names = [(r.framework.name, r.criterion.name) for row in rows for r in row.ratings]
    assert len(names) == Rating.objects.count()


def test_build_table_holds_every_rating_of_its_frameworks_and_criteria(seeded):
    frameworks = list(Framework.objects.all())
    criteria = list(Criterion.objects.all())
    rows = build_table(frameworks, criteria)
    shown = {(rating.criterion_id, rating.framework_id) for row in rows for rating in row.ratings}
    assert shown == set(Rating.objects.values_list("criterion_id", "framework_id"))


def test_build_table_leaves_out_other_frameworks_and_criteria(seeded):
    flask = Framework.objects.get(slug="flask")
    performance = Criterion.objects.get(slug="performance")
    (row,) = build_table([flask], [performance])
    assert row.criterion == performance
    assert [(cell.framework, cell.criterion) for cell in row.cells] == [(flask, performance)]


# --- points


def test_points_give_the_leader_one_point_per_framework_compared():
    rows = table([[1, 2, 3]], criteria=[SPEED])
    assert points(rows) == {
        (SPEED.pk, DJANGO.pk): 3,
        (SPEED.pk, FLASK.pk): 2,
        (SPEED.pk, FASTAPI.pk): 1,
    }


def test_a_lead_is_worth_the_same_on_every_criterion():
    """A lead shared on one criterion and a lead alone on another earn the same points, and a
    criterion not every framework is rated on does not make its lead worth less."""
    rows = table([[1, 1, 3], [1, 2, None]])
    scored = points(rows)
    leads = {scored[(row.criterion.pk, DJANGO.pk)] for row in rows}
    assert leads == {3}


def test_points_are_equal_for_equal_ranks_and_the_next_rank_skips():
    rows = table([[1, 1, 3]], criteria=[SPEED])
    scored = points(rows)
    assert scored[(SPEED.pk, DJANGO.pk)] == scored[(SPEED.pk, FLASK.pk)] == 3
    assert scored[(SPEED.pk, FASTAPI.pk)] == 1


def test_a_rank_past_the_number_of_frameworks_still_earns_a_point():
    rows = table([[1, 2, 7]], criteria=[SPEED])
    assert points(rows)[(SPEED.pk, FASTAPI.pk)] == 1


def test_points_leave_out_unrated_cells():
    rows = table([[1, None, 2]], criteria=[SPEED])
    assert (SPEED.pk, FLASK.pk) not in points(rows)


def test_points_of_a_criterion_nobody_is_rated_on_are_none():
    assert points(table([[None, None, None]], criteria=[SPEED])) == {}


def test_a_lone_rating_scores_one_point_whatever_its_rank():
    assert points(table([[None, 3, None]], criteria=[SPEED])) == {(SPEED.pk, FLASK.pk): 1}


# --- choose


def test_choose_without_values_gives_every_item_and_ignores_nothing():
    assert choose([], FRAMEWORKS) == (FRAMEWORKS, [])


def test_choose_gives_the_items_asked_for():
    assert choose(["flask"], FRAMEWORKS) == ([FLASK], [])


def test_choose_keeps_the_display_order_not_the_order_asked():
    chosen, _ = choose(["fastapi", "django"], FRAMEWORKS)
    assert chosen == [DJANGO, FASTAPI]


def test_choose_gives_a_repeated_value_once():
    assert choose(["flask", "flask"], FRAMEWORKS) == ([FLASK], [])


def test_choose_takes_a_value_only_as_the_site_spells_it():
    """ " flask" is another spelling: ignored (so never kept by the page cache, issue 27)."""
    assert choose(["  flask "], FRAMEWORKS) == (FRAMEWORKS, ["  flask "])


def test_choose_passes_over_a_blank_value():
    assert choose(["  ", "flask"], FRAMEWORKS) == ([FLASK], [])


def test_choose_names_an_unknown_value_as_ignored():
    assert choose(["django", "nope"], FRAMEWORKS) == ([DJANGO], ["nope"])


def test_choose_names_a_repeated_unknown_value_once():
    _, ignored = choose(["nope", "nada", "nope"], FRAMEWORKS)
    assert ignored == ["nope", "nada"]


def test_choose_ignores_empty_and_blank_values_silently():
    assert choose(["", "   "], FRAMEWORKS) == (FRAMEWORKS, [])


def test_choose_with_no_valid_value_gives_every_item():
    chosen, _ = choose(["nope"], FRAMEWORKS)
    assert chosen == FRAMEWORKS


def test_choose_is_case_sensitive():
    assert choose(["Django"], FRAMEWORKS) == (FRAMEWORKS, ["Django"])


def test_choose_reads_values_up_to_the_limit_and_counts_the_rest():
    chosen, ignored = choose(["nope"] * 3 + ["flask"] * 2, FRAMEWORKS, limit=3)
    assert chosen == FRAMEWORKS  # "flask" came after the limit
    assert ignored == ["nope", "2 more values"]


def test_choose_at_the_limit_counts_nothing_more():
    assert choose(["flask"] * 3, FRAMEWORKS, limit=3) == ([FLASK], [])


# --- sort_by_criterion


def test_sort_by_criterion_puts_the_best_rank_first():
    (row,) = table([[3, 2, 1]], criteria=[SPEED])
    assert sort_by_criterion(FRAMEWORKS, row) == [FASTAPI, FLASK, DJANGO]


def test_sort_by_criterion_puts_unrated_frameworks_last():
    (row,) = table([[None, 2, 1]], criteria=[SPEED])
    assert sort_by_criterion(FRAMEWORKS, row) == [FASTAPI, FLASK, DJANGO]


def test_sort_by_criterion_keeps_the_given_order_for_equal_ranks():
    (row,) = table([[2, 1, 1]], criteria=[SPEED])
    assert sort_by_criterion(FRAMEWORKS, row) == [FLASK, FASTAPI, DJANGO]
    assert sort_by_criterion([FASTAPI, FLASK, DJANGO], row) == [FASTAPI, FLASK, DJANGO]


@pytest.mark.parametrize("ranks", [[1, 2, 3], [None, None, None]])
def test_sort_by_criterion_returns_a_new_list(ranks):
    (row,) = table([ranks], criteria=[SPEED])
    frameworks = list(FRAMEWORKS)
    assert sort_by_criterion(frameworks, row) is not frameworks
    assert frameworks == FRAMEWORKS


def test_a_pair_says_who_of_the_two_is_ahead_on_each_criterion(seeded, client):
    page = client.get("/compare/django-vs-flask/").content.decode()
    for criterion in Criterion.objects.all():
        ranks = dict(
            Rating.objects.filter(
                criterion=criterion, framework__slug__in=["django", "flask"]
            ).values_list("framework__name", "rank")
        )
        best = min(ranks.values())
        ahead = [name for name in ("Django", "Flask") if ranks.get(name) == best]
        said = " and ".join(ahead) + (" level" if len(ahead) > 1 else " ahead")
        row = page[page.index(f'<th scope="row">{criterion.name}') :].split("</th>")[0]
        assert f'<span class="ahead">{said}</span>' in row, criterion.slug


def test_a_pairs_ranks_say_among_how_many(seeded, client):
    page = client.get("/compare/django-vs-flask/").content.decode()
    assert page.count('<span class="of">of 3</span>') == 2 * Criterion.objects.count()


def test_the_full_table_names_no_one_ahead(seeded, client):
    page = client.get("/compare/").content.decode()
    assert 'class="ahead"' not in page
    assert 'class="of"' not in page
