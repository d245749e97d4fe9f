"""The frameworks the site compares, as its words name and count them.

Titles, descriptions, headings and alt text that name or count the frameworks are built from
the published frameworks (``published_lineup``), never written
into templates: publishing a fifth framework changes "Django, Flask, FastAPI or Litestar?"
everywhere. Texts that editors wrote are checked instead (``stale_texts``): a count
("the three", "three frameworks") or a list of three or more frameworks that no longer
matches what is published is named, with where to fix it (`manage.py check_texts`; in the
admin, a warning after any save that makes a text stale, such as publishing or unpublishing a
framework, and the attention page while it is: comparisons.attention). Sentences that restate
a release fact otherwise than the facts box are named with them (comparisons.factwords).
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass

from django.db import models
from django.urls import reverse

COUNT_WORDS = ["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine",
               "ten", "eleven", "twelve"]  # fmt: skip


@dataclass(frozen=True)
class Lineup:
    names: tuple[str, ...]

    def __bool__(self) -> bool:
        return bool(self.names)

    @property
    def count(self) -> int:
        return len(self.names)

    @property
    def count_word(self) -> str:
        """ "three": the count as prose writes it (digits past twelve)."""
        return COUNT_WORDS[self.count] if self.count < len(COUNT_WORDS) else str(self.count)

    def listed(self, conjunction: str) -> str:
        """ "Django, Flask and FastAPI" (or "Django or Flask"; "" with none)."""
        if len(self.names) < 2:
            return "".join(self.names)
        return f"{', '.join(self.names[:-1])} {conjunction} {self.names[-1]}"

    @property
    def and_list(self) -> str:
        return self.listed("and")

    @property
    def or_list(self) -> str:
        return self.listed("or")


def published_lineup() -> Lineup:
    from comparisons.models import Framework

    return Lineup(tuple(Framework.objects.published().values_list("name", flat=True)))


# --- texts that go stale when the lineup changes


@dataclass(frozen=True)
class StaleText:
    model: str  # "framework", as the admin names it
    label: str  # the object, as editors know it
    field: str
    excerpt: str
    why: str
    admin_url: str
    text: str = ""  # the whole field, as the editor wrote it


def _count_pattern() -> re.Pattern:
    # Three or more: "two" is mostly a pair ("the two frameworks are level here").
    words = "|".join(COUNT_WORDS[3:])
    # "of the three", "all three are", "the three side by side" (not "the three years"),
    # "three frameworks", "three web frameworks"
    return re.compile(
        rf"\b(?:the|all) ({words})\b(?!\s+(?!frameworks\b)[a-z]+s\b)"
        rf"|\b({words})\s+(?:(?:Python|web|popular|main|major)\s+){{0,3}}frameworks\b",
        re.IGNORECASE,
    )


COUNT = _count_pattern()


@functools.lru_cache(maxsize=8)
def _list_pattern(names: tuple[str, ...]) -> re.Pattern:
    name = "|".join(re.escape(n) for n in sorted(names, key=len, reverse=True))
    return re.compile(rf"\b(?:{name})(?:, (?:{name}))+,? (?:and|or) (?:{name})\b")


def problems(text: str, lineup: Lineup, all_names: list[str]) -> list[tuple[str, str]]:
    """(excerpt, why) for each count or list of frameworks in text that no longer matches."""
    found = []
    for match in COUNT.finditer(text):
        word = (match.group(1) or match.group(2)).lower()
        number = COUNT_WORDS.index(word)
        # "all six" with three frameworks is six of something else; "all three" with four
        # published was written before the fourth. "N frameworks" says what it counts.
        near = abs(number - lineup.count) == 1
        if number != lineup.count and (match.group(2) or near):
            why = f"counts {word} frameworks; {lineup.count} are published"
            found.append((match.group(0), why))
    if all_names:
        for match in _list_pattern(tuple(all_names)).finditer(text):
            named = [n for n in all_names if re.search(rf"\b{re.escape(n)}\b", match.group(0))]
            if sorted(named) != sorted(lineup.names):
                found.append(
                    (match.group(0), f"lists {len(named)} frameworks; published: {lineup.and_list}")
                )
    return found


def text_fields(model) -> list[str]:
    """The fields of a content model that editors write prose in (not slugs, addresses, the
    HTML rendered from Markdown, or its fields declared ``quoted`` in config/content.py: words
    quoted as they were said, such as a correction's old claim)."""
    from core.content import quoted_fields

    quoted = quoted_fields(model)
    return [
        field.name
        for field in model._meta.concrete_fields
        if field.name not in quoted
        and isinstance(field, (models.CharField, models.TextField))
        and not isinstance(field, (models.SlugField, models.URLField))
        and not field.name.endswith("_html")
        and not field.choices
    ]


def stale_texts() -> list[StaleText]:
    """Every text of the content that counts or lists frameworks as they no longer are; and
    what a content model checks of itself, with the function config/content.py names for it
    (``lineup_checks``: an article that does not cover a published framework)."""
    from comparisons import factwords
    from comparisons.models import Framework
    from core.content import content_models, lineup_check

    lineup = published_lineup()
    all_names = list(Framework.objects.values_list("name", flat=True))
    owners = factwords.Owners()
    found = []
    for model in content_models():
        fields = text_fields(model)
        for obj in model._default_manager.all() if fields else ():
            owner = owners.of(obj)
            for name in fields:
                text = getattr(obj, name) or ""
                for excerpt, why in problems(text, lineup, all_names):
                    found.append(stale(obj, name, excerpt, why, text))
                if owners.dated(obj):
                    continue
                for excerpt, why in factwords.problems(text, owners.all(), owner):
                    found.append(stale(obj, name, excerpt, why, text))
        own_check = lineup_check(model)
        if own_check is not None:
            found += [stale(obj, name, "", why) for obj, name, why in own_check(lineup)]
    return found


def stale(obj, field: str, excerpt: str, why: str, text: str = "") -> StaleText:
    meta = obj._meta
    return StaleText(
        model=str(meta.verbose_name),
        label=str(obj),
        field=field,
        excerpt=excerpt,
        why=why,
        admin_url=reverse(f"admin:{meta.app_label}_{meta.model_name}_change", args=[obj.pk]),
        text=text,
    )
