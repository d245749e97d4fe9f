"""What every content model shares, and the one row that counts content changes.

Content apps build on these: ``ConstraintErrorsOnFields`` (database constraints reported on
the field an editor must fix), ``SlugManager`` (natural keys by slug),
``natural_key_dependencies`` (what a natural key names), ``http_url_check`` (a CHECK that keeps
non-http(s) links out of the database).
"""

import datetime
from collections.abc import Callable, Collection
from typing import Any, TypeVar

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import models, router
from django.db.models import Q


def http_url_check(field: str, *, blank: bool) -> models.CheckConstraint:
    """The database refuses a link that is not http(s), so no javascript: URL reaches a page."""
    condition = Q(**{f"{field}__startswith": "https://"}) | Q(**{f"{field}__startswith": "http://"})
    if blank:
        condition |= Q(**{field: ""})
    return models.CheckConstraint(
        condition=condition,
        name=f"%(app_label)s_%(class)s_{field}_http",
        violation_error_message="Enter an http:// or https:// URL.",
    )


class ConstraintErrorsOnFields(models.Model):
    """Show a broken database constraint as an error on the field it is about.

    Django reports a multi-field unique constraint or a check constraint as an error of the
    whole form; an editor needs it next to the field to fix ("title", "rank"...).
    ``constraint_fields`` maps a constraint's name to that field.
    """

    constraint_fields: dict[str, str] = {}

    class Meta:
        abstract = True

    def validate_constraints(self, exclude: Collection[str] | None = None) -> None:
        exclude = set(exclude or ())
        using = router.db_for_write(type(self), instance=self)
        errors: dict[str, list] = {}
        for model_class, constraints in self.get_constraints():
            for constraint in constraints:
                try:
                    constraint.validate(model_class, self, exclude=exclude, using=using)
                except ValidationError as error:
                    field = self.constraint_fields.get(constraint.name, NON_FIELD_ERRORS)
                    if field in exclude:  # not on this form: say it for the whole row
                        field = NON_FIELD_ERRORS
                    errors.setdefault(field, []).extend(error.error_list)
        if errors:
            raise ValidationError(errors)


NaturalKey = TypeVar("NaturalKey", bound=Callable[..., tuple])


def natural_key_dependencies(*models: str) -> Callable[[NaturalKey], NaturalKey]:
    """Django's ``natural_key.dependencies``: the models ("app_label.model") whose natural keys
    this one contains, so that serializing writes their rows first. Set by this decorator
    rather than as ``natural_key.dependencies = [...]`` under the method, which mypy refuses
    (a function has no attributes to its types); Django reads the same attribute."""

    def mark(natural_key: NaturalKey) -> NaturalKey:
        function: Any = natural_key
        function.dependencies = list(models)
        return natural_key

    return mark


class SlugManager(models.Manager):
    def get_by_natural_key(self, slug):
        return self.get(slug=slug)


class ContentVersion(models.Model):
    """One row: a number that goes up with every content change, and when content last
    changed (core.cache.content_changed; after a seed, the newest date the fixtures carry,
    core.dating). The table keeps the name it had when this model lived in the comparisons
    app."""

    version = models.PositiveBigIntegerField(default=0)
    changed_at = models.DateTimeField()

    class Meta:
        db_table = "comparisons_contentversion"
        constraints = [
            models.CheckConstraint(condition=Q(id=1), name="comparisons_contentversion_one_row")
        ]

    def __str__(self) -> str:
        return f"content version {self.version}"

    @classmethod
    def dated(cls, when: datetime.datetime | None) -> None:
        """Content last changed then (after a seed: the newest date the fixtures carry)."""
        if when is not None:
            cls.objects.update_or_create(pk=1, defaults={"changed_at": when})

    @classmethod
    def current(cls) -> int:
        """How many content changes there have been (0 before the first)."""
        return cls.objects.filter(pk=1).values_list("version", flat=True).first() or 0

    @classmethod
    def last_changed(cls) -> datetime.datetime:
        """When content last changed (the start of 2000 if it never has)."""
        found = cls.objects.filter(pk=1).values_list("changed_at", flat=True).first()
        return found or datetime.datetime(2000, 1, 1, tzinfo=datetime.UTC)
