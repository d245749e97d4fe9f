"""A reader's report of a mistake on one of the site's pages."""

from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinLengthValidator
from django.db import connection, models
from django.db.models import Q
from django.utils import timezone
from django.utils.crypto import salted_hmac

from core.middleware import client_ip

PAGE_MAX_LENGTH = 200
TEXT_MIN_LENGTH = 10
TEXT_MAX_LENGTH = 2000
SENDER_SALT = "reports.Report.sender_hash"


def validate_site_path(value: str) -> None:
    """A path on this site, such as ``/frameworks/django/``: never an address elsewhere.

    Refused: absolute URLs (``https://…``), scheme-relative ones (``//evil.example/``),
    backslashes (which some browsers read as slashes), a query or fragment, and blanks or
    control characters anywhere.
    """
    parts = urlsplit(value)
    if (
        not value.startswith("/")
        or value.startswith("//")
        or "\\" in value
        or parts.scheme
        or parts.netloc
        or parts.query
        or parts.fragment
        or "?" in value
        or "#" in value
        or any(character.isspace() or not character.isprintable() for character in value)
    ):
        raise ValidationError(
            "Give the address of a page on this site, such as /frameworks/django/.",
            code="not_a_site_path",
        )


def sender_hash(request) -> str:
    """The sender's address, keyed with SECRET_KEY: equal for one address, and not the
    address itself (it cannot be read back or matched against a list of addresses)."""
    address = client_ip(request) or "unknown"
    return salted_hmac(SENDER_SALT, address, algorithm="sha256").hexdigest()


class ReportQuerySet(models.QuerySet):
    def lock_sender(self, sender: str) -> None:
        """Make other transactions that store a report of this sender wait for this one (call
        it inside one). PostgreSQL: a transaction-level advisory lock on the sender's hash.
        SQLite: a write first (one that changes no row), which takes the database's write
        lock before the count is read, so writers take turns."""
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                cursor.execute("SELECT pg_advisory_xact_lock(%s)", [int(sender[:15], 16)])
            elif connection.vendor == "sqlite":
                cursor.execute("UPDATE reports_report SET id = id WHERE 0")

    def recent_from(self, sender: str):
        """This sender's reports within the rate limit's window."""
        since = timezone.now() - settings.REPORT_LIMIT_WINDOW
        return self.filter(sender_hash=sender, created_at__gte=since)


class Report(models.Model):
    class Status(models.TextChoices):
        OPEN = "open", "Open"
        CLOSED = "closed", "Closed"

    page = models.CharField(
        "page",
        max_length=PAGE_MAX_LENGTH,
        validators=[validate_site_path],
        help_text="The address of the page on this site, such as /frameworks/django/.",
    )
    text = models.TextField(
        "what is wrong",
        max_length=TEXT_MAX_LENGTH,
        validators=[
            MinLengthValidator(
                TEXT_MIN_LENGTH,
                message=(
                    "Say a little more: at least %(limit_value)d characters "
                    "(this has %(show_value)d)."
                ),
            )
        ],
        help_text="What is wrong and, if you know, what is right (a source helps).",
    )
    email = models.EmailField(
        "email for a reply",
        blank=True,
        help_text="Only if you would like an answer; we use it for nothing else.",
    )
    created_at = models.DateTimeField("sent", default=timezone.now, db_index=True)
    status = models.CharField(max_length=6, choices=Status.choices, default=Status.OPEN)
    closed_at = models.DateTimeField("closed", null=True, blank=True)
    note = models.TextField(
        "editor's note",
        blank=True,
        help_text="For editors: what was done about it, or why nothing was.",
    )
    # The rate limit counts reports per sender by this, never by the raw address.
    sender_hash = models.CharField(max_length=64, editable=False)

    objects = ReportQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["sender_hash", "created_at"], name="reports_sender_recent"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=["open", "closed"]), name="reports_report_status_valid"
            ),
            models.CheckConstraint(
                condition=(
                    Q(status="open", closed_at__isnull=True)
                    | Q(status="closed", closed_at__isnull=False)
                ),
                name="reports_report_closed_at_when_closed",
                violation_error_message="A closed report has a closing time; an open one none.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.page}: {self.summary}"

    def save(self, *args, **kwargs):
        self.set_closed_at()
        if kwargs.get("update_fields") is not None and "status" in kwargs["update_fields"]:
            kwargs["update_fields"] = {*kwargs["update_fields"], "closed_at"}
        super().save(*args, **kwargs)

    def clean(self):
        self.set_closed_at()

    def set_closed_at(self) -> None:
        """The closing time follows the status, however it was changed (form or action)."""
        if self.status == self.Status.CLOSED and self.closed_at is None:
            self.closed_at = timezone.now()
        elif self.status == self.Status.OPEN:
            self.closed_at = None

    @property
    def summary(self) -> str:
        """The first words of the text, for lists."""
        words = self.text.split()
        first = " ".join(words[:12])
        return first + " …" if len(words) > 12 else first
