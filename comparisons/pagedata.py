"""What pages show that is not a model: a framework with its pros, cons, use cases,
corrections and sources; a rating with its figures and sources; the numbered footnotes.

Views fetch the rows in plain sight, with ``select_related`` and ``prefetch_related`` (the
prefetches below: one query per kind of row, however many frameworks or ratings), and build
these from them; templates read their attributes. Nothing is set on a model instance.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from django.db.models import Prefetch

from comparisons.models import (
    Correction,
    Criterion,
    Figure,
    Framework,
    FrameworkSource,
    ProCon,
    Rating,
    RatingSource,
    UseCase,
)
from comparisons.tables import Row

# --- what views prefetch


def pros_and_cons() -> Prefetch:
    """A framework's pros and cons, pros first, each in display order."""
    return Prefetch("pros_cons", queryset=ProCon.objects.order_by("-kind", "position", "title"))


def use_cases() -> Prefetch:
    return Prefetch("use_cases", queryset=UseCase.objects.order_by("position", "title"))


def corrections() -> Prefetch:
    """All of a framework's corrections, of its facts and of its pros and cons alike."""
    return Prefetch("corrections", queryset=Correction.objects.order_by("position", "pk"))


def fact_sources() -> Prefetch:
    return Prefetch(
        "sources",
        queryset=FrameworkSource.objects.select_related("source").order_by("position", "pk"),
    )


def rating_sources() -> Prefetch:
    return Prefetch(
        "sources",
        queryset=RatingSource.objects.select_related("source").order_by("position", "pk"),
    )


def figures(*, context: bool = True) -> Prefetch:
    """A rating's figures; without ``context``, only those that decide its rank (what a
    table cell has room for)."""
    found = Figure.objects.order_by("position", "pk")
    if not context:
        found = found.exclude(direction=Figure.Direction.CONTEXT)
    return Prefetch("figures", queryset=found)


# --- numbered sources


@dataclass
class Footnote:
    number: int
    title: str
    url: str
    backs: list[str] = field(default_factory=list)  # what it is cited for


class Footnotes:
    """A page's sources, numbered in the order the page cites them: a source (one address)
    cited again, by a fact, a rating or a figure, keeps its number."""

    def __init__(self) -> None:
        self._by_url: dict[str, Footnote] = {}

    def cite(self, title: str, url: str, backs: str) -> Footnote:
        """The footnote of a source, numbered if it is new, noting what it is cited for."""
        if url not in self._by_url:
            self._by_url[url] = Footnote(len(self._by_url) + 1, title, url)
        footnote = self._by_url[url]
        if backs and backs not in footnote.backs:
            footnote.backs.append(backs)
        return footnote

    @property
    def listed(self) -> list[Footnote]:
        """The page's list of sources, in number order."""
        return list(self._by_url.values())


def once(notes: Iterable[Footnote]) -> list[Footnote]:
    """Each footnote once, where it first comes: a source cited for several facts of one
    framework is one mark after them, not one per fact ([2][2][2][2])."""
    seen: set[int] = set()
    kept = []
    for note in notes:
        if note.number not in seen:
            seen.add(note.number)
            kept.append(note)
    return kept


# --- a framework


@dataclass(frozen=True)
class Point:
    """A pro or a con, with the corrections of what was said of it."""

    procon: ProCon
    corrections: list[Correction]


@dataclass(frozen=True)
class FrameworkDetails:
    """A framework as its page and the guide show it: pros, cons and use cases in display
    order, the corrections of its facts, and its facts' footnotes (none on a page that does
    not list them)."""

    framework: Framework
    pros: list[Point]
    cons: list[Point]
    uses: list[UseCase]
    fact_corrections: list[Correction]
    footnotes: list[Footnote]

    @property
    def what_changed(self) -> list[Correction]:
        """Every correction, for a page's "What changed": the facts', then the points'."""
        points = [*self.pros, *self.cons]
        return [*self.fact_corrections, *(c for point in points for c in point.corrections)]


def framework_details(framework: Framework, footnotes: Footnotes | None = None) -> FrameworkDetails:
    """A framework's details, from its prefetched ``pros_and_cons``, ``use_cases`` and
    ``corrections``; with ``footnotes``, its facts' sources (prefetched ``fact_sources``)
    numbered there."""
    by_point: dict[int, list[Correction]] = defaultdict(list)
    of_facts = []
    for correction in framework.corrections.all():
        if correction.procon_id is None:
            of_facts.append(correction)
        else:
            by_point[correction.procon_id].append(correction)
    points = [Point(procon, by_point[procon.pk]) for procon in framework.pros_cons.all()]
    notes = []
    if footnotes is not None:
        notes = once(
            footnotes.cite(link.source.title, link.source.url, f"{framework.name}: {link.fact}")
            for link in framework.sources.all()
        )
    return FrameworkDetails(
        framework=framework,
        pros=[point for point in points if point.procon.kind == ProCon.Kind.PRO],
        cons=[point for point in points if point.procon.kind == ProCon.Kind.CON],
        uses=list(framework.use_cases.all()),
        fact_corrections=of_facts,
        footnotes=notes,
    )


