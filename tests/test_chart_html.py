"""The ratings chart as the pages serve it: a table of places (a column per place, a row per
criterion), each framework's name in its place's column, read through tests/html.py."""

import pytest

from comparisons.models import Criterion, Framework, Rating
from core.pages import PUBLIC_PAGES
from tests import factories
from tests.html import Element, get_page
from tests.readers import shown_ratings

COMPARE = PUBLIC_PAGES["compare"]
PAGES = {COMPARE: "compare-chart", "/frameworks/django/": "framework-chart"}


def chart_of(client, url: str, chart_id: str = "compare-chart") -> Element:
    chart = get_page(client, url).by_id(chart_id)
    assert chart is not None, f"no chart on {url}"
    return chart


def without_note(cell: Element) -> str:
    """A cell's text without its <small> note (a tie's "=2nd", a row's "not rated: …")."""
    note = cell.find("small")
    text = cell.clean_text
    return text.removesuffix(note.clean_text).strip() if note else text


def places(chart: Element) -> list[str]:
    """The column headings after the criterion's."""
    return [th.clean_text for th in chart.one("thead").find_all("th")][1:]


def lines(chart: Element) -> dict[str, list[list[str]]]:
    """Each criterion's row: the framework names in each place, place by place."""
    found = {}
    for row in chart.one("tbody").find_all("tr"):
        heading = row.one("th", scope="row")
        found[without_note(heading)] = [
            without_note(cell).split(", ") if without_note(cell) else []
            for cell in row.find_all("td")
        ]
    return found


def row_of(chart: Element, criterion: str) -> Element:
    return next(
        row for row in chart.one("tbody").find_all("tr")
        if without_note(row.one("th")) == criterion
    )  # fmt: skip


@pytest.mark.parametrize(("url", "chart_id"), PAGES.items())
def test_page_has_one_chart_a_table_with_a_caption(seeded, client, url, chart_id):
    page = get_page(client, url)
    (chart,) = page.find_all("table", class_="rank-grid")
    assert chart.attrs["id"] == chart_id
    assert chart.children[0].tag == "caption"
    assert page.find("svg") is None


@pytest.mark.parametrize(("url", "chart_id"), PAGES.items())
def test_the_caption_says_what_the_chart_shows_in_words(seeded, client, url, chart_id):
    caption = chart_of(client, url, chart_id).one("caption").clean_text
    assert caption.startswith("Where each framework places on each criterion")
    assert "share that place (=2nd)" in caption
    assert "not distances" in caption


@pytest.mark.parametrize(("url", "chart_id"), PAGES.items())
def test_the_columns_are_the_places(seeded, client, url, chart_id):
    chart = chart_of(client, url, chart_id)
    headings = chart.one("thead").find_all("th")
    assert [th.clean_text for th in headings] == ["Criterion", "1st", "2nd", "3rd"]
    assert {th.attrs.get("scope") for th in headings} == {"col"}


@pytest.mark.parametrize(("url", "chart_id"), PAGES.items())
def test_a_row_per_criterion_headed_by_its_name(seeded, client, url, chart_id):
    chart = chart_of(client, url, chart_id)
    assert list(lines(chart)) == list(Criterion.objects.values_list("name", flat=True))
    for row in chart.one("tbody").find_all("tr"):
        assert len(row.find_all("th", scope="row")) == 1
        assert len(row.find_all("td")) == 3


@pytest.mark.parametrize(("url", "chart_id"), PAGES.items())
def test_each_framework_is_named_in_the_column_of_its_rank(seeded, client, url, chart_id):
    found = lines(chart_of(client, url, chart_id))
    ratings = shown_ratings(Framework.objects.published(), Criterion.objects.all())
    expected: dict[str, list[list[str]]] = {name: [[], [], []] for name in found}
    for rating in ratings.order_by("framework__position"):
        expected[rating.criterion.name][rating.rank - 1].append(rating.framework.name)
    assert found == expected


def test_four_frameworks_make_four_places(seeded, client):
    fourth = factories.framework(name="Litestar")
    packages = Criterion.objects.get(slug="packages")
    factories.rating(framework=fourth, criterion=packages, rank=4)
    chart = chart_of(client, COMPARE)
    assert places(chart) == ["1st", "2nd", "3rd", "4th"]
    assert lines(chart)["Packages"] == [["Django"], ["Flask"], ["FastAPI"], ["Litestar"]]


