"""When figures decide a rank: ratings whose figures measure the same thing, from the same
source, must rank in the figures' order, and equal figures must share a rank.

A figure marked "context" is shown but decides nothing (the rating's note says what does).
Editors see the conflicts as a warning in the admin; a test keeps the seeded content free of
them.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from itertools import combinations

from comparisons.models import Figure, Rating


def rank_conflicts(ratings: Iterable[Rating]) -> list[str]:
    """One sentence per pair of ratings whose ranks contradict their figures.

    The ratings come with ``figures`` prefetched, and their criterion and framework.
    """
    groups: dict[tuple, list[tuple[Rating, Figure]]] = defaultdict(list)
    for rating in ratings:
        for figure in rating.figures.all():
            if figure.ranks:
                key = (rating.criterion_id, figure.measure, figure.source_url, figure.direction)
                groups[key].append((rating, figure))
    conflicts = []
    for pairs in groups.values():
        for (a, fa), (b, fb) in combinations(pairs, 2):
            if fa.value == fb.value:
                if a.rank != b.rank:
                    conflicts.append(
                        f"{a.criterion}: {a.framework} and {b.framework} have the same figure "
                        f"({fa.value_text} {fa.measure}) but different ranks ({a.rank} and "
                        f"{b.rank}); equal evidence is a tie."
                    )
                continue
            more_is_better = fa.direction == Figure.Direction.HIGHER
            if (fa.value > fb.value) != more_is_better:
                (a, fa), (b, fb) = (b, fb), (a, fa)  # from here on, a has the better figure
            if a.rank >= b.rank:
                conflicts.append(
                    f"{a.criterion}: {a.framework} ({fa.value_text}) has a better figure than "
                    f"{b.framework} ({fb.value_text}) on “{fa.measure}” but does not rank "
                    f"above it ({a.rank} and {b.rank}). Change a rank, or mark the figure as "
                    "context and say in the note what decides."
                )
    return conflicts


def criterion_conflicts(criterion_id: int) -> list[str]:
    """The conflicts on one criterion (two queries: its ratings, their figures)."""
    ratings = (
        Rating.objects.filter(criterion_id=criterion_id)
        .select_related("criterion", "framework")
        .prefetch_related("figures")
    )
    return rank_conflicts(ratings)
