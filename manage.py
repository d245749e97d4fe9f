#!/usr/bin/env python
"""Django's command-line utility for administrative tasks."""

import os
import sys


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    from django.conf import settings
    from django.core.management import execute_from_command_line

    from config.env import EnvError

    try:
        settings.INSTALLED_APPS  # noqa: B018 -- load the settings now, to report a bad variable
    except EnvError as exc:
        sys.exit(f"Configuration error: {exc}")
    from django.db import OperationalError

    try:
        execute_from_command_line(sys.argv)
    except OperationalError as exc:  # e.g. the database server cannot be reached
        sys.exit(f"Database error: {exc}".strip())


if __name__ == "__main__":
    main()
