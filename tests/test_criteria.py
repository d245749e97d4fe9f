"""The criteria a beginner decides on, each rated for every published framework with evidence,
with ranks that follow one rule; and the project types' needs, which editors set in admin."""

import pytest

from comparisons.evidence import tie_rule_breaks
from comparisons.models import Criterion, Framework, ProjectNeed, ProjectType, Rating
from tests import factories
from tests.admin_forms import add_inline_row, change_url, errors_of, read_form
from tests.factories import unsaved_criteria, unsaved_frameworks, unsaved_ratings
from tests.html import get_page, parse
from tests.readers import cells

BEGINNERS_CRITERIA = [
    "packages",
    "community",
    "performance",
    "learning-curve",
    "batteries",
    "api-tooling",
    "async",
    "stability",
    "security-defaults",
]


def test_the_nine_criteria_a_beginner_decides_on_are_seeded(seeded):
    assert list(Criterion.objects.values_list("slug", flat=True)) == BEGINNERS_CRITERIA


def test_every_criterion_says_what_it_means(seeded):
    for criterion in Criterion.objects.all():
        assert len(criterion.description) > 80, criterion


def test_each_criterion_rates_every_published_framework_with_a_verdict_a_note_and_a_source(
    seeded,
):
    for criterion in Criterion.objects.all():
        for framework in Framework.objects.published():
            rating = Rating.objects.get(criterion=criterion, framework=framework)
            assert rating.verdict, rating
            assert rating.note, rating
            urls = list(rating.sources.values_list("source__url", flat=True))
            assert urls, rating
            assert all(url.startswith("https://") for url in urls), rating


def competition_ranks(ranks: list[int]) -> list[int]:
    """Each rank as the rule says it must be: 1 + how many are ranked strictly better."""
    return [1 + sum(other < rank for other in ranks) for rank in ranks]


@pytest.mark.parametrize(
    ("ranks", "valid"),
    [([1, 2, 3], True), ([1, 1, 3], True), ([1, 2, 2], True), ([1, 1, 2], False),
     ([2, 3, 3], False)],
)  # fmt: skip
def test_the_tie_rule_itself(ranks, valid):
    assert (sorted(ranks) == competition_ranks(sorted(ranks))) is valid


@pytest.mark.parametrize(
    ("ranks", "valid"),
    [([1, 2, 3], True), ([1, 1, 3], True), ([3, 1, 2], True), ([2, 1, 2], True),
     ([1, 1, 2], False), ([2, 3, 3], False), ([1, 3, 3], False)],
)  # fmt: skip
def test_the_editors_check_applies_the_tie_rule(ranks, valid):
    frameworks = unsaved_frameworks("Django", "Flask", "FastAPI")
    (speed,) = unsaved_criteria("Speed")
    breaks = tie_rule_breaks(unsaved_ratings(frameworks, [speed], [ranks]))
    assert (breaks == []) is valid
    if not valid:
        expected = ", ".join(map(str, competition_ranks(sorted(ranks))))
        assert breaks == [
            f"Speed: the ranks are {', '.join(map(str, sorted(ranks)))}; after a tie the next "
            f"rank skips the shared places, so they should read {expected}."
        ]


def test_criterion_page_in_admin_warns_of_ranks_that_break_the_tie_rule(seeded, editor_client):
    # API tooling is FastAPI 1, Django 2, Flask 2; Django moved up to share the lead:
    Rating.objects.filter(criterion__slug="api-tooling", framework__slug="django").update(rank=1)
    page = parse(editor_client.get(change_url(Criterion.objects.get(slug="api-tooling"))))
    warnings = [li.clean_text for li in page.find_all("li", class_="warning")]
    assert warnings == [
        "API tooling and validation: the ranks are 1, 1, 2; after a tie the next rank skips "
        "the shared places, so they should read 1, 1, 3."
    ]


def test_the_tie_rule_counts_published_frameworks_only(seeded, editor_client):
    draft = factories.framework(name="Draft", is_published=False)
    factories.rating(criterion=Criterion.objects.get(slug="api-tooling"), framework=draft, rank=9)
    page = parse(editor_client.get(change_url(Criterion.objects.get(slug="api-tooling"))))
    assert page.find_all("li", class_="warning") == []


def test_seeded_ranks_follow_the_one_tie_rule(seeded):
    """Frameworks judged equal share a rank and the next rank skips (1, 1, 3): as the help
    text of the rank field says."""
    for criterion in Criterion.objects.all():
        ranks = sorted(criterion.ratings.values_list("rank", flat=True))
        assert ranks == competition_ranks(ranks), (criterion.slug, ranks)


def test_the_rank_field_states_the_tie_rule():
    assert "1, 1, 3" in Rating._meta.get_field("rank").help_text


def test_a_tie_is_shown_as_a_tie_in_the_table_chart_and_framework_page(seeded, client):
    # Django and Flask share 2nd place on API tooling (both through add-ons).
    page = get_page(client, "/compare/?c=api-tooling")
    ranks = {name: cell.find("span", class_="rank").clean_text
             for _, name, cell in cells(page, "compare-table")}  # fmt: skip
    assert ranks == {"Django": "=2nd", "Flask": "=2nd", "FastAPI": "1st"}
    chart = [cell.clean_text for cell in page.by_id("compare-chart").find_all("td")]
    assert "Django, Flask =2nd" in chart
    framework = get_page(client, "/frameworks/flask/").by_id("ratings").next_sibling("ul")
    assert "API tooling and validation: =2nd" in framework.clean_text


