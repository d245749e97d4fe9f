"""What every content admin shares.

Every Markdown field gets django-markdownx's editor with live preview (also in inline rows
added after page load, see static/js/admin-markdownx.js). History and undo come from
django-reversion's VersionAdmin.
"""

from django.contrib import admin, messages
from django.db import models
from django.forms.models import BaseInlineFormSet
from markdownx.models import MarkdownxField
from markdownx.widgets import AdminMarkdownxWidget
from reversion.admin import VersionAdmin


class ContentAdminMixin:
    """What every content admin shares: the Markdown editor and http(s) links."""

    formfield_overrides = {
        MarkdownxField: {"widget": AdminMarkdownxWidget(attrs={"rows": 6})},
        models.URLField: {"assume_scheme": "https"},
    }


class ContentAdmin(ContentAdminMixin, VersionAdmin):
    class Media:
        js = ["js/admin-markdownx.js"]


def show_choices(field, choices) -> None:
    """Give a select box these options, also inside the admin's related-object wrapper."""
    field.choices = choices
    inner = getattr(field.widget, "widget", None)
    if inner is not None:
        inner.choices = choices


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
            show_choices(field, cache[name])


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
