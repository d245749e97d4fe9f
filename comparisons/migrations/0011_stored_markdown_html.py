from django.db import migrations

import core.fields


def render_existing_rows(apps, schema_editor):
    """Rows saved before the fields existed get their HTML, rendered as a save would."""
    core.fields.render_stored(
        apps.get_app_config("comparisons").get_models(), using=schema_editor.connection.alias
    )


class Migration(migrations.Migration):
    dependencies = [
        ("comparisons", "0010_figure_source_on_this_site"),
    ]

    operations = [
        migrations.AddField(
            model_name="correction",
            name="now_html",
            field=core.fields.RenderedMarkdownField(source="now"),
        ),
        migrations.AddField(
            model_name="criterion",
            name="description_html",
            field=core.fields.RenderedMarkdownField(source="description"),
        ),
        migrations.AddField(
            model_name="framework",
            name="best_for_html",
            field=core.fields.RenderedMarkdownField(source="best_for"),
        ),
        migrations.AddField(
            model_name="framework",
            name="summary_html",
            field=core.fields.RenderedMarkdownField(source="summary"),
        ),
        migrations.AddField(
            model_name="procon",
            name="body_html",
            field=core.fields.RenderedMarkdownField(source="body"),
        ),
        migrations.AddField(
            model_name="rating",
            name="note_html",
            field=core.fields.RenderedMarkdownField(source="note"),
        ),
        migrations.AddField(
            model_name="usecase",
            name="body_html",
            field=core.fields.RenderedMarkdownField(source="body"),
        ),
        migrations.RunPython(render_existing_rows, migrations.RunPython.noop),
    ]
