"""What every content admin shares.

Every Markdown field gets django-markdownx's editor with live preview (also in inline rows
added after page load, see static/js/admin-markdownx.js). History and undo come from
django-reversion's VersionAdmin.

Two editors saving the same object: each change form carries, in a hidden field, a digest of
what it was opened on (the object's values, its many-to-many choices and its inline rows).
Saving a form whose object has changed since is refused, with who changed it and when, and
the form comes back with what the editor entered (see ``ContentAdmin``).

A save the database refuses (a unique value taken by another editor a moment earlier) shows
the form again with the error, not an error page (see ``refusal_of``).
"""

import datetime
import hashlib
import json
import re
from collections.abc import Iterable, Mapping
from typing import Any

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import NON_FIELD_ERRORS
from django.core.serializers.json import DjangoJSONEncoder
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import DatabaseError, IntegrityError, OperationalError, models
from django.forms.models import BaseInlineFormSet, ModelChoiceField, _get_foreign_key
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.dateformat import format as format_date
from django.utils.formats import localize

# How a template shows a time (django-reversion's messages use it, so log_change does too);
# django-stubs leaves it out, hence the ignore.
from django.utils.timezone import template_localtime  # type: ignore[attr-defined]
from markdownx.models import MarkdownxField
from markdownx.widgets import AdminMarkdownxWidget
from reversion.admin import VersionAdmin
from reversion.models import Version
from reversion.revisions import is_registered

from core import history
from core.attention import ChecksOnSave
from core.fields import RenderedMarkdownField
from core.forms import MarkdownAsTyped, TextAsTyped

# The hidden field of every content change form: the version of the object it was opened on.
OPENED_VERSION = "_opened_version"
# Set on a request whose save the database refused: the form is shown again with the reason.
_REFUSED = "_content_save_refused"
# Set on a request of django-reversion's revision or recover view: the version it restores.
_RESTORING = "_content_restoring_version"
# The hidden field of a restore form: the version of the object as it was when the restore opened.
RESTORE_OPENED = "_restore_opened"


class ContentAdminMixin:
    """What every content admin shares: the Markdown editor, text kept as typed (its line
    breaks read one way, core/forms.py) and http(s) links."""

    formfield_overrides: Mapping[type[models.Field], Mapping[str, Any]] = {
        MarkdownxField: {
            "widget": AdminMarkdownxWidget(attrs={"rows": 6}),
            "form_class": MarkdownAsTyped,
        },
        models.TextField: {"form_class": TextAsTyped},
        models.URLField: {"assume_scheme": "https"},
    }

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        formfield = super().formfield_for_dbfield(db_field, request, **kwargs)
        if formfield is not None:
            bounds_in_the_box(db_field, formfield)
        return formfield


def bounds_in_the_box(db_field, formfield) -> None:
    """A number box refuses, in the browser too, what the field's validators (which follow its
    database checks, e.g. a rank of 1 or more) refuse: their bounds become min and max."""
    lowest = [v.limit_value for v in db_field.validators if type(v) is MinValueValidator]
    highest = [v.limit_value for v in db_field.validators if type(v) is MaxValueValidator]
    lowest = [value for value in lowest if not callable(value)]
    highest = [value for value in highest if not callable(value)]
    if lowest and hasattr(formfield, "min_value"):
        formfield.min_value = max(lowest)
        formfield.widget.attrs["min"] = max(lowest)
    if highest and hasattr(formfield, "max_value"):
        formfield.max_value = min(highest)
        formfield.widget.attrs["max"] = min(highest)


