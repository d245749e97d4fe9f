"""The "Editors" group: may view, add, change and delete the content, and nothing else."""

EDITORS = "Editors"
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
ACTIONS = ["view", "add", "change", "delete"]


def ensure_editors_group(apps, content_models=None) -> None:
    """Create the group, or put its permissions back to exactly the content permissions.

    Takes an app registry (a migration's ``apps`` or ``django.apps.apps``), so that it can run
    in a migration and again at any later time with the same result. A migration passes the
    models that exist at its point in history.
    """
    content_models = content_models or CONTENT_MODELS
    from django.contrib.auth.management import create_permissions

    # Permissions are normally made after all migrations; make them now, as this needs them.
    for app_label in {app for app, _ in content_models}:
        app_config = apps.get_app_config(app_label)
        if not getattr(app_config, "models_module", None):  # a migration's stand-in app
            app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group, _ = Group.objects.get_or_create(name=EDITORS)
    wanted = [
        Permission.objects.get(
            content_type__app_label=app, codename=f"{action}_{model}"
        )
        for app, model in content_models
        for action in ACTIONS
    ]  # fmt: skip
    group.permissions.set(wanted)
