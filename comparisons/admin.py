"""The editors' back office for the comparison data (the shared bases are in core/admin.py).

No list or change page runs a query per row.
"""

import re

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.options import IS_POPUP_VAR
from django.db.models import Count, Model, Prefetch
from django.urls import reverse
from django.utils.html import format_html, format_html_join

import comparisons.attention  # noqa: F401 -- registers what needs attention (core.attention)
from comparisons.evidence import criterion_conflicts
from comparisons.models import (
    Correction,
    Criterion,
    Figure,
    Framework,
    FrameworkSource,
    ProCon,
    ProjectNeed,
    ProjectType,
    Rating,
    RatingSource,
    Source,
    UseCase,
)
from comparisons.publishing import ConfirmsPublishing, confirmed_publishing
from core.admin import (
    ChoicesOnceFormSet,
    ContentAdmin,
    ContentInlineMixin,
    RowForm,
    RowsFormSet,
    publish_action,
    show_choices,
)
from core.attention import already_said
from core.validators import validate_web_url

# --- New rows go at the end: a position one after the highest in use


class PositionAtTheEnd:
    """An admin of a model with a ``position``: a new object's position defaults to one after
    the highest in use (not 0, which would move it first: for frameworks that would change the
    order of every A-vs-B address), and the field's help text lists the positions in use."""

    model: type[Model]  # given by the ModelAdmin it is mixed into

    def positions_in_use(self) -> list[tuple[int, str]]:
        return list(self.model._default_manager.order_by("position", "pk").values_list(
            "position", "name"
        ))  # fmt: skip

    def get_changeform_initial_data(self, request):
        initial = super().get_changeform_initial_data(request)
        if "position" not in initial:
            used = [position for position, _ in self.positions_in_use()]
            initial["position"] = max(used, default=0) + 1
        return initial

    def get_form(self, request, obj=None, change=False, **kwargs):
        form_class = super().get_form(request, obj, change=change, **kwargs)
        field = form_class.base_fields.get("position")
        if field is not None:
            used = ", ".join(f"{position} {name}" for position, name in self.positions_in_use())
            help_text = str(self.model._meta.get_field("position").help_text or "")
            field.help_text = " ".join(
                part for part in (help_text, f"In use: {used}." if used else "") if part
            )
        return form_class


# --- Framework and its inlines


# "Our advice:" (or "our advice -"...) at the start of a best-for text.
ADVICE_LABEL = re.compile(r"\s*our advice\s*[:.\-\u2013\u2014]\s*", re.IGNORECASE)


class FrameworkForm(forms.ModelForm):
    """The pages print the label "Our advice" before best-for, so a best-for that starts with
    it is saved without it ("Our advice: choose it when…" becomes "Choose it when…").

    Removed rather than refused: a version restored from the history (saved when every text
    started with it by hand) goes through this form too, and should restore in one click.
    """

    def clean_best_for(self):
        text = self.cleaned_data["best_for"]
        label = ADVICE_LABEL.match(text)
        if label is None:
            return text
        rest = text[label.end() :]
        return rest[:1].upper() + rest[1:]


class ProConForm(RowForm):
    """A pro or a con row: its kind is fixed by the inline it sits in."""

    kind_value = ProCon.Kind.PRO

    class Meta:
        model = ProCon
        fields = ["title", "body", "position", "kind"]
        widgets = {"kind": forms.HiddenInput}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].initial = self.kind_value
        # Set before validation, so that the (framework, kind, title) constraint is checked.
        self.instance.kind = self.kind_value

    def clean_kind(self):
        return self.kind_value


class ConForm(ProConForm):
    kind_value = ProCon.Kind.CON


