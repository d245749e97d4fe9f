from django.db import migrations

import core.fields


def render_existing_rows(apps, schema_editor):
    """Rows saved before the fields existed get their HTML, rendered as a save would."""
    core.fields.render_stored(
        apps.get_app_config("articles").get_models(), using=schema_editor.connection.alias
    )


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0004_markdown_limits"),
    ]

    operations = [
        migrations.AddField(
            model_name="article",
            name="comparison_intro_html",
            field=core.fields.RenderedMarkdownField(source="comparison_intro"),
        ),
        migrations.AddField(
            model_name="article",
            name="conclusion_html",
            field=core.fields.RenderedMarkdownField(source="conclusion"),
        ),
        migrations.AddField(
            model_name="article",
            name="introduction_html",
            field=core.fields.RenderedMarkdownField(source="introduction"),
        ),
        migrations.RunPython(render_existing_rows, migrations.RunPython.noop),
    ]
