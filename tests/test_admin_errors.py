"""Every error of a content form in one submit, next to its row, and listed at the top
(issue 17); number boxes refuse in the browser what the database refuses."""

import pytest

from comparisons.models import Criterion, Figure, Framework, ProjectType, Rating
from core.validators import EARLIEST_YEAR, LATEST_YEAR
from tests.admin_forms import add_inline_row, admin_url, change_url, errors_of, read_form
from tests.html import parse

pytestmark = pytest.mark.django_db

PERFORMANCE_TWICE = "Performance is rated twice: keep one of these rows."


def django() -> Framework:
    return Framework.objects.get(slug="django")


def criterion(slug: str) -> Criterion:
    return Criterion.objects.get(slug=slug)


def form_of(client, obj) -> dict:
    return read_form(client.get(change_url(obj)), f"{obj._meta.model_name}_form")


def row_of(data: dict, prefix: str, field: str, value) -> str:
    for key, item in data.items():
        if key.startswith(f"{prefix}-") and key.endswith(f"-{field}") and item == str(value):
            return key.removesuffix(f"-{field}")
    raise AssertionError(f"no {prefix} row with {field}={value}")


def new_row(data: dict, prefix: str) -> str:
    return f"{prefix}-{data[f'{prefix}-TOTAL_FORMS']}"


def rank_zero_and_performance_twice(opened_form) -> tuple[dict, str, str, str]:
    """The framework form with the Packages rank set to 0 and a second Performance row."""
    data = opened_form()
    packages = row_of(data, "ratings", "criterion", criterion("packages").pk)
    data[f"{packages}-rank"] = "0"
    first = row_of(data, "ratings", "criterion", criterion("performance").pk)
    second = new_row(data, "ratings")
    add_inline_row(data, "ratings", criterion=str(criterion("performance").pk), rank="2",
                   verdict="Again")  # fmt: skip
    return data, packages, first, second


# --- all at once, on the row's field


def test_a_rank_of_0_and_a_repeated_criterion_are_reported_in_one_submit(
    editor_client, opened_django_form
):
    data, packages, _, second = rank_zero_and_performance_twice(opened_django_form)
    errors = errors_of(editor_client.post(change_url(django()), data))
    assert f"{packages}-rank" in errors
    assert errors[f"{second}-criterion"] == [PERFORMANCE_TWICE]


def test_both_rows_of_a_repeated_criterion_are_marked(editor_client, opened_django_form):
    data, _, first, second = rank_zero_and_performance_twice(opened_django_form)
    errors = errors_of(editor_client.post(change_url(django()), data))
    assert errors[f"{first}-criterion"] == errors[f"{second}-criterion"] == [PERFORMANCE_TWICE]


def test_nothing_is_saved_when_a_criterion_is_repeated(editor_client, opened_django_form):
    data, _, _, _ = rank_zero_and_performance_twice(opened_django_form)
    editor_client.post(change_url(django()), data)
    assert Rating.objects.filter(framework=django(), criterion__slug="performance").count() == 1
    assert Rating.objects.get(framework=django(), criterion__slug="packages").rank == 1


def test_a_repeated_framework_on_the_criterion_page_is_named(editor_client):
    performance = criterion("performance")
    data = form_of(editor_client, performance)
    data[f"{row_of(data, 'ratings', 'framework', django().pk)}-rank"] = "0"
    second = new_row(data, "ratings")
    add_inline_row(data, "ratings", framework=str(django().pk), rank="2", verdict="Again")
    errors = errors_of(editor_client.post(change_url(performance), data))
    assert errors[f"{second}-framework"] == ["Django is rated twice: keep one of these rows."]


def test_a_repeated_criterion_in_a_project_types_needs_is_named(editor_client):
    project = ProjectType.objects.get(slug="json-api")
    data = form_of(editor_client, project)
    need = data["needs-0-criterion"]
    name = Criterion.objects.get(pk=need).name
    second = new_row(data, "needs")
    add_inline_row(data, "needs", criterion=need, weight="2", why="")
    data["name"] = ""  # an error elsewhere does not hide it
    errors = errors_of(editor_client.post(change_url(project), data))
    assert "name" in errors
    assert errors[f"{second}-criterion"] == [f"{name} has two weights: keep one of these rows."]


def test_a_repeated_title_is_reported_when_another_row_has_an_error(
    editor_client, opened_django_form
):
    data = opened_django_form()
    title = data["pros-0-title"]
    data["pros-1-body"] = ""  # a required field left empty
    second = new_row(data, "pros")
    add_inline_row(data, "pros", title=title, body="Again.", kind="pro", position="9")
    errors = errors_of(editor_client.post(change_url(django()), data))
    assert "pros-1-body" in errors
    assert errors[f"{second}-title"] == [f"Two rows have the title “{title}”: give each its own."]


