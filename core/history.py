"""One object's undo.

django-reversion records, on each save, the object and the rows its registration follows (a
framework with its pros, cons, use cases, ratings, sources and corrections) as one revision.
Its admin, restoring a version, reverts that whole revision and deletes every row its objects
now follow that the revision did not hold. With a revision holding more than one object (the
seed's used to hold the whole site) that reverted other objects and deleted rows added since,
other frameworks' included.

Here a restore changes the version's object and its own rows as the same revision recorded
them, nothing else: other objects in that revision stay as they are, and rows added since stay
too (the restore form lists them; the editor may delete them there). ``changes`` says, field by
field, what a restore would change, for the editor to read before confirming.
"""

from dataclasses import dataclass, field

from django.db import models
from reversion.models import Version, _safe_revert
from reversion.revisions import _get_options, is_registered

from core.fields import RenderedMarkdownField

# A value longer than this is shortened in the list of changes.
SHOWN = 160


def own_rows(model: type[models.Model]) -> list[tuple[type[models.Model], str]]:
    """The kinds of row an object of this model owns in its history (the relations its
    registration follows): each row's model and the name of its column pointing at the owner.
    """
    found = []
    for name in _get_options(model).follow:
        relation = model._meta.get_field(name)
        remote = getattr(relation, "field", None)
        if isinstance(relation, models.ForeignObjectRel) and remote is not None:
            found.append((relation.related_model, remote.attname))
    return found


def members(version: Version, revision_versions: list[Version] | None = None) -> list[Version]:
    """This version and, recursively, the versions of its object's own rows in its revision
    (the owner first, so that a restore saves it before the rows that point at it)."""
    if revision_versions is None:
        revision_versions = list(version.revision.version_set.select_related("content_type"))
    found = [version]
    model = version._model
    for row_model, column in own_rows(model):
        for other in revision_versions:
            if other.content_type.model_class() is not row_model or other in found:
                continue
            if str(other.field_dict.get(column)) == str(version.object_id):
                found.extend(v for v in members(other, revision_versions) if v not in found)
    return found


def restore(version: Version) -> None:
    """Restore this version's object and its own rows as its revision recorded them."""
    _safe_revert(members(version))


@dataclass
class Change:
    """What a restore does to one object: what it is, and each field it changes."""

    what: str
    kind: str  # "changed", "recreated" (deleted since) or "kept" (added since: it stays)
    fields: list[tuple[str, str, str]] = field(default_factory=list)  # label, now, restored


def changes(version: Version) -> list[Change]:
    """What restoring this version would change: its object's and its own rows' fields that
    differ from what is stored now, rows it brings back, and rows added since (which stay)."""
    found = []
    restored: dict[type[models.Model], set[str]] = {}
    family = members(version)
    for member in family:
        model = member._model
        restored.setdefault(model, set()).add(str(member.object_id))
        what = f"{str(model._meta.verbose_name).capitalize()} “{member.object_repr}”"
        current = model._base_manager.filter(pk=member.object_id).first()
        if current is None:
            found.append(Change(what, "recreated"))
            continue
        differences = field_differences(model, current, member.field_dict)
        if differences:
            found.append(Change(what, "changed", differences))
    for owner in family:
        model = owner._model
        if not model._base_manager.filter(pk=owner.object_id).exists():
            continue
        for row_model, column in own_rows(model):
            if not is_registered(row_model):
                continue
            rows = row_model._base_manager.filter(**{column: owner.object_id})
            for row in rows.exclude(pk__in=restored.get(row_model, set())):
                kind = str(row_model._meta.verbose_name).capitalize()
                found.append(Change(f"{kind} “{row}”", "kept"))
    return found


def field_differences(model, current, values: dict) -> list[tuple[str, str, str]]:
    """The fields whose stored value differs from the version's: label, now, restored."""
    found = []
    for model_field in model._meta.concrete_fields:
        if model_field.primary_key or isinstance(model_field, RenderedMarkdownField):
            continue
        if model_field.attname not in values:
            continue
        now = model_field.value_from_object(current)
        then = values[model_field.attname]
        if now != then:
            label = str(model_field.verbose_name).capitalize()
            found.append((label, shown(model_field, current, now), shown(model_field, None, then)))
    return found


def shown(model_field, obj, value) -> str:
    """A value as an editor reads it: a choice's label, a related object's name, shortened."""
    if value is None or value == "":
        return "(empty)"
    if model_field.choices:
        value = dict(model_field.flatchoices).get(value, value)
    elif model_field.is_relation:
        related = model_field.related_model._base_manager.filter(pk=value).first()
        value = related if related is not None else value
    text = str(value)
    return text if len(text) <= SHOWN else text[: SHOWN - 1] + "…"