class NoLostUpdate(admin.ModelAdmin):
    """An admin where no save silently undoes another editor's (content and readers' reports).

    The change form's hidden field (rendered by templates/admin/change_form.html) holds
    ``opened_version``; a save checks it against the object as it is now, with the object's
    row locked, before anything is written. A stale form is refused as a form error, so the
    admin shows the form again with the editor's input and a fresh version: saving it again is
    the editor's informed choice. An inline row changed, added or deleted anywhere counts as a
    change of the page it is shown on.

    The change list's editable columns carry, beside each box, the value it was opened with
    (Django's ``show_hidden_initial``); a list save whose row has another value now is refused
    on that row, naming who changed it, with the box keeping what the editor typed.

    A save the database refuses (a unique value taken a moment earlier) shows the form again
    with the reason; a save that finds the database busy (SQLite's lock, PostgreSQL's
    serialisation failure or deadlock) is tried once more, then the form comes back with the
    input kept and a message, never the error page.
    """

    def content_state(self, request, obj, *, lock=False) -> tuple[str, dict]:
        """A digest of what this object's change form shows, and the rows behind it by model."""
        if lock:  # on PostgreSQL two saves of one object wait for each other here
            obj = type(obj)._base_manager.select_for_update().filter(pk=obj.pk).first()
            if obj is None:
                return "", {}
        state: list[object] = [field_values(obj)]
        for field in obj._meta.many_to_many:
            state.append(sorted(getattr(obj, field.name).values_list("pk", flat=True)))
        rows_by_model: dict = {type(obj): [obj.pk]}
        for inline in self.get_inline_instances(request, obj):
            fk = _get_foreign_key(type(obj), inline.model, fk_name=inline.fk_name)
            rows = sorted(inline.get_queryset(request).filter(**{fk.name: obj}), key=by_pk)
            state.append([field_values(row) for row in rows])
            rows_by_model.setdefault(inline.model, []).extend(row.pk for row in rows)
        text = json.dumps(state, cls=DjangoJSONEncoder, sort_keys=True, default=str)
        return hashlib.sha256(text.encode()).hexdigest(), rows_by_model

    def opened_version(self, request, obj, *, lock=False) -> tuple[str, dict]:
        """The hidden field's value for a form opened now: the digest and the time."""
        digest, rows = self.content_state(request, obj, lock=lock)
        return f"{digest}.{int(timezone.now().timestamp())}", rows

    def check_opened_version(self, request, obj, form) -> None:
        """Refuse the save, as an error of the form, if the object changed since it was opened."""
        current, rows = self.opened_version(request, obj, lock=True)
        name = obj._meta.verbose_name
        if not rows:
            form.add_error(None, f"This {name} was deleted since you opened it: nothing was saved.")
            return
        form.current_version = current
        opened_digest, _, opened_at = form.data.get(OPENED_VERSION, "").partition(".")
        if opened_digest == current.partition(".")[0]:
            return
        form.stale = True
        if not opened_digest or not opened_at.isdigit():
            form.add_error(
                None,
                f"This form did not say which version of the {name} it was opened on, so it "
                "was not saved. The form below holds what you entered; check it and save again.",
            )
            return
        since = datetime.datetime.fromtimestamp(int(opened_at), tz=datetime.UTC)
        who = f"This {name} was changed{by_whom(last_change(rows, since))}"
        form.add_error(
            None,
            f"{who} since you opened it, so your changes were not saved. The form below "
            "still holds what you entered: compare it with the current version (History shows "
            "what changed) and save again to keep it.",
        )

    def get_form(self, request, obj=None, change=False, **kwargs):
        form_class = super().get_form(request, obj, change=change, **kwargs)
        modeladmin = self

        class ContentForm(form_class):
            def clean(self):
                refused = getattr(request, _REFUSED, None)
                if isinstance(refused, IntegrityError):
                    inlines = modeladmin.get_inline_instances(request, obj)
                    add_refusal(self, refused, [inline.model for inline in inlines])
                elif refused is not None:
                    self.add_error(None, BUSY)
                if obj is not None and obj.pk is not None:
                    modeladmin.check_opened_version(request, obj, self)
                return super().clean()

        ContentForm.__name__ = form_class.__name__
        ContentForm.__qualname__ = form_class.__qualname__
        return ContentForm

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        context["error_summary"] = error_summary(
            context["adminform"].form, context.get("inline_admin_formsets", ())
        )
        if change and obj is not None and obj.pk is not None:
            form = context["adminform"].form
            current = getattr(form, "current_version", None)
            if current is None:
                current = self.opened_version(request, obj)[0]
            context["opened_version"] = current
            context["opened_version_field"] = OPENED_VERSION
            if getattr(form, "stale", False):
                differences = unsaved_differences(form, context.get("inline_admin_formsets", ()))
                if differences:
                    form.add_error(
                        None,
                        "Saving this form again will replace what is saved now in: "
                        + "; ".join(differences)
                        + ".",
                    )
        return super().render_change_form(request, context, add, change, form_url, obj)

    # --- the change list's editable columns

    def get_changelist_form(self, request, **kwargs):
        base = super().get_changelist_form(request, **kwargs)

        class ListRowForm(base):
            def __init__(self, *args, **kwargs):
                super().__init__(*args, **kwargs)
                for name, field in self.fields.items():
                    if name != self._meta.model._meta.pk.name:
                        field.show_hidden_initial = True

            def clean(self):
                cleaned = super().clean()
                if self.instance.pk is not None:
                    refuse_if_changed_since_listed(self)
                return cleaned

        ListRowForm.__name__ = base.__name__
        return ListRowForm

    # --- a save the database refuses or cannot make now: the form again, with the reason

    def add_view(self, request, form_url="", extra_context=None):
        return self._form_again_if_refused(super().add_view, request, form_url, extra_context)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        return self._form_again_if_refused(
            super().change_view, request, object_id, form_url, extra_context
        )

    def _form_again_if_refused(self, view, request, *args):
        """Run the view; if the database refused its save, run it again to show the form.

        The refused save is rolled back whole (the view and its revision are atomic). The
        second run validates again, now seeing the other editor's row, and adds the
        database's reason to the form, so it cannot save. A busy database gets one more try;
        if it is still busy, the last run shows the form with the input and says so.
        """
        try:
            return view(request, *args)
        except IntegrityError as error:
            if request.method != "POST" or getattr(request, _REFUSED, None) is not None:
                raise
            setattr(request, _REFUSED, error)
            return view(request, *args)
        except (OperationalError, DatabaseError) as error:
            if request.method != "POST" or not is_busy(error):
                raise
        try:
            return view(request, *args)
        except (OperationalError, DatabaseError) as error:
            if not is_busy(error):
                raise
            setattr(request, _REFUSED, error)
            return view(request, *args)


