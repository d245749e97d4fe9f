"""The tests' one HTML reader: a page (or a fragment) parsed into a tree of elements.

Built on the standard library's HTMLParser, so tests read markup the way a browser's parser
sees its structure, not by matching substrings: attribute order, quoting and character
references do not matter.

    page = parse(response.content)          # bytes, str or a response
    page.one("h1").clean_text               # the one <h1>, its text with blanks folded
    page.find_all("a", class_="cite")       # by tag, class and attribute values
    page.find("meta", name="robots")        # the first match, or None
    page.by_id("sources").children          # child elements, in order
"""

from __future__ import annotations

from collections.abc import Iterator
from html.parser import HTMLParser

VOID = {
    "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source",
    "track", "wbr",
}  # fmt: skip


class Element:
    """One element: its tag, attributes (a valueless attribute is ""), parent and contents."""

    def __init__(self, tag: str, attrs: dict[str, str], parent: Element | None = None):
        self.tag = tag
        self.attrs = attrs
        self.parent = parent
        self.contents: list[Element | str] = []  # child elements and text, in document order

    def __repr__(self) -> str:
        return f"<{self.tag} {self.attrs}>"

    # --- structure

    @property
    def children(self) -> list[Element]:
        return [child for child in self.contents if isinstance(child, Element)]

    def iter(self) -> Iterator[Element]:
        """This element, then every element inside it, in document order."""
        yield self
        for child in self.children:
            yield from child.iter()

    def descendants(self) -> Iterator[Element]:
        """Every element inside this one, in document order."""
        iterator = self.iter()
        next(iterator)
        yield from iterator

    def ancestors(self) -> Iterator[Element]:
        node = self.parent
        while node is not None:
            yield node
            node = node.parent

    def next_sibling(self, tag: str) -> Element | None:
        """The first later sibling element with this tag."""
        siblings = self.parent.children
        return next(
            (node for node in siblings[siblings.index(self) + 1 :] if node.tag == tag), None
        )

    # --- what it says

    @property
    def text(self) -> str:
        """All the text inside it, its descendants' included, as written."""
        return "".join(
            child.text if isinstance(child, Element) else child for child in self.contents
        )

    @property
    def clean_text(self) -> str:
        """The text with every run of white space folded to one space, and stripped."""
        return " ".join(self.text.split())

    @property
    def classes(self) -> set[str]:
        return set(self.attrs.get("class", "").split())

    # --- queries

    def matches(self, tag: str | None = None, class_: str | None = None, **attrs: str) -> bool:
        """Whether it has this tag, this class and these attribute values.

        Attribute names are written as keywords: a trailing underscore is dropped and other
        underscores become hyphens (rel_="canonical", aria_labelledby="x", http_equiv="…").
        """
        wanted = {name.rstrip("_").replace("_", "-"): value for name, value in attrs.items()}
        return (
            (tag is None or self.tag == tag)
            and (class_ is None or class_ in self.classes)
            and all(self.attrs.get(name) == value for name, value in wanted.items())
        )

    def find_all(self, tag: str | None = None, class_: str | None = None, **attrs: str):
        """Every element inside this one that matches (see matches), in document order."""
        return [node for node in self.descendants() if node.matches(tag, class_, **attrs)]

    def find(self, tag: str | None = None, class_: str | None = None, **attrs: str):
        """The first element inside this one that matches, or None."""
        return next((n for n in self.descendants() if n.matches(tag, class_, **attrs)), None)

    def one(self, tag: str | None = None, class_: str | None = None, **attrs: str) -> Element:
        """The only element inside this one that matches: fails unless there is exactly one."""
        found = self.find_all(tag, class_, **attrs)
        assert len(found) == 1, f"expected one <{tag} .{class_} {attrs}>, found {len(found)}"
        return found[0]

    def by_id(self, element_id: str) -> Element | None:
        return self.find(id=element_id)

    def within(self, tag: str, class_: str | None = None, **attrs: str) -> bool:
        """Whether some ancestor matches."""
        return any(node.matches(tag, class_, **attrs) for node in self.ancestors())

    def outline(self) -> tuple:
        """Tags, attributes and text, recursively: equal outlines mean the same markup."""
        return (
            self.tag,
            sorted(self.attrs.items()),
            self.text,
            [child.outline() for child in self.children],
        )


class Document(Element):
    """The root of a parsed page or fragment; it also keeps what is not an element."""

    def __init__(self):
        super().__init__("#document", {})
        self.comments: list[str] = []
        self.declarations: list[str] = []  # <!DOCTYPE …>, <![…]>, <?…>


class _TreeBuilder(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.root = Document()
        self.open: list[Element] = [self.root]

    def handle_starttag(self, tag, attrs):
        element = Element(tag, {name: value or "" for name, value in attrs}, self.open[-1])
        self.open[-1].contents.append(element)
        if tag not in VOID:
            self.open.append(element)

    def handle_startendtag(self, tag, attrs):
        element = Element(tag, {name: value or "" for name, value in attrs}, self.open[-1])
        self.open[-1].contents.append(element)

    def handle_endtag(self, tag):
        for depth in range(len(self.open) - 1, 0, -1):
            if self.open[depth].tag == tag:
                del self.open[depth:]
                return

    def handle_data(self, data):
        self.open[-1].contents.append(data)

    def handle_comment(self, data):
        self.root.comments.append(data)

    def handle_decl(self, decl):
        self.root.declarations.append(decl)

    def handle_pi(self, data):
        self.root.declarations.append(data)

    def unknown_decl(self, data):
        self.root.declarations.append(data)


def parse(markup) -> Document:
    """Parse a page or a fragment: str, bytes (UTF-8) or a response (its content)."""
    if hasattr(markup, "content"):
        markup = markup.content
    builder = _TreeBuilder()
    builder.feed(markup.decode() if isinstance(markup, bytes) else markup)
    builder.close()
    return builder.root


def get_page(client, url: str) -> Document:
    """GET a page that must answer 200, parsed."""
    response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return parse(response)
