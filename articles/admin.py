from django.contrib import admin

from articles.models import Article
from core.admin import ContentAdmin, publish_action


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
