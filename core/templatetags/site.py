import datetime
import html
import json
import re

from django import template
from django.core.serializers.json import DjangoJSONEncoder
from django.template.defaultfilters import date
from django.utils.html import format_html, format_html_join, strip_tags
from django.utils.safestring import mark_safe

register = template.Library()


@register.filter
def plain_text(stored_html: str) -> str:
    """A Markdown field's stored HTML (``summary_html``...) as plain text, for where markup
    cannot go (a card's one line, a meta description): its tags dropped and its character
    references decoded once. The result is a plain str, never marked safe (even where nothing
    was dropped), so autoescaping escapes it exactly once: "Small sites & JSON APIs" shows as
    typed, never as "&amp;"."""
    return str.__str__(html.unescape(strip_tags(stored_html)))  # a copy as str, not SafeString


@register.filter
def first_sentence(text: str) -> str:
    """The first sentence of plain text: up to and including the first full stop.

    Give it plain text (`plain_text`, a plain field), not HTML: its result is escaped
    again, so `…_html|striptags|first_sentence` would show "&" as "&amp;"."""
    text = " ".join(str(text).split())
    match = re.match(r"(.+?[.!?])(\s|$)", text)
    return match.group(1) if match else text


# Characters that could end the <script> element or start markup inside it.
_JSON_ESCAPES = {ord("<"): "\\u003C", ord(">"): "\\u003E", ord("&"): "\\u0026"}


@register.filter
def json_ld(data: dict) -> str:
    """A JSON-LD block; the JSON is escaped so that no value can close the element."""
    text = json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False).translate(_JSON_ESCAPES)
    return format_html('<script type="application/ld+json">{}</script>', mark_safe(text))  # noqa: S308


@register.tag
def capture(parser, token):
    """`{% capture name %}…{% endcapture %}`: render what it encloses once, keep it as `name`.

    The result is stripped of surrounding whitespace and set in the current context (so, at a
    template's top level, for the rest of it). base.html captures the page's title block this
    way, because <title>, og:title and twitter:title all repeat it and a block renders once.
    """
    bits = token.split_contents()
    if len(bits) != 2:
        raise template.TemplateSyntaxError(f"{bits[0]!r} takes one argument: a variable name.")
    nodelist = parser.parse(("endcapture",))
    parser.delete_first_token()
    return CaptureNode(nodelist, bits[1])


class CaptureNode(template.Node):
    """The node of {% capture %}: renders nothing where it stands."""

    def __init__(self, nodelist, name):
        self.nodelist = nodelist
        self.name = name

    def render(self, context):
        # Rendered template output is already escaped; strip() returns a plain str again.
        context[self.name] = mark_safe(self.nodelist.render(context).strip())  # noqa: S308
        return ""


@register.filter
def rank_class(rank: int) -> str:
    """The CSS class of a rank: rank-1, rank-2 and rank-3 each have a style, lower ranks one."""
    return f"rank-{rank}" if rank <= 3 else "rank-low"


@register.filter
def rank_badge(rank: int, tied: bool = False) -> str:
    """A rank as a badge: <span class="rank rank-1">1st</span>; a shared rank as "=2nd"."""
    title = mark_safe(' title="tied"') if tied else ""  # a constant
    return format_html(
        '<span class="rank {}"{}>{}</span>', rank_class(rank), title, place_text(rank, tied)
    )


ORDINAL_SUFFIXES = {1: "st", 2: "nd", 3: "rd"}  # every other place ends in "th"


def ordinal(number: int) -> str:
    """1 -> "1st", 2 -> "2nd", 11 -> "11th", 23 -> "23rd": a place as English writes it (the
    site is in English only; django.contrib.humanize's ``ordinal`` looks up ten translated
    suffixes per call, a few hundred times a page)."""
    teens = number % 100 in (11, 12, 13)
    return f"{number}{'th' if teens else ORDINAL_SUFFIXES.get(number % 10, 'th')}"


def place_text(place: int, tied: bool = False) -> str:
    """A place or rank as readers see it everywhere: "2nd", or "=2nd" when it is shared."""
    # ordinal() is typed str | None: it gives None only for None
    return ("=" if tied else "") + (ordinal(place) or str(place))


def machine_time(value: datetime.date) -> str:
    """A date, or a datetime to the second with its offset, as HTML's datetime attribute
    accepts it (a valid date or global date and time string: HTML allows at most three
    fractional digits of a second, Python's isoformat gives six, so they are dropped)."""
    if isinstance(value, datetime.datetime):
        return value.isoformat(timespec="seconds")
    return value.isoformat()


@register.filter(expects_localtime=True)
def time_tag(value: datetime.date | None, display: str = "j F Y") -> str:
    """A <time> element: the date as `display` (a date-filter format) for readers, ISO 8601
    in its datetime attribute (a datetime to the second with its offset, a date without)."""
    if value is None or value == "":
        return ""
    return format_html('<time datetime="{}">{}</time>', machine_time(value), date(value, display))


@register.filter
def python_floor(requires_python: str) -> str:
    """A Requires-Python in words: ">=3.12" → "Python 3.12 or newer"; else as it is."""
    spec = (requires_python or "").strip()
    if spec.startswith(">=") and "," not in spec and "|" not in spec:
        return f"Python {spec[2:].strip()} or newer"
    return f"Python {spec}" if spec else ""


@register.simple_tag(takes_context=True)
def cite(context, notes) -> str:
    """A statement's footnote marks, "[2][5]", each linked to its source in the page's list.

    The first mark of each source on the page carries the id (cite-N) its footnote links back
    to. The marks already made are kept in the render's own state (the render context's
    outermost layer, which included templates share), so each render counts afresh.
    """
    if not notes:
        return ""
    made = context.render_context.dicts[0].setdefault("cite marks made", set())
    marks = []
    for note in notes:
        first = note.number not in made
        made.add(note.number)
        marks.append((format_html(' id="cite-{}"', note.number) if first else "", note.number))
    return format_html_join(
        "", '<sup class="cite"{}><a href="#source-{}">[{}]</a></sup>', ((i, n, n) for i, n in marks)
    )


@register.simple_tag(takes_context=True)
def footnote_back(context, note, unmarked: str = "") -> str:
    """Where a source's way back (↩) leads: its first mark on the page ({% cite %} above it in
    the render), or, for a source the page lists without a mark (a framework's facts, whose
    sources one line names as a range), the id ``unmarked``, else the Sources list."""
    made = context.render_context.dicts[0].get("cite marks made", set())
    return f"#cite-{note.number}" if note.number in made else f"#{unmarked or 'sources'}"


@register.filter
def lower_first(text: str) -> str:
    """ "A full website" -> "a full website": a name used inside a sentence. Its other
    capitals are kept, and so is a first word in capitals ("API tooling", "JSON APIs")."""
    text = str(text)
    if text[1:2].isupper():
        return text
    return text[:1].lower() + text[1:]


@register.filter
def names_and(items, case: str = "") -> str:
    """Their names inside a sentence: "Django", "Django and Flask", "packages, batteries
    included and stability" (with "lower": each as lower_first writes it)."""
    names = [str(getattr(item, "name", item)) for item in items]
    if case == "lower":
        names = [lower_first(name) for name in names]
    if len(names) < 2:
        return "".join(names)
    return f"{', '.join(names[:-1])} and {names[-1]}"
