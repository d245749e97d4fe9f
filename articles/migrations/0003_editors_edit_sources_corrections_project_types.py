from django.db import migrations

# This migration once updated the Editors group with code imported from the app. The
# group is now kept up to date after every migrate by one post_migrate handler
# (core/roles.py), so this step does nothing; it stays so that the history is unchanged.


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0002_editors_group"),
        ("comparisons", "0003_sources_corrections_project_types"),
    ]

    operations = []
