from django.db import migrations

import core.fields


def render_existing_rows(apps, schema_editor):
    """Rows saved before the fields existed get their HTML, rendered as a save would."""
    core.fields.render_stored(
        apps.get_app_config("codesamples").get_models(), using=schema_editor.connection.alias
    )


class Migration(migrations.Migration):
    dependencies = [
        ("codesamples", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="sample",
            name="note_html",
            field=core.fields.RenderedMarkdownField(source="note"),
        ),
        migrations.AddField(
            model_name="sampleapp",
            name="note_html",
            field=core.fields.RenderedMarkdownField(source="note"),
        ),
        migrations.AddField(
            model_name="task",
            name="summary_html",
            field=core.fields.RenderedMarkdownField(source="summary"),
        ),
        migrations.RunPython(render_existing_rows, migrations.RunPython.noop),
    ]