class ContentAdmin(ChecksOnSave, ContentAdminMixin, NoLostUpdate, VersionAdmin):
    """A content model's admin: Markdown editors, history with one object's undo, no lost
    update (``NoLostUpdate``), and what a save breaks said on the page it lands on
    (core.attention.ChecksOnSave)."""

    class Media:
        css = {"all": ["css/admin.css"]}
        js = ["js/admin-markdownx.js", "js/admin-unsaved.js"]

    # --- deleting: what goes with it

    def get_deleted_objects(self, objs, request):
        """What deleting these takes with it, as Django lists it on the confirmation page;
        rows whose admin says they are ``deleted_with_their_parent`` (a framework's code
        sample, which no one deletes by itself: the files make it) go along, listed, for a
        user who may delete that kind of row, instead of blocking the deletion."""
        to_delete, counts, perms_needed, protected = super().get_deleted_objects(objs, request)
        for model, model_admin in self.admin_site._registry.items():
            opts = model._meta
            if getattr(model_admin, "deleted_with_their_parent", False) and request.user.has_perm(
                f"{opts.app_label}.delete_{opts.model_name}"
            ):
                perms_needed.discard(opts.verbose_name)
        return to_delete, counts, perms_needed, protected

    # --- history: one object's undo, newest first, and said in the log

    history_latest_first = True

    def revision_view(self, request, object_id, version_id, extra_context=None):
        setattr(request, _RESTORING, version_id)
        return super().revision_view(request, object_id, version_id, extra_context)

    def recover_view(self, request, version_id, extra_context=None):
        setattr(request, _RESTORING, version_id)
        return super().recover_view(request, version_id, extra_context)

    def _reversion_revisionform_view(self, request, version, template_name, extra_context=None):
        """django-reversion's restore and recover form, restoring one object (core.history).

        Its view reverts the whole revision the version is in; here that one call restores
        the version's object and its own rows instead. The form lists what confirming it
        changes; a restore opened before the object changed again is refused, naming who
        changed it, and shown afresh. A version of another model is refused.
        """
        opts = self.model._meta
        if version._model is not self.model:
            messages.error(
                request,
                f"Version {version.pk} is a version of a {version._model._meta.verbose_name}, "
                f"not of a {opts.verbose_name}: nothing was restored.",
            )
            return redirect(f"{self.admin_site.name}:{opts.app_label}_{opts.model_name}_changelist")
        context = {**(extra_context or {}), "restoring": True}
        current = self.model._base_manager.filter(pk=version.object_id).first()
        if current is not None:
            state, rows = self.opened_version(request, current)
            opened, _, opened_at = request.POST.get(RESTORE_OPENED, "").partition(".")
            if request.method == "POST" and opened != state.partition(".")[0]:
                messages.error(request, restore_refusal(opts.verbose_name, rows, opened_at))
                return redirect(request.get_full_path())
            context |= {"restore_opened": state, "restore_opened_field": RESTORE_OPENED}
        context["restore_changes"] = history.changes(version)
        version.revision.revert = lambda delete=False: history.restore(version)
        return super()._reversion_revisionform_view(request, version, template_name, context)

    def log_change(self, request, obj, message):
        """A restore's log entry says which version it restored, as its revision's comment
        does (django-reversion's words): else it would say "No fields changed.", since the
        form is shown, and saved, on the restored object."""
        version_id = getattr(request, _RESTORING, None)
        if version_id is not None:
            version = Version.objects.select_related("revision").filter(pk=version_id).first()
            if version is not None:
                when = localize(template_localtime(version.revision.date_created))
                message = f"Reverted to previous version, saved on {when}"
        return super().log_change(request, obj, message)


