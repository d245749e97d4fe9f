"""Adding a framework in the admin without unwritten conventions (issue 17): its position
goes at the end, and the "Our advice" label comes from the templates, not from the content."""

import importlib
import json
import re
from types import SimpleNamespace

import pytest
from django.apps import apps
from django.conf import settings
from django.db import connection

from comparisons.models import Criterion, Framework, ProjectType, Rating, UseCase
from core.pages import PUBLIC_PAGES
from tests.admin_forms import add_inline_row, admin_url, change_url, errors_of, read_form
from tests.html import parse

pytestmark = pytest.mark.django_db


# --- position: at the end, with the positions in use shown


@pytest.mark.parametrize("model", [Framework, Criterion, ProjectType])
def test_a_new_objects_position_defaults_to_one_after_the_highest(editor_client, model):
    highest = max(model.objects.values_list("position", flat=True))
    data = read_form(editor_client.get(admin_url(model, "add")), f"{model._meta.model_name}_form")
    assert data["position"] == str(highest + 1)


def test_the_position_help_text_lists_the_positions_in_use(editor_client):
    response = editor_client.get(admin_url(Framework, "add"))
    help_text = str(response.context["adminform"].form.fields["position"].help_text)
    assert "In use: 1 Django, 2 Flask, 3 FastAPI." in help_text


def test_the_position_help_text_is_shown_on_a_change_page_too(editor_client):
    page = editor_client.get(change_url(Criterion.objects.get(slug="packages"))).content.decode()
    assert "In use: 1 Packages, 2 Community size, 3 Performance" in page


# --- "Our advice": a label of the pages


def without_label_migration():
    return importlib.import_module("comparisons.migrations.0012_best_for_without_our_advice")


def test_the_migration_strips_the_label_and_renders_the_html_again(seeded):
    flask = Framework.objects.get(slug="flask")
    flask.best_for = "Our advice: choose *Flask* for small sites."
    flask.save()
    migration = without_label_migration()
    migration.strip_label(apps, SimpleNamespace(connection=connection))
    flask.refresh_from_db()
    assert flask.best_for == "Choose *Flask* for small sites."
    assert flask.best_for_html == "<p>Choose <em>Flask</em> for small sites.</p>"


def test_the_migration_leaves_a_text_without_the_label_alone(seeded):
    django = Framework.objects.get(slug="django")
    before = (django.best_for, django.updated_at)
    without_label_migration().strip_label(apps, SimpleNamespace(connection=connection))
    django.refresh_from_db()
    assert (django.best_for, django.updated_at) == before


def test_no_best_for_in_the_fixtures_starts_with_the_label():
    rows = json.loads((settings.FIXTURE_DIR / "comparisons.json").read_text())
    texts = [row["fields"]["best_for"] for row in rows if row["model"] == "comparisons.framework"]
    assert texts
    assert not [text for text in texts if text.lower().startswith("our advice")]


def test_a_best_for_typed_with_the_label_is_saved_without_it(editor_client, opened_django_form):
    django = Framework.objects.get(slug="django")
    data = opened_django_form()
    data["best_for"] = "Our advice: choose it for a whole website."
    response = editor_client.post(change_url(django), data)
    assert response.status_code == 302, errors_of(response)
    django.refresh_from_db()
    assert django.best_for == "Choose it for a whole website."


def test_a_best_for_that_only_mentions_advice_later_is_kept(editor_client, opened_django_form):
    django = Framework.objects.get(slug="django")
    data = opened_django_form()
    data["best_for"] = "Choose it when you follow our advice: start small."
    assert editor_client.post(change_url(django), data).status_code == 302
    django.refresh_from_db()
    assert django.best_for == "Choose it when you follow our advice: start small."


@pytest.mark.parametrize("url", PUBLIC_PAGES.values(), ids=PUBLIC_PAGES.keys())
def test_no_page_says_our_advice_twice_in_a_row(seeded, client, url):
    text = parse(client.get(url)).clean_text
    assert not re.search(r"our advice\W*our advice", text, re.IGNORECASE)


@pytest.mark.parametrize("url", ["/", "/frameworks/"])
def test_each_card_shows_the_label(seeded, client, url):
    cards = parse(client.get(url)).find_all("li", class_="card")
    assert len(cards) == Framework.objects.count()
    for card in cards:
        assert card.one("p", class_="best-for").clean_text.startswith("Our advice: Choose ")