# --- project types' needs, in admin


def test_every_project_type_weighs_some_criteria(seeded):
    for project_type in ProjectType.objects.all():
        assert project_type.needs.exists(), project_type


def post_need(editor_client, project_slug: str, **row):
    """Add a need row on a project type's admin page and save it."""
    project_type = ProjectType.objects.get(slug=project_slug)
    data = read_form(editor_client.get(change_url(project_type)), "projecttype_form")
    index = data["needs-TOTAL_FORMS"]
    row["criterion"] = str(Criterion.objects.get(slug=row["criterion"]).pk)
    add_inline_row(data, "needs", **row)
    return editor_client.post(change_url(project_type), data), f"needs-{index}"


def test_an_editor_sets_a_need_on_the_project_types_page(seeded, editor_client):
    response, _ = post_need(editor_client, "prototype-mvp", criterion="api-tooling", weight="3",
                            why="It is an API first.")  # fmt: skip
    assert response.status_code == 302, errors_of(response)
    need = ProjectNeed.objects.get(
        project_type__slug="prototype-mvp", criterion__slug="api-tooling"
    )
    assert (need.weight, need.why) == (3, "It is an API first.")


def test_a_weight_past_3_is_refused_on_its_field(seeded, editor_client):
    response, row = post_need(editor_client, "prototype-mvp", criterion="api-tooling", weight="5")
    assert response.status_code == 200
    assert list(errors_of(response)) == [f"{row}-weight"]
    assert not ProjectNeed.objects.filter(
        project_type__slug="prototype-mvp", criterion__slug="api-tooling"
    ).exists()


def test_a_criterion_weighed_twice_for_one_project_is_refused(seeded, editor_client):
    response, row = post_need(editor_client, "json-api", criterion="api-tooling", weight="1")
    assert response.status_code == 200
    errors = errors_of(response)
    message = ["API tooling and validation has two weights: keep one of these rows."]
    assert errors[f"{row}-criterion"] == message  # the added row, naming the criterion
    (other,) = set(errors) - {f"{row}-criterion"}  # and the row it repeats
    assert other.endswith("-criterion")
    assert errors[other] == message
    need = ProjectNeed.objects.get(project_type__slug="json-api", criterion__slug="api-tooling")
    assert need.weight == 3


# --- what the ranks rest on: measured, from the docs, or the editors' judgement


def test_a_criterion_is_measured_exactly_when_figures_decide_its_ranks(seeded):
    for criterion in Criterion.objects.prefetch_related("ratings__figures"):
        deciding = [
            rating
            for rating in criterion.ratings.all()
            if any(figure.ranks for figure in rating.figures.all())
        ]
        if criterion.basis == Criterion.Basis.MEASURED:
            assert len(deciding) == criterion.ratings.count(), criterion
        else:
            assert not deciding, criterion


def test_the_ranks_no_figure_or_document_decides_are_labelled_our_judgement(seeded):
    judged = Criterion.objects.filter(basis=Criterion.Basis.JUDGEMENT)
    assert set(judged.values_list("slug", flat=True)) == {"packages", "learning-curve"}


def test_compare_shows_what_each_criterions_ranks_rest_on(seeded, client):
    page = get_page(client, "/compare/")
    table = page.by_id("compare-table")
    labels = {
        row.find("th").clean_text: row.find("th").one("span", class_="basis").clean_text
        for row in table.find("tbody").find_all("tr")
    }
    for criterion in Criterion.objects.all():
        (label,) = [text for name, text in labels.items() if name.startswith(criterion.name)]
        assert label == criterion.basis_label, criterion
    for criterion in Criterion.objects.filter(basis=Criterion.Basis.JUDGEMENT):
        assert labels[f"{criterion.name} our judgement"] == "our judgement"
        criteria = get_page(client, "/methodology/")  # what each criterion measures
        described = criteria.by_id(f"criterion-{criterion.slug}").next_sibling("dd").clean_text
        assert "Our judgement: no figure or source ranks the frameworks" in described
    assert (
        "our judgement (no figure or source ranks them"
        in page.one("p", class_="table-key").clean_text
    )


def test_framework_and_methodology_pages_label_each_criterion(seeded, client):
    for framework in Framework.objects.published():
        page = get_page(client, framework.get_absolute_url())
        headings = {
            h3.clean_text.split(":")[0]: h3.one("span", class_="basis").clean_text
            for h3 in page.by_id("ratings").next_sibling("ul").find_all("h3")
        }
        assert headings == {c.name: c.basis_label for c in Criterion.objects.all()}, framework
    criteria = get_page(client, "/methodology/").by_id("criteria")
    shown = {}
    for dt in criteria.find_all("dt"):
        basis = dt.one("span", class_="basis").clean_text
        shown[dt.clean_text.removesuffix(basis).strip()] = basis
    assert shown == {c.name: c.basis_label for c in Criterion.objects.all()}
