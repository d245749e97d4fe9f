"""The comparisons app's pages. Each page's data is computed by a plain function
(``framework_page``...) that fetches what the page shows in plain sight and returns it typed
(a TypedDict per page: what its template reads)."""

from __future__ import annotations

from dataclasses import dataclass
from itertools import combinations
from typing import TypedDict

from django.db.models import Prefetch, prefetch_related_objects
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.views.decorators.http import require_safe

from comparisons import helper, pagedata
from comparisons.benchmark import Benchmark
from comparisons.benchmark import summary as benchmark_summary
from comparisons.chart import Chart, ratings_chart
from comparisons.helper import Advice, HelperForm, Placing, Question, Weight
from comparisons.models import (
    REVIEW_AFTER_DAYS,
    Criterion,
    Framework,
    ProjectType,
    Rating,
    UseCase,
)
from comparisons.pagedata import (
    Footnote,
    Footnotes,
    FrameworkDetails,
    FrameworkPoints,
    RatingCell,
    TableRow,
    Verdict,
)
from comparisons.start import StartWith, python_choices, start_with
from comparisons.support import Support, support
from comparisons.tables import build_table, choose, rows_from, sort_by_criterion
from core.addresses import absolute_url
from core.cache import query_parameters, uncached
from core.templatetags.site import lower_first
from core.visibility import page_data, preview_aware, visible

# How long an ignored query-string value may be when we echo it back (escaped) to the reader.
ECHO_LIMIT = 40


def echo(values: list[str]) -> list[str]:
    return [value if len(value) <= ECHO_LIMIT else value[:ECHO_LIMIT] + "…" for value in values]


class FrameworkListPage(TypedDict):
    frameworks: list[Framework]


@require_safe
def framework_list(request: HttpRequest) -> HttpResponse:
    return render(request, "comparisons/framework_list.html", framework_list_page())


def framework_list_page() -> FrameworkListPage:
    return {"frameworks": list(Framework.objects.published())}


class FrameworkPage(TypedDict):
    framework: Framework
    details: FrameworkDetails  # its pros, cons, use cases, corrections, facts' sources
    ratings: list[RatingCell]  # its own, by criterion
    chart: Chart | None
    footnotes: list[Footnote]
    compare_links: list[tuple[Framework, str]]
    support: Support  # its supported lines, security releases, release pace, sample's run
    start: StartWith  # what to install (every line, with its Pythons), read and do first
    preview: bool


@require_safe
def framework_detail(request: HttpRequest, slug: str) -> HttpResponse:
    context = page_data(request, framework_page, slug)
    if context is None:
        raise Http404("No such framework.")
    response = render(request, "comparisons/framework_detail.html", context)
    return preview_aware(response, context["preview"])


def framework_page(slug: str, staff: bool = False) -> FrameworkPage | None:
    """What a framework's page shows (None: no such framework). Staff see drafts too."""
    # Its sample app in the same query: the support panel says how its tests fare on the
    # newest releases.
    frameworks = list(visible(Framework, staff).select_related("sample_app"))
    framework = next((f for f in frameworks if f.slug == slug), None)
    if framework is None:
        return None
    prefetch_related_objects(
        [framework],
        pagedata.pros_and_cons(),
        pagedata.use_cases(),
        pagedata.corrections(),
        pagedata.fact_sources(),
    )
    published = [f for f in frameworks if f.is_published or f.pk == framework.pk]
    ratings = list(
        Rating.objects.filter(framework__in=published)
        .select_related("criterion", "framework")
        .order_by("criterion__position", "criterion__name")
    )
    criteria = list({rating.criterion_id: rating.criterion for rating in ratings}.values())
    rows = rows_from(published, criteria, ratings)
    own = [
        (rating, row.tied(rating))
        for row in rows
        for rating in row.ratings
        if rating.framework_id == framework.pk
    ]
    prefetch_related_objects(
        [rating for rating, _ in own], pagedata.figures(), pagedata.rating_sources()
    )
    footnotes = Footnotes()  # the facts' sources first, then the ratings', in reading order
    details = pagedata.framework_details(framework, footnotes)
    cells = [
        pagedata.rating_cell(rating, tied, footnotes, with_figures=True) for rating, tied in own
    ]
    return {
        "framework": framework,
        "details": details,
        "ratings": cells,
        "chart": ratings_chart(rows, published, current=framework),
        "footnotes": footnotes.listed,
        "compare_links": [
            (other, framework.versus_url(other))
            for other in frameworks
            if other.is_published and other.pk != framework.pk
        ],
        "support": support(framework),
        "start": start_with(framework),
        "preview": not framework.is_published,
    }


