"""render_markdown: editors' Markdown in, safe HTML out, and good Markdown still renders.

Hostile inputs are checked on the HTML that comes out, walked with the standard library's
HTMLParser (elements, attributes, comments; tests/html.py), not only by looking for substrings.
"""

import html

import pytest

from core.markdown import _render, render_markdown
from tests.html import parse

# --------------------------------------------------------------------------------------------
# Reading the output
# --------------------------------------------------------------------------------------------


def start_tags(fragment: str) -> list[tuple[str, dict[str, str]]]:
    """Every element of the fragment, in document order: its tag and its attributes."""
    return [(element.tag, element.attrs) for element in parse(fragment).descendants()]


def tags(fragment: str) -> list[str]:
    return [tag for tag, _ in start_tags(fragment)]


def elements(fragment: str, tag: str) -> list[dict[str, str]]:
    return [attrs for name, attrs in start_tags(fragment) if name == tag]


def normalise_url(value: str) -> str:
    """Unescape, drop every whitespace and control character, lowercase.

    Stricter than a browser's URL parser (which removes only tab/CR/LF inside a URL), so a
    scheme smuggled in with any blank or control character still shows up here.
    """
    unescaped = html.unescape(html.unescape(value))
    kept = (
        char
        for char in unescaped
        if not (char.isspace() or ord(char) < 0x20 or 0x7F <= ord(char) <= 0x9F)
    )
    return "".join(kept).lower()


FORBIDDEN_TAGS = {
    "script", "iframe", "frame", "frameset", "object", "embed", "applet", "form", "input",
    "button", "select", "textarea", "style", "svg", "math", "base", "meta", "link", "noscript",
    "template", "xmp", "title",
}  # fmt: skip
URL_ATTRIBUTES = {"href", "src", "action", "formaction", "data", "xlink:href", "poster"}
SAFE_URL_PREFIXES = ("http:", "https:", "mailto:", "#", "/")
SCRIPT_SCHEMES = ("javascript:", "vbscript:", "data:")


def urls(fragment: str) -> list[str]:
    return [
        value
        for _, attrs in start_tags(fragment)
        for name, value in attrs.items()
        if name in URL_ATTRIBUTES
    ]


# --------------------------------------------------------------------------------------------
# 1. Hostile input
# --------------------------------------------------------------------------------------------

