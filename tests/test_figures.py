"""Figures: the numbers behind a rating (what is measured, value, unit, among whom, as of when,
from where), shown in the table and on framework pages, in the open data, edited in the
admin; where figures decide a rank, the rank follows them."""

import csv
import datetime
import io
import json
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from comparisons.evidence import rank_conflicts
from comparisons.models import Criterion, Figure, Framework, Rating
from core.pages import PUBLIC_PAGES
from tests import factories
from tests.admin_forms import add_inline_row, admin_url, change_url, errors_of, read_form
from tests.html import get_page, parse
from tests.readers import cells

COMPARE = PUBLIC_PAGES["compare"]
SURVEY = "Python Developers Survey 2024 Results"
SURVEY_URL = "https://lp.jetbrains.com/python-developers-survey-2024/"


def community_figures() -> dict[str, Figure]:
    return {
        figure.rating.framework.slug: figure
        for figure in Figure.objects.filter(rating__criterion__slug="community").select_related(
            "rating__framework"
        )
    }


def ratings_with_figures(criterion_slug: str) -> list[Rating]:
    return list(
        Rating.objects.filter(criterion__slug=criterion_slug)
        .select_related("criterion", "framework")
        .prefetch_related("figures")
    )


# --- the seeded evidence


def test_community_rests_on_the_2024_survey_figures(seeded):
    figures = community_figures()
    assert {slug: figure.value for slug, figure in figures.items()} == {
        "fastapi": Decimal("38"),
        "django": Decimal("35"),
        "flask": Decimal("34"),
    }
    for figure in figures.values():
        assert figure.unit == "%"
        assert figure.source_url == SURVEY_URL
        assert "2024" in figure.source_title
        assert figure.as_of == datetime.date(2024, 11, 1)
        assert figure.ranks
        # Whole percentages from some 30,000 answers: each may be a point off.
        assert figure.spread == Decimal("1")


def test_community_ranks_follow_the_survey(seeded):
    ranks = {r.framework.slug: r.rank for r in ratings_with_figures("community")}
    # 35% and 34% are within the survey's margin: Django and Flask share second place.
    assert ranks == {"fastapi": 1, "django": 2, "flask": 2}


def test_no_seeded_rank_contradicts_its_figures(seeded):
    ratings = (
        Rating.objects.select_related("criterion", "framework").prefetch_related("figures").all()
    )
    assert rank_conflicts(ratings) == []


# --- the rule that ranks follow figures


def exact_survey_figures() -> None:
    """The survey's figures as if they had no margin: the rule at work on exact numbers."""
    Figure.objects.filter(rating__criterion__slug="community").update(spread=0)


def test_a_rank_above_a_better_figure_is_a_conflict(seeded):
    exact_survey_figures()
    Rating.objects.filter(criterion__slug="community", framework__slug="flask").update(rank=1)
    conflicts = rank_conflicts(ratings_with_figures("community"))
    assert [c.split(" on ")[0] for c in conflicts] == [
        "Community size: FastAPI (38%) has a better figure than Flask (34%)",
        "Community size: Django (35%) has a better figure than Flask (34%)",
    ]


def test_equal_figures_with_unequal_ranks_are_a_conflict(seeded):
    exact_survey_figures()
    Figure.objects.filter(rating__criterion__slug="community", rating__framework__slug="flask")\
        .update(value=35)  # fmt: skip
    Rating.objects.filter(criterion__slug="community", framework__slug="flask").update(rank=3)
    conflicts = rank_conflicts(ratings_with_figures("community"))
    assert conflicts == [
        "Community size: Django and Flask have the same figure (35% and 35% of surveyed "
        "developers use it) but different ranks (2 and 3); equal evidence is a tie."
    ]


def test_equal_figures_with_a_shared_rank_are_no_conflict(seeded):
    Figure.objects.filter(rating__criterion__slug="community", rating__framework__slug="flask")\
        .update(value=35)  # fmt: skip
    Rating.objects.filter(criterion__slug="community", framework__slug="flask").update(rank=2)
    assert rank_conflicts(ratings_with_figures("community")) == []


def test_figures_within_their_spread_must_share_a_rank(seeded):
    Figure.objects.filter(rating__criterion__slug="community").update(spread=Decimal("1.5"))
    Rating.objects.filter(criterion__slug="community", framework__slug="flask").update(rank=3)
    conflicts = rank_conflicts(ratings_with_figures("community"))
    # 35 and 34 are within 1.5 of each other; 38 is 3 above 35, outside it.
    assert conflicts == [
        "Community size: Django and Flask have figures within their spread (35 ± 1.5% and "
        "34 ± 1.5% of surveyed developers use it) but different ranks (2 and 3); equal "
        "evidence is a tie."
    ]


