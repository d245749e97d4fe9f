"""The decision helper's form at /choose/: its defaults, answers left out, bad input (an error
on the right question, nothing reflected as markup), its queries, and the link to it.

Scores are worked out as in tests/test_choose_ranking.py.
"""

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from comparisons.models import Criterion, Framework, ProjectNeed, ProjectType
from tests import factories
from tests.html import parse
from tests.readers import (
    CHOOSE,
    checked,
    choose_page,
    field_errors,
    notices,
    placings,
    ranking,
    reasons_of,
)

MAX_QUERIES = 8

# --- 3. no answers, and answers left out


def test_plain_page_asks_one_question_and_shows_no_ranking(seeded, client):
    page = choose_page(client)
    # One question: what you are building, nothing chosen yet; the weights come later.
    assert checked(page) == {"building": []}
    labels = [label.text.strip() for label in page.one("form", class_="helper").find_all("label")]
    assert labels == list(ProjectType.objects.values_list("name", flat=True))
    assert "A first project to learn with (not sure yet)" in labels
    assert page.one("form", class_="helper").one("button").text.strip() == "Show my answer"
    assert placings(page) == []
    assert not page.find_all("section", aria_labelledby="answer-title")
    assert field_errors(page) == {}
    assert notices(page, "alert") == []
    assert notices(page, "status") == []


def test_a_weight_left_out_counts_as_the_project_needs(seeded, client):
    left_out = choose_page(client, {"building": "json-api", "w-async": 3})
    explicit = choose_page(
        client, {"building": "json-api", "w-async": 3, "w-api-tooling": 3, "w-batteries": 0}
    )
    # json-api needs api-tooling 3 and batteries 0: saying so changes no score.
    assert ranking(left_out) == ranking(explicit)
    assert checked(left_out)["w-api-tooling"] == [""]


def test_an_empty_weight_is_scored_as_the_project_needs_and_shown_so(seeded, client):
    empty = choose_page(client, "building=json-api&w-api-tooling=")
    assert ranking(empty) == ranking(choose_page(client, {"building": "json-api"}))
    assert checked(empty)["w-api-tooling"] == [""]


def test_without_a_project_a_weight_left_out_counts_a_little(seeded, client):
    left_out = choose_page(client, {"w-async": 3})
    explicit = choose_page(
        client, {"w-async": 3, **{f"w-{s}": 1 for s in Criterion.objects.values_list("slug",
                                                                            flat=True)
                                  if s != "async"}}
    )  # fmt: skip
    assert ranking(left_out) == ranking(explicit)
    assert "We count packages a little by default" in " ".join(reasons_of(left_out, "Django"))
    assert "You care a little about packages" in " ".join(reasons_of(explicit, "Django"))


# --- 4. bad input


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("w-performance", "7"),
        ("w-performance", "-1"),
        ("w-packages", "abc"),
        ("w-community", "99999999999999999999"),
    ],
)
def test_a_weight_that_is_not_an_answer_is_an_error_on_that_question(seeded, client, name, value):
    page = choose_page(client, {"building": "full-website", name: value})
    assert field_errors(page) == {
        name: "Choose one of the answers: as your project needs, or 0 to 3."
    }
    assert len(notices(page, "alert")) == 1
    assert placings(page) == []


def test_a_question_answered_twice_is_an_error_on_that_question(seeded, client):
    page = choose_page(client, [("w-packages", "1"), ("w-packages", "3"), ("building", "json-api")])
    assert field_errors(page) == {"w-packages": "Answered more than once: choose one answer."}
    assert placings(page) == []


def test_an_unknown_project_type_is_an_error_on_building(seeded, client):
    page = choose_page(client, {"building": "nope", "w-packages": 2})
    assert field_errors(page) == {"building": "Choose one of the kinds of project listed."}
    assert page.one("p", class_="error", id="building-error")
    assert checked(page)["building"] == []
    assert placings(page) == []


