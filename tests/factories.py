"""Small builders for test data: valid by default, any field overridable.

The first ones save to the database; `unsaved_*` build instances in memory only, for unit
tests of code that needs no query (a test without the `db` fixture fails on any query).
"""

from collections.abc import Callable, Sequence
from itertools import count

from articles.models import Article
from comparisons.models import Criterion, Framework, ProCon, Rating, Source, UseCase

_seq = count(1)


def _create(model, defaults: dict, fields: dict, **related: Callable):
    """Save a `model` with these defaults and fields; a related object not given is made."""
    values = {**defaults, **fields}
    for name, make in related.items():
        if name not in values:
            values[name] = make()
    return model.objects.create(**values)


def framework(**fields) -> Framework:
    n = next(_seq)
    defaults = {
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
    return _create(Framework, defaults, fields)


def source(url: str, title: str = "A source") -> Source:
    """The source at this address (made, with this title, if it is new)."""
    return Source.objects.get_or_create(url=url, defaults={"title": title})[0]


def criterion(**fields) -> Criterion:
    n = next(_seq)
    defaults = {
        "name": f"Criterion {n}",
        "slug": f"criterion-{n}",
        "description": "How it is judged.",
        "position": 100 + n,
    }
    return _create(Criterion, defaults, fields)


def procon(**fields) -> ProCon:
    defaults = {"kind": ProCon.Kind.PRO, "title": f"Point {next(_seq)}", "body": "Because."}
    return _create(ProCon, defaults, fields, framework=framework)


def use_case(**fields) -> UseCase:
    defaults = {"title": f"Use {next(_seq)}", "body": "Build it."}
    return _create(UseCase, defaults, fields, framework=framework)


def rating(**fields) -> Rating:
    defaults = {"rank": 1, "verdict": "Good."}
    return _create(Rating, defaults, fields, framework=framework, criterion=criterion)


def article(**fields) -> Article:
    n = next(_seq)
    defaults = {
        "title": f"Article {n}",
        "slug": f"article-{n}",
        "description": "A lede.",
        "introduction": "Intro.",
        "comparison_intro": "Compare.",
        "conclusion": "Done.",
        "status": Article.Status.PUBLISHED,
    }
    return _create(Article, defaults, fields)


# --- in memory only


def unsaved_frameworks(*names: str) -> list[Framework]:
    """Published frameworks with primary keys 1, 2, … in the order given (display order)."""
    return [
        Framework(pk=pk, name=name, slug=name.lower(), position=pk, is_published=True)
        for pk, name in enumerate(names, start=1)
    ]


def unsaved_criteria(*names: str) -> list[Criterion]:
    """Criteria with primary keys 1, 2, … in the order given."""
    return [
        Criterion(pk=pk, name=name, slug=name.lower(), position=pk)
        for pk, name in enumerate(names, start=1)
    ]


def unsaved_ratings(
    frameworks: Sequence[Framework],
    criteria: Sequence[Criterion],
    ranks: Sequence[Sequence[int | None]],
) -> list[Rating]:
    """A rating per rank given: ranks[i][j] is criteria[i]'s rank of frameworks[j] (None: not
    rated). Each verdict names its cell, e.g. "Speed: Flask"."""
    return [
        Rating(
            criterion=criterion,
            framework=framework,
            rank=rank,
            verdict=f"{criterion.name}: {framework.name}",
        )
        for criterion, row in zip(criteria, ranks, strict=True)
        for framework, rank in zip(frameworks, row, strict=True)
        if rank is not None
    ]
