"""The startproject settings with the demo's views as `async def` (demo/async_views.py), for
Django under ASGI: `make framework-bench` serves it so (DJANGO_SETTINGS_MODULE=
project.settings_async), where sync views would each be handed to a thread.
"""

from .settings_startproject import *  # noqa: F403

ROOT_URLCONF = "project.urls_async"
