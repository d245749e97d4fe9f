"""One home for every fact (issue 25): prose that says a release fact otherwise than the
facts box does is named with the other stale texts (admin, attention page, check_texts)."""

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from comparisons.factwords import Facts, problems
from comparisons.lineup import stale_texts
from comparisons.models import Framework

DJANGO = Facts("Django", "6.1.3", "3.12", "5.2", "5.2.20", "3.10")
FASTAPI = Facts("FastAPI", "0.165.0", "3.11", "", "", "")
ALL = [DJANGO, FASTAPI]


@pytest.mark.parametrize(
    ("text", "owner", "why"),
    [
        (
            "Current releases of FastAPI need Python 3.10 or newer.",
            None,
            "says Python 3.10 or newer; the latest release, 0.165.0 needs Python 3.11 or newer",
        ),
        ("It needs Python 3.11+ today.", DJANGO, "says Python 3.11 or newer; the latest release"),
        ("Django 6.1 requires Python ≥ 3.11.", None, "says Python 3.11 or newer"),
        (
            "The 5.2 LTS line needs Python 3.9 or newer.",
            DJANGO,
            "the 5.2 LTS release 5.2.20 needs Python 3.10 or newer",
        ),
        (
            "The sample uses 5.2.19, the newest release of the long-term support line.",
            DJANGO,
            "says 5.2.19; the newest LTS release of Django is 5.2.20",
        ),
        ("The latest FastAPI release is 0.164.2.", None, "says 0.164.2; the latest release"),
    ],
)
def test_a_sentence_that_disagrees_with_the_facts_is_named(text, owner, why):
    found = problems(text, ALL, owner)
    assert len(found) == 1
    assert why in found[0][1]


@pytest.mark.parametrize(
    "text",
    [
        "Current releases of FastAPI need Python 3.11 or newer.",
        "FastAPI 0.162.5 was the last release for Python 3.10 or newer.",
        "Early releases supported Python 3.6 or newer.",
        "Django 4.2 needs Python 3.8 or newer.",  # another line: history, not the facts box's
        "Django 5.2 LTS needs Python 3.10 or newer; Django 6.1 needs Python 3.12 or newer.",
        "FastAPI 0.128.0 dropped pydantic.v1.",
        "Django and FastAPI both need Python 3.10 or newer now.",  # two subjects: not judged
        "The newest Python Developers Survey counts users.",
    ],
)
def test_history_other_lines_and_true_sentences_are_left_alone(text):
    assert problems(text, ALL, DJANGO if "Django" in text else FASTAPI) == []


def test_no_text_of_the_seeded_content_disagrees_with_the_facts(seeded):
    assert [(t.label, t.field, t.excerpt, t.why) for t in stale_texts()] == []


def test_a_release_that_raises_the_floor_names_the_prose_that_restated_it(seeded):
    fastapi = Framework.objects.get(slug="fastapi")
    pro = fastapi.pros_cons.first()
    pro.body += "\n\nCurrent releases need Python 3.11 or newer."
    pro.save()
    assert stale_texts() == []

    fastapi.latest_version, fastapi.latest_requires_python = "0.166.0", ">=3.12"
    fastapi.save()

    found = [(t.label, t.field, t.why) for t in stale_texts()]
    assert found == [
        (
            str(pro),
            "body",
            "says Python 3.11 or newer; the latest release, 0.166.0 needs Python 3.12 or newer",
        )
    ]
    with pytest.raises(CommandError, match="1 text"):
        call_command("check_texts")


def test_a_dated_correction_is_not_taken_for_prose_about_now(seeded):
    fastapi = Framework.objects.get(slug="fastapi")
    fastapi.corrections.create(
        original="An old floor",
        now="Checked on 1 December 2026: current releases need Python 3.9 or newer.",
        said_by="site",
    )
    assert stale_texts() == []
