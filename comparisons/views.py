from django.db.models import Prefetch
from django.shortcuts import get_object_or_404, render

from comparisons.models import Criterion, Framework, ProCon, Rating


def framework_list(request):
    frameworks = Framework.objects.published()
    return render(request, "comparisons/framework_list.html", {"frameworks": frameworks})


def framework_detail(request, slug):
    framework = get_object_or_404(
        Framework.objects.published().prefetch_related(
            Prefetch("pros_cons", queryset=ProCon.objects.order_by("position", "title")),
            "use_cases",
            Prefetch("ratings", queryset=Rating.objects.select_related("criterion")),
        ),
        slug=slug,
    )
    return render(request, "comparisons/framework_detail.html", {"framework": framework})


def compare(request):
    frameworks = list(Framework.objects.published())
    criteria = Criterion.objects.prefetch_related(
        Prefetch("ratings", queryset=Rating.objects.filter(framework__in=frameworks))
    )
    rows = []
    for criterion in criteria:
        by_framework = {rating.framework_id: rating for rating in criterion.ratings.all()}
        rows.append((criterion, [by_framework.get(f.pk) for f in frameworks]))
    return render(request, "comparisons/compare.html", {"frameworks": frameworks, "rows": rows})