@dataclass(frozen=True)
class FrameworkPoints:
    """A framework with its pros and cons (their titles are what an A-vs-B page shows)."""

    framework: Framework
    pros: list[ProCon]
    cons: list[ProCon]


def framework_points(framework: Framework) -> FrameworkPoints:
    """From its prefetched ``pros_and_cons``."""
    points = list(framework.pros_cons.all())
    return FrameworkPoints(
        framework=framework,
        pros=[point for point in points if point.kind == ProCon.Kind.PRO],
        cons=[point for point in points if point.kind == ProCon.Kind.CON],
    )


# --- a rating


@dataclass(frozen=True)
class CitedFigure:
    """A figure with its source's footnote, or none where the page lists no sources (the
    figure then links to its source)."""

    figure: Figure
    footnotes: list[Footnote]


@dataclass(frozen=True)
class RatingCell:
    """A rating as a table cell or a framework page shows it."""

    rating: Rating
    tied: bool  # its rank is shared: "=2nd"
    figures: list[CitedFigure]
    footnotes: list[Footnote]


def rating_cell(
    rating: Rating, tied: bool, footnotes: Footnotes | None = None, *, with_figures: bool = False
) -> RatingCell:
    """A rating with its prefetched ``figures`` if asked; with ``footnotes``, its sources
    (prefetched ``rating_sources``), then its figures' sources, numbered there."""
    backs = f"{rating.framework.name} on {rating.criterion.name}"
    notes = []
    if footnotes is not None:
        notes = once(
            footnotes.cite(link.source.title, link.source.url, backs)
            for link in rating.sources.all()
        )
    cited = []
    for figure in rating.figures.all() if with_figures else ():
        figure_notes = []
        if footnotes is not None:
            figure_notes = [footnotes.cite(figure.source_title, figure.source_url, backs)]
        cited.append(CitedFigure(figure, figure_notes))
    return RatingCell(rating=rating, tied=tied, figures=cited, footnotes=notes)


@dataclass(frozen=True)
class TableRow:
    """A criterion's row of the comparison table: each column's framework with its cell."""

    criterion: Criterion
    cells: list[tuple[Framework, RatingCell | None]]
    ahead: list[Framework]  # who of the columns is ahead on it (see tables.Row.ahead)


def table_rows(
    rows: Sequence[Row],
    footnotes: Footnotes | None = None,
    *,
    with_figures: bool = False,
    ties: dict[int, frozenset[int]] | None = None,
) -> list[TableRow]:
    """The table's rows as pages show them, their sources numbered in reading order (row by
    row, column by column). ``ties``: the ranks shared on each criterion (by its pk) among all
    the frameworks ranked, where the table shows some of them (a tie with one not shown is
    still a tie: "=2nd")."""

    def cell(rating: Rating, tied: bool) -> RatingCell:
        if ties is not None:
            tied = rating.rank in ties.get(rating.criterion_id, frozenset())
        return rating_cell(rating, tied, footnotes, with_figures=with_figures)

    return [
        TableRow(
            criterion=row.criterion,
            cells=[
                (framework, None if rating is None else cell(rating, row.tied(rating)))
                for framework, rating in zip(row.frameworks, row.cells, strict=True)
            ],
            ahead=row.ahead,
        )
        for row in rows
    ]


# --- the verdict a comparison opens with


@dataclass(frozen=True)
class Lead:
    """One framework in a comparison's verdict: where it leads (alone, or sharing the lead)
    and the kinds of project the decision helper gives it."""

    framework: Framework
    alone: list[Criterion]
    shared: list[Criterion]
    kinds: list  # comparisons.models.ProjectType


@dataclass(frozen=True)
class Verdict:
    leads: list[Lead]
    close: list  # helper.CloseCall: kinds of project whose answer is close
    criteria: int  # how many criteria the verdict counts


def verdict(frameworks: Sequence[Framework], rows: Sequence[Row], quick) -> Verdict:
    """Who wins what: for each framework the criteria it leads on (rows' rank 1 among the
    columns) and the kinds of project it wins (``quick``: helper.quick_answer)."""
    won = {framework.pk: kinds for framework, kinds in quick.wins}
    leads = []
    for framework in frameworks:
        alone: list[Criterion] = []
        shared: list[Criterion] = []
        for row in rows:
            ahead = row.ahead
            if any(f.pk == framework.pk for f in ahead):
                (alone if len(ahead) == 1 else shared).append(row.criterion)
        leads.append(Lead(framework, alone, shared, won.get(framework.pk, [])))
    return Verdict(leads, list(quick.close), len(rows))
