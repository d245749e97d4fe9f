"""An existing database upgrades without loss: from the schema before the core app to today's.

A database is migrated to the schema as it stood before ContentVersion moved from the
comparisons app to core (comparisons and articles at their 0003 migrations, core absent),
filled through the models of that time, then migrated forward with today's code. Every row of
every table is still there, the content version reads through its new model, and its content
type moved with it. And rows saved before Markdown fields kept their rendered HTML get it from
the migration that adds it. Runs on SQLite, and on PostgreSQL where TEST_POSTGRES_URL is set
(CI).
The old database is made in one process, the upgrade (`manage.py migrate`) runs in another,
as a deployment would, and what the upgraded site reads is read in a third.
"""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from tests.servers.conftest import ROOT, manage, site_environment

# The newest migrations of the content apps before the core app existed.
# (Apps newer than core, which build on today's content schema, are left out of that schema.)
NEWER_THAN_CORE = {"codesamples"}
BEFORE_CORE = {
    "comparisons": "0003_sources_corrections_project_types",
    "articles": "0003_editors_edit_sources_corrections_project_types",
}
VERSION = 41
# The newest migration before a sample app's folder was checked.
BEFORE_FOLDERS_CHECKED = "0002_stored_markdown_html"
# The newest migrations before Markdown fields kept their rendered HTML.
BEFORE_STORED_HTML = {
    "comparisons": "0010_figure_source_on_this_site",
    "articles": "0004_markdown_limits",
    "codesamples": "0001_initial",
}


def migrate_to_the_schema_before_core() -> None:
    """Every app at its newest migration, except the content apps (and no core)."""
    from django.core.management import call_command
    from django.db import connection
    from django.db.migrations.loader import MigrationLoader

    for app_label, name in BEFORE_CORE.items():
        call_command("migrate", app_label, name, verbosity=0)
    leaves = MigrationLoader(connection).graph.leaf_nodes()
    for app_label in sorted({app for app, _ in leaves} - {"core", *NEWER_THAN_CORE, *BEFORE_CORE}):
        call_command("migrate", app_label, verbosity=0)


def fill_through_the_models_of_that_schema() -> None:
    """One or more rows in every content table, the version row and an editor, written
    through the historical models (as the code of that time saw the tables)."""
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    executor = MigrationExecutor(connection)
    applied = executor.loader.applied_migrations
    apps = executor.loader.project_state(list(applied)).apps
    model = apps.get_model

    framework = model("comparisons", "Framework").objects.create(
        name="Bottle", slug="bottle", tagline="One file.", summary="Small.", category="micro",
        first_released=2009, creators="Marcel Hellkamp", website="https://bottlepy.org/",
        repository="https://github.com/bottlepy/bottle", documentation="https://bottlepy.org/docs/",
        best_for="Scripts.", position=4, is_published=True,
    )  # fmt: skip
    pro = model("comparisons", "ProCon").objects.create(
        framework=framework, kind="pro", title="One file", body="Copy it in."
    )
    use_case = model("comparisons", "UseCase").objects.create(
        framework=framework, title="A tiny API", body="A few routes."
    )
    criterion = model("comparisons", "Criterion").objects.create(
        name="Size", slug="size", description="How small."
    )
    rating = model("comparisons", "Rating").objects.create(
        criterion=criterion, framework=framework, rank=1, verdict="Smallest."
    )
    model("comparisons", "FrameworkSource").objects.create(
        framework=framework, fact="First release", title="Changelog", url="https://bottlepy.org/"
    )
    model("comparisons", "RatingSource").objects.create(
        rating=rating, title="Source", url="https://github.com/bottlepy/bottle"
    )
    model("comparisons", "Correction").objects.create(
        framework=framework, procon=pro, original="It was two files.", now="It is one."
    )
    project_type = model("comparisons", "ProjectType").objects.create(
        name="A script", slug="script", description="Something small."
    )
    project_type.use_cases.add(use_case)
    article = model("articles", "Article").objects.create(
        title="Small frameworks", slug="small", description="Lede.", introduction="Intro.",
        comparison_intro="Table.", conclusion="End.", status="published",
        published_at="2026-01-01T00:00:00Z",
    )  # fmt: skip
    article.frameworks.add(framework)
    article.criteria.add(criterion)
    model("comparisons", "ContentVersion").objects.filter(pk=1).update(version=VERSION)
    model("auth", "User").objects.create(username="edna", is_staff=True)


def the_old_database() -> dict[str, int]:
    """The schema before core, filled; its row counts."""
    migrate_to_the_schema_before_core()
    fill_through_the_models_of_that_schema()
    return row_counts()


def the_upgraded_database() -> dict:
    return {"rows": row_counts(), "reads": what_the_upgraded_site_reads()}


