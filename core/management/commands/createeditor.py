import getpass
import os

from django.apps import apps
from django.contrib.auth import get_user_model, password_validation
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from core.roles import EDITORS, ensure_editors_group

PASSWORD_VARIABLE = "EDITOR_PASSWORD"  # noqa: S105 -- the name of a variable, not a password


class Command(BaseCommand):
    help = (
        "Create an editor: a staff account in the Editors group, which can change the content "
        f"and nothing else. The password is asked for, or read from ${PASSWORD_VARIABLE}."
    )

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--email", default="")

    def handle(self, *args, username: str, email: str, **options):
        User = get_user_model()
        if User.objects.filter(username=username).exists():
            raise CommandError(f"A user named {username!r} already exists.")
        password = os.environ.get(PASSWORD_VARIABLE) or self.ask_password()
        user = User(username=username, email=email, is_staff=True, is_superuser=False)
        try:
            password_validation.validate_password(password, user)
        except ValidationError as exc:
            raise CommandError("Password refused: " + " ".join(exc.messages)) from exc
        with transaction.atomic():
            ensure_editors_group(apps)
            user.set_password(password)
            user.save()
            user.groups.add(Group.objects.get(name=EDITORS))
        self.stdout.write(self.style.SUCCESS(f"Editor {username!r} created; log in at /admin/."))

    def ask_password(self) -> str:
        try:
            first = getpass.getpass("Password: ")
            second = getpass.getpass("Password (again): ")
        except (EOFError, KeyboardInterrupt) as exc:
            raise CommandError(
                f"No password given (set ${PASSWORD_VARIABLE} or type one)."
            ) from exc
        if first != second:
            raise CommandError("The two passwords differ.")
        return first