class MethodologyPage(TypedDict):
    criteria: list[Criterion]
    frameworks: list[Framework]
    review_after_days: int
    benchmark: Benchmark | None  # the published run (no query: a file)


@require_safe
def methodology(request: HttpRequest) -> HttpResponse:
    """How we rate: the rules the code applies, with the criteria and review dates they apply to."""
    return render(request, "comparisons/methodology.html", methodology_page())


def methodology_page() -> MethodologyPage:
    return {
        "criteria": list(Criterion.objects.all()),
        "frameworks": list(Framework.objects.published()),
        "review_after_days": REVIEW_AFTER_DAYS,
        "benchmark": benchmark_summary(),
    }


# ?reasons=open: a table with every reason unfolded (its "Why" details open), for a reader
# who wants to read them all, without JavaScript.
OPEN_REASONS = "open"


def open_reasons(request: HttpRequest) -> tuple[bool, list[str]]:
    """Whether the reader asked for every reason unfolded, and the value ignored if not."""
    wanted = request.GET.get("reasons", "")  # exactly "open": no other spelling is kept
    return wanted == OPEN_REASONS, [wanted] if wanted and wanted != OPEN_REASONS else []


def reasons_link(path: str, query: list[tuple[str, str]], unfolded: bool) -> str:
    """The address of the same table with its reasons the other way round (folded or not)."""
    query = [*query, *([] if unfolded else [("reasons", OPEN_REASONS)])]
    return f"{path}{'?' + urlencode(query) if query else ''}#reasons"


class ComparePage(TypedDict):
    published: list[Framework]
    all_criteria: list[Criterion]
    frameworks: list[Framework]  # the columns, in their order
    chosen: set[str]
    of: int
    subset: bool
    chosen_criteria: set[str]
    sort: str
    rows: list[TableRow]
    chart: Chart | None
    footnotes: list[Footnote]
    pairs: list[tuple[Framework, Framework, str]]
    verdict: Verdict  # who wins what, first
    unfolded: bool
    reasons_link: str
    ignored: list[str]  # what the query string asked for that the page does not know


@query_parameters("sort", "reasons", multi=("fw", "c"))
@require_safe
def compare(request: HttpRequest) -> HttpResponse:
    published, all_criteria = compare_choices()
    frameworks, ignored_frameworks = choose(request.GET.getlist("fw"), published)
    criteria, ignored_criteria = choose(request.GET.getlist("c"), all_criteria)
    sort_wanted = request.GET.get("sort", "")  # the last one, if repeated; a slug exactly
    sort_by = next((c for c in all_criteria if c.slug == sort_wanted), None)
    ignored_sort = [sort_wanted] if sort_wanted and not sort_by else []
    unfolded, ignored_reasons = open_reasons(request)
    ignored = ignored_frameworks + ignored_criteria + ignored_sort + ignored_reasons
    context = compare_page(
        published,
        all_criteria,
        tuple(f.slug for f in frameworks),
        tuple(c.slug for c in criteria),
        sort_by.slug if sort_by else "",
        unfolded,
        ignored=echo(ignored),
    )
    response = render(request, "comparisons/compare.html", context)
    return uncached(response) if context["ignored"] else response


def compare_choices() -> tuple[list[Framework], list[Criterion]]:
    """What a reader may choose from on the comparison page."""
    return list(Framework.objects.published()), list(Criterion.objects.all())


