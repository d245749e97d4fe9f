"""The seeded content is ours: no sentence of the seed article, its typos fixed, facts current.

The seed article itself is not in this repository. `tests/data/seed-runs.txt` holds a hash of
every run of 8 words in it, so the check runs anywhere without copying the article's text. To
rebuild it: `python -m tests.test_content path/to/seed.txt > tests/data/seed-runs.txt`.
"""

import datetime
import hashlib
import json
import re
import sys
from pathlib import Path

import pytest
from django.conf import settings

RUN = 8
SEED_RUNS = Path(__file__).parent / "data" / "seed-runs.txt"


def words(text: str) -> list[str]:
    return re.findall(r"[a-z0-9]+", text.lower().replace("\u2019", "'").replace("'", ""))


def strings(value):
    if isinstance(value, str):
        yield value
    elif isinstance(value, list):
        for item in value:
            yield from strings(item)
    elif isinstance(value, dict):
        for item in value.values():
            yield from strings(item)


def fixture_texts() -> list[str]:
    texts = []
    for path in sorted(settings.FIXTURE_DIR.glob("*.json")):
        texts.extend(strings(json.loads(path.read_text())))
    return texts


def runs(text: str, size: int = RUN) -> set[tuple[str, ...]]:
    tokens = words(text)
    return {tuple(tokens[i : i + size]) for i in range(len(tokens) - size + 1)}


def fingerprint(run: tuple[str, ...]) -> str:
    return hashlib.sha256(" ".join(run).encode()).hexdigest()[:16]


def records(model: str) -> list[dict]:
    data = json.loads((settings.FIXTURE_DIR / "comparisons.json").read_text())
    data += json.loads((settings.FIXTURE_DIR / "articles.json").read_text())
    return [r["fields"] for r in data if r["model"] == model]


def seed_fingerprints() -> set[str]:
    lines = SEED_RUNS.read_text().splitlines()
    return {line for line in lines if line and not line.startswith("#")}


def copied_runs(texts: list[str]) -> set[str]:
    seed = seed_fingerprints()
    return {" ".join(run) for text in texts for run in runs(text) if fingerprint(run) in seed}


def test_no_run_of_eight_words_from_the_seed_appears_in_the_fixtures():
    copied = copied_runs(fixture_texts())
    assert not copied, f"copied from the seed: {sorted(copied)}"


# The seed article itself, beside the checkout on the editors' machines (never in the repository,
# so CI, on a clean checkout, skips what needs it).
SEED_ARTICLE = settings.BASE_DIR.parent / "shared" / "seed" / "000_0de62c5f23546e6a.txt"
CLOSE_RUN = 6


@pytest.mark.skipif(
    not SEED_ARTICLE.is_file(), reason="the seed article is not beside the checkout"
)
def test_no_run_of_six_words_from_the_seed_article_itself():
    """Closer than the hashed check above: no six words in a row shared with the seed, the old
    claims quoted in corrections included (names are shorter than that)."""
    seed = runs(SEED_ARTICLE.read_text(), CLOSE_RUN)
    copied = {" ".join(run) for text in fixture_texts() for run in runs(text, CLOSE_RUN) & seed}
    assert not copied, f"copied from the seed: {sorted(copied)}"


def test_the_check_catches_a_sentence_of_the_seed():
    # The seed's conclusion opens with these words; the fixtures must never hold them.
    words_of_seed = "After looking at them, you might be able to choose which one works better"
    assert seed_fingerprints() >= {fingerprint(run) for run in runs(words_of_seed)}
    assert copied_runs(["Our intro. " + words_of_seed + " for you."])


@pytest.mark.parametrize(
    "typo", [r"\bTabel\b", r"\bAndriod\b", r"\bIOS\b", r"\bYoutube\b", r"\bFast API\b",
             r"\bjoint SQL\b", "it\u2019s modular"],
)  # fmt: skip
def test_the_seed_typos_are_fixed(typo):
    offenders = [text for text in fixture_texts() if re.search(typo, text)]
    assert not offenders