def test_a_spread_shows_with_its_unit(seeded, client):
    Figure.objects.filter(
        rating__framework__slug="fastapi", rating__criterion__slug="community"
    ).update(spread=2)
    text = community_figures_on(get_page(client, "/frameworks/fastapi/"))
    assert text.startswith("38 ± 2% of surveyed developers use it")


def test_a_context_figure_decides_no_rank(seeded):
    Rating.objects.filter(criterion__slug="community", framework__slug="flask").update(rank=1)
    Figure.objects.filter(rating__criterion__slug="community").update(direction="context")
    assert rank_conflicts(ratings_with_figures("community")) == []


def test_where_less_is_better_the_smaller_figure_must_rank_higher(seeded):
    criterion = factories.criterion(name="Cold start", slug="cold-start")
    quick, slow = factories.framework(name="Quick"), factories.framework(name="Slow")
    for framework, value, rank in [(quick, 80, 2), (slow, 300, 1)]:
        rating = factories.rating(criterion=criterion, framework=framework, rank=rank)
        Figure.objects.create(
            rating=rating, measure="ms to the first response", value=value, unit="ms",
            method="time to first byte of a fresh process", as_of=datetime.date(2026, 12, 1),
            source_title="Our measurement", source_url="https://example.com/m",
            direction="lower",
        )  # fmt: skip
    (conflict,) = rank_conflicts(ratings_with_figures("cold-start"))
    assert conflict.startswith("Cold start: Quick (80 ms) has a better figure than Slow (300 ms)")


def test_figures_from_different_sources_are_not_compared(seeded):
    Figure.objects.filter(rating__criterion__slug="community", rating__framework__slug="flask")\
        .update(value=90, source_url="https://example.com/another-survey")  # fmt: skip
    assert rank_conflicts(ratings_with_figures("community")) == []


# --- how a figure reads


@pytest.mark.parametrize(
    ("value", "unit", "shown"),
    [
        (Decimal("38.00"), "%", "38%"),
        (Decimal("12.50"), "%", "12.5%"),
        (Decimal("3"), "years", "3 years"),
        (Decimal("1234"), "", "1,234"),
        (Decimal("0"), "", "0"),
    ],
)
def test_a_value_reads_with_its_unit(value, unit, shown):
    assert Figure(value=value, unit=unit).value_text == shown


# --- where readers see them


def test_compare_table_cell_shows_the_figure_and_cites_its_source(seeded, client):
    page = get_page(client, COMPARE)
    notes = {
        li.attrs["id"]: li.find("a").attrs["href"] for li in page.by_id("sources").find_all("li")
    }
    community = {
        fw: cell for name, fw, cell in cells(page, "compare-table") if name == "Community size"
    }
    fastapi = community["FastAPI"].one("ul", class_="figures")
    assert fastapi.clean_text.startswith(f"38 ± 1% of surveyed developers use it — {SURVEY}")
    (marker,) = fastapi.find_all("a")
    assert notes[marker.attrs["href"].removeprefix("#")] == SURVEY_URL
    assert community["Django"].one("ul", class_="figures").clean_text.startswith("35 ± 1% ")
    assert community["Flask"].one("ul", class_="figures").clean_text.startswith("34 ± 1% ")


def test_the_three_survey_figures_share_one_footnote(seeded, client):
    page = get_page(client, COMPARE)
    survey_notes = [
        li
        for li in page.by_id("sources").find_all("li")
        if li.find("a").attrs["href"] == SURVEY_URL
    ]
    assert len(survey_notes) == 1


def community_figures_on(page) -> str:
    """The text of the figures under Community in a framework page's "How it rates"."""
    (item,) = [
        li for li in page.by_id("ratings").next_sibling("ul").children
        if li.find("h3").clean_text.startswith("Community")
    ]  # fmt: skip
    return item.one("ul", class_="figures").clean_text


def page_figures_methods(page) -> list:
    """The folded methods of the figures under Community on a framework page."""
    (item,) = [
        li for li in page.by_id("ratings").next_sibling("ul").children
        if li.find("h3").clean_text.startswith("Community")
    ]  # fmt: skip
    return item.one("ul", class_="figures").find_all("details", class_="method")


