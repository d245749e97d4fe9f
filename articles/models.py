from __future__ import annotations

from typing import TYPE_CHECKING

import reversion
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from markdownx.models import MarkdownxField

from comparisons.models import Criterion, Framework
from core.fields import RenderedMarkdownField
from core.models import ConstraintErrorsOnFields, SlugManager
from core.validators import validate_markdown

if TYPE_CHECKING:
    from comparisons.lineup import Lineup


class ArticleQuerySet(models.QuerySet):
    def published(self):
        """What readers may see: published, and not scheduled for later (see is_public)."""
        return self.filter(status=Article.Status.PUBLISHED, published_at__lte=timezone.now())


# from_queryset() named at module level: the form that django-stubs' mypy plugin understands
# (the QuerySet's methods on the manager).
_ArticleManagerBase = SlugManager.from_queryset(ArticleQuerySet)


class ArticleManager(_ArticleManagerBase):
    pass


@reversion.register()
class Article(ConstraintErrorsOnFields):
    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        PUBLISHED = "published", "Published"

    title = models.CharField(max_length=200)
    slug = models.SlugField(max_length=200, unique=True)
    description = models.CharField(
        max_length=300, help_text="The lede: shown under the title and as the meta description."
    )
    introduction = MarkdownxField(
        help_text="Markdown: the opening, before the frameworks.", validators=[validate_markdown]
    )
    introduction_html = RenderedMarkdownField(source="introduction")
    comparison_intro = MarkdownxField(
        "comparison introduction",
        help_text="Markdown: leads into the comparison table.",
        validators=[validate_markdown],
    )
    comparison_intro_html = RenderedMarkdownField(source="comparison_intro")
    conclusion = MarkdownxField(
        help_text="Markdown: the closing words; each framework's own advice is its 'best for'.",
        validators=[validate_markdown],
    )
    conclusion_html = RenderedMarkdownField(source="conclusion")
    frameworks = models.ManyToManyField(Framework, related_name="articles")
    criteria = models.ManyToManyField(Criterion, related_name="articles")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    published_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(
        "updated", default=timezone.now, editable=False, help_text="When its content last changed."
    )

    objects = ArticleManager()

    constraint_fields = {
        "articles_article_status_valid": "status",
        "articles_article_published_has_date": "published_at",
    }

    class Meta:
        ordering = ["-published_at", "title"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=["draft", "published"]),
                name="articles_article_status_valid",
            ),
            models.CheckConstraint(
                condition=Q(status="draft") | Q(published_at__isnull=False),
                name="articles_article_published_has_date",
                violation_error_message="A published article needs a publication date.",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def save(self, *args, **kwargs):
        if self.status == self.Status.PUBLISHED and self.published_at is None:
            self.published_at = timezone.now()
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("articles:detail", args=[self.slug])

    def natural_key(self) -> tuple[str]:
        return (self.slug,)

    @property
    def is_public(self) -> bool:
        """The published() rule for one article already in hand."""
        return (
            self.status == self.Status.PUBLISHED
            and self.published_at is not None
            and self.published_at <= timezone.now()
        )


def lineup_problems(lineup: Lineup) -> list[tuple[Article, str, str]]:
    """Articles that do not cover every published framework: (article, field, why).

    comparisons.lineup calls it when it looks for stale texts, as config/content.py declares
    (``lineup_checks``): comparisons never imports articles.
    """
    found = []
    for article in Article.objects.prefetch_related("frameworks"):
        missing = sorted(set(lineup.names) - {f.name for f in article.frameworks.all()})
        if missing:
            verb = "is" if len(missing) == 1 else "are"
            why = f"does not cover {', '.join(missing)}, which {verb} published"
            found.append((article, "frameworks", why))
    return found