HOSTILE = {
    # <script>, however it is spelt
    "script": "<script>alert(1)</script>",
    "script-uppercase": "<SCRIPT>alert(1)</SCRIPT>",
    "script-split": "<scr<script>ipt>alert(1)</script>",
    "script-in-paragraph": "Hello <script>alert(1)</script> world",
    "script-src": '<script src="https://evil.example/x.js"></script>',
    # event handlers
    "img-onerror": "<img src=x onerror=alert(1)>",
    "img-onerror-https": '<img src="https://ok.example/a.png" onerror="alert(1)">',
    "svg-onload": "<svg onload=alert(1)>",
    "details-ontoggle": "<details open ontoggle=alert(1)>",
    "a-onclick": '<a href="https://ok.example" onclick="alert(1)">x</a>',
    # javascript: and friends in Markdown links
    "link-javascript": "[x](javascript:alert(1))",
    "link-javascript-mixed-case": "[x](JaVaScRiPt:alert(1))",
    "link-javascript-leading-space": "[x]( javascript:alert(1))",
    "link-entity-decimal": "[x](&#106;avascript:alert(1))",
    "link-entity-hex": "[x](&#x6A;avascript:alert(1))",
    "link-entity-tab-in-scheme": "[x](jav&#x09;ascript:alert(1))",
    "link-entity-newline-in-scheme": "[x](jav&#x0A;ascript:alert(1))",
    "link-tab-in-scheme": "[x](java\tscript:alert(1))",
    "link-newline-in-scheme": "[x](<java\nscript:alert(1)>)",
    "link-vbscript": "[x](vbscript:msgbox(1))",
    "link-data-html": "[x](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    "image-data-svg": "![x](data:image/svg+xml,<svg onload=alert(1)>)",
    "autolink-javascript": "<javascript:alert(1)>",
    "reference-javascript": "[x][evil]\n\n[evil]: javascript:alert(1)",
    "reference-javascript-titled": '[x][evil]\n\n[evil]: <javascript:alert(1)> "t"',
    # javascript: in raw HTML
    "raw-href-entity-tab": "<a href='jav&#x09;ascript:alert(1)'>x</a>",
    "raw-href-literal-tab": '<a href="java\tscript:alert(1)">x</a>',
    "raw-href-padded-entities": '<a href="&#0000106&#0000097vascript:alert(1)">x</a>',
    "raw-href-leading-space": '<a href=" javascript:alert(1)">x</a>',
    "raw-href-literal-newline": '<a href="java\nscript:alert(1)">x</a>',
    "raw-href-literal-carriage-return": '<a href="java\rscript:alert(1)">x</a>',
    "raw-href-named-entities": '<a href="java&Tab;script&colon;alert(1)">x</a>',
    "raw-href-leading-control-char": '<a href="\x01javascript:alert(1)">x</a>',
    "link-nul-before-scheme": "[x](\x00javascript:alert(1))",
    # embedding elements
    "iframe": '<iframe src="https://evil.example"></iframe>',
    "object": '<object data="https://evil.example/x.swf"></object>',
    "embed": '<embed src="https://evil.example/x.swf">',
    "form-input": '<form action="https://evil.example"><input name=a></form>',
    # style
    "style-element": "<style>body{display:none}</style>",
    "style-attribute": '<p style="position:fixed;inset:0">x</p>',
    "style-attribute-on-cell": "<table><tr><td style='color:red'>a</td></tr></table>",
    # breaking out of an attribute
    "title-breakout-backslash": '[x](https://ok.example "a\\" onmouseover=\\"alert(1)")',
    "title-breakout-entity": '[x](https://ok.example "a&quot; onmouseover=&quot;alert(1)")',
    "raw-title-breakout": "<a title='x\" onmouseover=\"alert(1)'>t</a>",
    # mutation XSS through foreign content and raw-text elements
    "mxss-math-mglyph-style": (
        "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>"
        "</style></mglyph></table></mtext></math>"
    ),
    "mxss-svg-p-style": "<svg><p><style><img src=x onerror=alert(1)></style></p></svg>",
    "mxss-svg-a-javascript": '<svg><a href="javascript:alert(1)">x</a></svg>',
    "mxss-math-href": '<math href="javascript:alert(1)">x</math>',
    "mxss-noscript-title": '<noscript><p title="</noscript><img src=x onerror=alert(1)>">',
    "mxss-xmp": "<xmp><script>alert(1)</script></xmp>",
    "mxss-textarea": "<textarea><script>alert(1)</script></textarea>",
    # document-level elements
    "base-href": '<base href="https://evil.example/">',
    "meta-refresh": '<meta http-equiv="refresh" content="0;url=https://evil.example">',
    "link-stylesheet": '<link rel=stylesheet href="https://evil.example/x.css">',
    # comments hiding content
    "comment-hiding-script": "<!-- <script>alert(1)</script> -->",
    "comment-abrupt-close": "<!--><script>alert(1)</script>-->",
    "comment-conditional": "<!--[if IE]><script>alert(1)</script><![endif]-->",
}


def hostile_cases():
    return [pytest.param(source, id=case) for case, source in HOSTILE.items()]


def test_hostile_table_is_large_enough():
    assert len(HOSTILE) >= 20


@pytest.mark.parametrize("source", hostile_cases())
def test_hostile_input_leaves_no_dangerous_element(source):
    found = set(tags(render_markdown(source))) & FORBIDDEN_TAGS
    assert not found, render_markdown(source)