def test_framework_page_shows_the_figure_with_who_was_counted_and_when(seeded, client):
    text = community_figures_on(get_page(client, "/frameworks/fastapi/"))
    assert text.startswith(f"38 ± 1% of surveyed developers use it — {SURVEY}")
    assert "], as of November 2024. How it was counted" in text  # after the source's mark
    # Who was counted, and how, is there for those who want it: folded, in the reader's words
    # first.
    (method,) = page_figures_methods(get_page(client, "/frameworks/fastapi/"))
    assert method.one("summary").clean_text == "How it was counted"
    assert (
        "Respondents to the Python Developers Survey 2024 (PSF and JetBrains)" in method.clean_text
    )


def test_a_context_figure_says_it_is_not_the_basis_of_the_rank(seeded, client):
    Figure.objects.filter(
        rating__framework__slug="fastapi", rating__criterion__slug="community"
    ).update(direction="context")
    text = community_figures_on(get_page(client, "/frameworks/fastapi/"))
    assert "as of November 2024. Context, not the basis of the rank. How it" in text


def test_versus_page_shows_the_figures_with_a_link_to_their_source(seeded, client):
    page = get_page(client, "/compare/django-vs-flask/")
    community = {
        fw: cell for name, fw, cell in cells(page, "versus-table") if name == "Community size"
    }
    figures = [community[name].one("ul", class_="figures") for name in ("Django", "Flask")]
    assert [" ".join(ul.clean_text.split(" ")[:3]) for ul in figures] == ["35 ± 1%", "34 ± 1%"]
    assert all(ul.one("a").attrs["href"] == SURVEY_URL for ul in figures)


def test_a_framework_without_figures_shows_none(seeded, client):
    Figure.objects.all().delete()
    assert get_page(client, COMPARE).find("ul", class_="figures") is None


# --- open data


def test_json_rating_carries_its_figures(seeded, client):
    data = json.loads(client.get("/data/comparison.json").content)
    assert data["schema_version"] == "1.5"
    (rating,) = [
        r for r in data["ratings"] if (r["criterion"], r["framework"]) == ("community", "fastapi")
    ]
    (figure,) = rating["figures"]
    assert figure == {
        "measure": "of surveyed developers use it",
        "value": 38,
        "spread": 1,
        "unit": "%",
        "text": "38 ± 1% of surveyed developers use it",
        "method": community_figures()["fastapi"].method,
        "as_of": "2024-11-01",
        "direction": "higher",
        "source": {"title": SURVEY, "url": SURVEY_URL},
    }
    with_figures = {r["criterion"] for r in data["ratings"] if r["figures"]}
    assert with_figures == set(Figure.objects.values_list("rating__criterion__slug", flat=True))


def test_json_keeps_a_fractional_value(seeded, client):
    Figure.objects.filter(
        rating__framework__slug="flask", rating__criterion__slug="community"
    ).update(value=Decimal("34.5"))
    data = json.loads(client.get("/data/comparison.json").content)
    (rating,) = [
        r for r in data["ratings"] if (r["criterion"], r["framework"]) == ("community", "flask")
    ]
    assert rating["figures"][0]["value"] == 34.5


def test_csv_has_a_figures_column(seeded, client):
    rows = list(csv.reader(io.StringIO(client.get("/data/comparison.csv").content.decode())))
    header, body = rows[0], rows[1:]
    column = header.index("figures")
    by_cell = {(row[0], row[2]): row[column] for row in body}
    assert by_cell[("community", "django")] == (
        f"35 ± 1% of surveyed developers use it ({SURVEY}, as of 2024-11-01)"
    )
    assert by_cell[("packages", "django")] == ""


# --- the admin


