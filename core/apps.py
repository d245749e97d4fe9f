from django.apps import AppConfig
from django.db.models.signals import post_migrate


class CoreConfig(AppConfig):
    """What the whole site shares: the page cache, model and admin bases,
    template filters, seed/export, the Editors role, robots.txt, health and previews."""

    name = "core"
    verbose_name = "Site"

    def ready(self):
        from core import (
            checks,  # noqa: F401 -- registers the deployment checks
            dating,
        )
        from core.cache import start_afresh, track
        from core.content import content_models
        from core.roles import sync_editors_group

        track(*content_models())
        dating.connect()
        post_migrate.connect(sync_editors_group, sender=self, dispatch_uid="core-editors-group")
        # A deploy migrates: pages kept before it were drawn by the code it replaces.
        post_migrate.connect(start_afresh, sender=self, dispatch_uid="core-pages-afresh")
