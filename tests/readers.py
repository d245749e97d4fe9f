"""What the site's pages show, read from the parsed HTML (tests/html.py) as a reader reads it:
the comparison tables and the decision helper's answer and form."""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlencode

from comparisons.models import Rating
from core.pages import PUBLIC_PAGES
from tests.html import Element, get_page

CHOOSE = PUBLIC_PAGES["choose"]


# --- comparison tables (/compare/, a pair, the article)


def read_table(page: Element, table_id: str) -> tuple[list[Element], list[tuple[str, list]]]:
    """The table's column headers (framework cells) and rows (criterion name, cells)."""
    table = page.by_id(table_id)
    assert table is not None, f"no table #{table_id}"
    header = table.find("thead").find_all("th")[1:]
    rows = []
    for row in table.find("tbody").find_all("tr"):
        heading = row.find("th")
        name = heading.clean_text
        ahead = heading.find("span", class_="ahead")  # "Django ahead", in a pair's table
        if ahead is not None:
            name = name.removesuffix(ahead.clean_text).strip()
        basis = heading.find("span", class_="basis")  # "our judgement": what the ranks rest on
        if basis is not None:
            name = name.replace(basis.clean_text, "", 1).strip()
        rows.append((name, row.find_all("td")))
    return header, rows


def columns(page: Element, table_id: str = "compare-table") -> list[str]:
    """The framework columns, in order, by their linked names."""
    header, _ = read_table(page, table_id)
    return [cell.find("a").clean_text for cell in header]


def row_names(page: Element, table_id: str = "compare-table") -> list[str]:
    _, rows = read_table(page, table_id)
    return [name for name, _ in rows]


def cells(page: Element, table_id: str):
    """(criterion name, framework name, cell) for each cell of the table."""
    names = columns(page, table_id)
    _, rows = read_table(page, table_id)
    for criterion_name, row in rows:
        assert len(row) == len(names)
        for framework_name, cell in zip(names, row, strict=True):
            yield criterion_name, framework_name, cell


def shown_ratings(frameworks, criteria):
    """The ratings a table of these frameworks and criteria shows (from the database)."""
    return Rating.objects.filter(framework__in=frameworks, criterion__in=criteria).select_related(
        "framework", "criterion"
    )


# --- the decision helper (/choose/)


def choose_page(client, params: dict[str, str] | list[tuple[str, str]] | str = "") -> Element:
    """/choose/ with these answers (a dict, pairs, or a query string), parsed."""
    query = params if isinstance(params, str) else urlencode(params)
    return get_page(client, f"{CHOOSE}?{query}" if query else CHOOSE)


@dataclass
class Shown:
    """One framework in the answer's ranked list, as the reader sees it."""

    place: str
    name: str
    meta: str  # "12 points" or "3 points, tied"
    reasons: list[str]

    @property
    def score(self) -> int:
        return int(self.meta.split()[0])


def placings(page: Element) -> list[Shown]:
    """The ranked list (<ol class="placings">) in order; [] when the page has none."""
    lists = page.find_all("ol", class_="placings")
    if not lists:
        return []
    (ranked,) = lists
    shown = []
    for item in ranked.children:
        assert item.tag == "li"
        heading = item.one("h2")
        shown.append(
            Shown(
                place=heading.one("span", class_="place").text.strip(),
                name=heading.one("a").text.strip(),
                meta=heading.one("span", class_="meta").text.strip(),
                reasons=[
                    reason.text.strip()
                    for found in item.find_all("ul", class_="reasons")
                    for reason in found.find_all("li")
                ],
            )
        )
    return shown


def ranking(page: Element) -> list[tuple[str, str, str]]:
    return [(shown.place, shown.name, shown.meta) for shown in placings(page)]


def reasons_of(page: Element, name: str) -> list[str]:
    (shown,) = [shown for shown in placings(page) if shown.name == name]
    return shown.reasons


def checked(page: Element) -> dict[str, list[str]]:
    """For each question of the helper's form, the values of its checked radio buttons."""
    form = page.one("form", class_="helper")
    answers: dict[str, list[str]] = {}
    for radio in form.find_all("input", type="radio"):
        answers.setdefault(radio.attrs["name"], [])
        if "checked" in radio.attrs:
            answers[radio.attrs["name"]].append(radio.attrs["value"])
    return answers


def field_errors(page: Element) -> dict[str, str]:
    """The error shown in each question's fieldset, by the question's field name."""
    errors = {}
    for fieldset in page.one("form", class_="helper").find_all("fieldset"):
        names = {radio.attrs["name"] for radio in fieldset.find_all("input", type="radio")}
        (name,) = names
        messages = fieldset.find_all("p", class_="error")
        if messages:
            errors[name] = " ".join(message.text.strip() for message in messages)
    return errors


def notices(page: Element, role: str) -> list[Element]:
    return page.find_all("div", class_="notice", role=role)


def answer_section(page: Element) -> Element:
    return page.one("section", aria_labelledby="answer-title")


def advice_of(page: Element) -> str:
    """The answer's advice in words: its one paragraph of them."""
    (advice,) = answer_section(page).find_all("p", class_="advice")
    return advice.text
