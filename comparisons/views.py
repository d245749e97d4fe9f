from itertools import combinations

from django.db.models import Prefetch
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_safe

from comparisons import helper
from comparisons.annotations import (
    attach_corrections,
    attach_details,
    attach_figures,
    attach_footnotes,
)
from comparisons.chart import ratings_chart
from comparisons.helper import HelperForm
from comparisons.models import (
    REVIEW_AFTER_DAYS,
    Criterion,
    Framework,
    ProjectNeed,
    ProjectType,
    Rating,
    UseCase,
)
from comparisons.tables import build_table, choose, rows_from, sort_by_criterion
from core.cache import query_parameters, uncached
from core.visibility import preview_aware, visible

# How long an ignored query-string value may be when we echo it back (escaped) to the reader.
ECHO_LIMIT = 40


def echo(values: list[str]) -> list[str]:
    return [value if len(value) <= ECHO_LIMIT else value[:ECHO_LIMIT] + "…" for value in values]


@require_safe
def framework_list(request):
    context = {"frameworks": Framework.objects.published()}
    return render(request, "comparisons/framework_list.html", context)


@require_safe
def framework_detail(request, slug):
    frameworks = list(visible(request, Framework))
    framework = next((f for f in frameworks if f.slug == slug), None)
    if framework is None:
        raise Http404("No such framework.")
    attach_details([framework])
    attach_corrections([framework])
    published = [f for f in frameworks if f.is_published or f.pk == framework.pk]
    ratings = (
        Rating.objects.filter(framework__in=published)
        .select_related("criterion", "framework")
        .order_by("criterion__position", "criterion__name")
    )
    criteria = list({rating.criterion_id: rating.criterion for rating in ratings}.values())
    rows = rows_from(published, criteria, ratings)
    own = [rating for rating in ratings if rating.framework_id == framework.pk]
    attach_figures(own)
    footnotes = attach_footnotes([framework], own)
    context = {
        "framework": framework,
        "ratings": own,
        "chart": ratings_chart(rows, published, current=framework),
        "footnotes": footnotes,
        "compare_links": [
            (other, framework.versus_url(other))
            for other in frameworks
            if other.is_published and other.pk != framework.pk
        ],
        "preview": not framework.is_published,
    }
    response = render(request, "comparisons/framework_detail.html", context)
    return preview_aware(response, context["preview"])


@require_safe
def methodology(request):
    """How we rate: the rules the code applies, with the criteria and review dates they apply to."""
    context = {
        "criteria": Criterion.objects.all(),
        "frameworks": Framework.objects.published(),
        "review_after_days": REVIEW_AFTER_DAYS,
    }
    return render(request, "comparisons/methodology.html", context)


@query_parameters("sort", multi=("fw", "c"))
@require_safe
def compare(request):
    published = list(Framework.objects.published())
    all_criteria = list(Criterion.objects.all())
    frameworks, ignored_frameworks = choose(request.GET.getlist("fw"), published)
    criteria, ignored_criteria = choose(request.GET.getlist("c"), all_criteria)
    rows = build_table(frameworks, criteria)
    sort_wanted = request.GET.get("sort", "").strip()  # the last one, if repeated
    sort_by = next((c for c in all_criteria if c.slug == sort_wanted), None)
    ignored_sort = [sort_wanted] if sort_wanted and not sort_by else []
    if sort_by:
        # The criterion to sort by may be one the reader chose not to show.
        sort_row = next((row for row in rows if row.criterion.pk == sort_by.pk), None)
        sort_row = sort_row or build_table(frameworks, [sort_by])[0]
        frameworks = sort_by_criterion(frameworks, sort_row)
        rows = rows_from(frameworks, criteria, [r for row in rows for r in row.ratings])
    shown = [rating for row in rows for rating in row.ratings]
    attach_figures(shown, context=False)
    footnotes = attach_footnotes(frameworks, shown, facts=False)
    chosen_frameworks = {framework.slug for framework in frameworks}
    context = {
        "published": published,
        "all_criteria": all_criteria,
        "frameworks": frameworks,
        "chosen": chosen_frameworks,
        "chosen_criteria": {criterion.slug for criterion in criteria},
        "sort": sort_by.slug if sort_by else "",
        "rows": rows,
        "chart": ratings_chart(rows, frameworks),
        "footnotes": footnotes,
        "ignored": echo(ignored_frameworks + ignored_criteria + ignored_sort),
        "pairs": [(a, b, a.versus_url(b)) for a, b in combinations(published, 2)],
    }
    response = render(request, "comparisons/compare.html", context)
    return uncached(response) if context["ignored"] else response


@require_safe
def versus(request, a, b):
    if a == b:
        raise Http404("A framework is not compared with itself.")
    pair = list(Framework.objects.published().filter(slug__in=[a, b]))
    if len(pair) != 2:
        raise Http404("No such framework.")
    first, second = pair  # ordered by position: the canonical order
    if first.slug != a:
        return redirect("comparisons:versus", a=first.slug, b=second.slug, permanent=True)
    attach_details(pair)
    rows = build_table(pair, Criterion.objects.all())
    attach_figures((rating for row in rows for rating in row.ratings), context=False)
    context = {"first": first, "second": second, "pair": pair, "rows": rows}
    return render(request, "comparisons/versus.html", context)


@query_parameters("building", prefixes=(helper.WEIGHT_PREFIX,))
@require_safe
def choose_framework(request):
    """The decision helper (see comparisons/helper.py): a GET form, so a result has a URL."""
    project_types = list(
        ProjectType.objects.prefetch_related(
            Prefetch("needs", queryset=ProjectNeed.objects.select_related("criterion")),
            Prefetch(
                "use_cases",
                queryset=UseCase.objects.filter(framework__is_published=True)
                .select_related("framework")
                .order_by("framework__position", "position", "title"),
            ),
        )
    )
    criteria = list(Criterion.objects.all())
    known = set(HelperForm(None, project_types=project_types, criteria=criteria).fields)
    unknown = echo(sorted({key for key in request.GET if key.strip() and key not in known}))
    answered = bool(known & set(request.GET))
    form = HelperForm(request.GET if answered else None, project_types=project_types,
                      criteria=criteria)  # fmt: skip
    placings, project_type, weights = None, None, {}
    if answered and form.is_valid():
        frameworks = list(Framework.objects.published())
        rows = build_table(frameworks, criteria)
        project_type = form.project_type()
        weights = form.weights()
        placings = helper.rank(frameworks, rows, weights, project_type)
    context = {
        "form": form,
        "project_types": project_types,
        "answered": answered,
        "placings": placings,
        "project_type": project_type,
        "weights": [(c, weights[c.pk]) for c in criteria if c.pk in weights],
        "unknown": unknown,
    }
    response = render(request, "comparisons/choose.html", context)
    return uncached(response) if unknown or (answered and not form.is_valid()) else response
