"""Copy the sample files' code into the database, or say where the two differ.

The files are the source of truth (CI tests them); the Sample rows hold a copy for the pages.
``differences`` compares; ``sync`` updates code, file, lines and versions in one transaction,
keeping the editors' explanations, and changes nothing when a file cannot be read.

Which sample apps there are is the files' too: each sample CI tests (codesamples.files.
FRAMEWORKS, samples/<slug>) whose framework is on the site has one, in that folder, which
``sync`` adds; a sample app whose folder is not its framework's is an error, never read.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from django.db import transaction

from codesamples.files import FRAMEWORKS
from codesamples.models import SAMPLES, Sample, SampleApp, Task
from codesamples.reader import Part, SampleFilesError, read_parts, read_versions
from comparisons.models import Framework


@dataclass(frozen=True)
class Files:
    """What one sample app's files say: each task's parts, and the versions it pins."""

    app: SampleApp
    parts: dict[str, list[Part]]
    versions: str


def missing_apps() -> list[SampleApp]:
    """A sample app, not saved yet, for each sample of samples/ whose framework is on the
    site without one: in samples/<its slug>."""
    have = SampleApp.objects.values_list("framework__slug", flat=True)
    return [
        SampleApp(framework=framework, folder=f"{SAMPLES}{framework.slug}")
        for framework in Framework.objects.filter(slug__in=FRAMEWORKS).exclude(slug__in=have)
    ]


def read_all(root: Path) -> list[Files]:
    """Every sample app's files under ``root`` (the repository), those of the sample apps
    to add too; SampleFilesError if one cannot be read or lacks a task, or if a sample app's
    folder is not its framework's, before anything is compared or written."""
    tasks = list(Task.objects.values_list("slug", flat=True))
    found = []
    for app in [*SampleApp.objects.select_related("framework"), *missing_apps()]:
        problem = app.folder_problem()
        if problem:
            raise SampleFilesError(f"{app.framework.slug}: {problem}")
        folder = root / app.folder
        parts = read_parts(folder)
        for slug in tasks:
            if not parts.get(slug):
                raise SampleFilesError(
                    f"{app.framework.slug}: task {slug!r} has no code in {app.folder} "
                    f"(no '--- task: {slug}' region: a file missing?)"
                )
        unknown = sorted(slug for slug, regions in parts.items() if regions and slug not in tasks)
        if unknown:
            raise SampleFilesError(
                f"{app.framework.slug}: {app.folder} has code for task(s) {', '.join(unknown)} "
                "that the site does not know: add them in admin (Code samples, Tasks)"
            )
        versions = "".join(f"{name}=={version}\n" for name, version in read_versions(folder))
        found.append(Files(app, parts, versions.rstrip("\n")))
    return found


def stored_parts(app: SampleApp) -> dict[str, list[Part]]:
    stored: dict[str, list[Part]] = {}
    if app.pk is None:  # a sample app to add
        return stored
    for sample in app.samples.select_related("task").order_by("task__slug", "position"):
        stored.setdefault(sample.task.slug, []).append(
            Part(sample.path, sample.first_line, sample.code)
        )
    return stored


def differences(root: Path) -> list[str]:
    """Where the database's copy differs from the files: one line per framework and task."""
    problems = []
    for files in read_all(root):
        app, name = files.app, files.app.framework.slug
        if app.pk is None:
            problems.append(f"{name}: {app.folder} has no sample app on the site")
            continue
        stored = stored_parts(app)
        for task in sorted(set(files.parts) | set(stored)):
            have, want = stored.get(task, []), files.parts.get(task, [])
            if have == want:
                continue
            where = ", ".join(f"{part.path}:{part.first_line}" for part in want) or "no file"
            problems.append(
                f"{name}: task {task!r}: the code shown differs from {app.folder} ({where})"
            )
        if app.versions != files.versions:
            problems.append(f"{name}: the versions shown differ from {app.folder}'s lock")
    return problems


def sync(root: Path) -> list[str]:
    """Make the database's copy what the files say; what changed, one line per task."""
    everything = read_all(root)  # every file read before anything is written
    tasks = {task.slug: task for task in Task.objects.all()}
    changed = []
    with transaction.atomic():
        for files in everything:
            app, name = files.app, files.app.framework.slug
            if app.pk is None:
                app.full_clean()
                app.save()
                changed.append(f"{name}: a sample app for {app.folder}")
            stored = stored_parts(app)
            for slug, parts in files.parts.items():
                if stored.get(slug, []) == parts:
                    continue
                rows = {s.position: s for s in app.samples.filter(task=tasks[slug])}
                for position, part in enumerate(parts):
                    sample = rows.pop(position, None) or Sample(
                        app=app, task=tasks[slug], position=position
                    )
                    sample.path, sample.first_line, sample.code = (
                        part.path,
                        part.first_line,
                        part.code,
                    )
                    sample.full_clean()
                    sample.save()
                for extra in rows.values():
                    extra.delete()
                changed.append(f"{name}: task {slug!r}: {len(parts)} part(s) from {app.folder}")
            if app.versions != files.versions:
                app.versions = files.versions
                app.save(update_fields=["versions"])
                changed.append(f"{name}: versions from {app.folder}'s lock")
    return changed
