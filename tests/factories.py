"""Small builders for test data: valid by default, any field overridable."""

from itertools import count

from articles.models import Article
from comparisons.models import Criterion, Framework, ProCon, Rating, UseCase

_seq = count(1)


def framework(**fields) -> Framework:
    n = next(_seq)
    values = {
        "name": f"Framework {n}",
        "slug": f"framework-{n}",
        "tagline": "A framework for tests.",
        "summary": "It exists for the tests.",
        "category": Framework.Category.MICRO,
        "first_released": 2010,
        "creators": "Test Author",
        "website": "https://example.com/",
        "repository": "https://example.com/repo",
        "documentation": "https://example.com/docs",
        "best_for": "Tests.",
        "position": 100 + n,
        "is_published": True,
    }
    values.update(fields)
    return Framework.objects.create(**values)


def criterion(**fields) -> Criterion:
    n = next(_seq)
    values = {
        "name": f"Criterion {n}",
        "slug": f"criterion-{n}",
        "description": "How it is judged.",
        "position": 100 + n,
    }
    values.update(fields)
    return Criterion.objects.create(**values)


def procon(**fields) -> ProCon:
    values = {"kind": ProCon.Kind.PRO, "title": f"Point {next(_seq)}", "body": "Because."}
    values.update(fields)
    if "framework" not in values:
        values["framework"] = framework()
    return ProCon.objects.create(**values)


def use_case(**fields) -> UseCase:
    values = {"title": f"Use {next(_seq)}", "body": "Build it."}
    values.update(fields)
    if "framework" not in values:
        values["framework"] = framework()
    return UseCase.objects.create(**values)


def rating(**fields) -> Rating:
    values = {"rank": 1, "verdict": "Good."}
    values.update(fields)
    if "framework" not in values:
        values["framework"] = framework()
    if "criterion" not in values:
        values["criterion"] = criterion()
    return Rating.objects.create(**values)


def article(**fields) -> Article:
    n = next(_seq)
    values = {
        "title": f"Article {n}",
        "slug": f"article-{n}",
        "description": "A lede.",
        "introduction": "Intro.",
        "comparison_intro": "Compare.",
        "conclusion": "Done.",
        "status": Article.Status.PUBLISHED,
    }
    values.update(fields)
    return Article.objects.create(**values)
