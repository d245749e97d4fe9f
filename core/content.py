"""The site's content as fixtures: loading them into an empty database, and writing them back.

The fixtures in ``settings.FIXTURE_DIR`` are the canonical copy of the seeded content. ``seed``
loads them in one transaction, only into an empty database, and refuses a broken file with a
message that names the file and the object. ``export`` writes the database back in the same
stable order and format, so that seed-then-export reproduces the files byte for byte.

What is content, in which file, and the other conventions of the content apps are declared in
``config.content`` (plain data, by app label and model name); the functions here resolve them
to models through Django's app registry.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import reversion
from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.core import serializers
from django.core.exceptions import ValidationError
from django.core.serializers.base import DeserializationError
from django.core.serializers.json import DjangoJSONEncoder
from django.db import IntegrityError, models, transaction
from django.utils.module_loading import import_string
from reversion.models import Revision

from config.content import CONTENT_APPS, ContentApp
from core import dating, history
from core.cache import one_content_change
from core.fields import RenderedMarkdownField
from core.models import ContentVersion


class FixtureError(Exception):
    """A fixture file cannot be loaded; the message names the file and the object."""


@dataclass(frozen=True)
class ModelSpec:
    model: type[models.Model]
    order_by: tuple[str, ...]

    @property
    def label(self) -> str:
        return self.model._meta.label_lower

    @property
    def field_names(self) -> list[str]:
        """The fields a fixture holds: everything but the key, the automatic timestamps and
        the stored HTML of Markdown fields (derived: the save that loads a row renders it)."""
        opts = self.model._meta
        return [
            field.name
            for field in [*opts.concrete_fields, *opts.many_to_many]
            if not field.primary_key
            and not getattr(field, "auto_now", False)
            and not isinstance(field, RenderedMarkdownField)
        ]


def fixtures() -> dict[str, tuple[ModelSpec, ...]]:
    """File name -> the models it holds, in the order they are loaded and written.

    As ``config.content`` declares them (``fixture`` and ``models`` of each app), in the order
    it lists the apps: an app's content loads after the content of the apps it builds on.
    """
    return {
        app.fixture: tuple(
            ModelSpec(apps.get_model(app.label, name), tuple(order_by))
            for name, order_by in app.models.items()
        )
        for app in CONTENT_APPS
        if app.fixture
    }


def content_models() -> list[type[models.Model]]:
    """Every model editors change, in load order: the one list the whole site uses (the
    content version, the Editors role, seed and export)."""
    return [spec.model for specs in fixtures().values() for spec in specs]


def scheduled_fields() -> list[tuple[type[models.Model], str]]:
    """(model, field name) for each content model whose rows become visible to readers at a
    moment, and its DateTimeField that says when (``scheduled`` in config.content)."""
    return [
        (apps.get_model(app.label, name), field_name)
        for app in CONTENT_APPS
        for name, field_name in app.scheduled.items()
    ]


def dated_fields() -> list[tuple[type[models.Model], str]]:
    """(model, field name) for each content model whose page says when it was last updated,
    and its DateTimeField that says so (``dated`` in config.content)."""
    return [
        (apps.get_model(app.label, name), field_name)
        for app in CONTENT_APPS
        for name, field_name in app.dated.items()
    ]


def _declared(model: type[models.Model]) -> tuple[ContentApp | None, str]:
    opts = model._meta
    app = next((app for app in CONTENT_APPS if app.label == opts.app_label), None)
    return app, opts.model_name or ""  # (None only before the class is made)


def quoted_fields(model: type[models.Model]) -> tuple[str, ...]:
    """The fields of a model that quote words as they were said (``quoted`` in
    config.content): () for a model that has none."""
    app, name = _declared(model)
    return app.quoted.get(name, ()) if app else ()


# What a content model checks of itself when the published frameworks change: given the
# lineup (comparisons.lineup.Lineup), each (object, field name, why) that no longer holds.
LineupCheck = Callable[[Any], list[tuple[models.Model, str, str]]]


def lineup_check(model: type[models.Model]) -> LineupCheck | None:
    """The function a model's app names for it in ``lineup_checks`` (config.content), or None."""
    app, name = _declared(model)
    path = app.lineup_checks.get(name) if app else None
    return import_string(path) if path else None


def _specs() -> dict[str, ModelSpec]:
    return {spec.label: spec for specs in fixtures().values() for spec in specs}


def content_exists() -> bool:
    return any(model._default_manager.exists() for model in content_models())


def _describe(path: Path, index: int, record: object) -> str:
    """'comparisons.json, object 21 (comparisons.rating performance/django)'."""
    where = f"{path.name}, object {index}"
    if not isinstance(record, dict):
        return where
    fields = found if isinstance(found := record.get("fields"), dict) else {}
    key_parts = []
    for name in ("slug", "criterion", "framework", "kind", "title"):
        value = fields.get(name)
        if isinstance(value, list) and len(value) == 1:
            value = value[0]
        if isinstance(value, str | int) and value != "":
            key_parts.append(str(value))
            if name == "slug":
                break
    model = record.get("model", "?")
    return f"{where} ({model} {'/'.join(key_parts)})" if key_parts else f"{where} ({model})"


def _read(path: Path) -> list:
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError as exc:
        raise FixtureError(f"{path.name}: file not found at {path}") from exc
    except UnicodeDecodeError as exc:
        raise FixtureError(f"{path.name}: not UTF-8 text ({exc.reason})") from exc
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise FixtureError(
            f"{path.name}: invalid JSON at line {exc.lineno}, column {exc.colno}: {exc.msg}"
        ) from exc
    if not isinstance(data, list):
        raise FixtureError(f"{path.name}: expected a JSON list of objects")
    return data


