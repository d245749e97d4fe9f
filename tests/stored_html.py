"""Whether the stored HTML of every Markdown field is what render_markdown makes of it now."""

from __future__ import annotations

from core.content import content_models
from core.fields import rendered_fields
from core.markdown import render_markdown


def stale_stored_html() -> tuple[int, list[str]]:
    """The number of rows of every content model, and each stored HTML field that is not
    ``render_markdown`` of its Markdown, as "comparisons.framework 3 summary_html"."""
    rows, stale = 0, []
    for model in content_models():
        fields = rendered_fields(model)
        for row in model._base_manager.order_by("pk"):
            rows += 1
            stale.extend(
                f"{model._meta.label_lower} {row.pk} {field.name}"
                for field in fields
                if getattr(row, field.attname) != render_markdown(getattr(row, field.source))
            )
    return rows, stale
