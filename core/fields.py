"""Editors' Markdown rendered once, when it is saved: a stored field of sanitised HTML.

Pages print ``{{ framework.summary_html }}`` instead of rendering ``summary`` on every
request. The model keeps the two in step itself, on every kind of save, so no page can show
HTML that is not ``render_markdown`` of the Markdown beside it.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db import models
from django.db.models.signals import pre_save
from django.utils.safestring import SafeString, mark_safe

from core.markdown import render_markdown


class RenderedMarkdownField(models.TextField):
    """The sanitised HTML of another field's Markdown: ``summary_html =
    RenderedMarkdownField(source="summary")``.

    Every save writes ``render_markdown(source)``, whatever the attribute held: a normal save
    renders it in ``pre_save``; a raw save (loaddata, django-reversion's "restore from
    history" and "recover deleted", which deserialize and skip Field.pre_save) renders it in
    the model's pre_save signal, so HTML kept in a fixture or in the history is never trusted.

    Values are ``SafeString``, so templates print them without ``|safe``. That is safe because
    nothing but ``render_markdown``, the site's one sanitiser, ever writes the column (the
    migration and ``manage.py render_markdown`` call it too), and no form has the field
    (``editable=False``: the admin neither shows nor accepts it).
    """

    description = "HTML rendered from a Markdown field"

    def __init__(self, *args, source: str, **kwargs):
        self.source = source
        kwargs.update(editable=False, blank=True, default="")
        super().__init__(*args, **kwargs)

    def deconstruct(self):
        name, path, args, kwargs = super().deconstruct()
        for implied in ("editable", "blank", "default"):
            kwargs.pop(implied, None)
        return name, path, args, {**kwargs, "source": self.source}

    def contribute_to_class(self, cls, name, *args, **kwargs):
        super().contribute_to_class(cls, name, *args, **kwargs)
        if not cls._meta.abstract:  # a concrete model (an abstract one's children get copies)
            pre_save.connect(self._before_save, sender=cls)

    def rendered(self, instance: models.Model) -> SafeString:
        return mark_safe(render_markdown(getattr(instance, self.source)))  # noqa: S308 -- sanitised

    def pre_save(self, model_instance, add):
        # Overriding pre_save also makes update_or_create() write this field with its source.
        value = self.rendered(model_instance)
        setattr(model_instance, self.attname, value)
        return value

    def _before_save(self, sender, instance, raw, update_fields, **kwargs):
        if raw:
            setattr(instance, self.attname, self.rendered(instance))
        elif update_fields and self.source in update_fields and self.name not in update_fields:
            # The Markdown would be written and its HTML not: refuse rather than go stale.
            raise ValueError(
                f"save(update_fields=...) names {self.source!r}: name {self.name!r} too, so "
                "that its stored HTML is saved with it."
            )

    def from_db_value(self, value, expression, connection):
        return value if value is None else mark_safe(value)  # noqa: S308 -- see the class


def rendered_fields(model: type[models.Model]) -> list[RenderedMarkdownField]:
    return [f for f in model._meta.concrete_fields if isinstance(f, RenderedMarkdownField)]


def render_stored(model_classes: Iterable[type[models.Model]], using: str = "default") -> int:
    """Render the stored HTML of every row of these models again; the number of rows changed.

    For the migrations that add the fields (pass the historical models:
    ``apps.get_app_config(label).get_models()``) and for ``manage.py render_markdown``, after
    the sanitiser changes. Rows are updated in place: no save, so no ``updated_at`` moves.
    """
    changed = 0
    for model in model_classes:
        fields = rendered_fields(model)
        if not fields:
            continue
        names = [name for field in fields for name in (field.source, field.attname)]
        stale = []
        for row in model._base_manager.using(using).only(*names).order_by("pk"):
            html = {field.attname: field.rendered(row) for field in fields}
            if any(getattr(row, name) != value for name, value in html.items()):
                for name, value in html.items():
                    setattr(row, name, value)
                stale.append(row)
        model._base_manager.using(using).bulk_update(
            stale, [field.attname for field in fields], batch_size=200
        )
        changed += len(stale)
    return changed
