"""The code samples as the site shows them: the tasks, each framework's sample app, and each
task's code in it.

The code, its file and lines, and the versions a sample pins are the files' (samples/, as CI
tests them), copied in by `manage.py sync_samples` and read-only in admin; the explanations
are the editors'.
"""

import reversion
from django.conf import settings
from django.db import models
from django.urls import reverse
from markdownx.models import MarkdownxField

from comparisons.models import Framework
from core.fields import RenderedMarkdownField
from core.models import (
    ConstraintErrorsOnFields,
    SlugManager,
    natural_key_dependencies,
)
from core.validators import validate_markdown


@reversion.register()
class Task(models.Model):
    """One thing every sample does (a JSON hello, a validated parameter...), shown side by side."""

    slug = models.SlugField(
        max_length=40, unique=True, help_text="The task's name in the files' markers."
    )
    name = models.CharField(max_length=80, unique=True)
    summary = MarkdownxField(
        "what it shows",
        help_text="Markdown: what a beginner should notice when comparing the samples.",
        validators=[validate_markdown],
    )
    summary_html = RenderedMarkdownField(source="summary")
    inline = models.BooleanField(
        "shown in full on framework pages",
        default=False,
        help_text="Show this task's code on framework and A-vs-B pages too (keep it to the "
        "short tasks: those pages must stay light); the others are listed with a link.",
    )
    position = models.PositiveSmallIntegerField(default=0)

    objects = SlugManager()

    class Meta:
        ordering = ["position", "slug"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return f"{reverse('codesamples:index')}#task-{self.slug}"

    def natural_key(self) -> tuple[str]:
        return (self.slug,)


class SampleAppManager(models.Manager):
    def get_by_natural_key(self, framework_slug):
        return self.get(framework__slug=framework_slug)


@reversion.register(follow=["samples"])
class SampleApp(models.Model):
    """A framework's sample app: its folder in the repository and the versions it pins."""

    framework = models.OneToOneField(Framework, on_delete=models.CASCADE, related_name="sample_app")
    folder = models.CharField(
        max_length=100,
        unique=True,
        help_text="Its folder in the repository, e.g. “samples/django”.",
    )
    versions = models.TextField(
        blank=True,
        help_text="What its lock pins of what it asks for, one “name==version” a line. "
        "Set by sync_samples from requirements.in and requirements.txt.",
    )
    note = MarkdownxField(
        blank=True,
        help_text="Markdown (optional): about the versions, e.g. why a sample is not on the "
        "latest release.",
        validators=[validate_markdown],
    )
    note_html = RenderedMarkdownField(source="note")

    objects = SampleAppManager()

    class Meta:
        verbose_name = "sample app"
        ordering = ["framework__position", "framework__name"]

    def __str__(self) -> str:
        return f"{self.framework} sample ({self.folder})"

    def get_absolute_url(self) -> str:
        return reverse("codesamples:index")

    @natural_key_dependencies("comparisons.framework")
    def natural_key(self) -> tuple[str]:
        return self.framework.natural_key()

    @property
    def pinned_version(self) -> str:
        """The framework's own version in the sample's lock ("5.2.19"), or ""."""
        return next((v for name, v in self.version_list() if name == self.framework.name), "")

    @property
    def behind_latest(self) -> bool:
        """Whether the sample pins an older release than the framework's latest (the release
        facts check_facts keeps on the framework)."""
        latest = self.framework.latest_version
        return bool(latest and self.pinned_version and self.pinned_version != latest)

    def version_list(self) -> list[tuple[str, str]]:
        """[("Django", "5.2.19"), ("gunicorn", "27.0.1")]: the framework's own package by the
        framework's name, the others as the sample's requirements name them."""
        package = (self.framework.package or "").lower().replace("_", "-")
        found = []
        for line in self.versions.splitlines():
            name, _, version = line.partition("==")
            if name.lower().replace("_", "-") == package:
                name = self.framework.name
            found.append((name, version))
        return found


class SampleManager(models.Manager):
    def get_by_natural_key(self, framework_slug, task_slug, position):
        return self.get(
            app__framework__slug=framework_slug, task__slug=task_slug, position=position
        )


@reversion.register()
class Sample(ConstraintErrorsOnFields):
    """One region of a task's code in one framework's sample: the code between a file's
    `--- task: NAME` and `--- end` markers. A task may have several (a model, a form, a view)."""

    app = models.ForeignKey(SampleApp, on_delete=models.CASCADE, related_name="samples")
    task = models.ForeignKey(Task, on_delete=models.CASCADE, related_name="samples")
    position = models.PositiveSmallIntegerField(
        default=0, help_text="Its place among the task's regions: by file path, then line."
    )
    path = models.CharField(
        max_length=200, help_text="The file, in the sample's folder. Set by sync_samples."
    )
    first_line = models.PositiveIntegerField(
        default=1, help_text="The line of the file its code starts on. Set by sync_samples."
    )
    code = models.TextField(help_text="Exactly the file's code between the markers (dedented).")
    note = MarkdownxField(
        blank=True,
        help_text="Markdown (optional): what to notice in this part of the code.",
        validators=[validate_markdown],
    )
    note_html = RenderedMarkdownField(source="note")

    objects = SampleManager()

    constraint_fields = {"codesamples_sample_unique_part": "position"}

    class Meta:
        ordering = ["app", "task", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["app", "task", "position"],
                name="codesamples_sample_unique_part",
                violation_error_message="This task already has a part at this position.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.app.framework}: {self.task} ({self.path})"

    def get_absolute_url(self) -> str:
        return self.task.get_absolute_url()

    @natural_key_dependencies("codesamples.sampleapp", "codesamples.task")
    def natural_key(self) -> tuple[str, str, int]:
        return (*self.app.natural_key(), *self.task.natural_key(), self.position)

    @property
    def lines(self) -> int:
        """Lines of code: those that are not blank (as codesamples.files counts them)."""
        return sum(1 for line in self.code.splitlines() if line.strip())

    @property
    def last_line(self) -> int:
        return self.first_line + len(self.code.splitlines()) - 1

    @property
    def language(self) -> str:
        return "html+django" if self.path.endswith(".html") else "python"

    def source_url(self) -> str:
        """Where a reader sees the whole file, at these lines."""
        if settings.SOURCE_URL:
            return (
                f"{settings.SOURCE_URL}/{self.app.folder}/{self.path}"
                f"#L{self.first_line}-L{self.last_line}"
            )
        return reverse("codesamples:file", args=[self.app.framework.slug, self.path])