def restore_refusal(name, rows_by_model: dict, opened_at: str) -> str:
    """Why a restore opened on an older state of the object was not saved."""
    who = ""
    if opened_at.isdigit():
        since = datetime.datetime.fromtimestamp(int(opened_at), tz=datetime.UTC)
        who = by_whom(last_change(rows_by_model, since))
    return (
        f"This {name} was changed{who} since you opened the restore, so nothing was restored. "
        "Below is what restoring this version would change now: check it and save again."
    )


def field_values(obj) -> dict:
    """The values a change form's digest covers. Not what follows from them and no form
    shows: the stored HTML of Markdown fields, and the date of the last change (core.dating).
    Where history is restored these are not yet set when the form opens (django-reversion
    mutes the model signals on a revision view's GET) and are when it is posted, which would
    look like another editor's change."""
    return {
        field.attname: field.value_from_object(obj)
        for field in obj._meta.concrete_fields
        if field.editable and not isinstance(field, RenderedMarkdownField)
    }


def by_pk(obj):
    return obj.pk


def last_change(rows_by_model: dict, since: datetime.datetime | None = None):
    """Who made the newest change since then (ever, without a time) of the object or of any of
    its rows, and when: from their history, or the admin's log for a model without history (a
    reader's report). None if there is none."""
    newest = None
    for model, pks in rows_by_model.items():
        object_ids = [str(pk) for pk in pks]
        content_type = ContentType.objects.get_for_model(model)
        if is_registered(model):
            versions = Version.objects.filter(content_type=content_type, object_id__in=object_ids)
            if since is not None:
                versions = versions.filter(revision__date_created__gte=since)
            version = (
                versions.select_related("revision__user")
                .order_by("-revision__date_created", "-pk")
                .first()
            )
            found = (version.revision.user, version.revision.date_created) if version else None
        else:
            entries = LogEntry.objects.filter(content_type=content_type, object_id__in=object_ids)
            if since is not None:
                entries = entries.filter(action_time__gte=since)
            entry = entries.select_related("user").order_by("-action_time", "-pk").first()
            found = (entry.user, entry.action_time) if entry else None
        if found is not None and (newest is None or found[1] > newest[1]):
            newest = found
    return newest


def by_whom(change) -> str:
    """ " by edna at Dec. 7, 2026, 10:15:02 UTC", or nothing when it is not known."""
    if change is None:
        return ""
    user, when = change
    name = user.get_username() if user is not None else "someone"
    return f" by {name} at {format_date(timezone.localtime(when), 'N j, Y, H:i:s T')}"


# Said on a form whose save found the database busy twice.
BUSY = (
    "The database was busy with another save, so this one was not made (it was tried twice). "
    "The form below still holds what you entered: save again."
)


def is_busy(error: DatabaseError) -> bool:
    """Whether a database error means "busy, try again": SQLite's lock, PostgreSQL's
    serialisation failure or deadlock."""
    code = getattr(error.__cause__, "sqlstate", None)
    return code in {"40001", "40P01"} or "database is locked" in str(error)


def refuse_if_changed_since_listed(form) -> None:
    """A change list row whose boxes were opened on values that are not the saved ones any
    more: an error on each such box (it keeps what the editor typed), and the value beside it
    becomes the saved one, so that saving again is the editor's informed choice."""
    instance = form.instance
    saved = type(instance)._base_manager.select_for_update().filter(pk=instance.pk).first()
    if saved is None:
        form.add_error(None, "This row was deleted since the list was opened.")
        return
    for name, field in form.fields.items():
        if not field.show_hidden_initial or name not in form.changed_data:
            continue  # a box left as it was opened saves nothing, so it undoes nothing
        initial_name = form.add_initial_prefix(name)
        opened = field.hidden_widget().value_from_datadict(form.data, form.files, initial_name)
        now = saved._meta.get_field(name).value_from_object(saved)
        if not field.has_changed(now, opened):
            continue
        who = by_whom(last_change({type(instance): [instance.pk]}))
        form.add_error(
            name,
            f"Changed to {getattr(saved, name)}{who} since this list was opened: not saved. "
            "Save again to "
            "replace it with the value you typed.",
        )
        form.data = form.data.copy()
        form.data[initial_name] = field.prepare_value(now)


