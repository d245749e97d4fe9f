"""The one Markdown function: editors' Markdown in, safe HTML out.

Every page (through the ``markdown`` template filter) and the admin's live preview
(``MARKDOWNX_MARKDOWNIFY_FUNCTION``) call ``render_markdown``, so what an editor previews is
what a reader gets. Python-Markdown renders; nh3 then keeps only an allow-list of tags,
attributes and URL schemes, so script, event handlers, javascript:/data: URLs, iframes and
style never reach a page, whatever the editor typed.
"""

from functools import lru_cache

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


# Texts up to this many characters are cached (by the text itself, so an edit renders
# afresh); longer ones, rare and only typed by staff, are rendered each time, so that the
# cache stays small (at most 512 x 20,000 characters a process).
CACHE_TEXT_LIMIT = 20_000


def _render(text: str) -> str:
    html = markdown.markdown(
        text, extensions=EXTENSIONS, extension_configs=EXTENSION_CONFIGS, output_format="html"
    )
    return _cleaner.clean(html)


_render_cached = lru_cache(maxsize=512)(_render)


def render_markdown(text: str | None) -> str:
    """Markdown to sanitised HTML."""
    text = text or ""
    return _render_cached(text) if len(text) <= CACHE_TEXT_LIMIT else _render(text)