def test_the_pair_labels_each_frameworks_advice(seeded, client):
    page = parse(client.get("/compare/django-vs-flask/"))
    for slug in ("django", "flask"):
        section = page.one("section", aria_labelledby=f"{slug}-title")
        assert "Our advice" in [h3.clean_text for h3 in section.find_all("h3")]


def test_the_articles_conclusion_labels_each_frameworks_advice(seeded, client):
    conclusion = parse(client.get("/articles/django-flask-or-fastapi/")).by_id("conclusion")
    headings = [h3.clean_text for h3 in conclusion.find_all("h3")]
    assert headings == [f"Our advice on {f.name}" for f in Framework.objects.all()]


# --- a rating's sources and figures, from the framework's page


def django() -> Framework:
    return Framework.objects.get(slug="django")


def rating_rows(page) -> dict:
    """The framework page's saved rating rows by the rating they show, from their criterion."""
    rows = {}
    for rating in Rating.objects.filter(framework=django()).select_related("criterion"):
        for row in page.by_id("ratings-group").find_all("div", class_="inline-related"):
            chosen = row.find("option", value=str(rating.criterion_id), selected="")
            if chosen is not None:
                rows[rating] = row
    return rows


def evidence_of(row):
    return row.one("div", class_="rating-evidence")


def test_each_rating_row_shows_its_sources_titles(editor_client):
    page = parse(editor_client.get(change_url(django())))
    rows = rating_rows(page)
    assert len(rows) == Rating.objects.filter(framework=django()).count()
    for rating, row in rows.items():
        titles = [li.clean_text for li in evidence_of(row).find_all("li")]
        assert titles == ([s.title for s in rating.sources.all()] or ["No source yet."])


def test_each_rating_row_counts_its_figures(editor_client):
    for rating, row in rating_rows(parse(editor_client.get(change_url(django())))).items():
        count = rating.figures.count()
        assert f"{count} figure" in evidence_of(row).clean_text


def test_the_sources_are_read_only_on_the_framework_page(editor_client):
    data = read_form(editor_client.get(change_url(django())), "framework_form")
    assert not [name for name in data if "source" in name and name.startswith("ratings-")]


def test_a_rating_rows_link_opens_its_page_in_the_admins_popup(editor_client):
    for rating, row in rating_rows(parse(editor_client.get(change_url(django())))).items():
        link = evidence_of(row).one("a")
        assert link.attrs["href"] == change_url(rating) + "?_popup=1"
        assert link.attrs["data-popup"] == "yes"
        assert "related-widget-wrapper-link" in link.classes


def test_a_new_rating_row_says_to_save_first(editor_client):
    page = parse(editor_client.get(change_url(django())))
    assert "save first to add its sources" in page.by_id("ratings-empty").clean_text


def test_the_ratings_popup_page_has_its_sources_and_figures(editor_client):
    rating = Rating.objects.filter(framework=django()).first()
    response = editor_client.get(change_url(rating) + "?_popup=1")
    prefixes = {f.formset.prefix for f in response.context["inline_admin_formsets"]}
    assert prefixes == {"sources", "figures"}
    assert response.context["is_popup"]


def test_a_source_saved_in_the_popup_shows_on_the_framework_page(editor_client):
    rating = Rating.objects.filter(framework=django()).first()
    url = change_url(rating) + "?_popup=1"
    data = read_form(editor_client.get(url), "rating_form")
    add_inline_row(data, "sources", title="A new source", url="https://example.com/new",
                   position="9")  # fmt: skip
    response = editor_client.post(url, data)
    assert response.status_code == 200, errors_of(response)
    assert "popup_response" in response.templates[0].name
    row = rating_rows(parse(editor_client.get(change_url(django()))))[rating]
    assert "A new source" in evidence_of(row).clean_text


# --- the kinds of project a use case is an example of


def use_case_row(data: dict, use_case: UseCase) -> str:
    for key, value in data.items():
        if key.startswith("use_cases-") and key.endswith("-id") and value == str(use_case.pk):
            return key.removesuffix("-id")
    raise AssertionError(use_case)