class NewRowsInTypedOrder(RowsFormSet):
    """An inline formset of rows with a ``position``: new rows left at position 0 go after the
    rows there are, in the order they were typed (at 0 they went first, in alphabetical order,
    since the model orders by position then title). A position typed in is kept."""

    position_help = "Lowest first. Left at 0, a new row goes after the others, in the order typed."

    def add_fields(self, form, index):
        super().add_fields(form, index)
        field = form.fields.get("position")
        if field is not None:
            field.help_text = self.position_help

    def save_new_objects(self, commit=True):
        self.place_new_rows()
        return super().save_new_objects(commit)

    def place_new_rows(self):
        def kept(form):
            return not (self.can_delete and self._should_delete_form(form))

        rows = [form for form in self.initial_forms if kept(form)]
        new = [form for form in self.extra_forms if form.has_changed() and kept(form)]
        last = max((form.instance.position for form in [*rows, *new]), default=0)
        for form in new:
            if not form.instance.position:
                last += 1
                form.instance.position = last


class DistinctRowsFormSet(RowsFormSet):
    """Inline rows that must differ in one field (a title, the criterion rated...): rows that
    repeat a value each get an error on that field, naming the value.

    Checked on every row whose field itself is valid, even when the row or another one has
    an error elsewhere, so that all the errors are reported in one submit (Django's own check
    skips invalid rows, and marks the whole row, naming the fields at the top).
    """

    distinct_field = "title"
    repeated_message = "Two rows have the title “{value}”: give each its own."

    def validate_unique(self):
        rows_by_value: dict = {}
        for form in self.forms:
            form.is_valid()  # cleans it: its cleaned_data holds each field that is valid
            if not form.has_changed() and form.instance.pk is None:
                continue  # an empty extra row
            if self.can_delete and self._should_delete_form(form):
                continue
            value = getattr(form, "cleaned_data", {}).get(self.distinct_field)
            if value not in (None, ""):
                rows_by_value.setdefault(value, []).append(form)
        for value, rows in rows_by_value.items():
            if len(rows) > 1:
                for form in rows:
                    form.add_error(self.distinct_field, self.repeated_message.format(value=value))
        super().validate_unique()


class ProFormSet(NewRowsInTypedOrder, DistinctRowsFormSet):
    @classmethod
    def get_default_prefix(cls):
        return "pros"


class ConFormSet(NewRowsInTypedOrder, DistinctRowsFormSet):
    @classmethod
    def get_default_prefix(cls):
        return "cons"


class RelatedRowsInline(ContentInlineMixin, admin.StackedInline):
    """An inline whose rows name their parents (in __str__): fetch those with the rows."""

    extra = 0
    list_select_related: tuple[str, ...] = ("framework",)

    def get_queryset(self, request):
        return super().get_queryset(request).select_related(*self.list_select_related)


class PositionedInline(RelatedRowsInline):
    ordering = ["position", "pk"]


class ProInline(PositionedInline):
    model = ProCon
    form = ProConForm
    formset: type[DistinctRowsFormSet] = ProFormSet
    verbose_name = "pro"
    verbose_name_plural = "pros"
    kind = ProCon.Kind.PRO

    def get_queryset(self, request):
        return super().get_queryset(request).filter(kind=self.kind)


class ConInline(ProInline):
    form = ConForm
    formset = ConFormSet
    verbose_name = "con"
    verbose_name_plural = "cons"
    kind = ProCon.Kind.CON


