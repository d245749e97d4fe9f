"""The code samples as the site shows them: the tasks, each framework's sample app, and each
task's code in it.

The code, its file and lines, and the versions a sample pins are the files' (samples/, as CI
tests them), copied in by `manage.py sync_samples` and read-only in admin; the explanations
are the editors'. So is where a sample lives: a sample app's folder is `samples/<its
framework's slug>` (where sync_samples and scripts/samples.py find it), checked by the model
and, as far as SQL says it simply, by the database; a file is served only from inside it
(``SampleApp.file``).
"""

from __future__ import annotations

import re
from pathlib import Path, PurePosixPath

import reversion
from django.conf import settings
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from markdownx.models import MarkdownxField
from packaging.version import InvalidVersion, Version

from comparisons.models import Framework
from comparisons.releases import in_line, release_line
from comparisons.support import SampleRun
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


# A sample app's folder: "samples/" and one folder name, its framework's slug.
SAMPLES = "samples/"
_FOLDER_NAME = re.compile(r"[-A-Za-z0-9_]+\Z")
# A sample file's path inside its folder: names of printable characters, no backslash.
_PATH_PART = re.compile(r"[^\x00-\x1f\x7f\\]+\Z")


def folder_problem(folder: str) -> str | None:
    """What is wrong with a sample app's folder ("samples/flask"), or None."""
    example = "a folder of samples/ named by its framework's slug, e.g. “samples/flask”"
    if not folder:
        return f"A sample app needs its folder: {example}."
    if "\x00" in folder or "\\" in folder or not folder.isprintable():
        return (
            "The folder has a character a folder here may not have (a backslash, a NUL or "
            f"another control character): it must be {example}."
        )
    if folder.startswith("/"):
        return f"“{folder}” is an absolute path: the folder must be {example}."
    if ".." in folder.split("/"):
        return f"“{folder}” goes up a folder (“..”): the folder must be {example}."
    if not folder.startswith(SAMPLES):
        return f"“{folder}” is not inside samples/: the folder must be {example}."
    if not _FOLDER_NAME.match(folder.removeprefix(SAMPLES)):
        return (
            f"“{folder}” is not one folder of samples/ named by letters, digits, “-” and “_”: "
            f"the folder must be {example}."
        )
    return None


def validate_folder(folder: str) -> None:
    problem = folder_problem(folder)
    if problem:
        raise ValidationError(problem, code="folder")


def path_problem(path: str) -> str | None:
    """What is wrong with a sample file's path ("demo/views.py", relative to its sample's
    folder, forward slashes), or None: never absolute, never "." or "..", no backslash, NUL
    or control character."""
    if not path:
        return "A sample file needs its path in the sample's folder."
    if path.startswith("/"):
        return f"“{path}” is an absolute path: give the file's path in the sample's folder."
    parts = path.split("/")
    if any(part in {"", ".", ".."} for part in parts):
        return f"“{path}” has an empty, “.” or “..” part: give the file's path in its folder."
    if not all(_PATH_PART.match(part) for part in parts):
        return "The path has a backslash, a NUL or another control character."
    return None


def validate_path(path: str) -> None:
    problem = path_problem(path)
    if problem:
        raise ValidationError(problem, code="path")


class SampleAppManager(models.Manager):
    def get_by_natural_key(self, framework_slug):
        return self.get(framework__slug=framework_slug)


