"""Publishing a framework whose ranks break the rules is asked for, never done unawares.

Readers see a framework's ranks the moment it is published, so a publishing (from the change
form, or the list's action) that would show ranks breaking the rules (ties, figures:
comparisons.evidence) is refused until the editor confirms it, with the conflicts listed:

- On the change form the save is made, checked, and undone if it publishes conflicts that
  were not confirmed: the ranks to check are the ones saved with it, the framework's rating
  rows included. The form comes back with an error that names them, and a box to tick,
  "Publish with these rank conflicts", that confirms exactly those (its value is their code,
  core.attention.confirmation_code): a confirmation of other conflicts, or forged, confirms
  nothing and nothing is stored.
- The list's action shows a page of the conflicts first, and publishes when that is
  confirmed.

Saved, the conflicts are still warned of on the page the editor lands on (ChecksOnSave), and
listed on the attention page until they are fixed.
"""

from __future__ import annotations

import functools

from django import forms
from django.contrib.admin import helpers
from django.contrib.admin.utils import flatten_fieldsets
from django.template.response import TemplateResponse
from django.utils.html import format_html, format_html_join

from comparisons.attention import publishing_conflicts
from core.attention import Problem, confirmation_code

# The box that confirms: its name in the form, and the request attribute that holds the
# conflicts a save was refused for, while its form is shown again.
CONFIRM = "publish_despite"
_REFUSED = "_publishing_refused"


class PublishingRefused(Exception):
    """Raised inside the save's transaction, which it undoes: publishing needs confirming."""

    def __init__(self, conflicts: list[Problem]):
        super().__init__("publishing with rank conflicts needs confirming")
        self.conflicts = conflicts


class ConfirmationBox(forms.CheckboxInput):
    """A checkbox whose value is the code of what it confirms: ticked, it sends that code."""

    def __init__(self, code: str = ""):
        super().__init__(check_test=lambda value: bool(code) and value == code)
        self.code = code

    def format_value(self, value):
        return self.code or None

    def value_from_datadict(self, data, files, name):
        return data.get(name, "")


def confirmation_field() -> forms.CharField:
    return forms.CharField(
        required=False,
        label="Publish with these rank conflicts",
        help_text="Readers will see these ranks as they are. Leave it unticked to fix them first.",
        widget=ConfirmationBox,
    )


class ConfirmsPublishing:
    """For FrameworkAdmin: its change form refuses a publishing with unconfirmed conflicts.

    Mixed in after the mixins that change the form class's fields (PositionAtTheEnd): the
    form class it returns is a subclass, whose fields Django makes again from the model.

    ``save_related`` (the framework and its rows saved, inside the view's transaction) raises
    PublishingRefused; the view is run again, and its form shows the error and the box.
    Restoring a version from the history is not checked (it is not one of these views).
    """

    def add_view(self, request, form_url="", extra_context=None):
        return self._asks_first(super().add_view, request, form_url, extra_context)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        view = super().change_view
        return self._asks_first(view, request, object_id, form_url, extra_context)

    def _asks_first(self, view, request, *args):
        setattr(request, _REFUSED, None)
        try:
            return view(request, *args)
        except PublishingRefused as refused:
            setattr(request, _REFUSED, refused.conflicts)
            return view(request, *args)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        obj = form.instance
        publishing = obj.is_published and (not change or "is_published" in form.changed_data)
        if not publishing or not hasattr(request, _REFUSED):
            return
        conflicts = publishing_conflicts([obj.pk])
        if conflicts and form.cleaned_data.get(CONFIRM) != confirmation_code(conflicts):
            raise PublishingRefused(conflicts)

    def get_form(self, request, obj=None, change=False, **kwargs):
        # The box is the form's own field, not the model's: the model form is made without it.
        fields = kwargs.get("fields")
        if fields is None and "fields" not in kwargs:
            fields = flatten_fieldsets(self.get_fieldsets(request, obj))
        if fields is not None:
            kwargs["fields"] = [name for name in fields if name != CONFIRM]
        form_class = super().get_form(request, obj, change=change, **kwargs)
        refused = getattr(request, _REFUSED, None) or []
        code = confirmation_code(refused) if refused else request.POST.get(CONFIRM, "")

        class AsksFirst(form_class):
            def __init__(self, *args, **kwargs):
                super().__init__(*args, **kwargs)
                self.fields[CONFIRM] = confirmation_field()
                self.fields[CONFIRM].widget = ConfirmationBox(code)

            def clean(self):
                cleaned = super().clean()
                if refused:
                    name = cleaned.get("name") or "this framework"
                    self.add_error(
                        None,
                        [
                            f"Publishing {name} would show readers ranks that break the rules, "
                            "so nothing was saved. Fix them first, or tick “Publish with these "
                            "rank conflicts” and save again:",
                            *(problem.lead.strip() for problem in refused),
                        ],
                    )
                return cleaned

        AsksFirst.__name__ = form_class.__name__
        AsksFirst.__qualname__ = form_class.__qualname__
        return AsksFirst

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        refused = getattr(request, _REFUSED, None)
        if refused or CONFIRM in request.POST:
            box: dict = {"fields": [CONFIRM]}
            if refused:  # the conflicts again, each with the link to where it is fixed
                items = format_html_join("", "<li>{}</li>", ((p.html(),) for p in refused))
                box["description"] = format_html('<ul class="publish-conflicts">{}</ul>', items)
            return [("Publishing with rank conflicts", box), *fieldsets]
        return fieldsets


def confirmed_publishing(action):
    """The list's publish action, asking first when it would publish rank conflicts: a page
    lists them, and its button runs the action again with their code."""

    @functools.wraps(action)
    def asks_first(modeladmin, request, queryset):
        pks = list(queryset.filter(is_published=False).values_list("pk", flat=True))
        conflicts = publishing_conflicts(pks) if pks else []
        if conflicts and request.POST.get(CONFIRM) != confirmation_code(conflicts):
            opts = modeladmin.model._meta
            context = {
                **modeladmin.admin_site.each_context(request),
                "title": "Publish with rank conflicts?",
                "opts": opts,
                "frameworks": list(queryset.filter(pk__in=pks)),
                "conflicts": conflicts,
                "code": confirmation_code(conflicts),
                "confirm_field": CONFIRM,
                "action": action.__name__,
                "selected_name": helpers.ACTION_CHECKBOX_NAME,
                "selected": [str(pk) for pk in queryset.values_list("pk", flat=True)],
            }
            return TemplateResponse(
                request, "admin/comparisons/framework/publish_conflicts.html", context
            )
        return action(modeladmin, request, queryset)

    return asks_first
