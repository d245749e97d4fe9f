"""`manage.py seed`: loads the fixtures into an empty database only, all or nothing."""

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command

from articles.models import Article
from comparisons.models import Criterion, Framework, ProCon, Rating, UseCase
from core.content import content_exists, content_models
from core.models import ContentVersion

starts_empty = pytest.mark.usefixtures("empty_content")
ROOT = Path(__file__).resolve().parent.parent


def seed(fixture_dir=None) -> str:
    from io import StringIO

    out = StringIO()
    options = {"fixture_dir": fixture_dir} if fixture_dir else {}
    call_command("seed", stdout=out, **options)
    return out.getvalue()


def counts() -> dict[str, int]:
    return {model._meta.label_lower: model.objects.count() for model in content_models()}


@starts_empty
def test_seeding_an_empty_database_loads_the_whole_article():
    out = seed()
    assert "Seeded" in out
    assert Framework.objects.count() == 3
    assert Criterion.objects.count() == 9
    assert Rating.objects.count() == 27
    assert Article.objects.published().count() == 1
    for slug in ("django", "flask", "fastapi"):
        framework = Framework.objects.get(slug=slug, is_published=True)
        assert framework.pros_cons.filter(kind="pro").count() == 3, slug
        assert framework.pros_cons.filter(kind="con").count() == 2, slug
        assert framework.ratings.count() == 9, slug  # one per criterion
    assert ProCon.objects.count() == 15
    assert list(Criterion.objects.values_list("slug", flat=True)) == [
        "packages",  # the article's three
        "community",
        "performance",
        "learning-curve",  # what beginners decide on (issue 13)
        "batteries",
        "api-tooling",
        "async",
        "stability",
        "security-defaults",
    ]


@starts_empty
def test_the_whole_seed_is_one_content_change():
    before = ContentVersion.objects.get(pk=1).version
    seed()
    assert ContentVersion.objects.get(pk=1).version == before + 1


def test_every_use_case_the_article_names_is_there(seeded):
    """What the fixtures hold, as the session's seed loaded them."""
    expected = {
        "django": ["booking", "shop", "document", "crm", "ios", "android", "admin", "email",
                   "photo"],
        "flask": ["shop", "bot", "social network", "static", "prototype"],
        "fastapi": ["json", "dispatch", "machine-learning model"],
    }  # fmt: skip
    for slug, words in expected.items():
        text = " ".join(
            f"{title} {body}"
            for title, body in UseCase.objects.filter(framework__slug=slug).values_list(
                "title", "body"
            )
        ).lower()
        missing = [word for word in words if word not in text]
        assert not missing, f"{slug} use cases do not mention {missing}"


def test_the_article_covers_every_framework_and_criterion(seeded):
    """What the fixtures hold, as the session's seed loaded them."""
    article = Article.objects.get()
    assert [f.slug for f in article.frameworks.all()] == ["django", "flask", "fastapi"]
    assert [c.slug for c in article.criteria.all()] == ["packages", "community", "performance"]


def test_ranks_follow_the_article(seeded):
    """What the fixtures hold, as the session's seed loaded them."""
    ranks = {
        (criterion, framework): rank
        for criterion, framework, rank in Rating.objects.values_list(
            "criterion__slug", "framework__slug", "rank"
        )
    }
    assert ranks[("packages", "django")] < ranks[("packages", "flask")]
    # The article called Django's community the biggest; the survey's figures now rank it.
    assert ranks[("community", "fastapi")] == 1
    # The article put Flask ahead of Django; the site's own benchmark agrees (and, every
    # framework on the same server, puts Flask ahead of FastAPI over five tasks).
    assert ranks[("performance", "flask")] < ranks[("performance", "django")]
    assert ranks[("performance", "flask")] == 1


def test_seeding_again_changes_nothing(seeded):
    before = counts()
    stamps = list(Framework.objects.values_list("updated_at", flat=True))
    out = seed()
    assert "already has content" in out
    assert counts() == before
    assert list(Framework.objects.values_list("updated_at", flat=True)) == stamps


def test_seeding_over_edited_content_keeps_the_edit(seeded):
    Framework.objects.filter(slug="flask").update(tagline="Edited by an editor")
    ProCon.objects.filter(framework__slug="django").first().delete()
    seed()
    assert Framework.objects.get(slug="flask").tagline == "Edited by an editor"
    assert ProCon.objects.count() == 14


# --- broken fixtures: a clear error naming the file and the object, and nothing stored


