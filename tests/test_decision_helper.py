"""The decision helper at /choose/, as a reader sees it, on the seeded content.

Every page is parsed with the standard library's HTMLParser; the expected scores are worked
out by hand from fixtures/comparisons.json. The seeded ranks are:

    packages:    Django 1, Flask 2, FastAPI 3
    community:   Django 1, Flask 2, FastAPI 3
    performance: FastAPI 1, Flask 2, Django 3

so on each criterion the leader earns 3 points, the 2nd 2 and the 3rd 1 (worst rank + 1 - rank),
times the reader's weight (0 to 3); each of a framework's use cases that fits the chosen project
type adds MATCH_POINTS (3). Equal scores share a place; ties keep the display order (Django,
Flask, FastAPI).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import urlencode

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from comparisons.helper import MATCH_POINTS
from comparisons.models import Criterion, Framework, ProjectType
from tests import factories

CHOOSE = "/choose/"
MAX_QUERIES = 8
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source"}


# --- reading the page


@dataclass(eq=False)
class Element:
    tag: str
    attrs: dict[str, str | None]
    parent: Element | None = None
    children: list[Element] = field(default_factory=list)
    text: str = ""  # all the text inside it, its descendants' included

    @property
    def classes(self) -> list[str]:
        return (self.attrs.get("class") or "").split()

    def descendants(self):
        for child in self.children:
            yield child
            yield from child.descendants()

    def find_all(self, tag: str, cls: str | None = None, **attrs: str) -> list[Element]:
        return [
            element
            for element in self.descendants()
            if element.tag == tag
            and (cls is None or cls in element.classes)
            and all(element.attrs.get(name) == value for name, value in attrs.items())
        ]

    def find(self, tag: str, cls: str | None = None, **attrs: str) -> Element:
        (element,) = self.find_all(tag, cls, **attrs)
        return element

    def outline(self) -> tuple:
        """The element's tags, attributes and text, recursively: equal outlines, same markup."""
        return (
            self.tag,
            sorted(self.attrs.items(), key=lambda item: item[0]),
            self.text,
            [child.outline() for child in self.children],
        )


