"""The "Our advice" label belongs to the templates: strip it from the start of best_for."""

import markdownx.models
from django.db import migrations

import core.fields
import core.validators

PREFIX = "Our advice:"


def without_label(text: str) -> str:
    """ "Our advice: choose Django when…" -> "Choose Django when…"; other text unchanged."""
    if not text.startswith(PREFIX):
        return text
    rest = text.removeprefix(PREFIX).lstrip()
    return rest[:1].upper() + rest[1:]


def strip_label(apps, schema_editor):
    Framework = apps.get_model("comparisons", "Framework")
    using = schema_editor.connection.alias
    for framework in Framework._base_manager.using(using).filter(best_for__startswith=PREFIX):
        framework.best_for = without_label(framework.best_for)
        # An update, not a save: updated_at keeps its value; the HTML is rendered below.
        Framework._base_manager.using(using).filter(pk=framework.pk).update(
            best_for=framework.best_for
        )
    core.fields.render_stored([Framework], using=using)


class Migration(migrations.Migration):
    dependencies = [
        ("comparisons", "0011_stored_markdown_html"),
    ]

    operations = [
        migrations.AlterField(
            model_name="framework",
            name="best_for",
            field=markdownx.models.MarkdownxField(
                help_text="Markdown: the site's advice on when to choose it. Pages label it "
                "“Our advice”: start with the advice itself (a leading “Our advice:” is "
                "removed).",
                validators=[core.validators.validate_markdown],
                verbose_name="best for",
            ),
        ),
        migrations.RunPython(strip_label, migrations.RunPython.noop),
    ]
