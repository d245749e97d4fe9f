"""Dates that mean something: when a page's content last changed.

A dated model (``dated`` in config.content: a framework, an article) keeps the moment its
content last changed in a field the fixtures carry. A save that changes one of its values, a
restore from its history, and a change of one of its own rows (a framework's pros, cons, use
cases, ratings, sources and corrections: the rows its history follows) set it to now. Seeding
never does: the fixtures' dates stay, so a new machine shows the dates the content has, not the
moment it was installed. The site's own "last changed" (core.models.ContentVersion) is the
newest of those dates after a seed, and moves with every edit after it.
"""

from __future__ import annotations

import contextlib
import contextvars
from collections.abc import Iterator

from django.db import models
from django.db.models.signals import post_delete, post_save, pre_save
from django.utils import timezone

from core.fields import RenderedMarkdownField

_seeding = contextvars.ContextVar("seeding", default=False)


@contextlib.contextmanager
def seeding() -> Iterator[None]:
    """While the fixtures load: nothing is dated now."""
    token = _seeding.set(True)
    try:
        yield
    finally:
        _seeding.reset(token)


def is_seeding() -> bool:
    return _seeding.get()


def connect() -> None:
    """Date each dated model's changes, and its own rows' (core.apps calls it once)."""
    from core.content import dated_fields
    from core.history import own_rows

    for model, field_name in dated_fields():
        uid = f"dated-{model._meta.label_lower}"
        pre_save.connect(_date_the_change(field_name), sender=model, weak=False, dispatch_uid=uid)
        for row_model, column in own_rows(model):
            handler = _date_the_owner(model, field_name, column)
            row_uid = f"{uid}-{row_model._meta.label_lower}"
            post_save.connect(handler, sender=row_model, weak=False, dispatch_uid=f"{row_uid}-s")
            post_delete.connect(handler, sender=row_model, weak=False, dispatch_uid=f"{row_uid}-d")


def _date_the_change(field_name: str):
    def date(sender, instance, **_kwargs) -> None:
        if is_seeding():
            return
        stored = sender._base_manager.filter(pk=instance.pk).first() if instance.pk else None
        if stored is None or changed(instance, stored, field_name):
            setattr(instance, field_name, timezone.now())

    return date


def changed(instance: models.Model, stored: models.Model, field_name: str) -> bool:
    """Whether a value a reader sees differs from what is stored (not the date itself, nor the
    stored HTML of Markdown, which follows its Markdown, nor what a model declares in
    ``undated_fields``: bookkeeping such as the day release facts were last read)."""
    skipped = {field_name, *getattr(instance, "undated_fields", ())}
    return any(
        field.value_from_object(instance) != field.value_from_object(stored)
        for field in instance._meta.concrete_fields
        if field.name not in skipped and not isinstance(field, RenderedMarkdownField)
    )


def _date_the_owner(owner: type[models.Model], field_name: str, column: str):
    def date(sender, instance, **_kwargs) -> None:
        if is_seeding():
            return
        owner_pk = getattr(instance, column, None)
        if owner_pk is not None:
            owner._base_manager.filter(pk=owner_pk).update(**{field_name: timezone.now()})

    return date
