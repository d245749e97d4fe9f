"""The ratings drawn as bars, laid out here and drawn by templates/comparisons/_chart.html.

Longer bar = better rank on that criterion (the leader's bar is full length); the rank is
also written beside each bar, so the chart does not rely on length or colour alone.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from comparisons.models import Framework, Rating
from comparisons.tables import Row, points
from core.templatetags.site import place_text

WIDTH = 640
LABEL_WIDTH = 110
BAR_SPACE = 420
ROW = 22
HEADING = 24
GAP = 10


@dataclass
class Bar:
    framework: Framework
    rating: Rating
    y: int
    width: int
    rank_text: str
    current: bool

    @property
    def text_x(self) -> int:
        return LABEL_WIDTH + self.width + 8


@dataclass
class Group:
    name: str
    y: int
    bars: list[Bar]


@dataclass
class Chart:
    width: int
    height: int
    groups: list[Group]
    description: str
    label_width: int = LABEL_WIDTH


def ratings_chart(
    rows: Sequence[Row], frameworks: Sequence[Framework], current: Framework | None = None
) -> Chart | None:
    scored = points(rows)
    top = max(scored.values(), default=0)
    if not top:
        return None
    groups, sentences, y = [], [], 0
    for row in rows:
        bars = []
        # Each criterion's leader has a full-length bar, however many frameworks it rates.
        row_top = max(
            (scored[(r.criterion_id, r.framework_id)] for r in row.cells if r is not None),
            default=0,
        )
        for framework, rating in zip(frameworks, row.cells, strict=True):
            if rating is None:
                continue
            share = scored[(rating.criterion_id, rating.framework_id)] / row_top
            bars.append(
                Bar(
                    framework=framework,
                    rating=rating,
                    y=y + HEADING + len(bars) * ROW,
                    width=max(4, round(share * BAR_SPACE)),
                    rank_text=place_text(rating.rank, rating.tied),
                    current=current is not None and framework.pk == current.pk,
                )
            )
        if not bars:
            continue
        groups.append(Group(row.criterion.name, y, bars))
        sentences.append(
            f"{row.criterion.name}: "
            + ", ".join(f"{bar.framework.name} {bar.rank_text}" for bar in bars)
            + "."
        )
        y += HEADING + len(bars) * ROW + GAP
    return Chart(WIDTH, y, groups, " ".join(sentences))