def test_each_use_case_row_has_a_box_per_kind_of_project(editor_client):
    page = parse(editor_client.get(change_url(django())))
    boxes = page.find_all("input", type="checkbox", name="use_cases-0-project_types")
    assert sorted(int(box.attrs["value"]) for box in boxes) == sorted(
        ProjectType.objects.values_list("pk", flat=True)
    )


def test_a_use_case_rows_boxes_show_its_kinds_of_project(editor_client):
    data = read_form(editor_client.get(change_url(django())), "framework_form")
    for use_case in UseCase.objects.filter(framework=django()):
        checked = data.get(f"{use_case_row(data, use_case)}-project_types", [])
        checked = [checked] if isinstance(checked, str) else checked
        assert sorted(map(int, checked)) == sorted(
            use_case.project_types.values_list("pk", flat=True)
        )


def test_checking_a_kind_of_project_links_the_use_case_into_the_helper(
    editor_client, client, opened_django_form
):
    use_case = UseCase.objects.filter(framework=django()).first()
    # A kind of project Django wins: an answer shows the winner's examples.
    kind = ProjectType.objects.exclude(use_cases=use_case).get(slug="shop-or-booking")
    data = opened_django_form()
    name = f"{use_case_row(data, use_case)}-project_types"
    chosen = data.get(name, [])
    data[name] = [*([chosen] if isinstance(chosen, str) else chosen), str(kind.pk)]
    response = editor_client.post(change_url(django()), data)
    assert response.status_code == 302, errors_of(response)
    assert kind.use_cases.filter(pk=use_case.pk).exists()
    answer = parse(client.get(f"/choose/?building={kind.slug}")).clean_text
    assert use_case.title in answer


def test_unchecking_every_kind_of_project_unlinks_the_use_case(editor_client, opened_django_form):
    use_case = UseCase.objects.filter(framework=django(), project_types__isnull=False).first()
    data = opened_django_form()
    data.pop(f"{use_case_row(data, use_case)}-project_types")
    response = editor_client.post(change_url(django()), data)
    assert response.status_code == 302, errors_of(response)
    assert not use_case.project_types.exists()


def test_the_use_case_page_saves_its_kinds_of_project(editor_client):
    use_case = UseCase.objects.filter(framework=django()).first()
    kind = ProjectType.objects.exclude(use_cases=use_case).first()
    data = read_form(editor_client.get(change_url(use_case)), "usecase_form")
    data["project_types"] = [str(kind.pk)]
    response = editor_client.post(change_url(use_case), data)
    assert response.status_code == 302, errors_of(response)
    assert list(use_case.project_types.all()) == [kind]


# --- a rating row ready for each criterion


def test_a_new_framework_has_a_rating_row_ready_for_each_criterion(editor_client):
    data = read_form(editor_client.get(admin_url(Framework, "add")), "framework_form")
    criteria = list(Criterion.objects.values_list("pk", flat=True))
    assert int(data["ratings-TOTAL_FORMS"]) == len(criteria)
    assert [data[f"ratings-{i}-criterion"] for i in range(len(criteria))] == [
        str(pk) for pk in criteria
    ]


def test_a_framework_rated_on_every_criterion_has_no_empty_row(editor_client):
    django = Framework.objects.get(slug="django")
    data = read_form(editor_client.get(change_url(django)), "framework_form")
    assert int(data["ratings-TOTAL_FORMS"]) == django.ratings.count()


def test_a_new_criterion_gets_its_row_on_each_framework_page(editor_client):
    new = Criterion.objects.create(name="Docs", slug="docs", description="How good.", position=99)
    django = Framework.objects.get(slug="django")
    data = read_form(editor_client.get(change_url(django)), "framework_form")
    assert int(data["ratings-TOTAL_FORMS"]) == django.ratings.count() + 1
    assert data[f"ratings-{django.ratings.count()}-criterion"] == str(new.pk)


def test_rows_left_empty_are_not_saved(editor_client):
    new = Criterion.objects.create(name="Docs", slug="docs", description="How good.", position=99)
    django = Framework.objects.get(slug="django")
    data = read_form(editor_client.get(change_url(django)), "framework_form")
    response = editor_client.post(change_url(django), data)
    assert response.status_code == 302, errors_of(response)
    assert not Rating.objects.filter(framework=django, criterion=new).exists()
