"""The comparison table, built in a fixed number of queries whatever its size."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from comparisons.models import Criterion, Framework, Rating


@dataclass
class Row:
    """A criterion's ratings, a cell per framework: what the helper, the chart and the pages'
    tables are computed from."""

    criterion: Criterion
    cells: list[Rating | None]  # one per framework, in column order; None where no rating
    frameworks: Sequence[Framework] = ()  # the columns
    tied_ranks: frozenset[int] = field(init=False)  # the ranks two or more cells share

    def __post_init__(self) -> None:
        shared = Counter(rating.rank for rating in self.ratings)
        self.tied_ranks = frozenset(rank for rank, count in shared.items() if count > 1)

    @property
    def ratings(self) -> list[Rating]:
        return [cell for cell in self.cells if cell is not None]

    def tied(self, rating: Rating) -> bool:
        """Whether this rating's rank is shared in the row: a tie, shown as one ("=2nd")."""
        return rating.rank in self.tied_ranks

    @property
    def ahead(self) -> list[Framework]:
        """The frameworks with the best rank in this row (several: level); none with fewer
        than two ratings, where there is nothing to be ahead of."""
        ratings = self.ratings
        if len(ratings) < 2:
            return []
        best = min(rating.rank for rating in ratings)
        return [rating.framework for rating in ratings if rating.rank == best]


def build_table(frameworks: Sequence[Framework], criteria: Iterable[Criterion]) -> list[Row]:
    """Rows of ratings for these frameworks and criteria, in one query for the ratings."""
    criteria = list(criteria)
    ratings = Rating.objects.filter(
        framework__in=frameworks, criterion__in=criteria
    ).select_related("framework", "criterion")
    return rows_from(frameworks, criteria, ratings)


def rows_from(
    frameworks: Sequence[Framework], criteria: Iterable[Criterion], ratings: Iterable[Rating]
) -> list[Row]:
    """Table rows from ratings already in hand (no query)."""
    by_cell = {(r.criterion_id, r.framework_id): r for r in ratings}
    frameworks = list(frameworks)
    return [
        Row(
            criterion,
            [by_cell.get((criterion.pk, framework.pk)) for framework in frameworks],
            frameworks,
        )
        for criterion in criteria
    ]


def points(rows: Sequence[Row]) -> dict[tuple[int, int], int]:
    """Points per (criterion, framework), the same on every criterion: with n frameworks in the
    table, 1st scores n, 2nd n - 1, and so on, at least 1 (ranks after a tie skip, so 1, 1, 3
    score 3, 3, 1). Unrated cells score nothing."""
    scored = {}
    for row in rows:
        size = len(row.cells)
        for rating in row.ratings:
            scored[(rating.criterion_id, rating.framework_id)] = max(size + 1 - rating.rank, 1)
    return scored


def choose(values: list[str], available: Sequence, limit: int = 100) -> tuple[list, list[str]]:
    """The items (by slug) a reader asked for, in display order, and the values ignored.

    Unknown, empty and repeated values are ignored (a value is a slug exactly as the site
    spells it: " flask" or "Flask" is another, unknown value); no valid choice means every
    item.
    """
    by_slug = {item.slug: item for item in available}
    wanted: set[str] = set()
    ignored: list[str] = []
    for value in values[:limit]:
        if not value.strip():
            continue  # blank: as if not given (the page cache leaves it out too)
        if value in by_slug:
            wanted.add(value)
        elif value and value not in ignored:
            ignored.append(value)
    if len(values) > limit:
        ignored.append(f"{len(values) - limit} more values")
    chosen = [item for item in available if item.slug in wanted]
    return (chosen or list(available)), ignored


def sort_by_criterion(frameworks: Sequence[Framework], row: Row) -> list[Framework]:
    """Frameworks ordered by their rank on one criterion (unrated last), ties kept in order."""
    rank = {rating.framework_id: rating.rank for rating in row.ratings}
    return sorted(frameworks, key=lambda framework: rank.get(framework.pk, 10**6))
