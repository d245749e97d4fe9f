from django.db import migrations

# This migration once created the Editors group with code imported from the app. The
# group is now kept up to date after every migrate by one post_migrate handler
# (core/roles.py), so this step does nothing; it stays so that the history is unchanged.


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0001_initial"),
        ("comparisons", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = []
