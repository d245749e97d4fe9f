"""What needs the editors' attention, said where they work (issue 24).

Apps register kinds of things to see to (``register``): open readers' reports, reviews due,
ranks that break the rules, texts gone stale, drafts. Each kind finds its own with the
functions its app already has, and says where each is fixed. core names no app: the apps'
admin modules register their kinds when the admin loads them.

- The attention page (``attention_view``, linked at the top of the admin index with the
  count, "Needs attention (5)") lists every kind the editor may see, each with its count and a
  link to where it is fixed. It is worked out when it is opened: what is listed stays listed
  while it is true, and goes when it is fixed.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from django.contrib import admin
from django.template.response import TemplateResponse
from django.utils.html import format_html
from django.utils.safestring import SafeString

# How many of a kind the attention page lists, before "and N more" (with a link to them all).
LISTED = 10


@dataclass(frozen=True)
class Problem:
    """One thing to see to: words around a link to where it is fixed ("{lead}{link}{rest}").

    ``key`` tells apart two problems with the same words (the whole text a stale excerpt is
    from)."""

    link: str
    url: str
    lead: str = ""
    rest: str = ""
    key: str = field(default="", repr=False)

    @property
    def text(self) -> str:
        return f"{self.lead}{self.link}{self.rest}"

    def html(self) -> SafeString:
        return format_html('{}<a href="{}">{}</a>{}', self.lead, self.url, self.link, self.rest)


@dataclass(frozen=True)
class Found:
    """What a kind found: how many, the problems listed (all, or the first ``LISTED``), and
    where they are all listed, if anywhere."""

    count: int
    problems: list[Problem]
    list_url: str = ""
    list_link: str = ""

    @property
    def more(self) -> int:
        return self.count - len(self.problems)


@dataclass(frozen=True)
class Kind:
    """A kind of thing to see to.

    key: its name in the page's ids.
    title: its heading on the attention page ("Rank conflicts").
    order: where it is listed, lowest first.
    permission: what a user needs to see it ("reports.view_report").
    find: finds them now.
    """

    key: str
    title: str
    order: int
    permission: str
    find: Callable[[], Found]


_kinds: dict[str, Kind] = {}


def register(kind: Kind) -> Kind:
    _kinds[kind.key] = kind
    return kind


def kinds() -> list[Kind]:
    return sorted(_kinds.values(), key=lambda kind: (kind.order, kind.key))


def kinds_for(user) -> list[Kind]:
    """The kinds this user may see (superusers: all; Editors: what their group may view)."""
    return [kind for kind in kinds() if user.has_perm(kind.permission)]


def attention_for(user) -> list[tuple[Kind, Found]]:
    return [(kind, kind.find()) for kind in kinds_for(user)]


# --- the attention page


def attention_view(request):
    """The admin page that lists what needs attention (mounted behind admin.site.admin_view)."""
    sections = attention_for(request.user)
    context = {
        **admin.site.each_context(request),
        "title": "Needs attention",
        "sections": sections,
        "total": sum(found.count for _, found in sections),
    }
    return TemplateResponse(request, "admin/attention.html", context)


def attention_total(user) -> int | None:
    """The count beside the attention page's link: None if the user may see no kind."""
    visible = kinds_for(user)
    if not visible:
        return None
    return sum(kind.find().count for kind in visible)