def tie_for_first_on_packages() -> None:
    """Packages ranked 1, 1, 3: Django and Flask level first, FastAPI third."""
    rating = Rating.objects.get(framework__slug="flask", criterion__slug="packages")
    rating.rank = 1
    rating.save()


def test_frameworks_that_share_a_rank_share_a_cell_marked_as_a_tie(seeded, client):
    tie_for_first_on_packages()
    first = row_of(chart_of(client, COMPARE), "Packages").find_all("td")[0]
    assert without_note(first) == "Django, Flask"
    assert first.one("small").clean_text == "=1st"


def test_the_place_after_a_tie_is_empty(seeded, client):
    tie_for_first_on_packages()
    cells = row_of(chart_of(client, COMPARE), "Packages").find_all("td")
    assert [cell.text for cell in cells[1:]] == ["", "FastAPI"]


def test_a_place_held_by_one_framework_is_not_marked_as_a_tie(seeded, client):
    row = row_of(chart_of(client, COMPARE), "Packages")
    assert [cell.find("small") for cell in row.find_all("td")] == [None, None, None]


def test_an_unrated_framework_is_left_out_of_its_row_and_named_as_not_rated(seeded, client):
    Rating.objects.get(framework__slug="fastapi", criterion__slug="packages").delete()
    chart = chart_of(client, COMPARE)
    assert lines(chart)["Packages"] == [["Django"], ["Flask"], []]
    heading = row_of(chart, "Packages").one("th")
    assert heading.one("small").clean_text == "not rated: FastAPI"


def test_a_criterion_nobody_is_rated_on_has_no_row(seeded, client):
    factories.criterion(name="Nobody rated here")
    chart = chart_of(client, COMPARE)
    assert "Nobody rated here" not in lines(chart)
    assert len(lines(chart)) == Criterion.objects.count() - 1


def test_no_ratings_no_chart(seeded, client):
    Rating.objects.all().delete()
    Framework.objects.get(slug="flask").save()  # a new content version
    assert get_page(client, COMPARE).find("table", class_="rank-grid") is None


def test_framework_page_marks_its_own_name_in_every_row(seeded, client):
    chart = chart_of(client, "/frameworks/flask/", "framework-chart")
    marked = chart.find_all("strong")
    assert {strong.clean_text for strong in marked} == {"Flask"}
    assert len(marked) == Rating.objects.filter(framework__slug="flask").count()
    assert all(strong.within("td") for strong in marked)


def test_framework_page_caption_says_how_its_name_is_marked(seeded, client):
    caption = chart_of(client, "/frameworks/flask/", "framework-chart").one("caption")
    assert "Flask is in bold, underlined." in caption.clean_text


def test_compare_chart_marks_no_framework(seeded, client):
    chart = chart_of(client, COMPARE)
    assert chart.find("strong") is None
    assert "bold" not in chart.one("caption").clean_text


def test_framework_filter_shrinks_the_chart_but_keeps_every_place(seeded, client):
    chart = chart_of(client, f"{COMPARE}?fw=django&fw=flask")
    names = {name for row in lines(chart).values() for cell in row for name in cell}
    assert names == {"Django", "Flask"}
    assert places(chart) == ["1st", "2nd", "3rd"]  # ranks are among all three
    assert lines(chart)["Community size"] == [[], ["Django", "Flask"], []]  # level 2nd
    assert "The places are among all 3 frameworks." in chart.one("caption").clean_text


def test_a_name_is_escaped_in_the_chart(seeded, client):
    name = 'Flask & "Co" <b>x</b>'
    framework = Framework.objects.get(slug="flask")
    framework.name = name
    framework.save()
    chart = chart_of(client, COMPARE)
    assert lines(chart)["Packages"] == [["Django"], [name], ["FastAPI"]]
    assert chart.find("b") is None


@pytest.mark.parametrize(("url", "chart_id"), PAGES.items())
def test_the_chart_uses_none_of_the_rank_badge_classes(seeded, client, url, chart_id):
    chart = chart_of(client, url, chart_id)
    classes = {name for element in chart.iter() for name in element.classes}
    assert classes == {"rank-grid"}


@pytest.mark.parametrize(("url", "chart_id"), PAGES.items())
def test_the_chart_has_no_script_no_style_and_no_handler(seeded, client, url, chart_id):
    for element in chart_of(client, url, chart_id).iter():
        assert element.tag not in {"script", "style", "svg"}
        assert "style" not in element.attrs, element.tag
        assert not any(name.startswith("on") for name in element.attrs), element.tag
