from django.db import migrations

CONTENT_MODELS = [
    ("comparisons", "framework"),
    ("comparisons", "procon"),
    ("comparisons", "usecase"),
    ("comparisons", "criterion"),
    ("comparisons", "rating"),
    ("comparisons", "frameworksource"),
    ("comparisons", "ratingsource"),
    ("comparisons", "correction"),
    ("comparisons", "projecttype"),
    ("articles", "article"),
]


def update_editors_group(apps, schema_editor):
    from articles.roles import ensure_editors_group

    ensure_editors_group(apps, CONTENT_MODELS)


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0002_editors_group"),
        ("comparisons", "0003_sources_corrections_project_types"),
    ]

    operations = [migrations.RunPython(update_editors_group, migrations.RunPython.noop)]