@reversion.register(follow=["samples"])
class SampleApp(ConstraintErrorsOnFields):
    """A framework's sample app: its folder in the repository and the versions it pins."""

    framework = models.OneToOneField(Framework, on_delete=models.CASCADE, related_name="sample_app")
    folder = models.CharField(
        max_length=100,
        unique=True,
        validators=[validate_folder],
        help_text="Its folder in the repository, “samples/” and its framework's slug, e.g. "
        "“samples/django”. Set by sync_samples.",
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
    # Its own tests run on the newest releases its requirements.in allows, not its lock's
    # (`make samples-latest`, recorded by `manage.py record_samples_latest`).
    latest_tested_on = models.DateField(
        "tested on the newest releases on",
        null=True,
        blank=True,
        help_text="Set by make samples-latest.",
    )
    latest_passed = models.BooleanField(
        "passed on the newest releases",
        null=True,
        blank=True,
        help_text="Set by make samples-latest.",
    )
    latest_versions = models.TextField(
        "newest releases tested",
        blank=True,
        help_text="What was installed of what it asks for, one “name==version” a line. Set by "
        "make samples-latest.",
    )
    latest_problem = models.CharField(
        "what failed",
        max_length=300,
        blank=True,
        help_text="The step that failed, in one line. Set by make samples-latest.",
    )

    objects = SampleAppManager()

    constraint_fields = {"codesamples_sampleapp_folder_in_samples": "folder"}

    class Meta:
        verbose_name = "sample app"
        ordering = ["framework__position", "framework__name"]
        constraints = [
            # What SQL says simply of folder_problem's rule (the model checks all of it).
            models.CheckConstraint(
                condition=Q(folder__startswith=SAMPLES)
                & ~Q(folder__contains="..")
                & ~Q(folder__contains="\\"),
                name="codesamples_sampleapp_folder_in_samples",
                violation_error_message="A sample app's folder is a folder of samples/, "
                "e.g. “samples/flask”.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.framework} sample ({self.folder})"

    def expected_folder(self) -> str:
        """Where its files are: samples/ and its framework's slug."""
        return f"{SAMPLES}{self.framework.slug}"

    def clean_fields(self, exclude=None) -> None:
        """Its folder is its framework's. Checked by every form, on the field where the form
        has it, else for the whole form: the admin shows the folder read-only, and a version
        restored from the history goes through that form too."""
        errors: dict = {}
        try:
            super().clean_fields(exclude=exclude)
        except ValidationError as error:
            errors = error.update_error_dict(errors)
        problem = None if "folder" in errors else self.folder_problem()
        if problem:
            field = NON_FIELD_ERRORS if exclude and "folder" in exclude else "folder"
            errors.setdefault(field, []).append(ValidationError(problem, code="folder"))
        if errors:
            raise ValidationError(errors)

    def folder_problem(self) -> str | None:
        problem = folder_problem(self.folder)
        if problem or self.framework_id is None:
            return problem
        if self.folder != self.expected_folder():
            return (
                f"The {self.framework} sample's folder is “{self.expected_folder()}” (its "
                f"framework's slug, where sync_samples reads it), not “{self.folder}”."
            )
        return None

    def save(self, *args, **kwargs) -> None:
        """Refused, with the reason, for a folder outside samples/ or not its framework's,
        however it is saved (loading a fixture or restoring a version saves raw, and the
        database's check and the form's clean catch those)."""
        update_fields = kwargs.get("update_fields")
        if update_fields is None or {"folder", "framework"} & set(update_fields):
            problem = self.folder_problem()
            if problem:
                raise ValidationError({"folder": problem})
        super().save(*args, **kwargs)

    def file(self, path: str) -> Path | None:
        """The file at ``path`` in this sample's folder, or None: not a file, or outside the
        folder however it is spelt ("..", an absolute path, a symbolic link leading out), or
        the folder itself not one of samples/ (settings.SAMPLES_DIR)."""
        if folder_problem(self.folder) or path_problem(path):
            return None
        samples = Path(settings.SAMPLES_DIR).resolve()
        folder = (samples / self.folder.removeprefix(SAMPLES)).resolve()
        if folder.parent != samples:
            return None
        file = (folder / PurePosixPath(path)).resolve()
        if not file.is_relative_to(folder) or not file.is_file():
            return None
        return file

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

    @property
    def newest_run(self) -> SampleRun | None:
        """Its last run on the newest releases its requirements allow, if it had one."""
        if self.latest_tested_on is None or self.latest_passed is None:
            return None
        return SampleRun(
            passed=self.latest_passed,
            tested_on=self.latest_tested_on,
            versions=[f"{name}=={version}" for name, version in self.latest_version_list()],
            problem=self.latest_problem,
        )

    def latest_version_list(self) -> list[tuple[str, str]]:
        """What the last run on the newest releases installed, named as ``version_list``."""
        return self.version_list(self.latest_versions)

    def behind_security(self) -> list[str]:
        """Where the lock pins the framework behind a release that fixes vulnerabilities the
        package index reports (the framework's ``security``, kept by refresh_facts): one
        sentence per such release of the pinned version's line, newer than the pinned one."""
        try:
            pinned = Version(self.pinned_version)
        except InvalidVersion:
            return []
        line = release_line(str(pinned))
        security = self.framework.security if isinstance(self.framework.security, dict) else {}
        fixes: dict[Version, set[str]] = {}
        for advisory in security.get("advisories", []):
            cves = [a for a in advisory.get("aliases", []) if a.startswith("CVE-")]
            name = cves[0] if cves else advisory["id"]
            found = [Version(v) for v in advisory.get("fixed_in", [])]
            newer = [v for v in found if in_line(v, line) and v > pinned]
            if newer:
                fixes.setdefault(min(newer), set()).add(name)
        return [
            f"The {self.framework} sample pins {pinned}, behind {version}, which fixes "
            f"{', '.join(sorted(names))}: update its lock (make samples-lock)."
            for version, names in sorted(fixes.items())
        ]

    def version_list(self, versions: str | None = None) -> list[tuple[str, str]]:
        """[("Django", "5.2.19"), ("gunicorn", "27.0.1")]: the framework's own package by the
        framework's name, the others as the sample's requirements name them (of its lock, or
        of the ``versions`` given)."""
        package = (self.framework.package or "").lower().replace("_", "-")
        found = []
        for line in (self.versions if versions is None else versions).splitlines():
            if not line.strip():
                continue
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
        max_length=200,
        validators=[validate_path],
        help_text="The file, in the sample's folder. Set by sync_samples.",
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


def samples_behind_security() -> list[str]:
    """Every sample whose lock pins its framework behind a security release, for the
    attention page: one sentence each."""
    apps = SampleApp.objects.select_related("framework").order_by("framework__position")
    return [sentence for app in apps for sentence in app.behind_security()]
