"""`manage.py check_facts`: release facts read from the package index, never from memory.

It runs against a local HTTP server that answers with responses recorded from PyPI's JSON API
on 2026-12-01, Django's 5.2.20 added on 2026-12-07 (tests/data/pypi/, trimmed to a few
releases each, with their pre-releases and yanked releases kept), never the network.
"""

import datetime
import io
import json

import pytest
from django.core.management import CommandError, call_command
from reversion.models import Version

from comparisons.models import Correction, FactCheck, Framework
from core.cache import generation
from tests.admin_forms import admin_url, change_url
from tests.fake_index import index
from tests.html import parse

__all__ = ["index"]  # the fixture


def check(index, *args, timeout: str = "2") -> str:
    out = io.StringIO()
    call_command("check_facts", "--index-url", index.url, "--timeout", timeout, *args, stdout=out)
    return out.getvalue()


def fastapi() -> Framework:
    return Framework.objects.get(slug="fastapi")


@pytest.fixture
def fastapi_as_before(seeded):
    """FastAPI's facts as the site held them before 0.162.6 raised the Python floor."""
    Framework.objects.filter(slug="fastapi").update(
        latest_version="0.162.5",
        latest_released=datetime.date(2026, 11, 11),
        latest_requires_python=">=3.10",
    )


def facts_of_every_framework() -> list:
    return [framework.release_facts() for framework in Framework.objects.order_by("pk")]


# --- no drift


def test_the_seeded_facts_match_the_index(seeded, index):
    assert "Every framework's release facts are current." in check(index)


def test_a_check_without_drift_changes_no_page(seeded, index):
    version = generation()
    check(index)
    assert generation() == version


def test_each_check_is_recorded_for_the_admin(seeded, index):
    check(index)
    assert {c.framework.slug: c.drift for c in FactCheck.objects.all()} == {
        "django": "",
        "flask": "",
        "fastapi": "",
    }


# --- drift reported, nothing changed


def test_drift_is_reported_fact_by_fact(fastapi_as_before, index):
    output = check(index)
    assert "FastAPI: latest release 0.162.5 → 0.165.0" in output
    assert "FastAPI: latest release date 2026-11-11 → 2026-11-18" in output
    assert "FastAPI: Python needed by the latest release >=3.10 → >=3.11" in output
    assert "Django" not in output
    assert "run again with --apply" in output


def test_drift_without_apply_changes_nothing(fastapi_as_before, index):
    before, version = facts_of_every_framework(), generation()
    corrections = Correction.objects.count()
    check(index)
    assert facts_of_every_framework() == before
    assert generation() == version
    assert Correction.objects.count() == corrections


def test_drift_flags_the_framework_review_due_in_the_admin(fastapi_as_before, index, editor_client):
    check(index)
    changelist = parse(editor_client.get(admin_url(Framework, "changelist")))
    row = next(tr for tr in changelist.find_all("tr") if "FastAPI" in tr.clean_text)
    assert "Review due: the package index has newer facts" in row.clean_text
    assert "latest release 0.162.5 → 0.165.0" in row.clean_text


def test_the_review_due_filter_lists_only_drifted_frameworks(
    fastapi_as_before, index, editor_client
):
    check(index)
    response = editor_client.get(admin_url(Framework, "changelist") + "?review=due")
    names = [a.clean_text for a in parse(response).find_all("th", class_="field-name")]
    assert names == ["FastAPI"]


def test_the_change_page_warns_that_a_review_is_due(fastapi_as_before, index, editor_client):
    check(index)
    page = parse(editor_client.get(change_url(fastapi())))
    warnings = [li.clean_text for li in page.find_all("li", class_="warning")]
    assert any(w.startswith("Review due: the package index has newer facts") for w in warnings)


# --- --apply


def test_apply_updates_the_facts(fastapi_as_before, index):
    check(index, "--apply")
    assert fastapi().release_facts() == {
        "latest_version": "0.165.0",
        "latest_released": "2026-11-18",
        "latest_requires_python": ">=3.11",
        "lts_version": "",
        "lts_released": "",
        "lts_requires_python": "",
    }