class UseCaseForm(RowForm):
    """A use case with the kinds of project it is an example of: the other side of
    ProjectType.use_cases, read from the use case (prefetched) and saved with it."""

    project_types = forms.ModelMultipleChoiceField(
        ProjectType.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label="Kinds of project it is an example of",
        help_text="The decision helper's answer for a kind of project chosen here names this "
        "use case.",
    )

    class Meta:
        model = UseCase
        fields = ["framework", "title", "body", "position"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk is not None and "project_types" not in self.initial:
            # .all(), not values_list: it reads what the admin's queryset prefetched.
            self.initial["project_types"] = [kind.pk for kind in self.instance.project_types.all()]

    def _save_m2m(self):
        super()._save_m2m()
        self.instance.project_types.set(self.cleaned_data["project_types"])


class UseCaseFormSet(NewRowsInTypedOrder, DistinctRowsFormSet, ChoicesOnceFormSet):
    cached_choice_fields = ("project_types",)


class UseCaseInline(PositionedInline):
    model = UseCase
    form = UseCaseForm
    formset = UseCaseFormSet
    fields = ["title", "body", "position", "project_types"]

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("project_types")


class FrameworkRatingFormSet(DistinctRowsFormSet, ChoicesOnceFormSet):
    cached_choice_fields = ("criterion",)
    distinct_field = "criterion"
    repeated_message = "{value} is rated twice: keep one of these rows."


class FrameworkRatingInline(RelatedRowsInline):
    """The ratings of a framework, each with its sources and figures shown (read-only) and a
    link that opens the rating's own page in the admin's related-object popup (the same as
    the pencil beside a foreign key), where they are edited."""

    model = Rating
    formset = FrameworkRatingFormSet
    fields = ["criterion", "rank", "verdict", "note", "evidence"]
    readonly_fields = ["evidence"]
    ordering = ["criterion__position", "criterion__name"]
    list_select_related = ("criterion", "framework")
    verbose_name = "rating"
    verbose_name_plural = "ratings (one per criterion)"

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .prefetch_related(
                Prefetch("sources", queryset=RatingSource.objects.select_related("source"))
            )
            .annotate(figure_count=Count("figures"))
        )

    def get_formset(self, request, obj=None, **kwargs):
        """A row ready for each criterion the framework is not rated on yet (every one, for
        a new framework), its criterion chosen: a row left empty is not saved."""
        unrated = list(
            Criterion.objects.exclude(ratings__framework=obj) if obj else Criterion.objects.all()
        )
        kwargs["extra"] = len(unrated)
        formset = super().get_formset(request, obj, **kwargs)
        initial = [{"criterion": criterion.pk} for criterion in unrated]

        class OneRowPerCriterion(formset):
            def __init__(self, *args, **kwargs):
                kwargs.setdefault("initial", initial)
                super().__init__(*args, **kwargs)

        return OneRowPerCriterion

    @admin.display(description="sources and figures")
    def evidence(self, rating) -> str:
        return rating_evidence(rating)


def rating_evidence(rating) -> str:
    """A rating's sources (titles) and figures (how many), and the link to edit them."""
    if rating is None or rating.pk is None:
        return "None yet: save first to add its sources."
    sources = list(rating.sources.all())
    figures = getattr(rating, "figure_count", None)
    if figures is None:
        figures = rating.figures.count()
    titles = (
        format_html_join("", "<li>{}</li>", ((source.title,) for source in sources))
        if sources
        else format_html("<li>{}</li>", "No source yet.")
    )
    url = reverse("admin:comparisons_rating_change", args=[rating.pk])
    element = f"rating-evidence-{rating.pk}"
    return format_html(
        '<div class="rating-evidence" id="{}"><ul>{}</ul><p>{}</p>'
        '<p><a class="related-widget-wrapper-link change-related" id="change_{}" '
        'data-popup="yes" href="{}?{}=1">Edit its sources and figures</a> '
        "(opens this rating's page in a window of its own)</p></div>",
        element,
        titles,
        "1 figure" if figures == 1 else f"{figures} figures",
        element,
        url,
        IS_POPUP_VAR,
    )


