"""What needs the editors' attention, said where they work (issue 24).

Apps register kinds of things to see to (``register``): open readers' reports, reviews due,
ranks that break the rules, texts gone stale, drafts. Each kind finds its own with the
functions its app already has, and says where each is fixed. core names no app: the apps'
admin modules register their kinds when the admin loads them.

- The attention page (``attention_view``, linked at the top of the admin index with the
  count, "Needs attention (5)") lists every kind the editor may see, each with its count and a
  link to where it is fixed. It is worked out when it is opened: what is listed stays listed
  while it is true, and goes when it is fixed.
- Kinds with a ``saved`` message are also checked on every save of the content admins
  (``ChecksOnSave``, a base of core.admin.ContentAdmin): what a save, a deletion or a list
  action makes newly true is said on the page the editor lands on, as a warning with a link to
  fix each one.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from django.contrib import admin, messages
from django.contrib.messages.storage.base import BaseStorage
from django.template.response import TemplateResponse
from django.utils.html import conditional_escape, format_html, format_html_join
from django.utils.safestring import SafeString

from core.models import ContentVersion

# How many of a kind the attention page lists, before "and N more" (with a link to them all).
LISTED = 10


@dataclass(frozen=True)
class Problem:
    """One thing to see to: words around a link to where it is fixed ("{lead}{link}{rest}").

    ``key`` tells apart two problems with the same words (the whole text a stale excerpt is
    from): a save that changes it makes it a problem of that save's."""

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
    saved: for a kind checked on every save, the warning's words before the list, given how
        many the save caused ("2 texts no longer match…"); else None. Such a kind's ``find``
        returns every problem, not the first few.
    """

    key: str
    title: str
    order: int
    permission: str
    find: Callable[[], Found]
    saved: Callable[[int], str] | None = None


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


def confirmation_code(problems: Iterable[Problem]) -> str:
    """A short code for a list of problems: a confirmation names the problems it accepts, so
    a forged or outdated one (other problems now) confirms nothing."""
    text = "\n".join(sorted(f"{problem.text}\n{problem.key}" for problem in problems))
    return hashlib.sha256(text.encode()).hexdigest()[:20]


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


# --- checked on every save


def saved_checks() -> list[Kind]:
    return [kind for kind in kinds() if kind.saved is not None]


def snapshot() -> dict[str, list[Problem]]:
    return {kind.key: kind.find().problems for kind in saved_checks()}


def warn_of_new(request, before: dict[str, list[Problem]]) -> None:
    """A warning for each kind of problem that is true now and was not before, listing them
    with their links."""
    for kind in saved_checks():
        earlier = set(before.get(kind.key, ()))
        new = [problem for problem in kind.find().problems if problem not in earlier]
        if new and kind.saved is not None:
            warn(request, kind.saved(len(new)), new)


def warn(request, heading: str, problems: list[Problem]) -> None:
    items = format_html_join("", "<li>{}</li>", ((problem.html(),) for problem in problems))
    messages.warning(request, format_html("{} <ul>{}</ul>", heading, items))


def already_said(request, text: str) -> bool:
    """Whether a message waiting to be shown on this page says this already (a save's warning
    on the page it redirected to): a page's own warnings need not repeat it. Reading the
    waiting messages leaves them waiting."""
    escaped = str(conditional_escape(text))
    waiting = messages.get_messages(request)
    if not isinstance(waiting, BaseStorage):  # no messages middleware on this request
        return False
    used = waiting.used
    found = any(escaped in str(message.message) for message in waiting)
    waiting.used = used
    return found


class ChecksOnSave:
    """A ModelAdmin whose saves (add, change, delete, list edits and actions) are checked: what
    they make newly true of the kinds checked on save is said on the page the editor lands on.

    The check is made around the whole view, after its transaction: what a save refused or
    rolled back changes nothing, and says nothing."""

    def add_view(self, request, form_url="", extra_context=None):
        return self._checked(super().add_view, request, form_url, extra_context)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        view = super().change_view
        return self._checked(view, request, object_id, form_url, extra_context)

    def delete_view(self, request, object_id, extra_context=None):
        return self._checked(super().delete_view, request, object_id, extra_context)

    def changelist_view(self, request, extra_context=None):
        return self._checked(super().changelist_view, request, extra_context)

    def _checked(self, view, request, *args):
        if request.method != "POST":
            return view(request, *args)
        before, version = snapshot(), ContentVersion.current()
        response = view(request, *args)
        # A form refused, or a save rolled back, changed no content: nothing can be newly true
        # (and the checks, a few dozen queries, need not run again).
        if ContentVersion.current() != version:
            warn_of_new(request, before)
        return response