def test_apply_adds_a_dated_correction_saying_what_we_said_before(fastapi_as_before, index):
    check(index, "--apply")
    correction = Correction.objects.get(
        framework__slug="fastapi", said_by="site", original__startswith="Release facts"
    )
    assert correction.dated == datetime.date.today()
    assert "latest release 0.162.5 (11 November 2026)" in correction.original
    assert "Python 3.10 or newer" in correction.original
    assert "**0.165.0** (18 November 2026)" in correction.now
    assert "**Python 3.11 or newer**" in correction.now


def test_the_applied_facts_and_correction_show_at_the_next_request(
    fastapi_as_before, index, client
):
    client.get("/frameworks/fastapi/")  # cached with the old facts
    check(index, "--apply")
    page = parse(client.get("/frameworks/fastapi/"))
    facts = page.one("dl", class_="facts").clean_text
    assert "0.165.0" in facts
    assert "Python 3.11 or newer" in facts
    notes = [div.clean_text for div in page.find_all("div", class_="correction")]
    assert any(note.startswith("Updated") and "This page said: Release facts" in note
               for note in notes)  # fmt: skip


def test_apply_is_in_the_history_as_one_revision(fastapi_as_before, index):
    check(index, "--apply")
    versions = Version.objects.get_for_object(fastapi())
    assert "read from the package index" in versions.first().revision.comment


def test_after_apply_the_facts_are_current_and_the_flag_is_gone(fastapi_as_before, index):
    check(index, "--apply")
    assert "current" in check(index)
    assert fastapi().review_due == []


def test_first_facts_of_a_new_framework_add_no_correction(seeded, index):
    Framework.objects.filter(slug="flask").update(
        latest_version="", latest_released=None, latest_requires_python=""
    )
    corrections = Correction.objects.count()
    check(index, "--apply")
    assert Framework.objects.get(slug="flask").latest_version == "3.1.3"
    assert Correction.objects.count() == corrections


def test_only_the_frameworks_named_are_checked(fastapi_as_before, index):
    output = check(index, "flask")
    assert "FastAPI" not in output
    assert list(FactCheck.objects.values_list("framework__slug", flat=True)) == ["flask"]


def test_an_unknown_slug_is_named(seeded, index):
    with pytest.raises(CommandError, match="has the slug nope"):
        check(index, "nope")


# --- the index out of reach or answering badly: a clear error, nothing changed


def unchanged_after(index, *args, match: str, timeout: str = "2"):
    """The command fails in one line; the facts and the last good checks are as they were,
    and the failure is recorded beside them."""
    before = facts_of_every_framework()
    good = dict(FactCheck.objects.values_list("framework__slug", "checked_at"))
    with pytest.raises(CommandError, match=match) as raised:
        check(index, *args, timeout=timeout)
    assert str(raised.value).startswith("Checking facts failed, nothing was changed:")
    assert "\n" not in str(raised.value)
    assert facts_of_every_framework() == before
    checks = FactCheck.objects.all()
    assert {c.framework.slug: c.checked_at for c in checks if c.checked_at} == good
    assert checks
    assert all(c.failing and c.failure in str(raised.value) for c in checks)


def test_offline_is_a_clear_error(fastapi_as_before, index):
    index.shutdown()
    index.server_close()  # nothing listens on its port any more
    unchanged_after(index, "--apply", match=r"Django: could not reach http://127\.0\.0\.1")


def test_a_slow_index_times_out(fastapi_as_before, index):
    index.delay = 0.6
    unchanged_after(index, "--apply", match=r"no answer from .* within 0.2 s", timeout="0.2")


def test_an_answer_that_is_not_json(fastapi_as_before, index):
    index.answers["fastapi"] = b"<html>Service unavailable</html>"
    unchanged_after(index, "--apply", match="fastapi: the answer from .* is not JSON")


def test_an_answer_without_releases(fastapi_as_before, index):
    index.answers["fastapi"] = json.dumps({"info": {"version": "1.0"}}).encode()
    unchanged_after(index, "--apply", match="fastapi: the answer .* has no list of releases")


def test_a_release_without_an_upload_time(fastapi_as_before, index):
    broken = {"releases": {"1.0.0": [{"requires_python": ">=3.11", "yanked": False}]}}
    index.answers["fastapi"] = json.dumps(broken).encode()
    unchanged_after(index, "--apply", match="fastapi: release 1.0.0, file 1: no upload time")


