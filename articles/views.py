"""The home page and the articles' pages. Each page's data is computed by a plain function
that fetches what the page shows in plain sight and returns it typed (a TypedDict per page)."""

from __future__ import annotations

from typing import Any, TypedDict

from django.db.models import Exists, OuterRef, prefetch_related_objects
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_safe

from articles.models import Article
from comparisons import pagedata
from comparisons.helper import QuickAnswer, quick_answer
from comparisons.models import Correction, Criterion, Framework, ProjectType, Rating
from comparisons.pagedata import Footnote, Footnotes, FrameworkDetails, TableRow
from comparisons.tables import build_table, rows_from
from core.addresses import absolute_url
from core.visibility import page_data, preview_aware, visible


class HomePage(TypedDict):
    article: Article | None
    frameworks: list[Framework]
    quick: QuickAnswer


@require_safe
def home(request: HttpRequest) -> HttpResponse:
    return render(request, "articles/home.html", home_page())


def home_page() -> HomePage:
    frameworks = list(Framework.objects.published())
    rows = build_table(frameworks, Criterion.objects.all())
    project_types = list(ProjectType.objects.prefetch_related("needs"))
    return {
        "article": Article.objects.published().first(),
        "frameworks": frameworks,
        "quick": quick_answer(frameworks, rows, project_types),
    }


class ArticlePage(TypedDict):
    article: Article
    frameworks: list[Framework]  # the table's columns
    framework_details: list[FrameworkDetails]  # the same frameworks, a section each
    criteria: list[Criterion]  # the article's, that rate its frameworks
    more_criteria: list[Criterion]  # the others its frameworks are rated on
    rows: list[TableRow]
    footnotes: list[Footnote]
    quick: QuickAnswer
    what_changed: list[Correction]
    preview: bool
    json_ld: dict[str, Any]


@require_safe
def article_detail(request: HttpRequest, slug: str) -> HttpResponse:
    context = page_data(request, article_page, slug)
    if context is None:
        raise Http404("No such article.")
    response = render(request, "articles/article_detail.html", context)
    return preview_aware(response, context["preview"])


def article_page(slug: str, staff: bool = False) -> ArticlePage | None:
    """What an article's page shows (None: no such article). Staff see drafts too."""
    article = visible(Article, staff).filter(slug=slug).first()
    if article is None:
        return None
    frameworks = list(
        Framework.objects.published()
        .filter(articles=article)
        .prefetch_related(pagedata.pros_and_cons(), pagedata.use_cases(), pagedata.corrections())
    )
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
    # in one round trip and makes no query for them (it makes 9: see tests/test_budgets.py).
    prefetch_related_objects(ratings, pagedata.rating_sources())
    details = [pagedata.framework_details(framework) for framework in frameworks]
    footnotes = Footnotes()
    rows = pagedata.table_rows(rows_from(frameworks, criteria, ratings), footnotes)
    project_types = list(ProjectType.objects.prefetch_related("needs"))
    return {
        "article": article,
        "frameworks": frameworks,
        "framework_details": details,
        "criteria": criteria,
        "more_criteria": more_criteria,
        "rows": rows,
        "footnotes": footnotes.listed,
        "quick": quick_answer(
            frameworks, rows_from(frameworks, rated_on, all_ratings), project_types
        ),
        "what_changed": [correction for entry in details for correction in entry.what_changed],
        "preview": not article.is_public,
        "json_ld": article_json_ld(article),
    }


def article_json_ld(article: Article) -> dict[str, Any]:
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
