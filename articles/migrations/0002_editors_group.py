from django.db import migrations

# The content models as they were at this point.
CONTENT_MODELS = [
    ("comparisons", "framework"),
    ("comparisons", "procon"),
    ("comparisons", "usecase"),
    ("comparisons", "criterion"),
    ("comparisons", "rating"),
    ("articles", "article"),
]


def create_editors_group(apps, schema_editor):
    from articles.roles import ensure_editors_group

    ensure_editors_group(apps, CONTENT_MODELS)


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0001_initial"),
        ("comparisons", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_editors_group, migrations.RunPython.noop)]