def test_unknown_keys_are_redirected_away_and_an_unknown_weight_named_escaped(seeded, client):
    response = client.get(
        CHOOSE, {"w-<b>x</b>": "2", "foo": "<script>alert(1)</script>", "<i>y</i>": "1"}
    )
    assert response.status_code == 301  # the page cache sends junk parameters away
    assert response["Location"] == f"{CHOOSE}?w-%3Cb%3Ex%3C%2Fb%3E=2"
    answer = client.get(response["Location"])
    page = parse(answer.content)
    (notice,) = notices(page, "status")
    assert [q.text for q in notice.find_all("q")] == ["w-<b>x</b>"]
    assert notice.find_all("b") == []  # the key is text, not markup
    assert b"<b>x</b>" not in answer.content
    # Nothing known was answered: the plain form, no ranking.
    assert placings(page) == []


def test_a_blank_key_is_redirected_away(seeded, client):
    response = client.get(f"{CHOOSE}?=1&w-nope=2")
    assert response.status_code == 301
    assert response["Location"] == f"{CHOOSE}?w-nope=2"


def test_unknown_keys_are_ignored_beside_a_valid_answer(seeded, client):
    page = choose_page(
        client,
        {
            "building": "ml-model-api",
            "w-packages": 0,
            "w-community": 0,
            "w-performance": 3,
            "w-nope": "2",
        },
    )
    (notice,) = notices(page, "status")
    assert [q.text for q in notice.find_all("q")] == ["w-nope"]
    without = choose_page(
        client, {"building": "ml-model-api", "w-packages": 0, "w-community": 0, "w-performance": 3}
    )
    assert ranking(page) == ranking(without)  # the same answer as without the unknown key


def test_html_in_answers_is_never_reflected_as_markup(seeded, client):
    script = "<script>alert(1)</script>"
    image = '"><img src=x onerror=alert(2)>'
    response = client.get(CHOOSE, {"w-packages": script, "building": image})
    assert response.status_code == 200
    page = parse(response.content)
    assert page.find_all("script") == []
    assert page.find_all("img") == []
    assert not [e for e in page.descendants() if "onerror" in e.attrs]
    assert script.encode() not in response.content
    errors = field_errors(page)
    assert set(errors) == {"w-packages", "building"}  # an error on each, without the value
    assert "alert" not in " ".join(errors.values())
    assert placings(page) == []


# --- 6. queries


def queries_for(client, params: dict) -> int:
    cache.clear()  # a rendered answer, not one from the page cache
    with CaptureQueriesContext(connection) as captured:
        response = client.get(CHOOSE, params)
    assert response.status_code == 200
    assert placings(parse(response.content))
    return len(captured)


def test_answer_page_makes_few_queries_whatever_the_amount_of_content(seeded, client):
    answers = {"building": "json-api", "w-packages": 2, "w-community": 0, "w-performance": 3}
    before = queries_for(client, answers)
    assert before <= MAX_QUERIES

    frameworks = [factories.framework() for _ in range(20)]
    criteria = [factories.criterion() for _ in range(20)]
    json_api = ProjectType.objects.get(slug="json-api")
    for framework in frameworks:
        json_api.use_cases.add(factories.use_case(framework=framework))
    for criterion in criteria:
        ProjectNeed.objects.create(project_type=json_api, criterion=criterion, weight=2)
    for criterion in Criterion.objects.all():
        for rank, framework in enumerate(Framework.objects.all(), start=1):
            if criterion in criteria or framework in frameworks:
                factories.rating(criterion=criterion, framework=framework, rank=rank)

    assert queries_for(client, answers) == before
    page = choose_page(client, answers)
    assert len(placings(page)) == Framework.objects.published().count()
    assert len(checked(page)) == 1 + Criterion.objects.count()  # building, a weight each


# --- 7. found from the comparison


def test_comparison_page_links_to_the_decision_helper(seeded, client):
    response = client.get("/compare/")
    assert response.status_code == 200
    main = parse(response.content).one("main")
    links = [a for a in main.find_all("a") if a.attrs.get("href") == CHOOSE]
    assert links
    assert "One question" in links[0].text


def test_each_weight_question_says_what_its_criterion_measures(seeded, client):
    page = client.get(CHOOSE, {"building": "json-api"}).content.decode()
    for criterion in Criterion.objects.all():
        assert criterion.description_html  # every criterion has its sentence
    assert page.count('<p class="hint">') == Criterion.objects.count()


def test_an_answer_comes_before_the_form_that_changes_it(seeded, client):
    page = client.get(CHOOSE, {"building": "json-api"}).content.decode()
    assert page.index('id="answer-title"') < page.index('<form class="choose helper"')
    assert "<summary>Adjust what matters</summary>" in page