class CitedSourceForm(RowForm):
    """A row that cites a source: its address and title typed in as before; the Source is
    found by its address (so its title is kept once, and offered) or made when new."""

    url = forms.URLField(label="URL", max_length=500, assume_scheme="https")
    title = forms.CharField(
        max_length=200,
        required=False,
        help_text="Leave empty to use the title this address already has.",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["url"].validators.append(validate_web_url)
        if self.instance.source_id:
            self.initial.setdefault("url", self.instance.source.url)
            self.initial.setdefault("title", self.instance.source.title)

    def clean(self):
        cleaned = super().clean()
        url, title = cleaned.get("url"), (cleaned.get("title") or "").strip()
        if not url:
            return cleaned
        cited = self.instance.source if self.instance.source_id else None
        if cited is not None and cited.url == url:
            known = cited  # the row's own source, read with it: no query a row
        else:
            known = Source.objects.filter(url=url).first()
        if known is None:
            if not title:
                self.add_error("title", "This address is new here: give the page's title.")
            self.instance.source = Source(url=url, title=title)
        elif title and title != known.title:
            self.add_error(
                "title",
                f"This address is already cited as “{known.title}”: leave the title empty to "
                "use it, or retitle the source on its own page (Sources).",
            )
        else:
            cleaned["title"] = known.title
            self.instance.source = known
        return cleaned

    def save(self, commit=True):
        source = self.instance.source
        if source.pk is None:
            # get_or_create: another editor may have cited the address a moment ago.
            self.instance.source, _ = Source.objects.get_or_create(
                url=source.url, defaults={"title": source.title}
            )
        return super().save(commit)


class OneRowPerSourceFormSet(RowsFormSet):
    """Each source once per fact (facts) or per rating: a repeated address is an error on the
    row's URL, named."""

    keys: tuple[str, ...] = ("url",)

    def clean(self):
        super().clean()
        seen = set()
        for form in self.forms:
            if not hasattr(form, "cleaned_data") or self._should_delete_form(form):
                continue
            key = tuple(form.cleaned_data.get(name) for name in self.keys)
            if not key[-1]:
                continue
            if key in seen:
                form.add_error("url", f"{key[-1]} is cited in another row above already.")
            seen.add(key)


class FactSourceFormSet(NewRowsInTypedOrder, OneRowPerSourceFormSet):
    keys = ("fact", "url")


class FrameworkSourceInline(ContentInlineMixin, admin.TabularInline):
    model = FrameworkSource
    form = CitedSourceForm
    formset = FactSourceFormSet
    fields = ["fact", "title", "url", "position"]
    ordering = ["position", "pk"]
    extra = 0
    verbose_name_plural = "sources for its facts"

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("source", "framework")


class CorrectionFormSet(NewRowsInTypedOrder, RowsFormSet):
    """A correction may name only this framework's pros and cons; loaded once for all rows."""

    def add_fields(self, form, index):
        super().add_fields(form, index)
        own = ProCon.objects.filter(framework_id=self.instance.pk).order_by("-kind", "position")
        if "_procon_choices" not in self.__dict__:
            self._procon_choices = [("", "— (a fact, not a pro or con)")] + [
                (point.pk, f"{point.get_kind_display()}: {point.title}") for point in own
            ]
        field = form.fields["procon"]
        field.queryset = own  # what a submitted choice is checked against
        show_choices(field, self._procon_choices)


class CorrectionInline(ContentInlineMixin, admin.StackedInline):
    model = Correction
    formset = CorrectionFormSet
    fields = ["said_by", "original", "now", "procon", "dated", "position"]
    ordering = ["position", "pk"]
    extra = 0
    verbose_name_plural = "corrections (of the original article or of this site)"


class ReviewDueFilter(admin.SimpleListFilter):
    title = "review"
    parameter_name = "review"

    def lookups(self, request, model_admin):
        return [("due", "Review due"), ("current", "Up to date")]

    def queryset(self, request, queryset):
        if self.value() == "due":
            return queryset.review_due()
        if self.value() == "current":
            return queryset.review_current()
        return queryset


@admin.register(Framework)
class FrameworkAdmin(PositionAtTheEnd, ConfirmsPublishing, ContentAdmin):
    form = FrameworkForm

    class Media:
        js = ["js/admin-rating-evidence.js"]

    list_display = [
        "name",
        "category",
        "first_released",
        "is_published",
        "position",
        "last_reviewed",
        "review",
        "updated_at",
    ]
    list_display_links = ["name"]
    list_editable = ["position"]
    list_filter = [ReviewDueFilter, "category", "is_published"]
    search_fields = ["name", "slug", "tagline", "creators", "notable_users"]
    prepopulated_fields = {"slug": ["name"]}
    readonly_fields = [
        "updated_at",
        "review",
        "facts_checked_on",
        "releases_past_year",
        "vulnerabilities",
        "last_refresh",
    ]
    ordering = ["position", "name"]

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("fact_check")

    @admin.display(description="vulnerabilities reported by the index")
    def vulnerabilities(self, obj) -> str:
        """What the index reported, as text: which releases it gave a list for, and each
        advisory with the release it was reported for and the releases that fix it."""
        security = obj.security if isinstance(obj.security, dict) else {}
        read = ", ".join(security.get("read", [])) or "none"
        lines = [f"Lists read for: {read}."] + [
            f"{a['id']} ({', '.join(a['aliases'])}) in {a['reported_for']}, fixed in "
            f"{', '.join(a['fixed_in']) or 'no release yet'}: {a['summary']}"
            for a in security.get("advisories", [])
        ]
        return format_html_join("", "<p>{}</p>", ((line,) for line in lines))

    @admin.display(description="last reading of the index")
    def last_refresh(self, obj) -> str:
        check = getattr(obj, "fact_check", None) if obj.pk else None
        if check is None:
            return "Never read."
        good = f"{check.checked_at:%Y-%m-%d %H:%M}" if check.checked_at else "never"
        if check.failing:
            return (
                f"Last good check {good}; failed {check.failed_at:%Y-%m-%d %H:%M}: {check.failure}"
            )
        return f"Last good check {good}."

    @admin.display(description="review")
    def review(self, obj) -> str:
        reasons = obj.review_due
        return f"Review due: {'; '.join(reasons)}" if reasons else "Up to date"

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        if obj is not None and request.method == "GET" and obj.review_due:
            messages.warning(request, self.review(obj))
        return super().render_change_form(request, context, add, change, form_url, obj)

    fieldsets = [
        (None, {"fields": ["name", "slug", "tagline", "category", "is_published", "position"]}),
        (
            "Facts",
            {
                "fields": [
                    "first_released",
                    "creators",
                    "notable_users",
                    "website",
                    "repository",
                    "documentation",
                ]
            },
        ),
        (
            "Release facts",
            {
                "description": "Read from the Python Package Index by "
                "<code>manage.py refresh_facts</code> (on a schedule, and when the site "
                "starts); set the package name and the LTS line, and the command keeps the "
                "rest current.",
                "fields": [
                    "package",
                    ("latest_version", "latest_released", "latest_requires_python"),
                    "lts_line",
                    ("lts_version", "lts_released", "lts_requires_python", "lts_supported_until"),
                    ("facts_checked_on", "releases_past_year"),
                    "vulnerabilities",
                    "last_refresh",
                ],
            },
        ),
        (
            "Support policy",
            {
                "description": "The project's own policy, in the site's words, with its page; "
                "shown as text on the framework page with the supported lines.",
                "fields": [
                    "support_policy",
                    ("support_policy_url", "support_policy_read"),
                    ("feature_line", "feature_line_supported_until"),
                ],
            },
        ),
        ("Text", {"fields": ["summary", "best_for", "last_reviewed", "review", "updated_at"]}),
        (
            "Start with it",
            {
                "description": "What a reader who chose it does first, shown on its page and "
                "on the helper's answers: the install command (from the release facts above: "
                "the line that fits the reader's Python), the official tutorial, the site's "
                "sample on the code page, and these first steps.",
                "fields": ["install_as", ("tutorial_title", "tutorial_url"), "first_steps"],
            },
        ),
    ]
    inlines = [
        ProInline,
        ConInline,
        UseCaseInline,
        FrameworkRatingInline,
        FrameworkSourceInline,
        CorrectionInline,
    ]
    # What publishing or unpublishing makes stale, or breaks, is said after it (ChecksOnSave);
    # publishing rank conflicts is asked first (comparisons.publishing).
    actions = [
        confirmed_publishing(
            publish_action("is_published", True, "Publish the selected frameworks", "published")
        ),
        publish_action("is_published", False, "Unpublish the selected frameworks", "unpublished"),
    ]


# --- Criterion with its ratings


class CriterionRatingFormSet(DistinctRowsFormSet, ChoicesOnceFormSet):
    cached_choice_fields = ("framework",)
    distinct_field = "framework"
    repeated_message = "{value} is rated twice: keep one of these rows."


class CriterionRatingInline(RelatedRowsInline):
    model = Rating
    formset = CriterionRatingFormSet
    fields = ["framework", "rank", "verdict", "note"]
    ordering = ["framework__position", "framework__name"]
    list_select_related = ("criterion", "framework")
    verbose_name_plural = "ratings (one per framework)"


def warn_of_rank_conflicts(request, criterion_id) -> None:
    """On a GET of a change page: say where ranks contradict their figures (unless the save
    that led here says so already, with its links)."""
    if request.method == "GET" and criterion_id:
        for conflict in criterion_conflicts(criterion_id):
            if not already_said(request, conflict):
                messages.warning(request, conflict)


@admin.register(Criterion)
class CriterionAdmin(PositionAtTheEnd, ContentAdmin):
    list_display = ["name", "slug", "basis", "position"]
    list_filter = ["basis"]
    list_editable = ["position"]
    search_fields = ["name", "slug", "description"]
    prepopulated_fields = {"slug": ["name"]}
    ordering = ["position", "name"]
    inlines = [CriterionRatingInline]

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        warn_of_rank_conflicts(request, obj and obj.pk)
        return super().render_change_form(request, context, add, change, form_url, obj)


# --- The rows on their own: searchable, filterable lists across all frameworks


@admin.register(ProCon)
class ProConAdmin(ContentAdmin):
    list_display = ["title", "framework", "kind", "position"]
    list_filter = ["kind", "framework"]
    list_select_related = ["framework"]
    search_fields = ["title", "body", "framework__name"]
    autocomplete_fields = ["framework"]
    ordering = ["framework__position", "-kind", "position"]


@admin.register(UseCase)
class UseCaseAdmin(ContentAdmin):
    form = UseCaseForm
    list_display = ["title", "framework", "position"]
    list_filter = ["framework"]
    list_select_related = ["framework"]
    search_fields = ["title", "body", "framework__name"]
    autocomplete_fields = ["framework"]
    ordering = ["framework__position", "position"]


class RatingSourceFormSet(NewRowsInTypedOrder, OneRowPerSourceFormSet):
    pass


class RatingSourceInline(ContentInlineMixin, admin.TabularInline):
    model = RatingSource
    form = CitedSourceForm
    formset = RatingSourceFormSet
    fields = ["title", "url", "position"]
    ordering = ["position", "pk"]
    extra = 0
    verbose_name_plural = "sources for this rating"

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("source", "rating")


class FigureFormSet(NewRowsInTypedOrder, RowsFormSet):
    pass


class FigureInline(ContentInlineMixin, admin.StackedInline):
    model = Figure
    formset = FigureFormSet
    fields = [
        ("value", "spread", "unit", "measure"),
        "method",
        ("as_of", "direction", "position"),
        ("source_title", "source_url"),
    ]
    ordering = ["position", "pk"]
    extra = 0
    verbose_name_plural = "figures: the numbers that are evidence for this rating"


@admin.register(Rating)
class RatingAdmin(ContentAdmin):
    inlines = [FigureInline, RatingSourceInline]

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        warn_of_rank_conflicts(request, obj and obj.criterion_id)
        return super().render_change_form(request, context, add, change, form_url, obj)

    list_display = ["criterion", "framework", "rank", "verdict"]
    list_filter = ["criterion", "framework", "rank"]
    list_select_related = ["criterion", "framework"]
    search_fields = ["verdict", "note", "framework__name", "criterion__name"]
    autocomplete_fields = ["criterion", "framework"]
    ordering = ["criterion__position", "rank", "framework__position"]


@admin.register(Figure)
class FigureAdmin(ContentAdmin):
    list_display = ["rating", "value_shown", "measure", "direction", "as_of", "source_title"]
    list_filter = ["rating__criterion", "rating__framework", "direction", "as_of"]
    list_select_related = ["rating__criterion", "rating__framework"]
    search_fields = ["measure", "method", "source_title", "source_url"]
    autocomplete_fields = ["rating"]
    fields = [
        "rating",
        ("value", "spread", "unit", "measure"),
        "method",
        ("as_of", "direction", "position"),
        ("source_title", "source_url"),
    ]

    @admin.display(description="value", ordering="value")
    def value_shown(self, obj) -> str:
        return obj.value_text

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        warn_of_rank_conflicts(request, obj and obj.rating.criterion_id)
        return super().render_change_form(request, context, add, change, form_url, obj)


@admin.register(Source)
class SourceAdmin(ContentAdmin):
    """Each address once, with its title: retitle it here and every citation follows."""

    list_display = ["title", "url", "cited"]
    search_fields = ["title", "url"]
    ordering = ["title", "url"]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(
                fact_count=Count("facts", distinct=True),
                rating_count=Count("ratings", distinct=True),
            )
        )

    @admin.display(description="cited by")
    def cited(self, obj) -> str:
        return f"{obj.fact_count} fact(s), {obj.rating_count} rating(s)"


