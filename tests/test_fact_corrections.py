"""The facts corrected in the review of November 2026 (issue 13), each as a reader finds it:
the corrected statement on its page, the dated note saying what was said before, and the
primary source cited in that page's sources."""

import json

import pytest

from comparisons.models import Correction
from core.pages import ARTICLE
from tests.html import get_page

# page, what the page now says, what the dated note corrects, the source the page cites
FACTS = {
    "FastAPI's Python floor": (
        "/frameworks/fastapi/",
        "needs Python 3.11 or newer",
        "Current FastAPI releases need Python 3.10 or newer",
        "https://pypi.org/project/fastapi/0.165.0/",
    ),
    "Django's LTS and its Python": (
        "/frameworks/django/",
        "5.2 LTS: 5.2.20; needs Python 3.10 or newer; security fixes until April 2028",
        None,
        "https://www.djangoproject.com/download/",
    ),
    "Django's latest release and its Python": (
        "/frameworks/django/",
        "6.1.3, 3 November 2026; needs Python 3.12 or newer",
        None,
        "https://pypi.org/project/Django/6.1.3/",
    ),
    "Flask's latest release and its Python": (
        "/frameworks/flask/",
        "3.1.3, 19 February 2026; needs Python 3.9 or newer",
        None,
        "https://pypi.org/project/Flask/3.1.3/",
    ),
    "Netflix's Dispatch is archived": (
        "/frameworks/fastapi/",
        "a notice in its README announced that the repository would be archived",
        "Netflix uses FastAPI for its internal crisis management.",
        "https://github.com/Netflix/dispatch#readme",
    ),
    "startapp makes no urls.py or templates/": (
        "/frameworks/django/",
        "You add the app's own urls.py and a templates/ folder yourself",
        "startproject and startapp create the models, views, urls.py and templates/ skeleton",
        "https://github.com/django/django/tree/main/django/conf/app_template",
    ),
    "the ORM stops SQL injection, raw SQL does not": (
        "/frameworks/django/",
        "raw SQL, extra() and RawSQL are safe only if you pass user input as parameters",
        "Django defends against SQL injection.",
        "https://docs.djangoproject.com/en/6.1/topics/security/#sql-injection-protection",
    ),
    "deprecations last two feature releases": (
        "/frameworks/django/",
        "for at least two feature releases before it is removed",
        "Django removes a feature only after warnings across several releases.",
        "https://docs.djangoproject.com/en/6.1/internals/release-process/",
    ),
    "FastAPI is 0.x and asks you to pin": (
        "/frameworks/fastapi/",
        "it is still versioned 0.x",
        "All three frameworks are mature.",
        "https://fastapi.tiangolo.com/deployment/versions/",
    ),
    "Apache Superset, not LinkedIn, as Flask's user": (
        "/frameworks/flask/",
        "Apache Superset, the data-visualisation platform, is a Flask user anyone can check",
        "LinkedIn is a notable Flask user.",
        "https://github.com/apache/superset/blob/master/pyproject.toml",
    ),
    "Django's community is not the most used": (
        "/frameworks/django/",
        "In the 2024 survey slightly fewer respondents used it than FastAPI",
        "Django has the biggest community of the three.",
        "https://lp.jetbrains.com/python-developers-survey-2024/",
    ),
    "FastAPI's community is not small": (
        "/frameworks/fastapi/",
        "38 ± 1% of surveyed developers use it",
        "FastAPI's community is small because the framework is new.",
        "https://lp.jetbrains.com/python-developers-survey-2024/",
    ),
    "Flask ahead of Django on performance, measured by the site": (
        "/frameworks/django/",
        "Third in both setups of our benchmark, about two-thirds of Flask's rate",
        "Django and Flask are level on raw speed.",
        "/methodology/#benchmark",
    ),
}


@pytest.mark.parametrize(("url", "says", "corrected", "source"), FACTS.values(), ids=FACTS)
def test_the_corrected_fact_is_on_its_page_with_its_source(
    seeded, client, url, says, corrected, source
):
    page = get_page(client, url)
    assert says in page.clean_text
    cited = {a.attrs.get("href") for a in page.find_all("a")}
    assert source in cited
    if corrected:
        notes = [note.clean_text for note in page.find_all(class_="correction")]
        assert any(corrected in note and note.startswith("Updated") for note in notes), notes


def test_every_correction_of_this_review_is_dated(seeded):
    originals = [corrected for _, _, corrected, _ in FACTS.values() if corrected]
    for original in originals:
        correction = Correction.objects.get(original__startswith=original)
        assert correction.dated.isoformat() == "2026-12-01", original


def test_linkedin_is_no_longer_listed_as_a_user(seeded, client):
    facts = get_page(client, "/frameworks/flask/").one("dl", class_="facts").clean_text
    assert "Apache Superset" in facts
    assert "LinkedIn" not in facts
    data = json.loads(client.get("/data/comparison.json").content)
    flask = next(f for f in data["frameworks"] if f["slug"] == "flask")
    assert flask["notable_users"] == ["Apache Superset"]
    assert not [s for s in flask["sources"] if "LinkedIn" in s["fact"]]


def test_the_article_no_longer_calls_all_three_mature(seeded, client):
    text = get_page(client, ARTICLE).one("section", id="conclusion").clean_text
    assert "mature" not in text
    assert "FastAPI is still at 0.x" in text
