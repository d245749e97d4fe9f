"""WSGI entry point, for gunicorn: ``gunicorn config.wsgi``."""

import os
import sys

from django.core.wsgi import get_wsgi_application

from config.env import EnvError

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

try:
    application = get_wsgi_application()
except EnvError as exc:
    sys.exit(f"Configuration error: {exc}")
