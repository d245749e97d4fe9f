"""The rules that matter are enforced by the database itself, not only by forms."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from articles.models import Article
from comparisons.models import Criterion, Framework, ProCon, Rating
from tests import factories

pytestmark = pytest.mark.usefixtures("empty_content")


def refused_by_database(create) -> None:
    with pytest.raises(IntegrityError), transaction.atomic():
        create()


def test_framework_slug_is_unique():
    factories.framework(slug="django")
    refused_by_database(lambda: factories.framework(slug="django"))


def test_framework_name_is_unique():
    factories.framework(name="Django")
    refused_by_database(lambda: factories.framework(name="Django"))


def test_framework_category_limited_to_its_choices():
    refused_by_database(lambda: factories.framework(category="cms"))


@pytest.mark.parametrize("year", [1890, 1990, 2101, 30000])
def test_framework_first_release_year_in_sane_range(year):
    refused_by_database(lambda: factories.framework(first_released=year))


@pytest.mark.parametrize("field", ["website", "repository", "documentation"])
@pytest.mark.parametrize("url", ["javascript:alert(1)", "ftp://example.com/", "data:text/html,x"])
def test_framework_links_must_be_http(field, url):
    refused_by_database(lambda: factories.framework(**{field: url}))


def test_bulk_create_is_refused_too():
    """Constraints hold when Django's validation is skipped entirely."""
    values = {
        "name": "Bulk",
        "slug": "bulk",
        "tagline": "t",
        "summary": "s",
        "category": "nonsense",
        "first_released": 2010,
        "creators": "c",
        "website": "https://example.com/",
        "repository": "https://example.com/",
        "documentation": "https://example.com/",
        "best_for": "b",
    }
    refused_by_database(lambda: Framework.objects.bulk_create([Framework(**values)]))


def test_procon_title_unique_per_framework_and_kind():
    django = factories.framework()
    factories.procon(framework=django, kind="pro", title="Security")
    refused_by_database(lambda: factories.procon(framework=django, kind="pro", title="Security"))


def test_procon_same_title_allowed_as_other_kind_or_framework():
    django, flask = factories.framework(), factories.framework()
    factories.procon(framework=django, kind="pro", title="Community")
    factories.procon(framework=django, kind="con", title="Community")
    factories.procon(framework=flask, kind="pro", title="Community")
    assert ProCon.objects.filter(title="Community").count() == 3


def test_procon_kind_limited_to_its_choices():
    refused_by_database(lambda: factories.procon(kind="meh"))


def test_use_case_title_unique_per_framework():
    django = factories.framework()
    factories.use_case(framework=django, title="Shops")
    refused_by_database(lambda: factories.use_case(framework=django, title="Shops"))


def test_criterion_slug_and_name_are_unique():
    factories.criterion(slug="speed", name="Speed")
    refused_by_database(lambda: factories.criterion(slug="speed"))
    refused_by_database(lambda: factories.criterion(name="Speed"))


def test_rating_one_per_criterion_and_framework():
    django, speed = factories.framework(), factories.criterion()
    factories.rating(framework=django, criterion=speed, rank=1)
    refused_by_database(lambda: factories.rating(framework=django, criterion=speed, rank=2))


def test_rating_rank_zero_is_refused():
    refused_by_database(lambda: factories.rating(rank=0))


def test_rating_rank_zero_refused_by_bulk_create():
    django, speed = factories.framework(), factories.criterion()
    row = Rating(framework=django, criterion=speed, rank=0, verdict="x")
    refused_by_database(lambda: Rating.objects.bulk_create([row]))


def test_rating_ties_are_allowed():
    speed = factories.criterion()
    factories.rating(criterion=speed, rank=1)
    factories.rating(criterion=speed, rank=1)
    assert speed.ratings.filter(rank=1).count() == 2


def test_article_status_limited_to_its_choices():
    refused_by_database(lambda: factories.article(status="archived"))


def test_published_article_needs_a_date():
    row = Article(
        title="T", slug="t", description="d", introduction="i", comparison_intro="c",
        conclusion="c", status="published", published_at=None,
    )  # fmt: skip
    refused_by_database(lambda: Article.objects.bulk_create([row]))


def test_publishing_sets_the_date_once():
    article = factories.article(status="draft")
    assert article.published_at is None
    article.status = "published"
    article.save()
    first = article.published_at
    assert first is not None
    article.title = "Changed"
    article.save()
    assert article.published_at == first


def test_future_first_release_is_a_validation_error():
    framework = factories.framework()
    framework.first_released = datetime.date.today().year + 1
    with pytest.raises(ValidationError) as info:
        framework.full_clean()
    assert "first_released" in info.value.message_dict


def test_constraint_violations_surface_in_full_clean():
    """Django 5.2 validates constraints in full_clean, so forms show them as errors."""
    speed = factories.criterion()
    row = Rating(framework=factories.framework(), criterion=speed, rank=0, verdict="x")
    with pytest.raises(ValidationError) as info:
        row.full_clean()
    assert "rank" in info.value.message_dict


def test_str_and_urls():
    django = factories.framework(name="Django", slug="django")
    speed = factories.criterion(name="Speed", slug="speed")
    pro = factories.procon(framework=django, title="Security")
    rating = factories.rating(framework=django, criterion=speed, rank=2)
    article = factories.article(title="Choosing", slug="choosing")
    assert str(django) == "Django"
    assert django.get_absolute_url() == "/frameworks/django/"
    assert str(pro) == "Django: pro — Security"
    assert pro.get_absolute_url() == "/frameworks/django/#pros"
    assert str(rating) == "Speed — Django: #2"
    assert speed.get_absolute_url() == "/methodology/#criterion-speed"
    assert article.get_absolute_url() == "/articles/choosing/"
    assert str(article) == "Choosing"


def test_natural_keys_round_trip():
    django = factories.framework(slug="django")
    speed = factories.criterion(slug="speed")
    pro = factories.procon(framework=django, kind="pro", title="Security")
    use = factories.use_case(framework=django, title="Shops")
    rating = factories.rating(framework=django, criterion=speed)
    article = factories.article(slug="guide")
    for obj in (django, speed, pro, use, rating, article):
        manager = type(obj)._default_manager
        assert manager.get_by_natural_key(*obj.natural_key()) == obj


def test_published_querysets_hide_drafts():
    shown = factories.framework(is_published=True)
    factories.framework(is_published=False)
    assert list(Framework.objects.published()) == [shown]
    live = factories.article(status="published")
    factories.article(status="draft")
    assert list(Article.objects.published()) == [live]


def test_default_ordering_is_by_position():
    second = factories.criterion(position=2)
    first = factories.criterion(position=1)
    assert list(Criterion.objects.all()) == [first, second]
