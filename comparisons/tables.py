"""The comparison table, built in a fixed number of queries whatever its size."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from comparisons.models import Criterion, Framework, Rating


@dataclass
class Row:
    criterion: Criterion
    cells: list[Rating | None]  # one per framework, in column order; None where no rating


def build_table(frameworks: Sequence[Framework], criteria: Iterable[Criterion]) -> list[Row]:
    """Rows of ratings for these frameworks and criteria, in one query for the ratings."""
    criteria = list(criteria)
    ratings = Rating.objects.filter(framework__in=frameworks, criterion__in=criteria)
    by_cell = {(r.criterion_id, r.framework_id): r for r in ratings}
    return [
        Row(criterion, [by_cell.get((criterion.pk, framework.pk)) for framework in frameworks])
        for criterion in criteria
    ]


def choose_frameworks(
    values: list[str], published: Sequence[Framework], limit: int = 100
) -> tuple[list[Framework], list[str]]:
    """The frameworks a reader asked for (in display order) and the values that were ignored.

    Unknown, empty and repeated values are ignored; no valid choice means every framework.
    """
    by_slug = {framework.slug: framework for framework in published}
    wanted: set[str] = set()
    ignored: list[str] = []
    for value in values[:limit]:
        value = value.strip()
        if value in by_slug:
            wanted.add(value)
        elif value and value not in ignored:
            ignored.append(value)
    if len(values) > limit:
        ignored.append(f"{len(values) - limit} more values")
    chosen = [framework for framework in published if framework.slug in wanted]
    return (chosen or list(published)), ignored
