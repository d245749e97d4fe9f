"""The "Editors" group: may view, add, change and delete the content, and nothing else.

Kept up to date after every ``migrate`` (and every flush, which tests run) by one
``post_migrate`` handler, from the one list of content models (core.content): a model a
content app adds is editable by editors once it is migrated, with no data migration.
"""

from django.apps import apps as global_apps
from django.contrib.auth.management import create_permissions
from django.db import DEFAULT_DB_ALIAS

EDITORS = "Editors"
ACTIONS = ["view", "add", "change", "delete"]


def content_model_keys() -> list[tuple[str, str]]:
    from core.content import content_models

    return [(model._meta.app_label, model._meta.model_name) for model in content_models()]


def ensure_editors_group(apps=global_apps, using: str = DEFAULT_DB_ALIAS) -> None:
    """Create the group, or put its permissions back to exactly the content permissions.

    ``apps`` is an app registry: the project's, or the migration state a ``post_migrate``
    signal passes (a content model that is not in that state yet is left out).
    """
    keys = []
    for app_label, model_name in content_model_keys():
        try:
            apps.get_model(app_label, model_name)
        except LookupError:
            continue
        keys.append((app_label, model_name))
    # Permissions are made by a post_migrate handler of their own, which may run after this
    # one: make the content apps' permissions first (it does nothing when they exist).
    for app_label in dict.fromkeys(app for app, _ in keys):
        app_config = global_apps.get_app_config(app_label)
        create_permissions(app_config, verbosity=0, using=using, apps=apps)

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group, _ = Group.objects.using(using).get_or_create(name=EDITORS)
    codenames = {(app, f"{action}_{model}") for app, model in keys for action in ACTIONS}
    wanted = [
        permission
        for permission in Permission.objects.using(using).select_related("content_type")
        if (permission.content_type.app_label, permission.codename) in codenames
    ]
    group.permissions.set(wanted)


def sync_editors_group(sender, app_config=None, apps=global_apps, using=DEFAULT_DB_ALIAS, **kwargs):
    """post_migrate handler (connected once, for the core app): runs after every migrate."""
    try:
        apps.get_model("auth", "Permission")
    except LookupError:  # auth not migrated yet (migrating back to zero)
        return
    ensure_editors_group(apps, using)