def test_a_repeated_title_in_an_invalid_row_is_reported_too(editor_client, opened_django_form):
    data = opened_django_form()
    title = data["use_cases-0-title"]
    second = new_row(data, "use_cases")
    add_inline_row(data, "use_cases", title=title, body="", position="9")  # no body: invalid
    errors = errors_of(editor_client.post(change_url(django()), data))
    assert f"{second}-body" in errors
    assert f"{second}-title" in errors


def test_a_deleted_row_does_not_count_as_a_repeat(editor_client, opened_django_form):
    data, packages, first, _ = rank_zero_and_performance_twice(opened_django_form)
    data[f"{packages}-rank"] = "1"
    data[f"{first}-DELETE"] = "on"
    response = editor_client.post(change_url(django()), data)
    assert response.status_code == 302, errors_of(response)
    assert Rating.objects.get(framework=django(), criterion__slug="performance").verdict == "Again"


# --- the summary under the banner


def summary_links(response) -> list[tuple[str, str]]:
    nav = parse(response).one("nav", class_="error-summary")
    return [(a.clean_text, a.attrs["href"]) for a in nav.find_all("a")]


def test_the_summary_links_each_error_to_its_row(editor_client, opened_django_form):
    data, packages, first, second = rank_zero_and_performance_twice(opened_django_form)
    links = summary_links(editor_client.post(change_url(django()), data))
    assert [href for _, href in links] == [f"#{packages}", f"#{first}", f"#{second}"]


def test_a_summary_item_names_the_row_and_its_field(editor_client, opened_django_form):
    data, _, first, second = rank_zero_and_performance_twice(opened_django_form)
    links = summary_links(editor_client.post(change_url(django()), data))
    saved = Rating.objects.get(framework=django(), criterion__slug="performance")
    number = {row: int(row.rpartition("-")[2]) + 1 for row in (first, second)}
    assert links[1][0] == f"Rating {number[first]} “{saved}”, Criterion: {PERFORMANCE_TWICE}"
    assert links[2][0] == f"Rating {number[second]} (new), Criterion: {PERFORMANCE_TWICE}"


def test_each_summary_link_points_at_an_element_of_the_page(editor_client, opened_django_form):
    data, _, _, _ = rank_zero_and_performance_twice(opened_django_form)
    data["tagline"] = ""
    response = editor_client.post(change_url(django()), data)
    page = parse(response)
    for _, href in summary_links(response):
        assert page.by_id(href.removeprefix("#")) is not None, href


def test_a_field_of_the_form_itself_is_linked_by_its_id(editor_client, opened_django_form):
    data = opened_django_form()
    data["tagline"] = ""
    links = summary_links(editor_client.post(change_url(django()), data))
    assert links == [("Tagline: This field is required.", "#id_tagline")]


def test_the_summary_sits_under_the_banner_before_the_first_fieldset(
    editor_client, opened_django_form
):
    data = opened_django_form()
    data["tagline"] = ""
    page = editor_client.post(change_url(django()), data).content.decode()
    assert page.index('class="errornote"') < page.index("error-summary") < page.index("<fieldset")


def test_a_form_without_errors_has_no_summary(editor_client):
    page = parse(editor_client.get(change_url(django())))
    assert page.find("nav", class_="error-summary") is None


# --- number boxes: the database's minimum in the browser too


def number_box(client, url: str, name: str):
    return parse(client.get(url)).one("input", name=name)


def test_the_rank_box_refuses_0_in_the_browser(editor_client, opened_django_form):
    data = opened_django_form()
    name = f"{row_of(data, 'ratings', 'criterion', criterion('packages').pk)}-rank"
    assert number_box(editor_client, change_url(django()), name).attrs["min"] == "1"


def test_the_new_rating_rows_rank_box_refuses_0_too(editor_client):
    assert number_box(editor_client, admin_url(Rating, "add"), "rank").attrs["min"] == "1"


def test_the_first_release_box_has_the_years_the_database_allows(editor_client):
    box = number_box(editor_client, admin_url(Framework, "add"), "first_released")
    assert (box.attrs["min"], box.attrs["max"]) == (str(EARLIEST_YEAR), str(LATEST_YEAR))


@pytest.mark.parametrize("name", ["value", "spread"])
def test_a_figures_number_box_refuses_a_negative_number(editor_client, name):
    assert number_box(editor_client, admin_url(Figure, "add"), name).attrs["min"] == "0"


def test_a_negative_figure_is_a_form_error_on_its_field(editor_client):
    figure = Figure.objects.first()
    data = form_of(editor_client, figure)
    data["value"] = "-1"
    errors = errors_of(editor_client.post(change_url(figure), data))
    assert list(errors) == ["value"]