@admin.register(FrameworkSource)
class FrameworkSourceAdmin(ContentAdmin):
    form = CitedSourceForm
    fields = ["framework", "fact", "title", "url", "position"]
    list_display = ["fact", "framework", "source"]
    list_filter = ["framework"]
    list_select_related = ["framework", "source"]
    search_fields = ["fact", "source__title", "source__url", "framework__name"]
    autocomplete_fields = ["framework"]


@admin.register(RatingSource)
class RatingSourceAdmin(ContentAdmin):
    form = CitedSourceForm
    fields = ["rating", "title", "url", "position"]
    list_display = ["source", "rating"]
    list_filter = ["rating__criterion", "rating__framework"]
    list_select_related = ["rating__criterion", "rating__framework", "source"]
    search_fields = [
        "source__title", "source__url", "rating__framework__name", "rating__criterion__name"
    ]  # fmt: skip
    autocomplete_fields = ["rating"]


@admin.register(Correction)
class CorrectionAdmin(ContentAdmin):
    list_display = ["original", "framework", "procon", "dated"]
    list_filter = ["framework", "said_by", "dated"]
    list_select_related = ["framework", "procon"]
    search_fields = ["original", "now", "framework__name"]
    autocomplete_fields = ["framework", "procon"]


class ProjectNeedFormSet(DistinctRowsFormSet, ChoicesOnceFormSet):
    cached_choice_fields = ("criterion",)
    distinct_field = "criterion"
    repeated_message = "{value} has two weights: keep one of these rows."


class ProjectNeedInline(ContentInlineMixin, admin.TabularInline):
    model = ProjectNeed
    formset = ProjectNeedFormSet
    fields = ["criterion", "weight", "why"]
    extra = 0

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("project_type", "criterion")

    verbose_name_plural = "needs: how much each criterion matters (the helper's starting weights)"


@admin.register(ProjectType)
class ProjectTypeAdmin(PositionAtTheEnd, ContentAdmin):
    inlines = [ProjectNeedInline]
    list_display = ["name", "slug", "position"]
    list_editable = ["position"]
    search_fields = ["name", "description"]
    prepopulated_fields = {"slug": ["name"]}
    filter_horizontal = ["use_cases"]


@admin.register(ProjectNeed)
class ProjectNeedAdmin(ContentAdmin):
    list_display = ["project_type", "criterion", "weight", "why"]
    list_filter = ["project_type", "criterion", "weight"]
    list_select_related = ["project_type", "criterion"]
    search_fields = ["why", "project_type__name", "criterion__name"]
    autocomplete_fields = ["project_type", "criterion"]
