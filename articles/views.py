from django.db.models import Exists, OuterRef
from django.http import Http404
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_safe

from articles.models import Article
from comparisons.annotations import (
    attach_corrections,
    attach_details,
    attach_footnotes,
    what_changed,
)
from comparisons.helper import quick_answer
from comparisons.models import Criterion, Framework, ProjectType, Rating
from comparisons.tables import build_table, rows_from
from core.addresses import absolute_url
from core.visibility import page_data, preview_aware, visible


@require_safe
def home(request):
    return render(request, "articles/home.html", home_page())


def home_page() -> dict:
    frameworks = list(Framework.objects.published())
    rows = build_table(frameworks, Criterion.objects.all())
    project_types = list(ProjectType.objects.prefetch_related("needs"))
    return {
        "article": Article.objects.published().first(),
        "frameworks": frameworks,
        "quick": quick_answer(frameworks, rows, project_types),
    }


@require_safe
def article_detail(request, slug):
    context = page_data(request, article_page, slug)
    if context is None:
        raise Http404("No such article.")
    response = render(request, "articles/article_detail.html", context)
    return preview_aware(response, context["preview"])


def article_page(slug: str, staff: bool = False) -> dict | None:
    """What an article's page shows (None: no such article). Staff see drafts too."""
    article = visible(Article, staff).filter(slug=slug).first()
    if article is None:
        return None
    frameworks = list(Framework.objects.published().filter(articles=article))
    attach_details(frameworks)
    attach_corrections(frameworks)
    # The criteria come with the ratings (one query for both): the article's criteria that
    # rate its frameworks, in order.
    # The other criteria come in the same query: the article names them and links to the
    # comparison page, where their ratings are (the article's page weight is budgeted).
    in_article = Article.criteria.through.objects.filter(
        article=article, criterion=OuterRef("criterion")
    )
    all_ratings = list(
        Rating.objects.filter(framework__in=frameworks)
        .annotate(in_article=Exists(in_article))
        .select_related("criterion", "framework")
        .order_by("criterion__position", "criterion__name")
    )
    ratings = [rating for rating in all_ratings if rating.in_article]
    criteria = list({rating.criterion_id: rating.criterion for rating in ratings}.values())
    rated_on = list({rating.criterion_id: rating.criterion for rating in all_ratings}.values())
    more_criteria = list(
        {r.criterion_id: r.criterion for r in all_ratings if not r.in_article}.values()
    )
    # The table's sources; each framework's many fact sources, and the ratings' figures, stay
    # on the framework and comparison pages (the article links there), so the article fits
    # in one round trip and its query budget.
    footnotes = attach_footnotes(frameworks, ratings, facts=False)
    return {
        "article": article,
        "frameworks": frameworks,
        "criteria": criteria,
        "more_criteria": more_criteria,
        "rows": rows_from(frameworks, criteria, ratings),
        "footnotes": footnotes,
        "quick": quick_answer(
            frameworks,
            rows_from(frameworks, rated_on, all_ratings),
            list(ProjectType.objects.prefetch_related("needs")),
        ),
        "what_changed": [
            correction for framework in frameworks for correction in what_changed(framework)
        ],
        "preview": not article.is_public,
        "json_ld": article_json_ld(article),
    }


def article_json_ld(article: Article) -> dict:
    url = absolute_url(article.get_absolute_url())
    publisher = {
        "@type": "Organization",
        "name": "Framework Guide",
        "url": absolute_url(reverse("articles:home")),
    }
    data = {
        "@context": "https://schema.org",
        "@type": "Article",
        "headline": article.title,
        "description": article.description,
        "url": url,
        "mainEntityOfPage": url,
        "dateModified": article.updated_at.isoformat(),
        "author": publisher,
        "publisher": publisher,
    }
    if article.published_at:
        data["datePublished"] = article.published_at.isoformat()
    return data