class TreeBuilder(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.root = Element("#document", {})
        self.open = [self.root]

    def handle_starttag(self, tag, attrs):
        element = Element(tag, dict(attrs), parent=self.open[-1])
        self.open[-1].children.append(element)
        if tag not in VOID:
            self.open.append(element)

    def handle_startendtag(self, tag, attrs):
        self.open[-1].children.append(Element(tag, dict(attrs), parent=self.open[-1]))

    def handle_endtag(self, tag):
        for i in range(len(self.open) - 1, 0, -1):
            if self.open[i].tag == tag:
                del self.open[i:]
                return

    def handle_data(self, data):
        for element in self.open:
            element.text += data


def parse(content: bytes) -> Element:
    builder = TreeBuilder()
    builder.feed(content.decode())
    builder.close()
    return builder.root


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
    lists = page.find_all("ol", cls="placings")
    if not lists:
        return []
    (ranked,) = lists
    shown = []
    for item in ranked.children:
        assert item.tag == "li"
        heading = item.find("h3")
        shown.append(
            Shown(
                place=heading.find("span", cls="place").text.strip(),
                name=heading.find("a").text.strip(),
                meta=heading.find("span", cls="meta").text.strip(),
                reasons=[reason.text.strip() for reason in item.find_all("li")],
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
    form = page.find("form", cls="helper")
    answers: dict[str, list[str]] = {}
    for radio in form.find_all("input", type="radio"):
        answers.setdefault(radio.attrs["name"], [])
        if "checked" in radio.attrs:
            answers[radio.attrs["name"]].append(radio.attrs["value"])
    return answers


def field_errors(page: Element) -> dict[str, str]:
    """The error shown in each question's fieldset, by the question's field name."""
    errors = {}
    for fieldset in page.find("form", cls="helper").find_all("fieldset"):
        names = {radio.attrs["name"] for radio in fieldset.find_all("input", type="radio")}
        (name,) = names
        messages = fieldset.find_all("p", cls="error")
        if messages:
            errors[name] = " ".join(message.text.strip() for message in messages)
    return errors


def notices(page: Element, role: str) -> list[Element]:
    return [notice for notice in page.find_all("div", cls="notice") if notice.attrs["role"] == role]


def answer_section(page: Element) -> Element:
    return page.find("section", **{"aria-labelledby": "answer-title"})


def get_page(client, params: dict[str, str] | list[tuple[str, str]] | str = "") -> Element:
    query = params if isinstance(params, str) else urlencode(params)
    response = client.get(f"{CHOOSE}?{query}" if query else CHOOSE)
    assert response.status_code == 200, query
    return parse(response.content)


# --- 1. the ranking for different answers


def test_performance_most_of_all_for_a_model_api_puts_fastapi_first(seeded, client):
    page = get_page(
        client,
        {"building": "ml-model-api", "w-packages": 0, "w-community": 0, "w-performance": 3},
    )
    # Only performance counts (*3); "Serving machine-learning models" is FastAPI's.
    #   FastAPI: 3 pts * 3 = 9, + 1 use case * 3 = 3  -> 12
    #   Flask:   2 pts * 3 = 6, no use case           ->  6
    #   Django:  1 pt  * 3 = 3, no use case           ->  3
    assert ranking(page) == [
        ("1st", "FastAPI", "12 points"),
        ("2nd", "Flask", "6 points"),
        ("3rd", "Django", "3 points"),
    ]
    assert reasons_of(page, "FastAPI") == [
        "Leads on performance, which matters most to you, your highest weight: Built for async "
        "I/O; usually fastest of the three (+9 points).",
        "Its use cases include “Serving machine-learning models”, which fits “A machine-learning "
        "model served over HTTP” (+3 points).",
    ]
    assert reasons_of(page, "Flask")[0].startswith("Ranks 2nd on performance, which matters most")
    assert reasons_of(page, "Django") == [
        "Ranks 3rd on performance, which matters most to you, your highest weight: Close to "
        "Flask; fast enough for most sites (+3 points).",
        "None of its use cases is listed for “A machine-learning model served over HTTP”.",
    ]


def test_full_website_with_packages_and_community_most_puts_django_first(seeded, client):
    page = get_page(
        client,
        {"building": "full-website", "w-packages": 3, "w-community": 3, "w-performance": 1},
    )
    # full-website: 5 Django use cases, 1 Flask ("An online social network"), 0 FastAPI.
    #   Django:  3*3 + 3*3 + 1*1 = 19, + 5 * 3 = 15 -> 34
    #   Flask:   2*3 + 2*3 + 2*1 = 14, + 1 * 3 =  3 -> 17
    #   FastAPI: 1*3 + 1*3 + 3*1 =  9, + 0         ->  9
    assert ranking(page) == [
        ("1st", "Django", "34 points"),
        ("2nd", "Flask", "17 points"),
        ("3rd", "FastAPI", "9 points"),
    ]
    django = reasons_of(page, "Django")
    assert django[0].startswith("Leads on packages, which matters most to you, your highest")
    assert django[0].endswith("(+9 points).")
    assert django[1].startswith("Leads on community, which matters most to you")
    assert django[2].startswith("Ranks 3rd on performance, which matters a little to you:")
    assert django[2].endswith("(+1 point).")
    assert django[3] == (
        "Its use cases include “Document management systems”, “Internal CRM systems”, "
        "“Admin dashboards”, “Photo-based verification”, “Email notification systems”, which "
        "fit “A full website with accounts and an admin” (+15 points)."
    )
    assert reasons_of(page, "Flask")[-1] == (
        "Its use cases include “An online social network”, which fits “A full website with "
        "accounts and an admin” (+3 points)."
    )
    assert reasons_of(page, "FastAPI")[-1] == (
        "None of its use cases is listed for “A full website with accounts and an admin”."
    )


def test_quick_prototype_gives_flask_the_use_case_points_and_first_place(seeded, client):
    page = get_page(
        client,
        {"building": "prototype-mvp", "w-packages": 1, "w-community": 1, "w-performance": 1},
    )
    # All weights 1; "Quick prototypes and commercial MVPs" is Flask's.
    #   Flask:   2 + 2 + 2 = 6, + 3 -> 9
    #   Django:  3 + 3 + 1 = 7      -> 7
    #   FastAPI: 1 + 1 + 3 = 5      -> 5
    assert ranking(page) == [
        ("1st", "Flask", "9 points"),
        ("2nd", "Django", "7 points"),
        ("3rd", "FastAPI", "5 points"),
    ]
    assert reasons_of(page, "Flask")[-1] == (
        "Its use cases include “Quick prototypes and commercial MVPs”, which fits “A quick "
        "prototype or MVP” (+3 points)."
    )
    assert reasons_of(page, "Django")[0].startswith("Leads on packages, which matters a little")
    assert (
        reasons_of(page, "Django")[-1]
        == "None of its use cases is listed for “A quick prototype or MVP”."
    )


def test_small_site_counts_each_matching_use_case(seeded, client):
    page = get_page(
        client,
        {"building": "small-site-or-bot", "w-packages": 2, "w-community": 0, "w-performance": 2},
    )
    # small-site-or-bot: 2 Flask use cases ("Facebook and X bots", "Static sites").
    #   Flask:   2*2 + 2*2 = 8, + 2 * 3 = 6 -> 14
    #   Django:  3*2 + 1*2 = 8              ->  8
    #   FastAPI: 1*2 + 3*2 = 8              ->  8  (tied with Django: display order kept)
    assert ranking(page) == [
        ("1st", "Flask", "14 points"),
        ("=2nd", "Django", "8 points, tied"),
        ("=2nd", "FastAPI", "8 points, tied"),
    ]
    assert reasons_of(page, "Flask")[-1] == (
        "Its use cases include “Facebook and X bots”, “Static sites”, which fit “A small site, "
        "bot or static site” (+6 points)."
    )
    # Community (weight 0) gives no points and no reason.
    assert not any("community" in reason for reason in reasons_of(page, "Flask"))


def test_two_frameworks_with_equal_scores_share_first_place_in_display_order(seeded, client):
    page = get_page(
        client,
        {"building": "shop-or-booking", "w-packages": 0, "w-community": 0, "w-performance": 0},
    )
    # No criterion counts; shop-or-booking has one Django and one Flask use case.
    #   Django:  0 + 1 * 3 -> 3
    #   Flask:   0 + 1 * 3 -> 3   (tied with Django)
    #   FastAPI: 0         -> 0
    assert ranking(page) == [
        ("=1st", "Django", "3 points, tied"),
        ("=1st", "Flask", "3 points, tied"),
        ("3rd", "FastAPI", "0 points"),
    ]
    assert reasons_of(page, "Django") == [
        "Its use cases include “High-load booking engines and shopping platforms”, which fits "
        "“An online shop or booking site” (+3 points)."
    ]
    assert reasons_of(page, "Flask") == [
        "Its use cases include “E-commerce systems”, which fits “An online shop or booking "
        "site” (+3 points)."
    ]
    assert reasons_of(page, "FastAPI") == [
        "None of its use cases is listed for “An online shop or booking site”."
    ]


def test_three_way_tie_keeps_the_display_order(seeded, client):
    page = get_page(client, {"building": "", "w-packages": 0, "w-community": 1, "w-performance": 1})
    # No project type; community *1 and performance *1:
    #   Django:  3 + 1 = 4
    #   Flask:   2 + 2 = 4
    #   FastAPI: 1 + 3 = 4
    assert ranking(page) == [
        ("=1st", "Django", "4 points, tied"),
        ("=1st", "Flask", "4 points, tied"),
        ("=1st", "FastAPI", "4 points, tied"),
    ]
    # Without a project type no reason mentions use cases.
    assert not any("use cases" in r for shown in placings(page) for r in shown.reasons)


def test_nothing_counting_ties_everyone_at_zero_and_says_so(seeded, client):
    page = get_page(client, {"w-packages": 0, "w-community": 0, "w-performance": 0})
    # Every weight 0, no project type: 0 points each, all tied.
    assert ranking(page) == [
        ("=1st", "Django", "0 points, tied"),
        ("=1st", "Flask", "0 points, tied"),
        ("=1st", "FastAPI", "0 points, tied"),
    ]
    for item in page.find("ol", cls="placings").children:
        assert "Nothing you asked for counts for or against it." in item.text


# --- 2. a shared answer


def test_link_to_this_answer_reproduces_the_same_ranking(seeded, client):
    answers = {"building": "json-api", "w-packages": 2, "w-community": 0, "w-performance": 3}
    first = get_page(client, answers)
    (link,) = [a for a in first.find_all("a") if a.text.strip() == "Link to this answer"]
    href = link.attrs["href"]
    assert href.startswith(CHOOSE + "?")

    cache.clear()  # rendered again, not served from the page cache
    response = client.get(href)
    assert response.status_code == 200
    assert response["X-Page-Cache"] == "miss"
    again = parse(response.content)

    # json-api: Django "Backends for iOS and Android apps", FastAPI "APIs where speed matters".
    #   FastAPI: 1*2 + 3*3 = 11, + 3 -> 14
    #   Django:  3*2 + 1*3 =  9, + 3 -> 12
    #   Flask:   2*2 + 2*3 = 10      -> 10
    assert ranking(again) == [
        ("1st", "FastAPI", "14 points"),
        ("2nd", "Django", "12 points"),
        ("3rd", "Flask", "10 points"),
    ]
    assert answer_section(again).outline() == answer_section(first).outline()


def test_answer_page_form_shows_the_readers_answers_checked(seeded, client):
    page = get_page(
        client,
        {"building": "large-busy-service", "w-packages": 0, "w-community": 2, "w-performance": 3},
    )
    assert checked(page) == {
        "building": ["large-busy-service"],
        "w-packages": ["0"],
        "w-community": ["2"],
        "w-performance": ["3"],
    }
    # large-busy-service: Django 1 use case, FastAPI 2.
    #   FastAPI: 1*2 + 3*3 = 11, + 2 * 3 = 6 -> 17
    #   Django:  3*2 + 1*3 =  9, + 1 * 3 = 3 -> 12
    #   Flask:   2*2 + 2*3 = 10              -> 10
    assert ranking(page) == [
        ("1st", "FastAPI", "17 points"),
        ("2nd", "Django", "12 points"),
        ("3rd", "Flask", "10 points"),
    ]


# --- 3. no answers, and answers left out


def test_plain_page_shows_the_form_with_defaults_and_no_ranking(seeded, client):
    page = get_page(client)
    assert checked(page) == {
        "building": [""],
        "w-packages": ["1"],
        "w-community": ["1"],
        "w-performance": ["1"],
    }
    labels = {label.text.strip() for label in page.find("form", cls="helper").find_all("label")}
    assert {"Not sure yet", "A little"} <= labels
    assert placings(page) == []
    assert not page.find_all("section", **{"aria-labelledby": "answer-title"})
    assert field_errors(page) == {}
    assert notices(page, "alert") == []
    assert notices(page, "status") == []


def test_a_weight_left_out_counts_as_a_little(seeded, client):
    left_out = get_page(client, {"building": "prototype-mvp", "w-performance": 3})
    explicit = get_page(
        client,
        {"building": "prototype-mvp", "w-packages": 1, "w-community": 1, "w-performance": 3},
    )
    # Packages and community default to 1:
    #   Flask:   2 + 2 + 2*3 = 10, + 3 -> 13
    #   FastAPI: 1 + 1 + 3*3 = 11      -> 11
    #   Django:  3 + 3 + 1*3 =  9      ->  9
    assert ranking(left_out) == [
        ("1st", "Flask", "13 points"),
        ("2nd", "FastAPI", "11 points"),
        ("3rd", "Django", "9 points"),
    ]
    assert placings(left_out) == placings(explicit)
    assert checked(left_out)["w-packages"] == ["1"]
    assert checked(left_out)["w-community"] == ["1"]


def test_an_empty_weight_is_shown_as_the_default_it_is_scored_as(seeded, client):
    page = get_page(client, "building=prototype-mvp&w-packages=")
    # Scored with packages = 1: Flask 2+2+2+3 = 9, Django 3+3+1 = 7, FastAPI 1+1+3 = 5.
    assert ranking(page)[0] == ("1st", "Flask", "9 points")
    assert checked(page)["w-packages"] == ["1"]


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
    page = get_page(client, {"building": "full-website", name: value})
    assert field_errors(page) == {name: "Choose one of the four answers (0 to 3)."}
    assert len(notices(page, "alert")) == 1
    assert placings(page) == []


def test_a_question_answered_twice_is_an_error_on_that_question(seeded, client):
    page = get_page(client, [("w-packages", "1"), ("w-packages", "3"), ("building", "json-api")])
    assert field_errors(page) == {"w-packages": "Answered more than once: choose one answer."}
    assert placings(page) == []


def test_an_unknown_project_type_is_an_error_on_building(seeded, client):
    page = get_page(client, {"building": "nope", "w-packages": 2})
    assert field_errors(page) == {"building": "Choose one of the kinds of project listed."}
    assert page.find("p", cls="error", id="building-error")
    assert checked(page)["building"] == []
    assert placings(page) == []


def test_unknown_keys_are_named_as_ignored_escaped(seeded, client):
    response = client.get(
        CHOOSE, {"w-nope": "2", "foo": "<script>alert(1)</script>", "<b>x</b>": "1"}
    )
    assert response.status_code == 200
    page = parse(response.content)
    (notice,) = notices(page, "status")
    assert [q.text for q in notice.find_all("q")] == ["<b>x</b>", "foo", "w-nope"]
    assert notice.find_all("b") == []  # the key is text, not markup
    assert page.find_all("script") == []
    assert b"<script>alert" not in response.content
    assert b"<b>x</b>" not in response.content
    # Nothing known was answered: the plain form, no ranking.
    assert placings(page) == []


def test_a_blank_key_is_not_named_as_an_empty_quote(seeded, client):
    page = get_page(client, "=1&w-nope=2")
    (notice,) = notices(page, "status")
    assert [q.text for q in notice.find_all("q")] == ["w-nope"]


def test_unknown_keys_are_ignored_beside_a_valid_answer(seeded, client):
    page = get_page(
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
    # The same answer as without the unknown key (FastAPI 12, Flask 6, Django 3).
    assert ranking(page) == [
        ("1st", "FastAPI", "12 points"),
        ("2nd", "Flask", "6 points"),
        ("3rd", "Django", "3 points"),
    ]


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


# --- 5. editors' data drives the answer


def leading_framework_for_a_new_project_type():
    """A new published framework rated 1st on every criterion, and a project type that
    matches one of its use cases (and none of the seeded ones)."""
    newcomer = factories.framework(name="Newcomer", slug="newcomer")
    for criterion in Criterion.objects.all():
        factories.rating(framework=newcomer, criterion=criterion, rank=1, verdict="Best.")
    use = factories.use_case(framework=newcomer, title="Realtime dashboards")
    project_type = ProjectType.objects.create(
        name="A realtime dashboard", slug="realtime-dashboard", description="Live charts."
    )
    project_type.use_cases.add(use)
    return newcomer


def test_a_new_framework_that_leads_everything_ranks_first_for_its_project_type(seeded, client):
    leading_framework_for_a_new_project_type()
    page = get_page(client, {"building": "realtime-dashboard"})
    # Weights default to 1; rank 1 shares the top points with the seeded leaders (worst rank
    # is still 3, so rank 1 earns 3):
    #   Newcomer: 3 + 3 + 3 = 9, + 3 -> 12
    #   Django:   3 + 3 + 1 = 7      ->  7
    #   Flask:    2 + 2 + 2 = 6      ->  6
    #   FastAPI:  1 + 1 + 3 = 5      ->  5
    assert ranking(page) == [
        ("1st", "Newcomer", "12 points"),
        ("2nd", "Django", "7 points"),
        ("3rd", "Flask", "6 points"),
        ("4th", "FastAPI", "5 points"),
    ]
    assert reasons_of(page, "Newcomer")[-1] == (
        "Its use cases include “Realtime dashboards”, which fits “A realtime dashboard” "
        f"(+{MATCH_POINTS} points)."
    )
    assert checked(page)["building"] == ["realtime-dashboard"]


def test_an_unpublished_framework_is_left_out_of_the_answer(seeded, client):
    newcomer = leading_framework_for_a_new_project_type()
    newcomer.is_published = False
    newcomer.save()
    page = get_page(client, {"building": "realtime-dashboard"})
    # Only the seeded three, with the default weights and no matching use case: 7, 6, 5.
    assert ranking(page) == [
        ("1st", "Django", "7 points"),
        ("2nd", "Flask", "6 points"),
        ("3rd", "FastAPI", "5 points"),
    ]
    assert "Newcomer" not in page.find("main").text


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
    for criterion in Criterion.objects.all():
        for rank, framework in enumerate(Framework.objects.all(), start=1):
            if criterion in criteria or framework in frameworks:
                factories.rating(criterion=criterion, framework=framework, rank=rank)

    assert queries_for(client, answers) == before
    page = get_page(client, answers)
    assert len(placings(page)) == 23
    assert len(checked(page)) == 1 + 23  # building and one weight per criterion


# --- 7. found from the comparison


def test_comparison_page_links_to_the_decision_helper(seeded, client):
    response = client.get("/compare/")
    assert response.status_code == 200
    main = parse(response.content).find("main")
    links = [a for a in main.find_all("a") if a.attrs.get("href") == CHOOSE]
    assert links
    assert "decision helper" in links[0].text
