"""The site's content apps and their conventions, declared once.

Which models editors change (the content: seeded from and exported to a fixture file, whose
changes start a new generation of cached pages, the Editors' to change), which are records
(never seeded or exported, changing one changes no page), and what else the site must know
of a model: when its rows become visible to readers, which of its fields quote words as they
were said, and what it checks of itself when the published frameworks change.

Plain data, standard library only: apps are named by their label and models by their model
name (lower case), so this module imports no app and Django need not be set up to read it.
``core.content`` resolves the names through Django's app registry (``fixtures()``,
``content_models()``, ``scheduled_fields()``, ``quoted_fields()``, ``lineup_check()``) and
``core.roles`` reads what editors may do with records.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType

# A model's rows in a fixture, in this order (the fields of QuerySet.order_by).
OrderBy = tuple[str, ...]


@dataclass(frozen=True)
class ContentApp:
    """One app and what its models are to the site.

    label: the app's label, as INSTALLED_APPS installs it.
    fixture: the file in settings.FIXTURE_DIR that holds its content (None: it has none).
    models: the content, in load order (a model after those it refers to): each model's name
        and the order its rows are exported in.
    records: models that are not content: not seeded or exported, not tracked by the content
        version, and editors may do with them only what ``editor_records`` says.
    editor_records: a record's name -> the actions editors may take on it (of view, add,
        change, delete).
    scheduled: a content model whose rows become visible to readers at a moment -> its
        DateTimeField that says when (the one its ``published()`` waits for).
    quoted: a content model -> its fields that quote words as they were said (a correction's
        old claim), which the stale-text check (comparisons.lineup) leaves alone.
    dated: a content model whose page says when it was last updated -> its DateTimeField that
        says so. The fixtures carry it; a change of the object or of one of its own rows (the
        rows its history follows) dates it, seeding never does (core.dating).
    lineup_checks: a content model -> the dotted path of what it checks of itself when the
        published frameworks change: a function ``(lineup) -> [(object, field name, why)]``
        (comparisons.lineup calls it; an app that imports comparisons may be called back
        without comparisons importing it).
    """

    label: str
    fixture: str | None = None
    models: Mapping[str, OrderBy] = field(default_factory=dict)
    records: frozenset[str] = frozenset()
    editor_records: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    scheduled: Mapping[str, str] = field(default_factory=dict)
    quoted: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    dated: Mapping[str, str] = field(default_factory=dict)
    lineup_checks: Mapping[str, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        # Frozen all the way down: read-only mappings, a frozenset.
        for name in ("models", "editor_records", "scheduled", "quoted", "dated", "lineup_checks"):
            object.__setattr__(self, name, MappingProxyType(dict(getattr(self, name))))
        object.__setattr__(self, "records", frozenset(self.records))
        if bool(self.fixture) != bool(self.models):
            raise ValueError(f"{self.label}: a fixture file if and only if it has content models")
        if both := sorted(self.records & set(self.models)):
            raise ValueError(f"{self.label}: {', '.join(both)} both content and a record")
        for name in ("scheduled", "quoted", "dated", "lineup_checks"):
            if unknown := sorted(set(getattr(self, name)) - set(self.models)):
                raise ValueError(f"{self.label}.{name}: {', '.join(unknown)} not among its models")


# The apps whose models are content or records, in load order: an app's content loads after
# the content of the apps it builds on (articles and code samples refer to frameworks).
CONTENT_APPS: tuple[ContentApp, ...] = (
    ContentApp(
        label="comparisons",
        fixture="comparisons.json",
        models={
            "framework": ("position", "slug"),
            "procon": ("framework__position", "framework__slug", "-kind", "position", "title"),
            "usecase": ("framework__position", "framework__slug", "position", "title"),
            "source": ("url",),
            "frameworksource": (
                "framework__position",
                "framework__slug",
                "position",
                "fact",
                "source__url",
            ),
            "correction": ("framework__position", "framework__slug", "position", "original"),
            "criterion": ("position", "slug"),
            "rating": (
                "criterion__position",
                "criterion__slug",
                "framework__position",
                "framework__slug",
            ),
            "ratingsource": (
                "rating__criterion__position",
                "rating__criterion__slug",
                "rating__framework__position",
                "rating__framework__slug",
                "position",
                "source__url",
            ),
            "figure": (
                "rating__criterion__position",
                "rating__criterion__slug",
                "rating__framework__position",
                "rating__framework__slug",
                "position",
                "measure",
            ),
            "projecttype": ("position", "slug"),
            "projectneed": (
                "project_type__position",
                "project_type__slug",
                "criterion__position",
                "criterion__slug",
            ),
        },
        # What check_facts last found, per framework.
        records=frozenset({"factcheck"}),
        # A correction's old claim, as the article or the page said it.
        quoted={"correction": ("original",)},
        # A framework page's "updated" date (sitemaps, open data).
        dated={"framework": "updated_at"},
    ),
    ContentApp(
        label="articles",
        fixture="articles.json",
        models={"article": ("slug",)},
        # Published with a date to come: readers see it from that moment.
        scheduled={"article": "published_at"},
        # The guide's "Updated" date (its feed, the sitemap).
        dated={"article": "updated_at"},
        # An article that does not cover every published framework.
        lineup_checks={"article": "articles.models.lineup_problems"},
    ),
    ContentApp(
        label="codesamples",
        fixture="codesamples.json",
        # Tasks and the editors' notes are theirs; the code is the files' (`sync_samples`).
        models={
            "task": ("position", "slug"),
            "sampleapp": ("framework__position", "framework__slug"),
            "sample": (
                "app__framework__position",
                "app__framework__slug",
                "task__position",
                "task__slug",
                "position",
            ),
        },
    ),
    ContentApp(
        label="reports",
        # Readers' reports of mistakes: a new or closed one changes no page. Editors read,
        # close (change) and delete them; only readers make them, through the site's form.
        records=frozenset({"report"}),
        editor_records={"report": ("view", "change", "delete")},
    ),
)