def compare_page(
    published: list[Framework],
    all_criteria: list[Criterion],
    framework_slugs: tuple[str, ...],
    criterion_slugs: tuple[str, ...],
    sort: str,
    unfolded: bool = False,
    ignored: list[str] | None = None,
) -> ComparePage:
    """The comparison of these frameworks on these criteria (slugs, in display order; each
    known), sorted by the criterion ``sort`` if given; ``unfolded``: every reason shown."""
    frameworks = [f for f in published if f.slug in framework_slugs]
    criteria = [c for c in all_criteria if c.slug in criterion_slugs]
    rows = build_table(frameworks, criteria)
    sort_by = next((c for c in all_criteria if c.slug == sort), None)
    if sort_by:
        # The criterion to sort by may be one the reader chose not to show.
        sort_row = next((row for row in rows if row.criterion.pk == sort_by.pk), None)
        sort_row = sort_row or build_table(frameworks, [sort_by])[0]
        frameworks = sort_by_criterion(frameworks, sort_row)
        rows = rows_from(frameworks, criteria, [r for row in rows for r in row.ratings])
    prefetch_related_objects(
        [rating for row in rows for rating in row.ratings],
        pagedata.figures(context=False),
        pagedata.rating_sources(),
    )
    footnotes = Footnotes()
    quick = helper.quick_answer(frameworks, rows, project_types())
    return {
        "published": published,
        "all_criteria": all_criteria,
        "frameworks": frameworks,
        "chosen": {framework.slug for framework in frameworks},
        "of": len(published),
        "subset": len(frameworks) < len(published),
        "chosen_criteria": {criterion.slug for criterion in criteria},
        "sort": sort_by.slug if sort_by else "",
        "rows": pagedata.table_rows(rows, footnotes, with_figures=True),
        "chart": ratings_chart(rows, frameworks),
        "footnotes": footnotes.listed,
        "pairs": [(a, b, a.versus_url(b)) for a, b in combinations(published, 2)],
        "verdict": pagedata.verdict(frameworks, rows, quick),
        "unfolded": unfolded,
        "reasons_link": reasons_link(
            reverse("comparisons:compare"),
            [
                *(("fw", f.slug) for f in frameworks if len(frameworks) < len(published)),
                *(("c", c.slug) for c in criteria if len(criteria) < len(all_criteria)),
                *([("sort", sort_by.slug)] if sort_by else []),
            ],
            unfolded,
        ),
        "ignored": ignored or [],
    }


class VersusPage(TypedDict):
    first: Framework
    second: Framework
    pair: list[Framework]  # the columns: the two in display order
    sides: list[FrameworkPoints]  # the same two, with their pros and cons
    rows: list[TableRow]
    verdict: Verdict
    of: int
    subset: bool
    unfolded: bool
    reasons_link: str
    ignored: list[str]


@query_parameters("reasons")
@require_safe
def versus(request: HttpRequest, a: str, b: str) -> HttpResponse:
    if a == b:
        raise Http404("A framework is not compared with itself.")
    unfolded, ignored = open_reasons(request)
    context = versus_page(a, b, unfolded, ignored=echo(ignored))
    if context is None:
        raise Http404("No such framework.")
    first, second = context["pair"]  # ordered by position: the canonical order
    if first.slug != a:
        url = reverse("comparisons:versus", kwargs={"a": first.slug, "b": second.slug})
        return redirect(url + ("?reasons=open" if unfolded else ""), permanent=True)
    response = render(request, "comparisons/versus.html", context)
    return uncached(response) if ignored else response


