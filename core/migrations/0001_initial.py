"""ContentVersion moves here from the comparisons app, keeping its table and its row.

Only Django's record of the models changes (SeparateDatabaseAndState): the table
``comparisons_contentversion`` was made by comparisons 0002 and stays as it is. Its content
type follows the model, so nothing that points at it is left dangling.
"""

from django.db import migrations, models


def move_content_type(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    db = schema_editor.connection.alias
    old = ContentType.objects.using(db).filter(app_label="comparisons", model="contentversion")
    if not ContentType.objects.using(db).filter(app_label="core", model="contentversion").exists():
        old.update(app_label="core")


def restore_content_type(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    db = schema_editor.connection.alias
    new = ContentType.objects.using(db).filter(app_label="core", model="contentversion")
    if (
        not ContentType.objects.using(db)
        .filter(app_label="comparisons", model="contentversion")
        .exists()
    ):
        new.update(app_label="comparisons")


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("comparisons", "0003_sources_corrections_project_types"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="ContentVersion",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True,
                                primary_key=True,
                                serialize=False,
                                verbose_name="ID",
                            ),
                        ),
                        ("version", models.PositiveBigIntegerField(default=0)),
                        ("changed_at", models.DateTimeField()),
                    ],
                    options={
                        "db_table": "comparisons_contentversion",
                        "constraints": [
                            models.CheckConstraint(
                                condition=models.Q(("id", 1)),
                                name="comparisons_contentversion_one_row",
                            )
                        ],
                    },
                ),
            ],
            database_operations=[],
        ),
        migrations.RunPython(move_content_type, restore_content_type),
    ]
