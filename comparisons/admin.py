"""The editors' back office for the comparison data.

Every Markdown field gets django-markdownx's editor with live preview (also in inline rows
added after page load, see static/js/admin-markdownx.js). History and undo come from
django-reversion's VersionAdmin. No list or change page runs a query per row.
"""

from django import forms
from django.contrib import admin, messages
from django.db import models
from django.forms.models import BaseInlineFormSet
from markdownx.models import MarkdownxField
from markdownx.widgets import AdminMarkdownxWidget
from reversion.admin import VersionAdmin

from comparisons.models import Criterion, Framework, ProCon, Rating, UseCase


class ContentAdminMixin:
    """What every content admin shares: the Markdown editor and http(s) links."""

    formfield_overrides = {
        MarkdownxField: {"widget": AdminMarkdownxWidget(attrs={"rows": 6})},
        models.URLField: {"assume_scheme": "https"},
    }


class ContentAdmin(ContentAdminMixin, VersionAdmin):
    class Media:
        js = ["js/admin-markdownx.js"]


class ChoicesOnceFormSet(BaseInlineFormSet):
    """Load the options of the inline rows' select boxes once, not once per row."""

    cached_choice_fields: tuple[str, ...] = ()

    def add_fields(self, form, index):
        super().add_fields(form, index)
        cache = self.__dict__.setdefault("_choice_cache", {})
        for name in self.cached_choice_fields:
            field = form.fields.get(name)
            if field is None:
                continue
            if name not in cache:
                cache[name] = list(field.choices)
            field.choices = cache[name]
            inner = getattr(field.widget, "widget", None)  # the admin's related-object wrapper
            if inner is not None:
                inner.choices = cache[name]


def publish_action(field: str, value, label: str, done: str):
    """An admin action that sets a publishing field on each selected object and saves it.

    Each object is saved (not a bulk update) so that its history and signals record the change.
    """

    @admin.action(description=label)
    def action(modeladmin, request, queryset):
        changed = 0
        for obj in queryset:
            if getattr(obj, field) != value:
                setattr(obj, field, value)
                obj.save()
                changed += 1
        modeladmin.message_user(request, f"{changed} {done}.", messages.SUCCESS)

    action.__name__ = f"set_{field}_{value}"
    return action


# --- Framework and its inlines


class ProConForm(forms.ModelForm):
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


class PositionedInline(ContentAdminMixin, admin.StackedInline):
    extra = 0
    ordering = ["position", "pk"]
    show_change_link = False


class ProInline(PositionedInline):
    model = ProCon
    form = ProConForm
    verbose_name = "pro"
    verbose_name_plural = "pros"
    kind = ProCon.Kind.PRO

    def get_queryset(self, request):
        return super().get_queryset(request).filter(kind=self.kind)


class ConInline(ProInline):
    form = ConForm
    verbose_name = "con"
    verbose_name_plural = "cons"
    kind = ProCon.Kind.CON


class UseCaseInline(PositionedInline):
    model = UseCase
    fields = ["title", "body", "position"]


class FrameworkRatingFormSet(ChoicesOnceFormSet):
    cached_choice_fields = ("criterion",)


class FrameworkRatingInline(ContentAdminMixin, admin.StackedInline):
    model = Rating
    formset = FrameworkRatingFormSet
    fields = ["criterion", "rank", "verdict", "note"]
    ordering = ["criterion__position", "criterion__name"]
    extra = 0
    verbose_name = "rating"
    verbose_name_plural = "ratings (one per criterion)"


@admin.register(Framework)
class FrameworkAdmin(ContentAdmin):
    list_display = [
        "name",
        "category",
        "first_released",
        "is_published",
        "position",
        "updated_at",
    ]
    list_display_links = ["name"]
    list_editable = ["position"]
    list_filter = ["category", "is_published"]
    search_fields = ["name", "slug", "tagline", "creators", "notable_users"]
    prepopulated_fields = {"slug": ["name"]}
    readonly_fields = ["updated_at"]
    ordering = ["position", "name"]
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
        ("Text", {"fields": ["summary", "best_for", "updated_at"]}),
    ]
    inlines = [ProInline, ConInline, UseCaseInline, FrameworkRatingInline]
    actions = [
        publish_action("is_published", True, "Publish the selected frameworks", "published"),
        publish_action("is_published", False, "Unpublish the selected frameworks", "unpublished"),
    ]


# --- Criterion with its ratings


class CriterionRatingFormSet(ChoicesOnceFormSet):
    cached_choice_fields = ("framework",)


class CriterionRatingInline(ContentAdminMixin, admin.TabularInline):
    model = Rating
    formset = CriterionRatingFormSet
    fields = ["framework", "rank", "verdict", "note"]
    ordering = ["framework__position", "framework__name"]
    extra = 0
    verbose_name_plural = "ratings (one per framework)"


@admin.register(Criterion)
class CriterionAdmin(ContentAdmin):
    list_display = ["name", "slug", "position"]
    list_editable = ["position"]
    search_fields = ["name", "slug", "description"]
    prepopulated_fields = {"slug": ["name"]}
    ordering = ["position", "name"]
    inlines = [CriterionRatingInline]


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
    list_display = ["title", "framework", "position"]
    list_filter = ["framework"]
    list_select_related = ["framework"]
    search_fields = ["title", "body", "framework__name"]
    autocomplete_fields = ["framework"]
    ordering = ["framework__position", "position"]


@admin.register(Rating)
class RatingAdmin(ContentAdmin):
    list_display = ["criterion", "framework", "rank", "verdict"]
    list_filter = ["criterion", "framework", "rank"]
    list_select_related = ["criterion", "framework"]
    search_fields = ["verdict", "note", "framework__name", "criterion__name"]
    autocomplete_fields = ["criterion", "framework"]
    ordering = ["criterion__position", "rank", "framework__position"]
