import datetime
import re

import reversion
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from markdownx.models import MarkdownxField

from comparisons.releases import REQUIRES_PYTHON_LENGTH, VERSION_LENGTH
from core.fields import RenderedMarkdownField
from core.models import (
    ConstraintErrorsOnFields,
    SlugManager,
    http_url_check,
    natural_key_dependencies,
)
from core.validators import (
    EARLIEST_YEAR,
    LATEST_YEAR,
    validate_markdown,
    validate_not_future_year,
    validate_package_name,
    validate_release_line,
    validate_source_link,
    validate_web_url,
)

INSTALL_NAME = re.compile(r"^[A-Za-z0-9]([A-Za-z0-9._-]*[A-Za-z0-9])?(\[[A-Za-z0-9._,-]+\])?$")


def validate_install_name(value: str) -> None:
    """A package name with optional extras ("fastapi[standard]"): what follows is a version."""
    if value and not INSTALL_NAME.match(value):
        raise ValidationError(
            "A package name, with its extras in brackets if any, e.g. “fastapi[standard]”: "
            "no version, no spaces (the version comes from the release facts)."
        )


def validate_three_steps(value: str) -> None:
    """First steps: a numbered list of at most three steps."""
    steps = [line for line in value.splitlines() if re.match(r"^\d+[.)]\s", line)]
    if value.strip() and not 1 <= len(steps) <= 3:
        raise ValidationError("Write one to three steps as a numbered list: “1. …”, “2. …”.")


SET_BY_REFRESH = "Set by refresh_facts."


class FrameworkQuerySet(models.QuerySet):
    def published(self):
        return self.filter(is_published=True)

    def review_due(self):
        """The frameworks an editor should review now (``Framework.review_due`` says why):
        last reviewed too long ago, or the package index has newer facts."""
        return self.filter(review_due_condition())

    def review_current(self):
        return self.exclude(review_due_condition())


def review_due_condition() -> Q:
    cutoff = timezone.localdate() - datetime.timedelta(days=REVIEW_AFTER_DAYS)
    return Q(last_reviewed__lt=cutoff) | (Q(fact_check__isnull=False) & ~Q(fact_check__drift=""))


# from_queryset() named at module level: the form that django-stubs' mypy plugin understands
# (the QuerySet's methods on the manager).
_FrameworkManagerBase = SlugManager.from_queryset(FrameworkQuerySet)


class FrameworkManager(_FrameworkManagerBase):
    pass


