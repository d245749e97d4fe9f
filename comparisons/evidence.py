"""What a criterion's ranks must respect, checked for the editors.

- Ranks follow the one rule for ties: frameworks judged equal share a rank and the next rank
  skips the shared places (1, 1, 3 or 1, 2, 2; never 1, 1, 2).
- Where figures decide: ratings whose figures measure the same thing, from the same source,
  rank in the figures' order, and figures closer than their spread (or equal) share a rank.
  A figure marked "context" is shown but decides nothing (the rating's note says what does).

Editors see a break of either as a warning in the admin, on the page a save that breaks it
lands on and on the criterion's, rating's and figure's pages (one rating may be saved at a
time, so a criterion may pass through a broken state while they edit), and listed on the
attention page while it lasts (comparisons.attention); publishing a framework that would break
them asks first (comparisons.publishing). A test keeps the seeded content free of them.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from itertools import combinations

from django.db.models import QuerySet

from comparisons.models import Criterion, Figure, Framework, Rating


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
            if fa.ties_with(fb):
                if a.rank != b.rank:
                    same = (
                        "the same figure" if fa.value == fb.value else "figures within their spread"
                    )
                    conflicts.append(
                        f"{a.criterion}: {a.framework} and {b.framework} have {same} "
                        f"({fa.value_text} and {fb.value_text} {fa.measure}) but different "
                        f"ranks ({a.rank} and {b.rank}); equal evidence is a tie."
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


def tie_rule_breaks(ratings: Iterable[Rating]) -> list[str]:
    """One sentence per criterion whose ranks skip too little or too much after a tie."""
    by_criterion = defaultdict(list)
    for rating in ratings:
        by_criterion[rating.criterion].append(rating.rank)
    breaks = []
    for criterion, ranks in by_criterion.items():
        ranks.sort()
        expected = [ranks.index(rank) + 1 for rank in ranks]  # 1 + how many rank above
        if ranks != expected:
            breaks.append(
                f"{criterion}: the ranks are {', '.join(map(str, ranks))}; after a tie the "
                f"next rank skips the shared places, so they should read "
                f"{', '.join(map(str, expected))}."
            )
    return breaks


def conflicts_by_criterion(
    criterion_id: int | None = None, frameworks: QuerySet[Framework] | None = None
) -> dict[Criterion, list[str]]:
    """What breaks the rules, by criterion (in the criteria's order), among the ratings of the
    published frameworks, or of these ``frameworks`` (the ones a publishing would leave
    published); of one criterion if given. Two queries: the ratings, their figures."""
    ratings = Rating.objects.select_related("criterion", "framework").prefetch_related("figures")
    if frameworks is None:
        ratings = ratings.filter(framework__is_published=True)
    else:
        ratings = ratings.filter(framework__in=frameworks)
    if criterion_id is not None:
        ratings = ratings.filter(criterion_id=criterion_id)
    by_criterion: dict[Criterion, list[Rating]] = defaultdict(list)
    for rating in ratings:  # the model's order: by criterion, rank, framework
        by_criterion[rating.criterion].append(rating)
    found = {
        criterion: tie_rule_breaks(rows) + rank_conflicts(rows)
        for criterion, rows in by_criterion.items()
    }
    return {criterion: conflicts for criterion, conflicts in found.items() if conflicts}


def criterion_conflicts(criterion_id: int) -> list[str]:
    """What breaks the rules on one criterion (two queries: its ratings, their figures)."""
    return [
        conflict
        for conflicts in conflicts_by_criterion(criterion_id).values()
        for conflict in conflicts
    ]