def _check_record(path: Path, index: int, record: object, allowed: dict[str, ModelSpec]) -> None:
    where = _describe(path, index, record)
    if not isinstance(record, dict) or not isinstance(record.get("fields"), dict):
        raise FixtureError(f"{where}: expected an object with 'model' and 'fields'")
    spec = allowed.get(str(record.get("model")))
    if spec is None:
        raise FixtureError(
            f"{where}: unknown model {record.get('model')!r} (this file holds {', '.join(allowed)})"
        )
    if "pk" in record:
        raise FixtureError(f"{where}: has a 'pk'; fixtures use natural keys only")
    expected = spec.field_names
    missing = [name for name in expected if name not in record["fields"]]
    if missing:
        raise FixtureError(f"{where}: missing field(s) {', '.join(missing)}")
    unknown = sorted(set(record["fields"]) - set(expected))
    if unknown:
        raise FixtureError(f"{where}: unknown field(s) {', '.join(unknown)}")


def _format_validation_error(exc: ValidationError) -> str:
    if hasattr(exc, "error_dict"):
        return "; ".join(
            f"{field}: {' '.join(messages)}" if field != "__all__" else " ".join(messages)
            for field, messages in exc.message_dict.items()
        )
    return " ".join(exc.messages)


def _load_record(path: Path, index: int, record: dict) -> None:
    where = _describe(path, index, record)
    try:
        (deserialized,) = serializers.deserialize(
            "python", [record], handle_forward_references=False
        )
        instance = deserialized.object
        instance.full_clean()
        # A normal save (not the serializer's raw one): automatic fields and signals run.
        instance.save()
        for name, values in (deserialized.m2m_data or {}).items():
            getattr(instance, name).set(values)
    except DeserializationError as exc:
        cause = exc.__cause__ or exc
        raise FixtureError(f"{where}: {cause}") from exc
    except ValidationError as exc:
        raise FixtureError(f"{where}: {_format_validation_error(exc)}") from exc
    except (IntegrityError, ValueError, TypeError) as exc:
        raise FixtureError(f"{where}: {exc}") from exc


def seed(fixture_dir: Path) -> dict[str, int] | None:
    """Load every fixture into an empty database, in one transaction.

    Returns the number of objects loaded per model, or None when content already exists (and
    nothing was changed).
    """
    counts = dict.fromkeys(_specs(), 0)
    # Every file read and every record's shape checked first, before the database is asked
    # anything: a missing or malformed file stops the seed at once (even over a database
    # with content, which it would leave alone anyway).
    files = []
    for file_name, specs in fixtures().items():
        path = fixture_dir / file_name
        allowed = {spec.label: spec for spec in specs}
        records = _read(path)
        for index, record in enumerate(records, start=1):
            _check_record(path, index, record, allowed)
        files.append((path, records))
    if content_exists():
        return None
    # One content change for the whole seed, not one per row.
    with transaction.atomic(), dating.seeding(), one_content_change():
        for path, records in files:
            for index, record in enumerate(records, start=1):
                _load_record(path, index, record)
                counts[record["model"]] += 1
        record_first_versions()
        ContentVersion.dated(newest_content_date())
    return counts


def newest_content_date():
    """The newest of the dated models' dates (None without any)."""
    found = [
        model._base_manager.aggregate(newest=models.Max(field))["newest"]
        for model, field in dated_fields()
    ]
    return max((day for day in found if day is not None), default=None)


SEEDED = "Seeded from the fixtures."


def record_first_versions() -> None:
    """Give every content object a first version in its history, so that editors can restore
    it or recover it after a delete: one revision per object, holding it with its own rows (as
    an admin save of it records it), never the whole site in one (core.history)."""
    models_ = [model for model in content_models() if reversion.is_registered(model)]
    owned = {row for model in models_ for row, _ in history.own_rows(model)}
    recorded: set[tuple[int, str]] = set()
    for model in [m for m in models_ if m not in owned] + [m for m in models_ if m in owned]:
        kind = ContentType.objects.get_for_model(model).pk
        for obj in model._base_manager.order_by("pk"):
            if (kind, str(obj.pk)) in recorded:
                continue  # an owned row, recorded with its owner
            with reversion.create_revision():
                reversion.set_comment(SEEDED)
                reversion.add_to_revision(obj)
            revision = Revision.objects.latest("pk")
            recorded.update(revision.version_set.values_list("content_type_id", "object_id"))


def dump(specs: tuple[ModelSpec, ...]) -> str:
    """The fixture text for these models: stable order, two-space indent, final newline."""
    records = []
    for spec in specs:
        queryset = spec.model._default_manager.order_by(*spec.order_by)
        records.extend(
            serializers.serialize(
                "python",
                queryset,
                fields=spec.field_names,
                use_natural_foreign_keys=True,
                use_natural_primary_keys=True,
            )
        )
    return json.dumps(records, indent=2, ensure_ascii=False, cls=DjangoJSONEncoder) + "\n"


def export(fixture_dir: Path) -> list[Path]:
    fixture_dir.mkdir(parents=True, exist_ok=True)
    written = []
    for file_name, specs in fixtures().items():
        path = fixture_dir / file_name
        path.write_text(dump(specs), encoding="utf-8")
        written.append(path)
    return written
