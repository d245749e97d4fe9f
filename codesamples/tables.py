"""The samples arranged for a page: for each task, each framework's parts (or none).

Each function makes one query for the samples, however many frameworks and tasks there are.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field

from codesamples.models import Sample, SampleApp, Task


@dataclass
class Cell:
    """One framework's code for one task: its parts in order, and their lines of code."""

    app: SampleApp
    parts: list[Sample] = field(default_factory=list)

    @property
    def lines(self) -> int:
        return sum(part.lines for part in self.parts)


@dataclass
class Row:
    task: Task
    cells: list[Cell]


def rows_for(apps: Sequence[SampleApp], tasks: Sequence[Task]) -> list[Row]:
    """Every task with a cell per app, in the apps' order (an empty cell: no sample yet)."""
    found = defaultdict(list)
    samples = Sample.objects.filter(app__in=apps).order_by("position", "pk")
    by_app = {app.pk: app for app in apps}
    for sample in samples:
        sample.app = by_app[sample.app_id]  # no query when a part names its app
        found[(sample.task_id, sample.app_id)].append(sample)
    return [Row(task, [Cell(app, found[(task.pk, app.pk)]) for app in apps]) for task in tasks]


def published_apps() -> list[SampleApp]:
    return list(
        SampleApp.objects.filter(framework__is_published=True)
        .select_related("framework")
        .order_by("framework__position", "framework__name")
    )


def rows_of_frameworks(frameworks) -> tuple[list[SampleApp], list[Row]]:
    """The rows of these frameworks' samples, in the frameworks' order: one query, for the
    pages that show a framework or two (the tasks none of them has a sample for are left
    out: the code page shows every task)."""
    frameworks = list(frameworks)
    by_pk = {framework.pk: framework for framework in frameworks}
    samples = list(
        Sample.objects.filter(app__framework__in=frameworks)
        .select_related("task", "app")
        .order_by("task__position", "task__slug", "position", "pk")
    )
    apps: dict[int, SampleApp] = {}
    tasks: dict[int, Task] = {}
    for sample in samples:
        app = apps.setdefault(sample.app_id, sample.app)
        app.framework = by_pk[app.framework_id]
        sample.app = app
        tasks.setdefault(sample.task_id, sample.task)
    ordered = sorted(apps.values(), key=lambda app: frameworks.index(app.framework))
    found = defaultdict(list)
    for sample in samples:
        found[(sample.task_id, sample.app_id)].append(sample)
    rows = [
        Row(task, [Cell(app, found[(task.pk, app.pk)]) for app in ordered])
        for task in tasks.values()
    ]
    return ordered, rows
