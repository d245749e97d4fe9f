from itertools import combinations

from django.db.models import Prefetch
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.cache import patch_cache_control
from django.views.decorators.http import require_safe

from comparisons.models import Criterion, Framework, ProCon, Rating
from comparisons.tables import build_table, choose_frameworks

# How long an ignored query-string value may be when we echo it back (escaped) to the reader.
ECHO_LIMIT = 40


def preview_aware(response, context):
    """A staff preview of unpublished content is never cached or indexed."""
    if context.get("preview"):
        patch_cache_control(response, private=True, no_store=True)
        response["X-Robots-Tag"] = "noindex"
    return response


def visible_frameworks(request):
    """Published frameworks; staff also see unpublished ones, to preview them."""
    if request.user.is_staff:
        return Framework.objects.all()
    return Framework.objects.published()


def with_details(queryset):
    """Prefetch what a framework section shows: pros and cons, use cases."""
    return queryset.prefetch_related(
        Prefetch("pros_cons", queryset=ProCon.objects.order_by("-kind", "position", "title")),
        "use_cases",
    )


@require_safe
def framework_list(request):
    context = {
        "frameworks": Framework.objects.published(),
        "title": "Frameworks",
        "description": "Django, Flask and FastAPI: what each is, its pros and cons, and what "
        "people build with it.",
        "nav": "frameworks",
    }
    return render(request, "comparisons/framework_list.html", context)


@require_safe
def framework_detail(request, slug):
    framework = get_object_or_404(with_details(visible_frameworks(request)), slug=slug)
    ratings = (
        Rating.objects.filter(framework=framework)
        .select_related("criterion")
        .order_by("criterion__position", "criterion__name")
    )
    others = Framework.objects.published().exclude(pk=framework.pk)
    context = {
        "framework": framework,
        "ratings": ratings,
        "compare_links": [(other, framework.versus_url(other)) for other in others],
        "preview": not framework.is_published,
        "title": f"{framework.name}: pros, cons and use cases",
        "description": framework.tagline,
        "nav": "frameworks",
    }
    return preview_aware(render(request, "comparisons/framework_detail.html", context), context)


@require_safe
def compare(request):
    published = list(Framework.objects.published())
    frameworks, ignored = choose_frameworks(request.GET.getlist("fw"), published)
    rows = build_table(frameworks, Criterion.objects.all())
    context = {
        "published": published,
        "frameworks": frameworks,
        "chosen": {framework.slug for framework in frameworks},
        "rows": rows,
        "ignored": [
            value if len(value) <= ECHO_LIMIT else value[:ECHO_LIMIT] + "…" for value in ignored
        ],
        "pairs": [(a, b, a.versus_url(b)) for a, b in combinations(published, 2)],
        "title": "Compare Django, Flask and FastAPI",
        "description": "Django, Flask and FastAPI ranked side by side on packages, community "
        "and performance, with the reasons for each rank.",
        "nav": "compare",
    }
    return render(request, "comparisons/compare.html", context)


@require_safe
def versus(request, a, b):
    if a == b:
        raise Http404("A framework is not compared with itself.")
    pair = list(with_details(Framework.objects.published()).filter(slug__in=[a, b]))
    if len(pair) != 2:
        raise Http404("No such framework.")
    first, second = pair  # ordered by position: the canonical order
    if first.slug != a:
        return redirect("comparisons:versus", a=first.slug, b=second.slug, permanent=True)
    context = {
        "first": first,
        "second": second,
        "pair": pair,
        "rows": build_table(pair, Criterion.objects.all()),
        "caption": f"{first.name} and {second.name} ranked on each criterion",
        "title": f"{first.name} vs {second.name}",
        "description": f"{first.name} or {second.name}? Their ranks on each criterion, pros, "
        "cons and when to choose each.",
        "nav": "compare",
    }
    return render(request, "comparisons/versus.html", context)