def versus_page(
    a: str, b: str, unfolded: bool = False, ignored: list[str] | None = None
) -> VersusPage | None:
    published = list(Framework.objects.published())
    pair = [framework for framework in published if framework.slug in (a, b)]
    if len(pair) != 2:
        return None
    prefetch_related_objects(pair, pagedata.pros_and_cons())
    criteria = list(Criterion.objects.all())
    # Ranks and ties are among all the published frameworks: a tie with one not shown here
    # is still a tie ("=2nd").
    everyone = build_table(published, criteria)
    ties = {row.criterion.pk: row.tied_ranks for row in everyone}
    ours = {framework.pk for framework in pair}
    rows = rows_from(
        pair, criteria, [r for row in everyone for r in row.ratings if r.framework_id in ours]
    )
    prefetch_related_objects(
        [rating for row in rows for rating in row.ratings], pagedata.figures(context=False)
    )
    quick = helper.quick_answer(pair, rows, project_types())
    return {
        "first": pair[0],
        "second": pair[1],
        "pair": pair,
        "sides": [pagedata.framework_points(framework) for framework in pair],
        "rows": pagedata.table_rows(rows, with_figures=True, ties=ties),
        "verdict": pagedata.verdict(pair, rows, quick),
        "of": len(published),  # ranks are among all of them
        "subset": len(published) > len(pair),
        "unfolded": unfolded,
        "reasons_link": reasons_link(pair[0].versus_url(pair[1]), [], unfolded),
        "ignored": ignored or [],
    }


def project_types() -> list[ProjectType]:
    """The kinds of project with their needs: what the helper's short answer is made from."""
    return list(ProjectType.objects.prefetch_related("needs"))


class ChoosePage(TypedDict):
    form: HelperForm
    questions: list[Question]  # the first is what the reader builds; the rest, the weights
    project_types: list[ProjectType]
    answered: bool
    # The answer, when the form was answered and valid (else nothing: [], False, None, "").
    placings: list[Placing]
    nothing_matters: bool
    advice: Advice | None
    project_type: ProjectType | None
    weights: list[tuple[Criterion, Weight]]
    start: StartWith | None  # "Start with" the first pick
    examples: list[UseCase]  # this site's examples of the kind of project, the winner's
    other_examples: list[UseCase]  # when the winner has none: the others' (said so)
    own_weights: list[tuple[str, int]]  # the reader's own weights, as the query has them
    python: str
    pythons: list[str]
    answer_title: str
    answer_url: str
    full_form: bool  # every question (the weights too), not only what the reader builds
    unknown: list[str]


@query_parameters("building", helper.PYTHON, prefixes=(helper.WEIGHT_PREFIX,))
@require_safe
def choose_framework(request: HttpRequest) -> HttpResponse:
    """The decision helper (see comparisons/helper.py): a GET form, so a result has a URL.
    One question first (what are you building?); the weights are a folded second step on the
    answer, and the reader's Python picks the install command in its "Start with" box."""
    choices = helper_choices()
    known = choices.fields
    unknown = echo(sorted({key for key in request.GET if key.strip() and key not in known}))
    answered = bool(known & set(request.GET))
    form = HelperForm(request.GET if answered else None, project_types=choices.project_types,
                      criteria=choices.criteria, pythons=choices.pythons)  # fmt: skip
    answer = None
    if answered and form.is_valid():
        answer = helper_answer(choices, *helper.answer_key(form))
    context: ChoosePage = {
        "form": form,
        "questions": helper.questions(form),
        "project_types": choices.project_types,
        "answered": answered,
        "placings": answer.placings if answer else [],
        "nothing_matters": answer.nothing_matters if answer else False,
        "advice": answer.advice if answer else None,
        "project_type": answer.project_type if answer else None,
        "weights": answer.weights if answer else [],
        "start": answer.start if answer else None,
        "examples": answer.examples if answer else [],
        "other_examples": answer.other_examples if answer else [],
        "own_weights": answer.own if answer else [],
        "python": answer.python if answer else "",
        "pythons": choices.pythons,
        "answer_title": answer.title if answer else "",
        "answer_url": answer.url if answer else "",
        "full_form": bool(answer)
        or any(key.startswith(helper.WEIGHT_PREFIX) for key in request.GET)
        or any(key.startswith(helper.WEIGHT_PREFIX) for key in form.errors),
        "unknown": unknown,
    }
    # A shared answer is its own page: its address (answers only, in a fixed order) is the
    # canonical one, so that a link preview shows its winner and project.
    extra = {"canonical_url": absolute_url(answer.url)} if answer else {}
    response = render(request, "comparisons/choose.html", {**context, **extra})
    # An answer with the reader's own weights is one of millions: answered, never kept, so
    # that no number of them can push the site's own pages out of the cache.
    own_weights = any(key.startswith(helper.WEIGHT_PREFIX) for key in request.GET)
    if unknown or own_weights or (answered and not form.is_valid()):
        return uncached(response)
    return response