def seeded_before_stored_html() -> None:
    """Today's schema, seeded, then taken back to before Markdown's HTML was stored."""
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    call_command("seed", verbosity=0)
    for app_label, name in BEFORE_STORED_HTML.items():
        call_command("migrate", app_label, name, verbosity=0)


def seeded_with_folders_editors_set() -> None:
    """Today's schema, seeded, taken back to before sample folders were checked, and the
    folders set as an editor could then: one outside samples/, two swapped."""
    from django.core.management import call_command
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    call_command("migrate", verbosity=0)
    call_command("seed", verbosity=0)
    call_command("migrate", "codesamples", BEFORE_FOLDERS_CHECKED, verbosity=0)
    executor = MigrationExecutor(connection)
    apps = executor.loader.project_state(list(executor.loader.applied_migrations)).apps
    SampleApp = apps.get_model("codesamples", "SampleApp")
    SampleApp.objects.filter(framework__slug="fastapi").update(folder=".")
    SampleApp.objects.filter(framework__slug="django").update(folder="samples/swap")
    SampleApp.objects.filter(framework__slug="flask").update(folder="samples/django")
    SampleApp.objects.filter(framework__slug="django").update(folder="samples/flask")


def sample_folders() -> dict[str, str]:
    from codesamples.models import SampleApp

    return dict(SampleApp.objects.values_list("framework__slug", "folder"))


def row_counts() -> dict[str, int]:
    """Rows in every table of the database (but the migration records)."""
    from django.db import connection

    counts = {}
    with connection.cursor() as cursor:
        for table in sorted(connection.introspection.table_names()):
            if table == "django_migrations":
                continue
            cursor.execute(f"SELECT COUNT(*) FROM {connection.ops.quote_name(table)}")  # noqa: S608
            counts[table] = cursor.fetchone()[0]
    return counts


def what_the_upgraded_site_reads() -> dict:
    from django.contrib.contenttypes.models import ContentType

    from articles.models import Article
    from comparisons.models import Framework
    from core.models import ContentVersion

    return {
        "version": ContentVersion.objects.get(pk=1).version,
        "content_types": sorted(
            ContentType.objects.filter(model="contentversion").values_list("app_label", flat=True)
        ),
        "framework": Framework.objects.get(slug="bottle").pros_cons.get().title,
        "article": list(
            Article.objects.get(slug="small").frameworks.values_list("slug", flat=True)
        ),
    }


def stale_stored_html() -> tuple[int, list[str]]:
    from tests.stored_html import stale_stored_html

    return stale_stored_html()


def run(environment: dict, function: str):
    """Call one of the functions above in a new Django process; return what it returns."""
    code = (
        "import json, django; django.setup(); from tests.servers import test_upgrade; "
        f"print(json.dumps(test_upgrade.{function}()))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=environment, capture_output=True, text=True,
        timeout=180, check=False,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


@pytest.fixture(params=["sqlite", "postgresql"])
def old_database(request, tmp_path) -> dict:
    """The environment of a site on a new, empty database of each kind."""
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path / 'upgrade.sqlite3'}"
    else:
        url = request.getfixturevalue("postgres_database")
    return {**site_environment(url, "dummy://"), "DJANGO_SETTINGS_MODULE": "config.settings"}


def test_upgrading_keeps_every_row_of_every_table(old_database):
    before = run(old_database, "the_old_database")
    assert before["comparisons_contentversion"] == 1

    manage(old_database, "migrate", "--noinput")

    upgraded = run(old_database, "the_upgraded_database")
    after = upgraded["rows"]
    # Every table of the old schema keeps its rows; newer migrations may add tables (empty)
    # and, for their models, content types and permissions (the Editors group's too).
    grows = {"auth_permission", "auth_group_permissions", "django_content_type"}
    assert {table: after[table] for table in before if table not in grows} == {
        table: rows for table, rows in before.items() if table not in grows
    }
    assert all(after[table] >= before[table] for table in grows)
    assert upgraded["reads"] == {
        "version": VERSION,
        "content_types": ["core"],
        "framework": "One file",
        "article": ["bottle"],
    }


def test_upgrading_renders_the_html_of_markdown_saved_before_it_was_stored(old_database):
    """The seeded content, taken back to the schema without the stored HTML (its columns
    dropped) and migrated forward: every row's HTML is rendered by the migration."""
    run(old_database, "seeded_before_stored_html")

    manage(old_database, "migrate", "--noinput")

    rows, stale = run(old_database, "stale_stored_html")
    assert rows > 100
    assert stale == []


def test_upgrading_puts_each_sample_folder_back_where_its_files_are(old_database):
    """Folders an editor set before they were checked (".", another framework's) become
    samples/<framework slug> before the database starts checking them."""
    run(old_database, "seeded_with_folders_editors_set")

    manage(old_database, "migrate", "--noinput")

    assert run(old_database, "sample_folders") == {
        "django": "samples/django",
        "flask": "samples/flask",
        "fastapi": "samples/fastapi",
    }
