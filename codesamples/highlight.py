"""Code highlighted on the server with Pygments: a few CSS classes, no JavaScript.

Pygments' lexers split the code into tokens; this formatter gives each token the class of
its family only (keyword, string, comment, number, name defined, builtin, decorator or
template tag), merging neighbours of one family, so the markup and static/css/site.css (its
light and dark palettes) stay small. Cached per code text: a sample is highlighted once per
process, and whole pages are cached anyway (core/cache.py).
"""

from functools import lru_cache
from html import escape

from pygments import lex
from pygments.lexers import get_lexer_by_name
from pygments.token import Comment, Keyword, Name, Number, Operator, String

# The most specific family first: Comment.Preproc ({% ... %} in templates) before Comment.
FAMILIES = [
    (Comment.Preproc, "d"),
    (Comment, "c"),
    (Keyword, "k"),
    (Operator.Word, "k"),
    (Name.Tag, "k"),
    (String, "s"),
    (Name.Attribute, "f"),
    (Number, "m"),
    (Name.Decorator, "d"),
    (Name.Function, "f"),
    (Name.Class, "f"),
    (Name.Builtin, "b"),
]


def family(token) -> str:
    return next((css for kind, css in FAMILIES if token in kind), "")


@lru_cache(maxsize=512)
def highlight(code: str, language: str) -> str:
    """The code as HTML for inside a <pre><code>: escaped, tokens in <span class=…>."""
    parts: list[str] = []
    current = ""  # the CSS class of the tokens in text
    text: list[str] = []

    def flush():
        if text:
            chunk = escape("".join(text), quote=False)
            parts.append(f'<span class="{current}">{chunk}</span>' if current else chunk)

    for token, value in lex(code, get_lexer_by_name(language, stripnl=False)):
        css = family(token) if value.strip() else ""
        if css != current:
            flush()
            current, text = css, []
        text.append(value)
    flush()
    return "".join(parts).rstrip("\n")
