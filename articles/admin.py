from django.contrib import admin
from django.urls import reverse

from articles.models import Article
from core.admin import ContentAdmin, publish_action
from core.attention import LISTED, Found, Kind, Problem, register


@admin.register(Article)
class ArticleAdmin(ContentAdmin):
    list_display = ["title", "status", "published_at", "updated_at"]
    list_filter = ["status"]
    search_fields = ["title", "slug", "description"]
    prepopulated_fields = {"slug": ["title"]}
    readonly_fields = ["updated_at"]
    date_hierarchy = "published_at"
    filter_horizontal = ["frameworks", "criteria"]
    fieldsets = [
        (None, {"fields": ["title", "slug", "description", "status", "published_at"]}),
        ("Text", {"fields": ["introduction", "comparison_intro", "conclusion"]}),
        ("Covers", {"fields": ["frameworks", "criteria", "updated_at"]}),
    ]
    actions = [
        publish_action("status", Article.Status.PUBLISHED, "Publish the selected articles",
                       "published"),
        publish_action("status", Article.Status.DRAFT, "Unpublish the selected articles",
                       "returned to draft"),
    ]  # fmt: skip


def find_draft_articles() -> Found:
    drafts = Article.objects.filter(status=Article.Status.DRAFT).order_by("title")
    return Found(
        drafts.count(),
        [
            Problem(
                link=article.title,
                url=reverse("admin:articles_article_change", args=[article.pk]),
                rest=": a draft.",
            )
            for article in drafts[:LISTED]
        ],
        reverse("admin:articles_article_changelist") + "?status__exact=draft",
        "The draft articles",
    )


register(Kind("draft-articles", "Draft articles", 51, "articles.view_article", find_draft_articles))