@pytest.mark.parametrize("source", hostile_cases())
def test_hostile_input_leaves_no_event_handler_attribute(source):
    output = render_markdown(source)
    handlers = [
        (tag, name) for tag, attrs in start_tags(output) for name in attrs if name.startswith("on")
    ]
    assert not handlers, output


@pytest.mark.parametrize("source", hostile_cases())
def test_hostile_input_leaves_no_style_attribute(source):
    output = render_markdown(source)
    styled = [tag for tag, attrs in start_tags(output) if "style" in attrs]
    assert not styled, output


@pytest.mark.parametrize("source", hostile_cases())
def test_hostile_input_leaves_no_comment_or_declaration(source):
    parsed = parse(render_markdown(source))
    assert not parsed.comments
    assert not parsed.declarations


@pytest.mark.parametrize("source", hostile_cases())
def test_hostile_input_never_yields_a_script_or_data_url(source):
    output = render_markdown(source)
    bad = [url for url in urls(output) if normalise_url(url).startswith(SCRIPT_SCHEMES)]
    assert not bad, output


@pytest.mark.parametrize("source", hostile_cases())
def test_hostile_input_keeps_only_safe_url_prefixes(source):
    output = render_markdown(source)
    bad = [url for url in urls(output) if not normalise_url(url).startswith(SAFE_URL_PREFIXES)]
    assert not bad, output


@pytest.mark.parametrize("source", hostile_cases())
def test_hostile_input_leaves_no_script_markup_in_the_raw_output(source):
    # Belt and braces next to the parser: no live tag survives as a substring either.
    output = render_markdown(source).lower()
    for needle in ("<script", "<iframe", "<svg", "<math", "<style", "<object", "<embed"):
        assert needle not in output


def test_normalise_url_sees_through_smuggled_schemes():
    # The checker itself must not be fooled, or the URL tests above prove nothing.
    assert normalise_url("&#106;ava\tscript:x").startswith("javascript:")
    assert normalise_url(" JaVa\x00Script:x").startswith("javascript:")
    assert normalise_url("&amp;#x6A;avascript:x").startswith("javascript:")


# --------------------------------------------------------------------------------------------
# 2. Good Markdown still renders
# --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("source", "tag", "anchor"),
    [
        ("# Choosing a framework", "h3", "choosing-a-framework"),
        ("## Async support", "h4", "async-support"),
        ("### Admin and ORM", "h5", "admin-and-orm"),
    ],
)
def test_heading_is_demoted_below_the_page_headings_with_an_anchor_id(source, tag, anchor):
    output = render_markdown(source)
    assert not {"h1", "h2"} & set(tags(output))
    assert elements(output, tag) == [{"id": anchor}]


def test_repeated_headings_get_distinct_anchor_ids():
    ids = [attrs["id"] for attrs in elements(render_markdown("# Setup\n\n# Setup"), "h3")]
    assert len(ids) == len(set(ids)) == 2


def test_toc_marker_links_to_the_heading_ids():
    output = render_markdown("[TOC]\n\n# Flask\n\n## Blueprints\n\n# FastAPI")
    assert {"class": "toc"} in elements(output, "div")
    heading_ids = {attrs["id"] for tag, attrs in start_tags(output) if tag in {"h3", "h4"}}
    toc_targets = {attrs["href"] for attrs in elements(output, "a")}
    assert heading_ids == {"flask", "blueprints", "fastapi"}
    assert toc_targets == {f"#{anchor}" for anchor in heading_ids}


def test_table_renders_with_head_and_body():
    output = render_markdown("| Framework | Async |\n|:--|--:|\n| Django | yes |\n| Flask | no |")
    found = tags(output)
    assert found[:3] == ["table", "thead", "tr"]
    assert found.count("th") == 2
    assert "tbody" in found
    assert found.count("td") == 4
    assert "Django" in parse(output).text