def test_first_public_releases_are_current_facts():
    years = {f["slug"]: f["first_released"] for f in records("comparisons.framework")}
    assert years == {"django": 2005, "flask": 2010, "fastapi": 2018}


def test_fastapi_graphql_advice_names_strawberry():
    graphql = next(
        r for r in records("comparisons.procon")
        if r["framework"] == ["fastapi"] and "GraphQL" in r["title"]
    )  # fmt: skip
    assert "strawberry" in graphql["body"].lower()


def test_flask_is_not_said_to_serve_one_request_at_a_time():
    flask_text = " ".join(
        r["body"] for r in records("comparisons.procon") if r["framework"] == ["flask"]
    )
    assert "many requests at once" in flask_text
    assert "native async" in flask_text


def test_fastapi_summary_leaves_its_python_floor_to_the_facts_box():
    # The floor moves with releases (3.6, 3.10, now 3.11): the facts box reads it from PyPI.
    fastapi = next(f for f in records("comparisons.framework") if f["slug"] == "fastapi")
    assert not re.search(r"\b3\.\d+\b", fastapi["summary"])
    assert "the facts box gives the current one" in fastapi["summary"]


def test_youtube_is_not_claimed_as_a_django_user():
    django = next(f for f in records("comparisons.framework") if f["slug"] == "django")
    assert "youtube" not in django["notable_users"].lower()


MONTHS = "January February March April May June July August September October November December"
SOURCE_DATE = re.compile(rf"\b(\d{{1,2}}) ({'|'.join(MONTHS.split())}) (\d{{4}})\b")
# A user known only from an older source says the year of its newest one: "Instagram (as of 2023)".
HISTORY = re.compile(r"^(?P<name>.+?) \(as of (?P<year>\d{4})\)$")


def source_dates(fact: str) -> list[datetime.date]:
    return [
        datetime.date(int(year), MONTHS.split().index(month) + 1, int(day))
        for day, month, year in SOURCE_DATE.findall(fact)
    ]


def test_every_notable_user_has_a_dated_source_from_the_last_three_years_or_says_its_year():
    """Each name under "Notable users" is backed by a source fact "Notable users: <name> (...)"
    that dates its evidence ("released 6 January 2026"): within three years of today, or the
    name says the year of its newest source. A user whose evidence ages past three years makes
    this fail: find newer evidence, label it with its year, or remove it."""
    today = datetime.date.today()
    three_years_ago = today - datetime.timedelta(days=3 * 365 + 1)
    sources = records("comparisons.frameworksource")
    for framework in records("comparisons.framework"):
        facts = [
            s["fact"]
            for s in sources
            if s["framework"] == [framework["slug"]] and s["fact"].startswith("Notable users:")
        ]
        listed = set()
        for name in filter(None, map(str.strip, framework["notable_users"].split(","))):
            history = HISTORY.match(name)
            bare = history["name"] if history else name
            listed.add(bare)
            dates = [d for f in facts if f.startswith(f"Notable users: {bare} (") for d in
                     source_dates(f)]  # fmt: skip
            assert dates, f"{framework['slug']}: {name} has no dated source"
            if history:
                assert max(dates).year == int(history["year"]), name
            else:
                assert max(dates) >= three_years_ago, (
                    f"{framework['slug']}: the newest source for {name} is of {max(dates)}, "
                    "more than three years ago"
                )
        stale = [f for f in facts if f.removeprefix("Notable users: ").split(" (")[0] not in listed]
        assert not stale, f"{framework['slug']}: sources for users no longer listed: {stale}"


def test_the_lede_is_real_content_not_the_template_placeholder():
    (article,) = records("articles.article")
    assert "Describe the what" not in article["description"]
    assert 50 < len(article["description"]) <= 300


if __name__ == "__main__":
    seed_text = Path(sys.argv[1]).read_text()
    print(
        f"# sha256[:16] of each run of {RUN} words of the seed article (see tests/test_content.py)"
    )
    print("\n".join(sorted({fingerprint(run) for run in runs(seed_text)})))