@dataclass(frozen=True)
class HelperChoices:
    """The questions the helper asks: the kinds of project (with their needs and use cases
    prefetched), the criteria, the published frameworks (with their samples), the Pythons a
    reader may have (from the release facts), and the form's field names."""

    project_types: list[ProjectType]
    criteria: list[Criterion]
    frameworks: list[Framework]
    pythons: list[str]
    fields: frozenset[str]


def helper_choices() -> HelperChoices:
    project_types = list(
        ProjectType.objects.prefetch_related(
            "needs",
            Prefetch(
                "use_cases",
                queryset=UseCase.objects.filter(framework__is_published=True)
                .select_related("framework")
                .order_by("framework__position", "position", "title"),
            ),
        )
    )
    criteria = list(Criterion.objects.all())
    frameworks = list(Framework.objects.published().select_related("sample_app"))
    pythons = python_choices(frameworks)
    form = HelperForm(None, project_types=project_types, criteria=criteria, pythons=pythons)
    return HelperChoices(project_types, criteria, frameworks, pythons, frozenset(form.fields))


@dataclass(frozen=True)
class HelperAnswer:
    placings: list[Placing]  # none when nothing matters
    nothing_matters: bool
    advice: Advice | None
    project_type: ProjectType | None
    weights: list[tuple[Criterion, Weight]]
    start: StartWith | None
    examples: list[UseCase]
    other_examples: list[UseCase]
    own: list[tuple[str, int]]
    python: str
    title: str  # names the winner and the project: the page's title and its link previews
    url: str  # the answer's own address: its answers only, in a fixed order


def helper_answer(
    choices: HelperChoices, building: str, answers: tuple[tuple[str, int], ...], python: str = ""
) -> HelperAnswer:
    """The ranking for one answer: the kind of project (a slug, or "") and the reader's own
    weights ((criterion slug, weight) pairs, sorted), and their Python ("3.11", or "")."""
    criteria = choices.criteria
    project_type = next((t for t in choices.project_types if t.slug == building), None)
    chosen = dict(answers)  # criterion slug -> the reader's own weight
    weights = helper.weights_for(criteria, project_type, chosen)
    frameworks = choices.frameworks
    rows = build_table(frameworks, criteria)
    own = [(helper.weight_field_name(c), chosen[c.slug]) for c in criteria if c.slug in chosen]
    placings = helper.rank(frameworks, rows, weights, project_type)
    nothing = helper.nothing_matters(weights) or not placings
    advice = None if nothing else helper.advice(placings, project_type)
    winner = advice.winner if advice else None
    kinds = list(project_type.use_cases.all()) if project_type else []
    examples = [u for u in kinds if winner and u.framework_id == winner.pk]
    query: list[tuple[str, str | int]] = [
        ("building", building),
        *own,
        *([(helper.PYTHON, python)] if python else []),
    ]
    return HelperAnswer(
        placings=[] if nothing else placings,
        nothing_matters=nothing,
        advice=advice,
        project_type=project_type,
        weights=[(c, weights[c.pk]) for c in criteria if c.pk in weights],
        start=start_with(winner, python) if winner else None,
        examples=examples,
        other_examples=[] if examples else kinds,
        own=own,
        python=python,
        title=answer_title(placings, advice, project_type) if advice else "",
        url=reverse("comparisons:choose") + "?" + urlencode(query),
    )


def answer_title(placings: list[Placing], advice: Advice, project_type: ProjectType | None) -> str:
    """What a shared answer's title and preview say: the winner and the kind of project
    ("<winner> for <kind>: our answer"), or the two of a close call ("<a> or <b> for <kind>?
    A close call")."""
    kind = lower_first(project_type.name) if project_type else "your project"
    if advice.close:
        names = " or ".join(p.framework.name for p in placings[:2])
        return f"{names} for {kind}? A close call"
    return f"{advice.winner.name} for {kind}: our answer"