def test_footnote_links_to_its_note_and_back():
    output = render_markdown("Django ships an admin.[^admin]\n\n[^admin]: Since 2005.")
    ref = [a for a in elements(output, "a") if a.get("class") == "footnote-ref"]
    back = [a for a in elements(output, "a") if a.get("class") == "footnote-backref"]
    note_ids = {attrs.get("id") for attrs in elements(output, "li")}
    ref_ids = {attrs.get("id") for attrs in elements(output, "sup")}
    assert len(ref) == len(back) == 1
    assert ref[0]["href"].removeprefix("#") in note_ids
    assert back[0]["href"].removeprefix("#") in ref_ids
    assert {"class": "footnote"} in elements(output, "div")


def test_inline_code_renders_as_escaped_code():
    output = render_markdown("Call `render(request, '<b>')` here.")
    assert "<code>render(request, '&lt;b&gt;')</code>" in output


def test_indented_code_block_renders_as_pre_code():
    output = render_markdown("Example:\n\n    x = 1\n    y = '<b>'\n")
    assert "<pre><code>x = 1\ny = '&lt;b&gt;'\n</code></pre>" in output


@pytest.mark.parametrize(
    "source",
    [
        pytest.param(
            "```\nx = 1\n```",
            id="plain",
        ),
        pytest.param(
            "```python\nx = 1\n```",
            id="with-language",
        ),
        pytest.param(
            "Text\n\n```\nx = 1\n\ny = 2\n```",
            id="with-blank-line",
        ),
    ],
)
def test_fenced_code_block_renders_as_pre_code(source):
    output = render_markdown(source)
    assert "<pre>" in output
    assert "python" not in parse(output).text
    assert "```" not in output


def test_lists_render_as_list_elements():
    output = render_markdown("- Django\n- Flask\n\n1. Install\n2. Run")
    assert tags(output) == ["ul", "li", "li", "ol", "li", "li"]


def test_https_link_keeps_its_href_and_gains_noopener():
    output = render_markdown("[Docs](https://docs.djangoproject.com/en/5.2/)")
    assert elements(output, "a") == [
        {"href": "https://docs.djangoproject.com/en/5.2/", "rel": "noopener"}
    ]


def test_mailto_and_fragment_links_keep_their_href():
    output = render_markdown("[Mail](mailto:editor@example.com) and [Up](#top)")
    assert [a["href"] for a in elements(output, "a")] == ["mailto:editor@example.com", "#top"]


def test_https_image_keeps_src_and_alt():
    output = render_markdown('![Django logo](https://static.example/django.png "Logo")')
    assert elements(output, "img") == [
        {"alt": "Django logo", "src": "https://static.example/django.png", "title": "Logo"}
    ]


# --------------------------------------------------------------------------------------------
# 3. Deterministic
# --------------------------------------------------------------------------------------------


def test_same_input_gives_identical_output():
    source = "# Title\n\nSome *text* with a [link](https://ok.example).[^1]\n\n[^1]: Note."
    assert _render(source) == _render(source) == render_markdown(source)


def test_a_text_renders_alike_whatever_was_rendered_before_it():
    """Nothing of one text (its notes, its headings' ids, its table of contents) reaches the
    next: the renderer is made once per thread and reset before each text."""
    later = "[TOC]\n\n# Setup\n\nPlain words."
    alone = render_markdown(later)
    render_markdown("[TOC]\n\n# Setup\n\n# Setup\n\nA claim.[^src]\n\n[^src]: A source.")
    after = render_markdown(later)
    assert after == alone
    assert "footnote" not in after
    assert [attrs["id"] for attrs in elements(after, "h3")] == ["setup"]


# --------------------------------------------------------------------------------------------
# 4. Empty input
# --------------------------------------------------------------------------------------------


@pytest.mark.parametrize("source", ["", None], ids=["empty-string", "none"])
def test_empty_input_renders_nothing(source):
    assert render_markdown(source) == ""


def test_texts_past_the_length_limit_show_as_text():
    from core.markdown import MAX_LENGTH

    long_text = "word " * (MAX_LENGTH // 5 + 10)
    assert render_markdown(long_text).startswith("<p>word word")