@pytest.fixture
def fixture_copy(tmp_path):
    target = tmp_path / "fixtures"
    shutil.copytree(settings.FIXTURE_DIR, target)
    return target


def edit(path: Path, change) -> None:
    records = json.loads(path.read_text())
    change(records)
    path.write_text(json.dumps(records))


def first(records, model, **match):
    return next(
        r
        for r in records
        if r["model"] == model and all(r["fields"].get(k) == v for k, v in match.items())
    )


def assert_refused(fixture_dir, *expected_in_message):
    version = ContentVersion.objects.get(pk=1).version
    with pytest.raises(CommandError) as info:
        seed(fixture_dir)
    message = str(info.value)
    for text in expected_in_message:
        assert text in message
    assert "nothing was stored" in message
    assert not content_exists()
    assert ContentVersion.objects.get(pk=1).version == version  # no content change either


@starts_empty
def test_invalid_json_is_refused(fixture_copy):
    path = fixture_copy / "comparisons.json"
    path.write_text(path.read_text()[:-40])
    assert_refused(fixture_copy, "comparisons.json", "invalid JSON at line")


@starts_empty
def test_missing_field_is_refused(fixture_copy):
    def drop_category(records):
        del first(records, "comparisons.framework", slug="flask")["fields"]["category"]

    edit(fixture_copy / "comparisons.json", drop_category)
    assert_refused(fixture_copy, "comparisons.json", "comparisons.framework flask", "category")


@starts_empty
def test_rating_naming_an_unknown_framework_is_refused(fixture_copy):
    def unknown(records):
        first(records, "comparisons.rating", framework=["flask"])["fields"]["framework"] = ["nope"]

    edit(fixture_copy / "comparisons.json", unknown)
    assert_refused(fixture_copy, "comparisons.json", "comparisons.rating", "nope")


@starts_empty
def test_rank_zero_is_refused(fixture_copy):
    def zero(records):
        first(records, "comparisons.rating", framework=["django"])["fields"]["rank"] = 0

    edit(fixture_copy / "comparisons.json", zero)
    assert_refused(fixture_copy, "comparisons.json", "comparisons.rating", "django", "rank")


@starts_empty
def test_duplicate_slug_is_refused(fixture_copy):
    def duplicate(records):
        first(records, "comparisons.framework", slug="fastapi")["fields"]["slug"] = "flask"

    edit(fixture_copy / "comparisons.json", duplicate)
    assert_refused(fixture_copy, "comparisons.json", "comparisons.framework flask", "slug")


@starts_empty
def test_broken_second_file_leaves_the_first_unstored(fixture_copy):
    def bad_status(records):
        records[0]["fields"]["status"] = "archived"

    edit(fixture_copy / "articles.json", bad_status)
    assert_refused(fixture_copy, "articles.json", "articles.article", "status")


@starts_empty
def test_unknown_model_is_refused(fixture_copy):
    def add_user(records):
        records.append({"model": "auth.user", "fields": {}})

    edit(fixture_copy / "articles.json", add_user)
    assert_refused(fixture_copy, "articles.json", "unknown model 'auth.user'")


@starts_empty
def test_missing_file_is_refused(fixture_copy):
    (fixture_copy / "articles.json").unlink()
    assert_refused(fixture_copy, "articles.json", "not found")


@starts_empty
def test_command_exits_non_zero_without_traceback(fixture_copy, tmp_path):
    """In a process of its own, as `make run` runs it; the files are read before the
    database is asked anything, so this one need not even be migrated."""
    path = fixture_copy / "comparisons.json"
    path.write_text("{not json")
    database = f"sqlite:///{tmp_path / 'db.sqlite3'}"
    environment = {"DATABASE_URL": database, "PATH": "/usr/bin:/bin"}
    result = subprocess.run(
        [sys.executable, "manage.py", "seed", "--fixture-dir", str(fixture_copy)], cwd=ROOT,
        env=environment, capture_output=True, text=True, timeout=60, check=False,
    )  # fmt: skip
    assert result.returncode == 1
    assert "comparisons.json: invalid JSON at line 1" in result.stderr
    assert "Traceback" not in result.stderr


def test_a_broken_file_is_refused_before_the_database_is_asked(fixture_copy):
    """No database for this test: a query would fail it (pytest-django refuses access)."""
    (fixture_copy / "codesamples.json").write_text("[]{")
    with pytest.raises(CommandError, match=r"codesamples\.json: invalid JSON"):
        seed(fixture_copy)
