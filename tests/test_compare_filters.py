"""/compare/ filtered: ?fw= chooses frameworks, ?c= criteria, ?sort= the column order; unknown
values are named and ignored; the form shows the choice; the address can be shared."""

import re

from django.core.cache import cache
from django.test import Client

from comparisons.models import Criterion, Framework, Rating
from core.pages import PUBLIC_PAGES
from tests.html import Element, get_page, parse
from tests.readers import cells, columns, row_names

COMPARE = PUBLIC_PAGES["compare"]


def test_compare_filter_on_one_criterion(seeded, client):
    page = get_page(client, f"{COMPARE}?c=performance")
    assert row_names(page) == ["Performance"]


def test_compare_filter_on_two_criteria_keeps_their_order(seeded, client):
    page = get_page(client, f"{COMPARE}?c=packages&c=community")
    assert row_names(page) == ["Packages", "Community size"]


def test_compare_sorts_the_columns_by_rank_on_a_criterion(seeded, client):
    page = get_page(client, f"{COMPARE}?sort=async")
    assert columns(page) == ["FastAPI", "Django", "Flask"]
    # The cells move with their columns.
    ranks = [
        cell.find("span", class_="rank").clean_text
        for name, _, cell in cells(page, "compare-table")
        if name == "Async and real-time"
    ]
    assert ranks == ["1st", "2nd", "3rd"]
    for criterion_name, framework_name, cell in cells(page, "compare-table"):
        rating = Rating.objects.get(criterion__name=criterion_name, framework__name=framework_name)
        assert rating.verdict in cell.clean_text


def form_state(page: Element) -> tuple[set[str], set[str], list[str]]:
    form = page.find("form", class_="choose")
    checked = {
        (box.attrs["name"], box.attrs["value"])
        for box in form.find_all("input", type="checkbox")
        if "checked" in box.attrs
    }
    selected = [
        option.attrs["value"]
        for option in form.find("select", name="sort").find_all("option")
        if "selected" in option.attrs
    ]
    return (
        {value for name, value in checked if name == "fw"},
        {value for name, value in checked if name == "c"},
        selected,
    )


def test_compare_combines_frameworks_criteria_and_sort(seeded, client):
    page = get_page(
        client, f"{COMPARE}?fw=django&fw=fastapi&c=community&c=performance&sort=performance"
    )
    assert columns(page) == ["FastAPI", "Django"]
    assert row_names(page) == ["Community size", "Performance"]
    ranks = {
        (criterion, framework): cell.find("span", class_="rank").clean_text
        for criterion, framework, cell in cells(page, "compare-table")
    }
    assert ranks == {
        ("Community size", "FastAPI"): "1st",
        ("Community size", "Django"): "2nd",  # its tie is with Flask, not shown
        ("Performance", "FastAPI"): "1st",  # its tie is with Flask, not shown
        ("Performance", "Django"): "3rd",
    }
    assert form_state(page) == (
        {"django", "fastapi"},
        {"community", "performance"},
        ["performance"],
    )


def test_compare_form_without_filters_checks_everything(seeded, client):
    page = get_page(client, COMPARE)
    assert form_state(page) == (
        set(Framework.objects.published().values_list("slug", flat=True)),
        set(Criterion.objects.values_list("slug", flat=True)),
        [],
    )


def test_compare_names_and_ignores_unknown_criteria_and_sort(seeded, client):
    bad_criterion = "<script>alert(1)</script>"
    response = client.get(COMPARE, {"c": ["performance", bad_criterion], "sort": "bogus&co"})
    assert response.status_code == 200
    raw = response.content.decode()
    page = parse(response)
    assert bad_criterion not in raw  # escaped
    assert "&lt;script&gt;" in raw
    notice = page.find("div", class_="notice")
    assert notice is not None
    assert "Ignored" in notice.clean_text
    assert [q.text for q in notice.find_all("q")] == [bad_criterion, "bogus&co"]
    # Ignored: the known criterion is still shown, the columns keep their usual order.
    assert row_names(page) == ["Performance"]
    assert columns(page) == list(Framework.objects.published().values_list("name", flat=True))
    assert form_state(page)[2] == []


def test_compare_without_unknown_values_has_no_notice(seeded, client):
    page = get_page(client, f"{COMPARE}?fw=flask&c=performance&c=packages&sort=performance")
    assert page.find("div", class_="notice") is None


def test_compare_sorts_by_a_known_criterion_that_is_not_shown(seeded, client):
    page = get_page(client, f"{COMPARE}?c=community&sort=async")
    assert page.find("div", class_="notice") is None
    assert row_names(page) == ["Community size"]
    assert columns(page) == ["FastAPI", "Django", "Flask"]
    assert form_state(page)[2] == ["async"]


def table_html(response) -> str:
    return re.search(r'<table class="ratings".*?</table>', response.content.decode(), re.S)[0]


def test_compare_url_is_shareable(seeded, client):
    url = f"{COMPARE}?fw=flask&fw=fastapi&c=packages&c=performance&sort=packages"
    first = client.get(url)
    cache.clear()  # another reader, another app server: rendered afresh
    second = Client().get(url)
    assert second.status_code == 200
    assert second.get("X-Page-Cache") != "hit"
    assert table_html(first) == table_html(second)
    page = parse(second)
    assert columns(page) == ["Flask", "FastAPI"]
    assert row_names(page) == ["Packages", "Performance"]
    form = page.find("form", class_="choose")
    assert form.attrs.get("method", "get").lower() == "get"


def test_an_a_vs_b_page_marks_a_tie_between_the_two_shown(seeded, client):
    # Seeded: Flask and FastAPI share 1st on performance; Django and Flask 2nd on community.
    for url, criterion, tied in [
        ("/compare/flask-vs-fastapi/", "Performance", "=1st"),
        ("/compare/django-vs-flask/", "Community size", "=2nd"),
    ]:
        page = get_page(client, url)
        ranks = [
            cell.find("span", class_="rank").clean_text
            for name, _, cell in cells(page, "versus-table")
            if name == criterion
        ]
        assert ranks == [tied, tied], url