def unsaved_differences(form, inline_admin_formsets) -> list[str]:
    """Where the submitted form differs from what is saved now: what saving it would change."""
    found = [str(form[name].label) for name in form.changed_data if name in form.fields]
    for inline_admin_formset in inline_admin_formsets:
        formset = inline_admin_formset.formset
        kind = inline_admin_formset.opts.verbose_name
        for row in formset.forms:
            if not row.has_changed():
                continue
            if row.instance.pk is None:
                found.append(f"a new {kind}")
            else:
                labels = ", ".join(str(row[name].label) for name in row.changed_data)
                found.append(f"{kind} “{row.instance}” ({labels})")
    return found


def error_summary(form, inline_admin_formsets) -> list[tuple[str, str]]:
    """Every field error of a change form and of its inline rows, in page order, each with
    the anchor it is at: a field of the form (its id), or an inline row (Django's ids,
    "ratings-0") or group ("ratings-group"). The form's own errors are shown under the banner
    already, so they are not repeated."""
    found: list[tuple[str, str]] = []
    for name, texts in form.errors.items():
        if name in form.fields:
            label = str(form[name].label)
            found.extend((f"{label}: {text}", f"#{form[name].auto_id}") for text in texts)
    for inline_admin_formset in inline_admin_formsets:
        formset = inline_admin_formset.formset
        kind = str(inline_admin_formset.opts.verbose_name)
        for message in formset.non_form_errors():
            plural = str(inline_admin_formset.opts.verbose_name_plural)
            found.append((f"{plural.capitalize()}: {message}", f"#{formset.prefix}-group"))
        for index, row in enumerate(formset.forms):
            if not row.errors:
                continue
            saved = f" “{row.instance}”" if row.instance.pk is not None else " (new)"
            where = f"{kind.capitalize()} {index + 1}{saved}"
            for name, texts in row.errors.items():
                field = f", {row[name].label}" if name in row.fields else ""
                found.extend(
                    (f"{where}{field}: {text}", f"#{formset.prefix}-{index}") for text in texts
                )
    return found


# --- what the database refused, said on the field it is about

_NAME = re.compile(r"\w+")
_SQLITE_UNIQUE = re.compile(r"UNIQUE constraint failed: (.+)$")
_POSTGRES_KEY = re.compile(r"Key \(([^)]*)\)=")
_REFUSED_FALLBACK = (
    "The database refused to save this: another editor may have just saved a conflicting "
    "value. Nothing was saved; check the form and save again."
)


def refusal_of(
    error: IntegrityError, candidates: Iterable[type[models.Model]]
) -> tuple[type[models.Model] | None, str | None, str]:
    """Which model and field an IntegrityError is about, and what to tell the editor.

    The constraint is found by its name (PostgreSQL names it; SQLite names CHECK constraints)
    or by its table and columns (SQLite's UNIQUE message, PostgreSQL's detail). The field is
    the one the model's ``constraint_fields`` names, or the one field of a ``unique=True``;
    else there is no field and the error is the whole form's.
    """
    cause = error.__cause__
    diag = getattr(cause, "diag", None)
    text = str(error)
    names = {getattr(diag, "constraint_name", None)} | set(_NAME.findall(text))
    table = getattr(diag, "table_name", None)
    columns: set[str] = set()
    if match := _SQLITE_UNIQUE.search(text):
        pairs = [item.strip().rpartition(".") for item in match.group(1).split(",")]
        table = pairs[0][0]
        columns = {column for _, _, column in pairs}
    elif match := _POSTGRES_KEY.search(str(getattr(diag, "message_detail", "") or text)):
        columns = {column.strip().strip('"') for column in match.group(1).split(",")}
    for model in candidates:
        opts = model._meta
        for constraint in opts.constraints:
            fields = getattr(constraint, "fields", ())
            same_columns = (
                table == opts.db_table and fields and columns == field_columns(model, fields)
            )
            if constraint.name in names or same_columns:
                field = getattr(model, "constraint_fields", {}).get(constraint.name)
                return model, field, constraint_message(model, constraint)
        if table == opts.db_table and len(columns) == 1:
            for field in opts.concrete_fields:
                if field.unique and not field.primary_key and field.column in columns:
                    message = model().unique_error_message(model, (field.name,)).messages[0]
                    return model, field.name, message
    return None, None, _REFUSED_FALLBACK