def test_an_editor_adds_a_figure_to_a_rating(seeded, editor_client):
    rating = Rating.objects.get(criterion__slug="packages", framework__slug="flask")
    url = change_url(rating)
    data = read_form(editor_client.get(url), "rating_form")
    add_inline_row(
        data, "figures", measure="requests per second, one worker", value="1200", spread="0",
        unit="", method="wrk, 30 s, hello world on this machine", as_of="2026-12-01",
        source_title="Our benchmark, December 2026", source_url="https://example.com/bench",
        direction="context", position="0",
    )  # fmt: skip
    response = editor_client.post(url, data)
    assert response.status_code == 302, errors_of(response)
    figure = rating.figures.get()
    assert figure.value_text == "1,200"
    assert figure.direction == "context"


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("value", "-3"),
        ("spread", "-1"),
        ("source_url", "javascript:alert(1)"),
        ("as_of", "not a date"),
    ],
)
def test_the_admin_refuses_a_bad_figure(seeded, editor_client, field, value):
    rating = Rating.objects.get(criterion__slug="packages", framework__slug="flask")
    url = change_url(rating)
    data = read_form(editor_client.get(url), "rating_form")
    fields = {"value": "10", "spread": "0", "source_url": "https://example.com/b",
              "as_of": "2026-12-01"}  # fmt: skip
    fields[field] = value
    add_inline_row(
        data, "figures", measure="requests per second", unit="", method="wrk",
        source_title="Bench", direction="higher", position="0", **fields,
    )  # fmt: skip
    response = editor_client.post(url, data)
    assert response.status_code == 200
    assert f"figures-0-{field}" in errors_of(response)  # the rating had no figure
    assert not rating.figures.exists()


def test_the_admin_refuses_a_second_figure_for_the_same_measure(seeded, editor_client):
    figure = community_figures()["flask"]
    url = change_url(figure.rating)
    data = read_form(editor_client.get(url), "rating_form")
    add_inline_row(
        data, "figures", measure=figure.measure, value="1", spread="0", unit="%", method="again",
        as_of="2026-12-01", source_title="Again", source_url="https://example.com/a",
        direction="higher", position="1",
    )  # fmt: skip
    response = editor_client.post(url, data)
    assert response.status_code == 200
    assert figure.rating.figures.count() == 1


def test_criterion_page_in_admin_warns_when_a_rank_contradicts_its_figures(seeded, editor_client):
    Rating.objects.filter(criterion__slug="community", framework__slug="flask").update(rank=1)
    criterion = Criterion.objects.get(slug="community")
    page = parse(editor_client.get(change_url(criterion)))
    warnings = [li.clean_text for li in page.find_all("li", class_="warning")]
    assert any(
        w.startswith("Community size: FastAPI (38 ± 1%) has a better figure than Flask")
        for w in warnings
    )


def test_criterion_page_in_admin_has_no_warning_when_ranks_follow(seeded, editor_client):
    page = parse(editor_client.get(change_url(Criterion.objects.get(slug="community"))))
    assert page.find_all("li", class_="warning") == []


def test_figures_have_their_own_list_in_admin(seeded, editor_client):
    page = parse(editor_client.get(admin_url(Figure, "changelist")))
    rows = page.one("table", id="result_list").one("tbody").children
    assert len(rows) == Figure.objects.count()
    assert Figure.objects.count() >= 3


def test_figures_are_shown_for_published_frameworks_only(seeded, client):
    Framework.objects.filter(slug="flask").update(is_published=False)
    data = json.loads(client.get("/data/comparison.json").content)
    assert {r["framework"] for r in data["ratings"] if r["figures"]} == {"django", "fastapi"}


# --- a source on this site


def test_a_figure_may_cite_a_page_of_this_site_and_the_open_data_makes_it_absolute(
    seeded, client, settings
):
    Figure.objects.filter(rating__framework__slug="flask").update(
        source_url="/methodology/#benchmark"
    )
    page = get_page(client, "/compare/django-vs-flask/")
    links = [ul.one("a").attrs["href"] for ul in page.find_all("ul", class_="figures")]
    assert "/methodology/#benchmark" in links
    data = json.loads(client.get("/data/comparison.json").content)
    (rating,) = [
        r for r in data["ratings"] if (r["criterion"], r["framework"]) == ("community", "flask")
    ]
    assert rating["figures"][0]["source"]["url"] == settings.SITE_URL + "/methodology/#benchmark"


@pytest.mark.parametrize(
    "link", ["//evil.example/x", "/a b", "/x?y=1", "javascript:alert(1)", "methodology/"]
)
def test_a_source_link_must_be_http_or_a_plain_site_path(link):
    figure = Figure(source_url=link)
    with pytest.raises(ValidationError) as raised:
        figure.clean_fields(exclude=[f.name for f in Figure._meta.fields if f.name != "source_url"])
    assert "source_url" in raised.value.message_dict


def test_the_database_refuses_a_scheme_relative_source(seeded):
    rating = Rating.objects.get(criterion__slug="community", framework__slug="flask")
    with pytest.raises(IntegrityError), transaction.atomic():
        Figure.objects.filter(rating=rating).update(source_url="//evil.example/")
