"""Issue 28: "Start with X" on every answer and framework page, from data editors change;
advice in words first; examples of the winner; shared answers that name the winner."""

import re

import pytest
from packaging.specifiers import SpecifierSet

from comparisons.models import Framework
from comparisons.releases import release_line
from comparisons.start import installs, python_choices
from tests.html import get_page

CHOOSE = "/choose/"


def install_commands(page) -> list[str]:
    box = page.one("section", class_="start-with")
    return [c.clean_text for c in box.find_all("code") if "pip install" in c.clean_text]


def expected_command(framework: Framework, python: str) -> str:
    """The command the release facts call for on this Python: the newest line it installs."""
    lines = [(framework.latest_version, framework.latest_requires_python)]
    if framework.lts_version:
        lines.append((framework.lts_version, framework.lts_requires_python))
    for version, requires in lines:
        if python in SpecifierSet(requires or ">=3"):
            name = framework.install_as or framework.package
            return f'python -m pip install "{name}=={release_line(version)}.*"'
    raise AssertionError(f"no line of {framework} installs on Python {python}")


@pytest.mark.parametrize(
    ("building", "winner"),
    [("full-website", "django"), ("json-api", "fastapi"), ("learning", "flask")],
)
@pytest.mark.parametrize("python", ["3.10", "3.11", "3.12", "3.13"])
def test_each_answers_install_command_matches_the_release_facts_for_the_readers_python(
    seeded, client, building, winner, python
):
    framework = Framework.objects.get(slug=winner)
    if python not in SpecifierSet(framework.latest_requires_python) and not (
        framework.lts_requires_python and python in SpecifierSet(framework.lts_requires_python)
    ):
        pytest.skip(f"{framework} does not install on Python {python}")
    page = get_page(client, f"{CHOOSE}?building={building}&python={python}")
    assert install_commands(page) == [expected_command(framework, python)]


def test_django_on_python_3_11_is_the_lts_and_on_3_12_the_latest(seeded, client):
    django = Framework.objects.get(slug="django")
    older = get_page(client, f"{CHOOSE}?building=full-website&python=3.11")
    newer = get_page(client, f"{CHOOSE}?building=full-website&python=3.12")
    assert install_commands(older) == [f'python -m pip install "Django=={django.lts_line}.*"']
    line = release_line(django.latest_version)
    assert install_commands(newer) == [f'python -m pip install "Django=={line}.*"']


def test_the_command_follows_the_release_facts_when_they_change(seeded, client):
    # As refresh_facts would store a new release line: no prose to edit.
    Framework.objects.filter(slug="django").update(
        latest_version="6.2.0", latest_requires_python=">=3.12"
    )
    page = get_page(client, f"{CHOOSE}?building=full-website&python=3.13")
    assert install_commands(page) == ['python -m pip install "Django==6.2.*"']


def test_without_a_python_every_line_is_shown_with_the_pythons_it_is_for(seeded, client):
    page = get_page(client, "/frameworks/django/")
    box = page.one("section", class_="start-with")
    items = [li.clean_text for li in box.find("ul").find_all("li")]
    assert items[0].startswith("On Python 3.12 or newer, Django 6.1: python -m pip install")
    assert items[1].startswith("On Python 3.10 or 3.11, Django 5.2 LTS: python -m pip install")


def test_a_python_older_than_every_line_is_told_to_upgrade(seeded, client):
    page = get_page(client, f"{CHOOSE}?building=full-website&python=3.9")
    box = page.one("section", class_="start-with")
    assert install_commands(page) == []
    assert "install Python 3.10 or newer" in box.clean_text


@pytest.mark.parametrize("slug", ["django", "flask", "fastapi"])
def test_every_framework_page_starts_with_its_tutorial_sample_and_first_steps(seeded, client, slug):
    framework = Framework.objects.get(slug=slug)
    box = get_page(client, framework.get_absolute_url()).one("section", class_="start-with")
    links = {a.clean_text: a.attrs["href"] for a in box.find_all("a")}
    assert links[framework.tutorial_title] == framework.tutorial_url
    assert f"/code/#sample-{slug}" in links.values()
    steps = box.one("ol").find_all("li")
    assert 1 <= len(steps) <= 3
    assert install_commands(get_page(client, framework.get_absolute_url()))


def test_the_sample_link_lands_on_that_frameworks_sample(seeded, client):
    code = get_page(client, "/code/")
    for framework in Framework.objects.published():
        assert code.by_id(f"sample-{framework.slug}") is not None


