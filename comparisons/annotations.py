"""What pages hang on the content they show: corrections, figures and numbered source footnotes.

Each function makes one query for all the frameworks or ratings on a page, however many.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from django.db.models import CharField, Value

from comparisons.models import (
    Correction,
    Figure,
    Framework,
    FrameworkSource,
    ProCon,
    Rating,
    RatingSource,
    UseCase,
)


def loaded(model, db: str, row: dict):
    """An instance as the database loads it (from_db takes values in the fields' order)."""
    names = [f.attname for f in model._meta.concrete_fields if f.attname in row]
    return model.from_db(db, names, [row[name] for name in names])


def attach_details(frameworks: Sequence[Framework]) -> None:
    """Set ``framework.points`` (its pros and cons, pros first) and ``framework.uses`` (its
    use cases), in display order, for all these frameworks in one query: both kinds of row
    in a UNION."""
    columns = ["id", "framework_id", "title", "body", "body_html", "position"]
    points = (
        ProCon.objects.filter(framework__in=frameworks).order_by().values_list("kind", *columns)
    )
    uses = (
        UseCase.objects.filter(framework__in=frameworks)
        .order_by()
        .values_list(Value("", output_field=CharField()), *columns)
    )
    found = defaultdict(lambda: ([], []))
    for kind, *values in points.union(uses, all=True):
        row = dict(zip(columns, values, strict=True))
        if kind:
            found[row["framework_id"]][0].append(loaded(ProCon, points.db, {**row, "kind": kind}))
        else:
            found[row["framework_id"]][1].append(loaded(UseCase, uses.db, row))
    for framework in frameworks:
        framework.points, framework.uses = found[framework.pk]
        framework.points.sort(
            key=lambda point: (point.kind != ProCon.Kind.PRO, point.position, point.title)
        )
        framework.uses.sort(key=lambda use_case: (use_case.position, use_case.title))
        for row in (*framework.points, *framework.uses):
            row.framework = framework


def attach_corrections(frameworks: Sequence[Framework]) -> None:
    """Set ``framework.fact_corrections``, and ``correction_list`` on each of its pros and
    cons (``attach_details`` comes first); each correction knows its framework."""
    by_pk = {framework.pk: framework for framework in frameworks}
    by_framework = defaultdict(list)
    by_procon = defaultdict(list)
    for correction in Correction.objects.filter(framework__in=frameworks).order_by(
        "position", "pk"
    ):
        correction.framework = by_pk[correction.framework_id]  # no query to link to it
        if correction.procon_id:
            by_procon[correction.procon_id].append(correction)
        else:
            by_framework[correction.framework_id].append(correction)
    for framework in frameworks:
        framework.fact_corrections = by_framework[framework.pk]
        for point in framework.points:
            point.correction_list = by_procon[point.pk]


def what_changed(framework: Framework) -> list:
    """Every correction of a framework, for a page's "What changed": the facts', then the
    points' (``attach_corrections`` comes first)."""
    return [
        *framework.fact_corrections,
        *(correction for point in framework.points for correction in point.correction_list),
    ]


def attach_figures(ratings: Iterable[Rating], *, context: bool = True) -> None:
    """Set ``rating.figure_list``: the figures that are evidence for each rating; without
    ``context``, only those that decide its rank (what a table cell has room for)."""
    ratings = [rating for rating in ratings if rating is not None]
    by_rating = defaultdict(list)
    figures = Figure.objects.filter(rating__in=ratings)
    if not context:
        figures = figures.exclude(direction=Figure.Direction.CONTEXT)
    for figure in figures.order_by("position", "pk"):
        by_rating[figure.rating_id].append(figure)
    for rating in ratings:
        rating.figure_list = by_rating[rating.pk]
        for figure in rating.figure_list:
            figure.rating = rating  # no query when the figure names its rating


@dataclass
class Footnote:
    number: int
    title: str
    url: str
    backs: list[str] = field(default_factory=list)  # what it is cited for


def attach_footnotes(
    frameworks: Sequence[Framework], ratings: Iterable[Rating], *, facts: bool = True
) -> list[Footnote]:
    """Number the sources of these frameworks' facts and these ratings, in reading order.

    Sets ``framework.footnotes`` and ``rating.footnotes`` (lists of Footnote), and
    ``figure.footnotes`` on the figures ``attach_figures`` hung on the ratings; a source cited
    twice, by a fact, a rating or a figure, keeps one number. Returns the footnotes in order,
    for the page's list of sources.
    One query: both kinds of source in a UNION.
    """
    ratings = [rating for rating in ratings if rating is not None]
    columns = ("kind", "owner", "label", "title", "url", "position", "pk")
    fact_rows = FrameworkSource.objects.filter(
        framework__in=frameworks if facts else []
    ).order_by().values_list(
        Value("fact", output_field=CharField()), "framework_id", "fact", "source__title",
        "source__url", "position", "pk",
    )  # fmt: skip
    rating_rows = RatingSource.objects.filter(rating__in=ratings).order_by().values_list(
        Value("rating", output_field=CharField()), "rating_id",
        Value("", output_field=CharField()), "source__title", "source__url", "position", "pk",
    )  # fmt: skip
    rows = [dict(zip(columns, row, strict=True)) for row in fact_rows.union(rating_rows, all=True)]
    rows.sort(key=lambda row: (row["position"], row["pk"]))

    by_owner = defaultdict(list)
    for row in rows:
        by_owner[(row["kind"], row["owner"])].append(row)

    numbered: dict[str, Footnote] = {}

    def note_for(row, backs: str) -> Footnote:
        key = row["url"]  # a source is one address (Source): one number, one title
        if key not in numbered:
            numbered[key] = Footnote(len(numbered) + 1, row["title"], row["url"])
        footnote = numbered[key]
        if backs and backs not in footnote.backs:
            footnote.backs.append(backs)
        return footnote

    for framework in frameworks:
        framework.footnotes = once([
            note_for(row, f"{framework.name}: {row['label']}")
            for row in by_owner[("fact", framework.pk)]
        ])  # fmt: skip
    for rating in ratings:
        rating.footnotes = once([
            note_for(row, f"{rating.framework.name} on {rating.criterion.name}")
            for row in by_owner[("rating", rating.pk)]
        ])  # fmt: skip
        for figure in getattr(rating, "figure_list", ()):
            row = {"url": figure.source_url, "title": figure.source_title}
            backs = f"{rating.framework.name} on {rating.criterion.name}"
            figure.footnotes = [note_for(row, backs)]
    return list(numbered.values())


def once(notes: list[Footnote]) -> list[Footnote]:
    """Each footnote once, where it first comes: a source cited for several facts of one
    framework is one mark after them, not one per fact ([2][2][2][2])."""
    seen: set[int] = set()
    return [note for note in notes if not (note.number in seen or seen.add(note.number))]
