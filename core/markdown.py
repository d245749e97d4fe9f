"""The one Markdown function: editors' Markdown in, safe HTML out.

The stored HTML of every Markdown field (``core.fields.RenderedMarkdownField``, rendered when
a row is saved) and the admin's live preview (``MARKDOWNX_MARKDOWNIFY_FUNCTION``) both come
from ``render_markdown``, so what an editor previews is what a reader gets. Python-Markdown
renders; nh3 then keeps only an allow-list of tags, attributes and URL schemes, so script,
event handlers, javascript:/data: URLs, iframes and style never reach a page, whatever the
editor typed.
"""

import re
import threading
from html import escape

import markdown
import nh3

ALLOWED_TAGS = {
    "a", "abbr", "blockquote", "br", "code", "dd", "del", "div", "dl", "dt", "em", "h3", "h4",
    "h5", "h6", "hr", "img", "li", "ol", "p", "pre", "strong", "sub", "sup", "table", "tbody",
    "td", "th", "thead", "tr", "ul",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title"},
    "abbr": {"title"},
    "img": {"src", "alt", "title", "width", "height"},
    "h3": {"id"},
    "h4": {"id"},
    "h5": {"id"},
    "h6": {"id"},
    "li": {"id"},
    "sup": {"id"},
    "th": {"scope"},
}
ALLOWED_CLASSES = {
    "a": {"footnote-ref", "footnote-backref"},
    "div": {"footnote", "toc"},
}


def _allowed_relative_url(url: str) -> str | None:
    """Relative URLs are kept only as in-page anchors (#...) or site paths (/...).

    Anything else without a scheme (``java\tscript:``, ``//other.host``, ``x``) is dropped.
    """
    url = url.strip()
    if url.startswith("#") or (url.startswith("/") and not url.startswith("//")):
        return url
    return None


_cleaner = nh3.Cleaner(
    tags=ALLOWED_TAGS,
    clean_content_tags={"script", "style"},
    attributes=ALLOWED_ATTRIBUTES,
    allowed_classes=ALLOWED_CLASSES,
    url_schemes={"http", "https", "mailto"},
    url_relative=_allowed_relative_url,
    link_rel="noopener",
    strip_comments=True,
)

EXTENSIONS = ["toc", "tables", "footnotes", "fenced_code", "sane_lists"]
EXTENSION_CONFIGS = {
    # Pages own h1 and h2; an editor's "#" heading becomes an h3 inside its section.
    "toc": {"baselevel": 3, "permalink": False},
}


# Python-Markdown's inline patterns are quadratic on some shapes (brackets, parentheses and
# angle brackets left open, long runs of emphasis marks) and its tree walk recurses once per
# nesting level. Text within these limits renders in milliseconds (tests/test_markdown_limits.py
# times the worst shapes at the limits); editors' fields are validated against them, and
# anything past them (old data, the preview) is shown as escaped plain text, never rendered.
MAX_LENGTH = 5_000  # characters in one Markdown text; the longest seeded one has 872
MAX_NESTING = 16  # open brackets, quote levels, list levels or emphasis marks in a row

_OPENERS = {"[": "]", "(": ")", "<": ">"}
_CLOSERS = {close: open_ for open_, close in _OPENERS.items()}
_RUNS = re.compile(r"\*+|_+|`+|~+")
_LINE_START = re.compile(r"^([ \t>]*)", re.MULTILINE)


def nesting(text: str) -> tuple[int, str]:
    """The deepest nesting in the text and what it is, e.g. (17, "'[' left open").

    Inline markup cannot span paragraphs, so brackets are counted per paragraph.
    """
    deepest = (0, "")
    for paragraph in re.split(r"\n[ \t]*\n", text):
        depth = dict.fromkeys(_OPENERS, 0)
        for char in paragraph:
            if char in _OPENERS:
                depth[char] += 1
                if depth[char] > deepest[0]:
                    deepest = (depth[char], f"'{char}' left open")
            elif char in _CLOSERS and depth[_CLOSERS[char]]:
                depth[_CLOSERS[char]] -= 1
    for run in _RUNS.findall(text):
        if len(run) > deepest[0]:
            deepest = (len(run), f"'{run[0]}' in a row")
    for prefix in _LINE_START.findall(text):
        quotes = prefix.count(">")
        indent = len(prefix.replace(">", "").expandtabs(4)) // 2
        if max(quotes, indent) > deepest[0]:
            deepest = (max(quotes, indent), "levels of quotes or list indentation")
    return deepest


def markdown_problem(text: str) -> str | None:
    """Why this text may not be rendered as Markdown, in words for an editor; None if it may."""
    if len(text) > MAX_LENGTH:
        return f"Keep it to {MAX_LENGTH:,} characters (it has {len(text):,})."
    depth, what = nesting(text)
    if depth > MAX_NESTING:
        return (
            f"Nested too deeply: {depth} {what} (at most {MAX_NESTING}). Close brackets you "
            "open, or write a bracket that is text as \\[ or &lt;."
        )
    return None


_local = threading.local()


def _converter() -> markdown.Markdown:
    """This thread's Markdown instance, made once: making one (loading its extensions) took
    two thirds of each text's render. The caller resets it before each text, which clears what
    the last one left (footnotes, the table of contents); an instance is not thread-safe, so
    each thread has its own. One that failed part-way is dropped (``_render``)."""
    converter = getattr(_local, "converter", None)
    if converter is None:
        converter = _local.converter = markdown.Markdown(
            extensions=EXTENSIONS, extension_configs=EXTENSION_CONFIGS, output_format="html"
        )
    return converter


def _drop_converter() -> None:
    """A text given up half-way leaves the renderer in a state reset() does not clear (its
    block parser's stack of open lists and quotes): the next text gets a new one."""
    _local.converter = None


def _render(text: str) -> str:
    if markdown_problem(text):
        return _as_text(text)
    try:
        html = _converter().reset().convert(text)
    except RecursionError:  # a shape the limits above did not foresee: text, not a crash
        _drop_converter()
        return _as_text(text)
    except BaseException:
        _drop_converter()
        raise
    return _cleaner.clean(html)


def _as_text(text: str) -> str:
    """The text as it is, escaped, in paragraphs: what a reader gets for text past the limits."""
    return "\n".join(
        f"<p>{escape(paragraph.strip())}</p>"
        for paragraph in re.split(r"\n[ \t]*\n", text)
        if paragraph.strip()
    )


def render_markdown(text: str | None) -> str:
    """Markdown to sanitised HTML (escaped plain text past the limits above).

    Not cached: pages print the HTML stored when a text was saved, so this runs once per
    save, and in the admin once per preview.
    """
    return _render(text or "")


_MARKUP = re.compile(r"([\\`*_\[\]!#])")


def markdown_literal(text: str) -> str:
    """Text from elsewhere (the package index's versions and specifiers) to put inside
    Markdown so that it renders as exactly that text, never as markup or HTML: Markdown's
    punctuation is backslash-escaped, and <, > and & are written as entities."""
    return escape(_MARKUP.sub(r"\\\1", text), quote=False)