def test_an_editor_changes_the_tutorial_and_the_steps(seeded, client):
    Framework.objects.filter(slug="flask").update(
        tutorial_title="A new tutorial",
        tutorial_url="https://example.org/tutorial/",
        first_steps="1. Do this.",
        first_steps_html="<ol>\n<li>Do this.</li>\n</ol>",
    )
    box = get_page(client, "/frameworks/flask/").one("section", class_="start-with")
    assert box.one("a", href="https://example.org/tutorial/").clean_text == "A new tutorial"
    assert [li.clean_text for li in box.one("ol").find_all("li")] == ["Do this."]


def test_the_pythons_to_choose_from_follow_the_facts(seeded):
    frameworks = list(Framework.objects.published())
    choices = python_choices(frameworks)
    assert choices[0] == "3.9"  # Flask's floor, the oldest
    assert choices[-1] == "3.14"  # two past the newest floor, Django 6.1's 3.12
    assert all(lines for lines in map(installs, frameworks))


# --- advice in words first, examples of the winner


def test_not_sure_gives_the_learners_advice(seeded, client):
    page = get_page(client, f"{CHOOSE}?building=learning")
    section = page.one("section", aria_labelledby="answer-title")
    assert section.one("p", class_="advice").clean_text.startswith("Start with Flask")
    assert section.one("p", class_="our-advice").clean_text.startswith(
        "Our advice: If you are learning, start with Flask"
    )


def test_the_blog_answers_examples_are_the_winners(seeded, client):
    page = get_page(client, f"{CHOOSE}?building=content-site")
    section = page.one("section", aria_labelledby="answer-title")
    (examples,) = [p for p in section.find_all("p") if p.clean_text.startswith("Examples of")]
    assert "in Django" in examples.clean_text
    assert "Back offices and internal tools" in examples.clean_text
    assert "A community site with accounts and posts" not in section.clean_text


def test_without_an_example_of_the_winner_the_answer_says_so(seeded, client):
    # A machine-learning model: FastAPI wins; with only a Flask example linked, say why.
    from comparisons.models import ProjectType, UseCase

    kind = ProjectType.objects.get(slug="ml-model-api")
    kind.use_cases.set([UseCase.objects.get(title="Webhooks and chat bots")])
    section = get_page(client, f"{CHOOSE}?building=ml-model-api").one(
        "section", aria_labelledby="answer-title"
    )
    assert "We have no FastAPI example of this kind of project yet" in section.clean_text
    assert "Webhooks and chat bots (Flask)" in section.clean_text


# --- shares that name the winner and the project


@pytest.mark.parametrize(
    ("building", "title"),
    [
        ("json-api", "FastAPI for a JSON API for a web or mobile front end: our answer"),
        ("prototype-mvp", "Flask or Django for a quick prototype or MVP? A close call"),
    ],
)
def test_an_answers_title_and_open_graph_name_the_winner_and_the_project(
    seeded, client, building, title
):
    page = get_page(client, f"{CHOOSE}?building={building}")
    assert page.one("title").clean_text == f"{title} · Framework Guide"
    og = {
        m.attrs["property"]: m.attrs["content"]
        for m in page.find_all("meta")
        if "property" in m.attrs
    }
    assert og["og:url"].endswith(f"{CHOOSE}?building={building}")
    assert og["og:title"] == title
    advice = page.one("p", class_="advice").clean_text
    assert og["og:description"] == advice
    assert page.one("meta", name="description").attrs["content"] == advice


# --- bad input


@pytest.mark.parametrize("query", ["python=abc", "python=2.7", "python=3.11&python=3.12"])
def test_an_odd_python_is_a_clear_error_never_a_500(seeded, client, query):
    response = client.get(f"{CHOOSE}?building=json-api&{query}")
    assert response.status_code == 200
    page = get_page(client, f"{CHOOSE}?building=json-api&{query}")
    assert re.search(r"Your Python: (Choose your Python|Answered more than once)", page.clean_text)
    assert page.find("ol", class_="placings") is None


def test_an_empty_answer_asks_the_question_again(seeded, client):
    page = get_page(client, f"{CHOOSE}?building=")
    assert page.one("form", class_="helper").find_all("fieldset")[0].one("legend").clean_text == (
        "What are you building?"
    )
    assert page.find("ol", class_="placings") is None
