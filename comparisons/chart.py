"""The ratings chart: where each framework places on each criterion, laid out here and drawn
by templates/comparisons/_chart.html as a grid (a <table>).

Its columns are the places (1st, 2nd, …), its rows the criteria; each framework's name sits
in the column of its rank. Frameworks that share a rank share a cell (shown as a tie, "=2nd")
and the place after a tie stays empty (ranks 1, 1, 3 leave 2nd empty), so the gaps say what
the ranks say and nothing else: a rank is a position, never a distance or an amount.

There are as many places as frameworks compared, or more where a rank is higher than that
(ranks are among all the frameworks, so a few chosen on /compare/ may be 1st and 3rd).
Unrated frameworks are left out of a row and named in it as not rated; a criterion no one is
rated on has no row, and no rating at all means no chart (None).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from comparisons.models import Criterion, Framework
from comparisons.tables import Row
from core.templatetags.site import place_text


@dataclass
class Mark:
    """A framework's name in its place; current: it is the page's own framework."""

    framework: Framework
    current: bool = False


@dataclass
class Place:
    number: int  # 1 for 1st
    marks: list[Mark] = field(default_factory=list)  # in column order

    @property
    def tied(self) -> bool:
        return len(self.marks) > 1

    @property
    def text(self) -> str:
        """The place as the site writes a rank: "2nd", or "=2nd" when it is shared."""
        return place_text(self.number, self.tied)


@dataclass
class Line:
    """A criterion's row: a place per column, and who is not rated on it."""

    criterion: Criterion
    places: list[Place]
    unrated: list[Framework]


@dataclass
class Chart:
    places: list[str]  # the column headings: "1st", "2nd", …
    lines: list[Line]
    current: Framework | None = None


def ratings_chart(
    rows: Sequence[Row], frameworks: Sequence[Framework], current: Framework | None = None
) -> Chart | None:
    """The chart of these table rows (cells aligned with frameworks), marking current's name."""
    rated = [row for row in rows if row.ratings]
    if not rated:
        return None
    size = max(len(frameworks), *(rating.rank for row in rated for rating in row.ratings))
    lines = []
    for row in rated:
        places = [Place(number) for number in range(1, size + 1)]
        unrated = []
        for framework, rating in zip(frameworks, row.cells, strict=True):
            if rating is None:
                unrated.append(framework)
                continue
            is_current = current is not None and framework.pk == current.pk
            places[rating.rank - 1].marks.append(Mark(framework, is_current))
        lines.append(Line(row.criterion, places, unrated))
    return Chart([place_text(number) for number in range(1, size + 1)], lines, current)