def field_columns(model: type[models.Model], names: Iterable[str]) -> set[str | None]:
    """The columns of the model's fields of these names (a constraint's fields: never a reverse
    relation, which has no column)."""
    fields = map(model._meta.get_field, names)
    return {field.column for field in fields if isinstance(field, models.Field)}


def constraint_message(model, constraint) -> str:
    message = constraint.violation_error_message
    if message and message != constraint.default_violation_error_message:
        return str(message)
    fields = getattr(constraint, "fields", ())
    if fields:
        return model().unique_error_message(model, tuple(fields)).messages[0]
    return _REFUSED_FALLBACK


def add_refusal(form, error: IntegrityError, inline_models) -> None:
    """Show the database's refusal on the form: on the field it names if that is on this form,
    else as an error of the whole form (naming the kind of row when it is an inline's)."""
    model = form._meta.model
    found, field, message = refusal_of(error, [model, *inline_models])
    if found is model and field in form.fields:
        form.add_error(field, message)
        return
    if found is not None and found is not model:
        message = f"{str(found._meta.verbose_name).capitalize()}: {message}"
    form.add_error(NON_FIELD_ERRORS, message)


def show_choices(field, choices) -> None:
    """Give a select box these options, also inside the admin's related-object wrapper."""
    field.choices = choices
    inner = getattr(field.widget, "widget", None)
    if inner is not None:
        inner.choices = choices


# --- inline rows: a page of them checked as fast as a page of one


class RowForm(forms.ModelForm):
    """A content row's form (an inline's, or a row's own page). A row sent back as it was
    shown is not checked against the database again (its fields, constraints and
    uniqueness): it is the row just read, which the database's own constraints hold; an
    inline does not save it, a page saves what is stored. A changed or new row is checked in
    full, against those rows too, since they are in the database."""

    def _get_validation_exclusions(self):
        exclude = super()._get_validation_exclusions()
        if self.is_bound and not self.instance._state.adding and not self.has_changed():
            exclude.update(field.name for field in self._meta.model._meta.fields)
        return exclude


class ReadRowField(ModelChoiceField):
    """An inline row's hidden id: the row the formset read for it (by that id), not read
    again from the database, row after row. Another id is looked up as Django does."""

    def __init__(self, row, field: ModelChoiceField):
        super().__init__(field.queryset, initial=field.initial, required=False,
                         widget=field.widget)  # fmt: skip
        self.row = row

    def to_python(self, value):
        if value not in self.empty_values and str(value) == str(self.row.pk):
            return self.row
        return super().to_python(value)


class RowsFormSet(BaseInlineFormSet):
    """Every inline's formset: each row's hidden id answered by the row already read."""

    def add_fields(self, form, index):
        super().add_fields(form, index)
        name = self._pk_field.name
        field = form.fields.get(name)
        if form.is_bound and not form.instance._state.adding and type(field) is ModelChoiceField:
            form.fields[name] = ReadRowField(form.instance, field)


class ContentInlineMixin(ContentAdminMixin):
    """What every content inline shares: the content admin's fields, and rows checked once."""

    form: "type[forms.ModelForm[Any]]" = RowForm
    formset: "type[BaseInlineFormSet[Any, Any, Any]]" = RowsFormSet


class ChoicesOnceFormSet(RowsFormSet):
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

    Each object is saved (not a bulk update) so that its history and signals record the change,
    and logged as changed ("Published."): the admin's log entry, and the comment of the
    revision the change list's view records (VersionAdmin.log_change sets it).
    """
    description = f"{done.capitalize()}."

    @admin.action(description=label)
    def action(modeladmin, request, queryset):
        changed = 0
        for obj in queryset:
            if getattr(obj, field) != value:
                setattr(obj, field, value)
                obj.save()
                modeladmin.log_change(request, obj, description)
                changed += 1
        modeladmin.message_user(request, f"{changed} {done}.", messages.SUCCESS)

    action.__name__ = f"set_{field}_{value}"
    return action
