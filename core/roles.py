"""The "Editors" group: may view, add, change and delete the content, handle the records
their apps let them (readers' reports), and nothing else.

Kept up to date after every ``migrate`` (and every flush, which tests run) by one
``post_migrate`` handler, from the one list of content models (core.content) and each app's
``editor_records`` (a record's model name -> the actions editors may take on it, declared in
config.content): a model an app adds is editable by editors once it is migrated, with no
data migration.
"""

from django.apps import apps as global_apps
from django.contrib.auth.management import create_permissions
from django.core.exceptions import ImproperlyConfigured
from django.db import DEFAULT_DB_ALIAS

from config.content import CONTENT_APPS

EDITORS = "Editors"
ACTIONS = ["view", "add", "change", "delete"]


def content_model_keys() -> list[tuple[str, str]]:
    from core.content import content_models

    return [(model._meta.app_label, model._meta.model_name or "") for model in content_models()]


def editor_actions() -> dict[tuple[str, str], tuple[str, ...]]:
    """(app label, model name) -> what editors may do with it: every action on content, and
    on a record what its app's ``editor_records`` says."""
    found = {key: tuple(ACTIONS) for key in content_model_keys()}
    for app in CONTENT_APPS:
        for model_name, actions in app.editor_records.items():
            unknown = set(actions) - set(ACTIONS)
            if unknown or model_name not in app.records:
                raise ImproperlyConfigured(
                    f"config.content: {app.label}.editor_records[{model_name!r}]: a model "
                    f"named in the app's records, with actions among {ACTIONS}"
                )
            found[(app.label, model_name)] = tuple(actions)
    return found


def ensure_editors_group(apps=global_apps, using: str = DEFAULT_DB_ALIAS) -> None:
    """Create the group, or put its permissions back to exactly the editors' permissions.

    ``apps`` is an app registry: the project's, or the migration state a ``post_migrate``
    signal passes (a model that is not in that state yet is left out).
    """
    wanted_actions = {}
    for (app_label, model_name), actions in editor_actions().items():
        try:
            apps.get_model(app_label, model_name)
        except LookupError:
            continue
        wanted_actions[(app_label, model_name)] = actions
    # Permissions are made by a post_migrate handler of their own, which may run after this
    # one: make the apps' permissions first (it does nothing when they exist).
    for app_label in dict.fromkeys(app for app, _ in wanted_actions):
        app_config = global_apps.get_app_config(app_label)
        create_permissions(app_config, verbosity=0, using=using, apps=apps)

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group, _ = Group.objects.using(using).get_or_create(name=EDITORS)
    codenames = {
        (app, f"{action}_{model}")
        for (app, model), actions in wanted_actions.items()
        for action in actions
    }
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