def test_a_package_the_index_does_not_know(fastapi_as_before, index):
    Framework.objects.filter(slug="fastapi").update(package="no-such-package")
    unchanged_after(index, "--apply", match="no-such-package: no such package .* \\(404\\)")


def test_an_lts_line_without_releases(seeded, index):
    Framework.objects.filter(slug="django").update(lts_line="1.99")
    unchanged_after(index, match="Django: the index lists no release in the 1.99 line")


def test_an_index_url_that_is_not_http(seeded, index):
    with pytest.raises(CommandError, match="must be http:// or https://"):
        call_command("check_facts", "--index-url", "file:///etc", stdout=io.StringIO())


# --- the last review's age


def test_a_review_older_than_180_days_is_due(seeded, editor_client):
    old = datetime.date.today() - datetime.timedelta(days=181)
    Framework.objects.filter(slug="flask").update(last_reviewed=old)
    assert Framework.objects.get(slug="flask").review_due == [
        "last reviewed 181 days ago (more than 180)"
    ]
    response = editor_client.get(admin_url(Framework, "changelist") + "?review=due")
    names = [a.clean_text for a in parse(response).find_all("th", class_="field-name")]
    assert names == ["Flask"]


def test_a_review_of_180_days_ago_is_not_yet_due(seeded):
    Framework.objects.filter(slug="flask").update(
        last_reviewed=datetime.date.today() - datetime.timedelta(days=180)
    )
    assert Framework.objects.get(slug="flask").review_due == []


# --- the same facts, from the same row, on every page and in the open data


def test_the_framework_page_shows_the_release_facts_with_their_source(seeded, client):
    facts = parse(client.get("/frameworks/django/")).one("dl", class_="facts")
    text = facts.clean_text
    assert "Latest release 6.1.3, 3 November 2026; needs Python 3.12 or newer" in text
    assert "5.2 LTS: 5.2.20; needs Python 3.10 or newer; security fixes until April 2028" in text
    links = {a.clean_text: a.attrs["href"] for a in facts.find_all("a")}
    assert links["6.1.3"] == "https://pypi.org/project/Django/6.1.3/"
    assert links["5.2.20"] == "https://pypi.org/project/Django/5.2.20/"


def test_a_framework_without_an_lts_line_shows_none(seeded, client):
    text = parse(client.get("/frameworks/fastapi/")).one("dl", class_="facts").clean_text
    assert "Latest release 0.165.0, 18 November 2026; needs Python 3.11 or newer" in text
    assert "Long-term support" not in text


def test_the_pair_page_shows_both_frameworks_release_facts(seeded, client):
    page = parse(client.get("/compare/django-vs-fastapi/"))
    texts = [dl.clean_text for dl in page.find_all("dl", class_="facts")]
    assert any("6.1.3" in text and "Python 3.12 or newer" in text for text in texts)
    assert any("0.165.0" in text and "Python 3.11 or newer" in text for text in texts)


def test_the_open_data_carries_the_release_facts(seeded, client):
    data = json.loads(client.get("/data/comparison.json").content)
    by_slug = {f["slug"]: f["releases"] for f in data["frameworks"]}
    assert by_slug["django"] == {
        "package": "Django",
        "latest": {
            "version": "6.1.3",
            "released": "2026-11-03",
            "requires_python": ">=3.12",
            "source": "https://pypi.org/project/Django/6.1.3/",
        },
        "lts": {
            "version": "5.2.20",
            "released": "2026-12-02",
            "requires_python": ">=3.10",
            "source": "https://pypi.org/project/Django/5.2.20/",
            "line": "5.2",
            "supported_until": "2028-04-01",
        },
    }
    assert by_slug["fastapi"]["lts"] is None


def test_a_change_to_the_row_changes_every_page_and_the_data(seeded, client):
    Framework.objects.filter(slug="fastapi").update(latest_version="9.9.9")
    Framework.objects.get(slug="fastapi").save()  # as the admin saves: the version moves
    for url in ["/frameworks/fastapi/", "/compare/django-vs-fastapi/", "/data/comparison.json"]:
        assert "9.9.9" in client.get(url).content.decode(), url