# Every content model keeps its history (django-reversion). A framework's revision holds its
# pros, cons, use cases and ratings, so restoring one brings the inline rows back too.
@reversion.register(follow=["pros_cons", "use_cases", "ratings", "sources", "corrections"])
class Framework(ConstraintErrorsOnFields):
    class Category(models.TextChoices):
        FULL_STACK = "full-stack", "Full-stack framework"
        MICRO = "micro", "Microframework"
        API = "api", "API framework"

    name = models.CharField(max_length=60, unique=True)
    slug = models.SlugField(max_length=60, unique=True)
    tagline = models.CharField(max_length=160, help_text="One line, shown on cards and lists.")
    summary = MarkdownxField(
        help_text="Markdown: what it is, in a few short paragraphs.", validators=[validate_markdown]
    )
    summary_html = RenderedMarkdownField(source="summary")
    category = models.CharField(max_length=20, choices=Category.choices)
    first_released = models.PositiveSmallIntegerField(
        "first public release",
        validators=[
            MinValueValidator(EARLIEST_YEAR),
            MaxValueValidator(LATEST_YEAR),
            validate_not_future_year,
        ],
        help_text="Year of the first public release.",
    )
    creators = models.CharField(max_length=200)
    website = models.URLField(validators=[validate_web_url])
    repository = models.URLField(validators=[validate_web_url])
    documentation = models.URLField(validators=[validate_web_url])
    notable_users = models.CharField(
        max_length=300, blank=True, help_text="Comma-separated names of well-known users."
    )
    best_for = MarkdownxField(
        "best for",
        help_text="Markdown: the site's advice on when to choose it. Pages label it “Our "
        "advice”: start with the advice itself (a leading “Our advice:” is removed).",
        validators=[validate_markdown],
    )
    best_for_html = RenderedMarkdownField(source="best_for")
    # "Start with it": what a reader who chose it does first. The install command is made from
    # the release facts below (the line that fits the reader's Python), never typed here.
    install_as = models.CharField(
        "install as",
        max_length=100,
        blank=True,
        validators=[validate_install_name],
        help_text="What to pip install if not the package itself, as the official tutorial "
        "installs it, e.g. “fastapi[standard]”. Blank: the package on PyPI. The version comes "
        "from the release facts.",
    )
    tutorial_title = models.CharField(
        "official tutorial",
        max_length=120,
        blank=True,
        help_text="The title of the project's own tutorial for beginners, as its page names it.",
    )
    tutorial_url = models.URLField(
        "tutorial page", blank=True, validators=[validate_web_url], help_text="Its address."
    )
    first_steps = MarkdownxField(
        "first steps",
        blank=True,
        help_text="Markdown: the first three things to do after installing it, as a numbered "
        "list (“1. …”), each a short sentence with the command to type in `backticks`.",
        validators=[validate_markdown, validate_three_steps],
    )
    first_steps_html = RenderedMarkdownField(source="first_steps")
    position = models.PositiveSmallIntegerField(default=0, help_text="Display order, lowest first.")
    is_published = models.BooleanField("published", default=False)
    last_reviewed = models.DateField(
        default=datetime.date.today,
        help_text="When an editor last checked this framework's facts and ratings.",
    )
    # The facts that change with every release, read from the package index by
    # `manage.py refresh_facts` (comparisons/refresh.py), never typed from memory.
    package = models.CharField(
        "package on PyPI",
        max_length=100,
        blank=True,
        validators=[validate_package_name],
        help_text="Its name on the Python Package Index, e.g. “Django”: refresh_facts reads "
        "the release facts below from there. Blank: the facts are not checked.",
    )
    latest_version = models.CharField(
        "latest release", max_length=VERSION_LENGTH, blank=True, help_text=SET_BY_REFRESH
    )
    latest_released = models.DateField(
        "latest release date", null=True, blank=True, help_text=SET_BY_REFRESH
    )
    latest_requires_python = models.CharField(
        "Python needed by the latest release",
        max_length=REQUIRES_PYTHON_LENGTH,
        blank=True,
        help_text="Its Requires-Python, e.g. “>=3.12”. " + SET_BY_REFRESH,
    )
    lts_line = models.CharField(
        "long-term support line",
        max_length=20,
        blank=True,
        validators=[validate_release_line],
        help_text="The release series with long-term support, e.g. “5.2”, if there is one. "
        "refresh_facts finds its newest release.",
    )
    lts_version = models.CharField(
        "newest LTS release", max_length=VERSION_LENGTH, blank=True, help_text=SET_BY_REFRESH
    )
    lts_released = models.DateField(
        "newest LTS release date", null=True, blank=True, help_text=SET_BY_REFRESH
    )
    lts_requires_python = models.CharField(
        "Python needed by the LTS",
        max_length=REQUIRES_PYTHON_LENGTH,
        blank=True,
        help_text="Its Requires-Python. " + SET_BY_REFRESH,
    )
    lts_supported_until = models.DateField(
        "LTS supported until",
        null=True,
        blank=True,
        help_text="When security fixes for the LTS line end, as the project announces it "
        "(cite the page in the sources).",
    )
    # Read from the index with the release facts, for the support and upgrade-risk panel.
    facts_checked_on = models.DateField(
        "release facts read on",
        null=True,
        blank=True,
        help_text="The day the package index last gave these facts. " + SET_BY_REFRESH,
    )
    releases_past_year = models.PositiveSmallIntegerField(
        "releases in the year before",
        null=True,
        blank=True,
        help_text="Final releases in the 12 months up to the day the facts were read. "
        + SET_BY_REFRESH,
    )
    security = models.JSONField(
        "vulnerabilities reported by the index",
        default=dict,
        blank=True,
        help_text="The releases whose vulnerability list the index gave (“read”) and what it "
        "listed (“advisories”: id, aliases, summary, link, fixed_in, reported_for). "
        + SET_BY_REFRESH,
    )
    # The project's support policy: the editors' words, with the page they come from.
    support_policy = models.CharField(
        "support policy",
        max_length=300,
        blank=True,
        help_text="Plain text, in a sentence or two: which releases get security fixes, as the "
        "project says it (e.g. Pallets: only the latest feature version).",
    )
    support_policy_url = models.URLField(
        "support policy page",
        blank=True,
        validators=[validate_web_url],
        help_text="The project's page that states the policy.",
    )
    support_policy_read = models.DateField(
        "policy read on", null=True, blank=True, help_text="When an editor last read that page."
    )
    feature_line = models.CharField(
        "current feature line",
        max_length=20,
        blank=True,
        validators=[validate_release_line],
        help_text="The line of the latest release (e.g. “6.1”) whose end of security fixes is "
        "given beside; once a newer line is released, that date no longer shows.",
    )
    feature_line_supported_until = models.DateField(
        "feature line supported until",
        null=True,
        blank=True,
        help_text="When security fixes for that line end, as the project announces it.",
    )
    updated_at = models.DateTimeField(auto_now=True)
    updated_at = models.DateTimeField(
        "updated", default=timezone.now, editable=False, help_text="When its content last changed."
    )

    objects = FrameworkManager()

    # A daily refresh moves these without changing what the page says (core.dating).
    undated_fields = ("facts_checked_on", "releases_past_year")

    constraint_fields = {
        "comparisons_framework_category_valid": "category",
        "comparisons_framework_first_released_range": "first_released",
        "comparisons_framework_website_http": "website",
        "comparisons_framework_repository_http": "repository",
        "comparisons_framework_documentation_http": "documentation",
        "comparisons_framework_tutorial_url_http": "tutorial_url",
        "comparisons_framework_slug_not_versus": "slug",
    }

    class Meta:
        ordering = ["position", "name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(category__in=["full-stack", "micro", "api"]),
                name="comparisons_framework_category_valid",
            ),
            models.CheckConstraint(
                condition=Q(first_released__gte=EARLIEST_YEAR, first_released__lte=LATEST_YEAR),
                name="comparisons_framework_first_released_range",
                violation_error_message=(
                    f"The year must be between {EARLIEST_YEAR} and {LATEST_YEAR}."
                ),
            ),
            http_url_check("website", blank=False),
            http_url_check("repository", blank=False),
            http_url_check("documentation", blank=False),
            http_url_check("tutorial_url", blank=True),
            # A-vs-B addresses are /compare/<a>-vs-<b>/: a slug with "vs" as a word of its
            # own would make them ambiguous, and its comparison links would 404.
            models.CheckConstraint(
                condition=~(
                    Q(slug="vs")
                    | Q(slug__startswith="vs-")
                    | Q(slug__endswith="-vs")
                    | Q(slug__contains="-vs-")
                ),
                name="comparisons_framework_slug_not_versus",
                violation_error_message=(
                    "A slug may not have “vs” as a word of its own (as in “a-vs-b”): "
                    "comparison addresses are /compare/<a>-vs-<b>/."
                ),
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("comparisons:framework_detail", args=[self.slug])

    def natural_key(self) -> tuple[str]:
        return (self.slug,)

    def versus_url(self, other: "Framework") -> str:
        """The A-vs-B page of this framework and another, in the one canonical order."""
        first, second = sorted([self, other], key=lambda f: (f.position, f.name))
        return reverse("comparisons:versus", kwargs={"a": first.slug, "b": second.slug})

    @property
    def next_review(self) -> datetime.date:
        """When its facts and ratings are next due for review, at the latest."""
        return self.last_reviewed + datetime.timedelta(days=REVIEW_AFTER_DAYS)

    @property
    def review_due(self) -> list[str]:
        """Why an editor should review this framework now: nothing, or the reasons."""
        reasons = []
        age = (timezone.localdate() - self.last_reviewed).days
        if age > REVIEW_AFTER_DAYS:
            reasons.append(f"last reviewed {age} days ago (more than {REVIEW_AFTER_DAYS})")
        check = getattr(self, "fact_check", None) if self.pk else None
        if check is not None and check.drift:
            reasons.append("the package index has newer facts: " + "; ".join(check.drift_lines))
        return reasons

    @property
    def pypi_url(self) -> str:
        """The latest release's page on the package index: the source of its facts."""
        return _pypi_url(self.package, self.latest_version)

    @property
    def lts_pypi_url(self) -> str:
        return _pypi_url(self.package, self.lts_version)

    def release_facts(self) -> dict[str, str]:
        """The release facts as refresh_facts compares them, by field name."""
        return {name: _as_text(getattr(self, name)) for name in RELEASE_FACTS}

    @property
    def notable_users_list(self) -> list[str]:
        return [name.strip() for name in self.notable_users.split(",") if name.strip()]


# A framework whose facts were last reviewed longer ago than this is flagged "review due".
REVIEW_AFTER_DAYS = 180

# The facts refresh_facts reads from the package index, in the order it reports them.
RELEASE_FACTS = (
    "latest_version",
    "latest_released",
    "latest_requires_python",
    "lts_version",
    "lts_released",
    "lts_requires_python",
)


def _pypi_url(package: str, version: str) -> str:
    if not package:
        return ""
    return f"https://pypi.org/project/{package}/{version + '/' if version else ''}"


def _as_text(value) -> str:
    if value is None:
        return ""
    return value.isoformat() if isinstance(value, datetime.date) else str(value)


class FactCheck(models.Model):
    """What the last reading of the package index found for a framework: a record, not content
    (pages do not show it). It flags a framework "review due" in the admin while its facts
    differ from the index (``check_facts`` without --apply), and keeps the last good check: when
    the index last answered in full (``checked_at``), and, if a later attempt failed, when and
    why (``failed_at``, ``failure``: one line) — for the attention page.
    """

    framework = models.OneToOneField(
        Framework, on_delete=models.CASCADE, related_name="fact_check", primary_key=True
    )
    checked_at = models.DateTimeField(
        "last good check", null=True, blank=True, help_text="When the index last answered in full."
    )
    drift = models.TextField(
        blank=True, help_text="One line per fact that differs from the package index."
    )
    failed_at = models.DateTimeField(
        "last failed attempt",
        null=True,
        blank=True,
        help_text="When reading the index last failed, if it has since the last good check.",
    )
    failure = models.CharField(
        max_length=500, blank=True, help_text="Why it failed, in one line (nothing was changed)."
    )

    class Meta:
        verbose_name = "fact check"

    def __str__(self) -> str:
        if self.checked_at is None:
            return f"{self.framework}: never read from the index"
        return f"{self.framework}: checked {self.checked_at:%Y-%m-%d %H:%M}"

    @property
    def drift_lines(self) -> list[str]:
        return [line for line in self.drift.splitlines() if line.strip()]

    @property
    def failing(self) -> bool:
        """Whether the last attempt failed (the facts are those of the last good check)."""
        return bool(self.failed_at and (not self.checked_at or self.failed_at > self.checked_at))


class ProConManager(models.Manager):
    def get_by_natural_key(self, framework_slug, kind, title):
        return self.get(framework__slug=framework_slug, kind=kind, title=title)


@reversion.register()
class ProCon(ConstraintErrorsOnFields):
    class Kind(models.TextChoices):
        PRO = "pro", "Pro"
        CON = "con", "Con"

    framework = models.ForeignKey(Framework, on_delete=models.CASCADE, related_name="pros_cons")
    kind = models.CharField(max_length=3, choices=Kind.choices)
    title = models.CharField(max_length=120)
    body = MarkdownxField(
        help_text="Markdown: two to four sentences on why it matters.",
        validators=[validate_markdown],
    )
    body_html = RenderedMarkdownField(source="body")
    position = models.PositiveSmallIntegerField(default=0)

    objects = ProConManager()

    constraint_fields = {
        "comparisons_procon_unique_title": "title",
        "comparisons_procon_kind_valid": "kind",
    }

    class Meta:
        verbose_name = "pro or con"
        verbose_name_plural = "pros and cons"
        ordering = ["framework", "-kind", "position", "title"]
        constraints = [
            models.UniqueConstraint(
                fields=["framework", "kind", "title"],
                name="comparisons_procon_unique_title",
                violation_error_message="This framework already has a pro or con with this title.",
            ),
            models.CheckConstraint(
                condition=Q(kind__in=["pro", "con"]), name="comparisons_procon_kind_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.framework}: {self.get_kind_display().lower()} — {self.title}"

    def get_absolute_url(self) -> str:
        return f"{self.framework.get_absolute_url()}#{self.kind}s"

    @natural_key_dependencies("comparisons.framework")
    def natural_key(self) -> tuple[str, str, str]:
        return (*self.framework.natural_key(), self.kind, self.title)


class UseCaseManager(models.Manager):
    def get_by_natural_key(self, framework_slug, title):
        return self.get(framework__slug=framework_slug, title=title)


@reversion.register()
class UseCase(ConstraintErrorsOnFields):
    framework = models.ForeignKey(Framework, on_delete=models.CASCADE, related_name="use_cases")
    title = models.CharField(max_length=120)
    body = MarkdownxField(
        help_text="Markdown: what you would build, and why it fits.", validators=[validate_markdown]
    )
    body_html = RenderedMarkdownField(source="body")
    position = models.PositiveSmallIntegerField(default=0)

    objects = UseCaseManager()

    constraint_fields = {"comparisons_usecase_unique_title": "title"}

    class Meta:
        ordering = ["framework", "position", "title"]
        constraints = [
            models.UniqueConstraint(
                fields=["framework", "title"],
                name="comparisons_usecase_unique_title",
                violation_error_message="This framework already has a use case with this title.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.framework}: {self.title}"

    def get_absolute_url(self) -> str:
        return f"{self.framework.get_absolute_url()}#use-cases"

    @natural_key_dependencies("comparisons.framework")
    def natural_key(self) -> tuple[str, str]:
        return (*self.framework.natural_key(), self.title)


@reversion.register(follow=["ratings"])
class Criterion(ConstraintErrorsOnFields):
    class Basis(models.TextChoices):
        """What its ranks rest on, as the pages label it."""

        MEASURED = "measured", "Measured"
        DOCUMENTED = "documented", "From the docs"
        JUDGEMENT = "judgement", "Our judgement"

    name = models.CharField(max_length=60, unique=True)
    slug = models.SlugField(max_length=60, unique=True)
    description = MarkdownxField(
        "what it measures",
        help_text="Markdown: what this criterion measures and how we judge it.",
        validators=[validate_markdown],
    )
    description_html = RenderedMarkdownField(source="description")
    basis = models.CharField(
        "what the ranks rest on",
        max_length=12,
        choices=Basis.choices,
        default=Basis.JUDGEMENT,
        help_text="Measured: figures decide the ranks (a survey, a benchmark), shown in each "
        "cell. From the docs: each framework's own documentation shows whether it has each "
        "thing the description lists. Our judgement: no figure or source ranks them; the "
        "editors weigh what the sources describe. Pages show it beside the criterion.",
    )
    position = models.PositiveSmallIntegerField(default=0)

    objects = SlugManager()

    constraint_fields = {"comparisons_criterion_basis_valid": "basis"}

    class Meta:
        verbose_name_plural = "criteria"
        ordering = ["position", "name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(basis__in=["measured", "documented", "judgement"]),
                name="comparisons_criterion_basis_valid",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return f"{reverse('comparisons:methodology')}#criterion-{self.slug}"

    @property
    def basis_label(self) -> str:
        """The label pages put beside the criterion: "measured", "from the docs"..."""
        return self.get_basis_display().lower()

    @property
    def basis_text(self) -> str:
        """What its ranks rest on, in a sentence, after its label."""
        return BASIS_TEXT[self.basis]

    def natural_key(self) -> tuple[str]:
        return (self.slug,)


BASIS_TEXT: dict[str, str] = {
    Criterion.Basis.MEASURED: "the figures in each cell decide the ranks, and figures closer "
    "than their margin share a rank.",
    Criterion.Basis.DOCUMENTED: "each framework's own documentation shows which of the things "
    "listed above it has; the ranks follow, and each cell cites the pages.",
    Criterion.Basis.JUDGEMENT: "no figure or source ranks the frameworks on this; the ranks are "
    "the editors' call, made from what the cited sources describe, and each note says why.",
}


class RatingManager(models.Manager):
    def get_by_natural_key(self, criterion_slug, framework_slug):
        return self.get(criterion__slug=criterion_slug, framework__slug=framework_slug)


@reversion.register(follow=["sources", "figures"])
class Rating(ConstraintErrorsOnFields):
    """One cell of the comparison table: how a framework does on a criterion."""

    criterion = models.ForeignKey(Criterion, on_delete=models.CASCADE, related_name="ratings")
    framework = models.ForeignKey(Framework, on_delete=models.CASCADE, related_name="ratings")
    rank = models.PositiveSmallIntegerField(
        validators=[MinValueValidator(1)],
        help_text="1 leads on this criterion. Frameworks judged equal share a rank and the "
        "next rank skips the shared places (1, 1, 3; or 1, 2, 2): standard competition "
        "ranking.",
    )
    verdict = models.CharField(max_length=120, help_text="A short verdict shown in the table cell.")
    note = MarkdownxField(
        blank=True,
        help_text="Markdown: the longer explanation (optional).",
        validators=[validate_markdown],
    )
    note_html = RenderedMarkdownField(source="note")

    objects = RatingManager()

    constraint_fields = {"comparisons_rating_rank_positive": "rank"}

    class Meta:
        ordering = ["criterion", "rank", "framework"]
        constraints = [
            models.UniqueConstraint(
                fields=["criterion", "framework"],
                name="comparisons_rating_unique_cell",
                violation_error_message="This framework already has a rating on this criterion.",
            ),
            models.CheckConstraint(
                condition=Q(rank__gte=1),
                name="comparisons_rating_rank_positive",
                violation_error_message="The rank must be 1 or more (1 leads).",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.criterion} — {self.framework}: #{self.rank}"

    def get_absolute_url(self) -> str:
        return self.criterion.get_absolute_url()

    @natural_key_dependencies("comparisons.criterion", "comparisons.framework")
    def natural_key(self) -> tuple[str, str]:
        return (*self.criterion.natural_key(), *self.framework.natural_key())


class FigureManager(models.Manager):
    def get_by_natural_key(self, criterion_slug, framework_slug, measure):
        return self.get(
            rating__criterion__slug=criterion_slug,
            rating__framework__slug=framework_slug,
            measure=measure,
        )


@reversion.register()
class Figure(ConstraintErrorsOnFields):
    """A number that is evidence for a rating: what was measured, its value, among whom or
    how, when, and where it was published. "38% of surveyed developers use it (Python
    Developers Survey 2024)". Ratings whose figures measure the same thing from the same
    source must rank in the figures' order (see comparisons.figures)."""

    class Direction(models.TextChoices):
        HIGHER = "higher", "More is better: the rank follows it"
        LOWER = "lower", "Less is better: the rank follows it"
        CONTEXT = "context", "Context only: the rating's note says what decides the rank"

    rating = models.ForeignKey(Rating, on_delete=models.CASCADE, related_name="figures")
    measure = models.CharField(
        "what is measured",
        max_length=120,
        help_text="The words that follow the value, e.g. “of surveyed developers use it”. "
        "Use the same words for every framework measured the same way.",
    )
    value = models.DecimalField(max_digits=12, decimal_places=2, validators=[MinValueValidator(0)])
    spread = models.DecimalField(
        "± spread",
        max_digits=12,
        decimal_places=2,
        default=0,
        validators=[MinValueValidator(0)],
        help_text="How far the value may be off (a survey's margin, a benchmark's variation "
        "between rounds), in the same unit. Figures closer than this are a tie.",
    )
    unit = models.CharField(
        max_length=20,
        blank=True,
        help_text="E.g. “%” (written without a space) or “years”. Blank for a plain count.",
    )
    method = models.CharField(
        "population or method",
        max_length=300,
        help_text="Who was counted or how it was measured, e.g. “respondents to the survey's "
        "web-framework question (several answers allowed; 30,000+ responses)”.",
    )
    as_of = models.DateField(
        "as of", help_text="When it was measured (for a survey: when answers were collected)."
    )
    source_title = models.CharField(
        "source", max_length=200, help_text="The publication, with its edition or date."
    )
    source_url = models.CharField(
        "source URL",
        max_length=500,
        validators=[validate_source_link],
        help_text="An http(s) URL, or a page of this site such as /methodology/#benchmark "
        "(for what the site measures itself).",
    )
    direction = models.CharField(
        "how it ranks",
        max_length=10,
        choices=Direction.choices,
        default=Direction.HIGHER,
    )
    position = models.PositiveSmallIntegerField(default=0)

    objects = FigureManager()

    constraint_fields = {
        "comparisons_figure_unique_measure": "measure",
        "comparisons_figure_source_url_http": "source_url",
        "comparisons_figure_direction_valid": "direction",
        "comparisons_figure_value_not_negative": "value",
        "comparisons_figure_spread_not_negative": "spread",
    }

    class Meta:
        ordering = ["rating", "position", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["rating", "measure"],
                name="comparisons_figure_unique_measure",
                violation_error_message="This rating already has a figure for this measure.",
            ),
            models.CheckConstraint(
                condition=Q(source_url__startswith="https://")
                | Q(source_url__startswith="http://")
                | (Q(source_url__startswith="/") & ~Q(source_url__startswith="//")),
                name="comparisons_figure_source_url_http",
                violation_error_message="Enter an http:// or https:// URL, or a page of this "
                "site such as /methodology/.",
            ),
            models.CheckConstraint(
                condition=Q(direction__in=["higher", "lower", "context"]),
                name="comparisons_figure_direction_valid",
            ),
            models.CheckConstraint(
                condition=Q(value__gte=0),
                name="comparisons_figure_value_not_negative",
                violation_error_message="A figure is a count, share or length: 0 or more.",
            ),
            models.CheckConstraint(
                condition=Q(spread__gte=0),
                name="comparisons_figure_spread_not_negative",
                violation_error_message="The spread is 0 or more.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.rating.framework} on {self.rating.criterion}: {self.short_text}"

    def get_absolute_url(self) -> str:
        return self.rating.get_absolute_url()

    @natural_key_dependencies("comparisons.rating")
    def natural_key(self) -> tuple[str, str, str]:
        return (*self.rating.natural_key(), self.measure)

    @staticmethod
    def _digits(value) -> str:
        return f"{value:,.2f}".rstrip("0").rstrip(".")

    def _with_unit(self, number: str) -> str:
        if not self.unit:
            return number
        return f"{number}{self.unit}" if self.unit == "%" else f"{number} {self.unit}"

    @property
    def value_text(self) -> str:
        """38.00 -> "38%", 3 -> "3 years", 1234 -> "1,234"; with a spread, "3,069 ± 270 req/s"."""
        number = self._digits(self.value)
        if self.spread:
            number = f"{number} ± {self._digits(self.spread)}"
        return self._with_unit(number)

    def ties_with(self, other: "Figure") -> bool:
        """Whether the two values are closer than either figure's spread (or equal)."""
        return abs(self.value - other.value) <= max(self.spread, other.spread)

    @property
    def short_text(self) -> str:
        """What the table cell shows: "38% of surveyed developers use it"."""
        return f"{self.value_text} {self.measure}"

    @property
    def ranks(self) -> bool:
        return self.direction != self.Direction.CONTEXT


class SourceManager(models.Manager):
    def get_by_natural_key(self, url):
        return self.get(url=url)


@reversion.register()
class Source(ConstraintErrorsOnFields):
    """A page that backs facts and ratings: one row per address, its title kept once, so a
    page's footnotes never list one source twice. FrameworkSource and RatingSource say what
    it backs."""

    url = models.URLField("URL", max_length=500, unique=True, validators=[validate_web_url])
    title = models.CharField(max_length=200, help_text="The page's title, as a reader sees it.")

    objects = SourceManager()

    constraint_fields = {"comparisons_source_url_http": "url"}

    class Meta:
        ordering = ["title", "url"]
        constraints = [http_url_check("url", blank=False)]

    def __str__(self) -> str:
        return self.title

    def natural_key(self) -> tuple[str]:
        return (self.url,)


class FrameworkSourceManager(models.Manager):
    def get_queryset(self):
        # A citation is always read with its source (its title, its address, its __str__):
        # fetched with it, so that a framework's rows (its page, its history) cost no query
        # each.
        return super().get_queryset().select_related("source")

    def get_by_natural_key(self, framework_slug, fact, url):
        return self.get(framework__slug=framework_slug, fact=fact, source__url=url)


@reversion.register()
class FrameworkSource(ConstraintErrorsOnFields):
    """A source for one of a framework's facts (its release, creators, users, a claim...)."""

    framework = models.ForeignKey(Framework, on_delete=models.CASCADE, related_name="sources")
    fact = models.CharField(
        max_length=120, help_text="The fact it backs, e.g. 'First public release: 2005'."
    )
    source = models.ForeignKey(Source, on_delete=models.PROTECT, related_name="facts")
    position = models.PositiveSmallIntegerField(default=0)

    objects = FrameworkSourceManager()

    constraint_fields = {"comparisons_frameworksource_unique": "source"}

    class Meta:
        ordering = ["framework", "position", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["framework", "fact", "source"], name="comparisons_frameworksource_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.fact}: {self.source}"

    @property
    def title(self) -> str:
        return self.source.title

    @property
    def url(self) -> str:
        return self.source.url

    def get_absolute_url(self) -> str:
        return f"{self.framework.get_absolute_url()}#sources"

    @natural_key_dependencies("comparisons.framework", "comparisons.source")
    def natural_key(self) -> tuple[str, str, str]:
        return (*self.framework.natural_key(), self.fact, self.source.url)


class RatingSourceManager(models.Manager):
    def get_queryset(self):
        # As FrameworkSourceManager: a citation is read with its source.
        return super().get_queryset().select_related("source")

    def get_by_natural_key(self, criterion_slug, framework_slug, url):
        return self.get(
            rating__criterion__slug=criterion_slug,
            rating__framework__slug=framework_slug,
            source__url=url,
        )


@reversion.register()
class RatingSource(ConstraintErrorsOnFields):
    """A source for one cell of the comparison table."""

    rating = models.ForeignKey(Rating, on_delete=models.CASCADE, related_name="sources")
    source = models.ForeignKey(Source, on_delete=models.PROTECT, related_name="ratings")
    position = models.PositiveSmallIntegerField(default=0)

    objects = RatingSourceManager()

    constraint_fields = {"comparisons_ratingsource_unique": "source"}

    class Meta:
        ordering = ["rating", "position", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["rating", "source"], name="comparisons_ratingsource_unique"
            ),
        ]

    def __str__(self) -> str:
        return str(self.source)

    @property
    def title(self) -> str:
        return self.source.title

    @property
    def url(self) -> str:
        return self.source.url

    def get_absolute_url(self) -> str:
        return self.rating.get_absolute_url()

    @natural_key_dependencies("comparisons.rating", "comparisons.source")
    def natural_key(self) -> tuple[str, str, str]:
        return (*self.rating.natural_key(), self.source.url)


class CorrectionManager(models.Manager):
    def get_by_natural_key(self, framework_slug, original):
        return self.get(framework__slug=framework_slug, original=original)


@reversion.register()
class Correction(ConstraintErrorsOnFields):
    """Where the original article is out of date: what it said, what is true today, and when
    we said so. Shown with the pro or con it concerns, or with the framework's facts.

    Its ``original`` quotes the old claim as it was said: the stale-text check leaves it alone
    (``quoted`` in config/content.py)."""

    framework = models.ForeignKey(Framework, on_delete=models.CASCADE, related_name="corrections")
    procon = models.ForeignKey(
        ProCon,
        on_delete=models.CASCADE,
        related_name="corrections",
        null=True,
        blank=True,
        verbose_name="pro or con",
        help_text="The pro or con it corrects, if any (else it shows with the facts).",
    )

    class SaidBy(models.TextChoices):
        ARTICLE = "article", "The original article said"
        SITE = "site", "This page said"

    said_by = models.CharField(
        "said by",
        max_length=10,
        choices=SaidBy.choices,
        default=SaidBy.ARTICLE,
        help_text="Whose statement it corrects: the original article's, or one of ours.",
    )
    original = models.CharField(
        "what was said", max_length=300, help_text="In a few words, not quoted."
    )
    now = MarkdownxField(
        "what is true today", help_text="Markdown: the correction.", validators=[validate_markdown]
    )
    now_html = RenderedMarkdownField(source="now")
    dated = models.DateField("updated on", default=datetime.date.today)
    position = models.PositiveSmallIntegerField(default=0)

    objects = CorrectionManager()

    class Meta:
        ordering = ["framework", "position", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["framework", "original"], name="comparisons_correction_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.framework}: {self.original}"

    def get_absolute_url(self) -> str:
        return f"{self.framework.get_absolute_url()}#correction-{self.pk}"

    @natural_key_dependencies("comparisons.framework", "comparisons.procon")
    def natural_key(self) -> tuple[str, str]:
        return (*self.framework.natural_key(), self.original)

    def clean(self):
        if self.procon_id and self.framework_id and self.procon.framework_id != self.framework_id:
            raise ValidationError({"procon": "Choose a pro or con of this framework."})


class ProjectTypeManager(SlugManager):
    pass


@reversion.register(follow=["needs"])
class ProjectType(models.Model):
    """What a reader may be building, for the decision helper: how much each criterion
    matters for it (its needs), and the use cases that are examples of it."""

    name = models.CharField(max_length=100, unique=True)
    slug = models.SlugField(max_length=60, unique=True)
    description = models.CharField(max_length=200, help_text="One line, shown in the form.")
    advice = models.CharField(
        "our advice",
        max_length=300,
        blank=True,
        help_text="Plain text, shown after the answer's first sentence: what a beginner building "
        "this should do, and, where the answer is close, what would tip it (e.g. “If you want "
        "an admin and accounts, Django; if the API is the product, FastAPI.”).",
    )
    use_cases = models.ManyToManyField(
        UseCase,
        blank=True,
        related_name="project_types",
        help_text="The use cases that are examples of this kind of project (shown, not scored).",
    )
    position = models.PositiveSmallIntegerField(default=0)

    objects = ProjectTypeManager()

    class Meta:
        ordering = ["position", "name"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return f"{reverse('comparisons:choose')}?building={self.slug}"

    def natural_key(self) -> tuple[str]:
        return (self.slug,)


class ProjectNeedManager(models.Manager):
    def get_by_natural_key(self, project_type_slug, criterion_slug):
        return self.get(project_type__slug=project_type_slug, criterion__slug=criterion_slug)


@reversion.register()
class ProjectNeed(ConstraintErrorsOnFields):
    """How much one criterion matters for one kind of project: the helper's starting weight,
    which a reader may change. A criterion with no need set counts "a little" (1)."""

    class Weight(models.IntegerChoices):
        NONE = 0, "Not at all"
        LITTLE = 1, "A little"
        QUITE = 2, "Quite a lot"
        MOST = 3, "Most of all"

    project_type = models.ForeignKey(ProjectType, on_delete=models.CASCADE, related_name="needs")
    criterion = models.ForeignKey(Criterion, on_delete=models.CASCADE, related_name="needs")
    weight = models.PositiveSmallIntegerField(choices=Weight.choices)
    why = models.CharField(
        max_length=200, blank=True, help_text="One line for the reader: why it matters this much."
    )

    objects = ProjectNeedManager()

    constraint_fields = {
        "comparisons_projectneed_unique": "criterion",
        "comparisons_projectneed_weight_valid": "weight",
    }

    class Meta:
        verbose_name = "need"
        ordering = ["project_type", "criterion"]
        constraints = [
            models.UniqueConstraint(
                fields=["project_type", "criterion"],
                name="comparisons_projectneed_unique",
                violation_error_message="This kind of project already has a weight for this "
                "criterion.",
            ),
            models.CheckConstraint(
                condition=Q(weight__gte=0, weight__lte=3),
                name="comparisons_projectneed_weight_valid",
                violation_error_message="The weight is 0 (not at all) to 3 (most of all).",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.project_type}: {self.criterion}, weight {self.weight}"

    def get_absolute_url(self) -> str:
        return self.project_type.get_absolute_url()

    @natural_key_dependencies("comparisons.projecttype", "comparisons.criterion")
    def natural_key(self) -> tuple[str, str]:
        return (*self.project_type.natural_key(), *self.criterion.natural_key())
