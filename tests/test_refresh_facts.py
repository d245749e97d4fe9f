"""`manage.py refresh_facts`: what the package index announces reaches the pages by itself.

A local index (tests/fake_index.py) answers with the responses recorded from PyPI; a test
announces a new release or a vulnerability by editing them in memory. The day of the check is
set (7 December 2026), so that "the past 12 months" never depends on when the tests run.
"""

import copy
import datetime
import io
import json

import pytest
from django.core.management import CommandError, call_command
from reversion.models import Version

from comparisons import refresh
from comparisons.models import Correction, FactCheck, Framework
from core.addresses import absolute_url
from core.cache import generation
from tests.fake_index import index, recorded
from tests.html import parse
from tests.test_corrections_feed import ATOM, entries

__all__ = ["index"]  # the fixture

CHECKED_AT = datetime.datetime(2026, 12, 7, 9, 30, tzinfo=datetime.UTC)
LATER = CHECKED_AT + datetime.timedelta(hours=1)
clock = [CHECKED_AT]


@pytest.fixture(autouse=True)
def _the_day_of_the_check(monkeypatch):
    clock[0] = CHECKED_AT
    monkeypatch.setattr(refresh, "now", lambda: clock[0])


def run(index, *args, timeout: str = "2") -> str:
    out = io.StringIO()
    call_command("refresh_facts", "--index-url", index.url, "--timeout", timeout, *args, stdout=out)
    return out.getvalue()


def django() -> Framework:
    return Framework.objects.get(slug="django")


def file(version: str, day: str, requires_python: str = ">=3.10") -> dict:
    return {
        "filename": f"django-{version}.tar.gz",
        "requires_python": requires_python,
        "upload_time_iso_8601": f"{day}T12:00:00Z",
        "yanked": False,
    }


def announce(index, version: str, day: str, **fields) -> dict:
    """The recorded Django answer with one more release, as the index would announce it."""
    data = recorded("django")
    data["releases"][version] = [file(version, day, **fields)]
    index.set_project("django", data)
    return data


CVE = {
    "id": "PYSEC-2026-77",
    "aliases": ["CVE-2026-48213", "GHSA-abcd-efgh-ijkl"],
    "summary": "Denial of service in the multipart parser",
    "details": "Long text.",
    "fixed_in": ["5.2.21", "6.1.4"],
    "link": "https://osv.dev/vulnerability/PYSEC-2026-77",
    "source": "osv",
    "withdrawn": None,
}


# --- a new release, applied by itself


def test_a_new_lts_release_is_applied_without_being_asked(seeded, index):
    announce(index, "5.2.21", "2026-12-06")
    output = run(index)
    assert "Django: newest LTS release 5.2.20 → 5.2.21" in output
    assert "Django: newest LTS release date 2026-12-02 → 2026-12-06" in output
    assert "1 framework(s) changed" in output or "framework(s) changed" in output
    assert django().lts_version == "5.2.21"
    assert django().lts_released == datetime.date(2026, 12, 6)


def test_the_new_release_shows_on_the_page_and_in_the_open_data(seeded, index, client):
    client.get("/frameworks/django/")  # cached with the old facts
    announce(index, "5.2.21", "2026-12-06")
    run(index)
    facts = parse(client.get("/frameworks/django/")).one("dl", class_="facts").clean_text
    assert "5.2 LTS: 5.2.21" in facts
    data = json.loads(client.get("/data/comparison.json").content)
    lts = next(f for f in data["frameworks"] if f["slug"] == "django")["releases"]["lts"]
    assert (lts["version"], lts["released"]) == ("5.2.21", "2026-12-06")


def test_a_changed_fact_gets_a_dated_record_saying_what_was_said_before(seeded, index, client):
    announce(index, "5.2.21", "2026-12-06")
    run(index)
    correction = Correction.objects.get(
        framework__slug="django", said_by="site", now__contains="5.2.21"
    )
    assert correction.dated == datetime.date(2026, 12, 7)
    assert correction.original.startswith("Release facts before 2026-12-07: ")
    assert "long-term support release 5.2.20 (2 December 2026)" in correction.original
    assert "long-term support release **5.2.21** (6 December 2026)" in correction.now
    page = parse(client.get("/frameworks/django/"))
    notes = [div.clean_text for div in page.find_all("div", class_="correction")]
    assert any("This page said: Release facts before 2026-12-07" in note for note in notes)


def test_a_second_change_rewrites_the_one_note_of_the_release_facts(seeded, index, client):
    """Each change of the release facts rewrites the framework's one note saying what they were
    before, so the pages do not grow by a note a release (the history keeps the earlier)."""
    announce(index, "5.2.21", "2026-12-06")
    run(index)
    clock[0] = LATER
    announce(index, "5.2.22", "2026-12-07")
    run(index)
    (note,) = Correction.objects.filter(
        framework__slug="django", original__startswith="Release facts before "
    )
    assert "long-term support release 5.2.21 (6 December 2026)" in note.original
    assert "long-term support release **5.2.22** (7 December 2026)" in note.now
    page = parse(client.get("/frameworks/django/"))
    notes = [div.clean_text for div in page.find_all("div", class_="correction")]
    assert len([note for note in notes if "Release facts before" in note]) == 1
    earlier = Version.objects.get_for_object(note).order_by("pk")
    assert any("5.2.20" in version.field_dict["original"] for version in earlier)


def release_note_entry_id(client) -> str:
    note = Correction.objects.get(framework__slug="django", original__startswith="Release facts")
    link = absolute_url(note.get_absolute_url())
    (entry,) = [e for e in entries(client) if e.find("atom:link", ATOM).get("href") == link]
    return entry.findtext("atom:id", namespaces=ATOM)


def test_a_release_note_rewritten_on_a_later_day_is_a_new_entry_in_the_feed(seeded, index, client):
    before = release_note_entry_id(client)
    clock[0] = CHECKED_AT + datetime.timedelta(days=1)
    announce(index, "5.2.21", "2026-12-08")
    run(index)
    after = release_note_entry_id(client)
    assert after != before
    assert after.endswith("-2026-12-08")


def test_an_editors_note_on_a_pro_in_the_same_words_is_left_alone(seeded, index):
    pro = django().pros_cons.first()
    own = Correction.objects.create(
        framework=django(), procon=pro, said_by="site", original="Release facts before 2026-12-01: "
        "an editor's words", now="Ours.", dated=datetime.date(2026, 12, 1),
    )  # fmt: skip
    announce(index, "5.2.21", "2026-12-06")
    run(index)
    own.refresh_from_db()
    assert (own.original, own.now, own.procon) == (
        "Release facts before 2026-12-01: an editor's words",
        "Ours.",
        pro,
    )


def test_the_refresh_is_one_revision_in_the_history(seeded, index):
    announce(index, "5.2.21", "2026-12-06")
    run(index)
    revision = Version.objects.get_for_object(django()).first().revision
    assert "refresh_facts" in revision.comment


def test_nothing_new_changes_only_the_day_of_the_check(seeded, index):
    run(index)  # the recorded answers: fills in what the fixtures do not hold
    before = [f.release_facts() for f in Framework.objects.order_by("pk")]
    corrections = Correction.objects.count()
    Framework.objects.update(facts_checked_on=datetime.date(2026, 12, 1))
    version = generation()
    output = run(index)
    assert output.strip().endswith("read from the package index on 7 December 2026; current.")
    assert [f.release_facts() for f in Framework.objects.order_by("pk")] == before
    assert Correction.objects.count() == corrections
    assert set(Framework.objects.values_list("facts_checked_on", flat=True)) == {
        datetime.date(2026, 12, 7)
    }
    assert generation() != version  # "none reported on <day>" is said anew


def test_a_good_check_is_recorded_for_the_attention_page(seeded, index):
    run(index)
    checks = FactCheck.objects.all()
    assert {c.checked_at for c in checks} == {CHECKED_AT}
    assert not any(c.failing for c in checks)
    assert refresh.last_good_check() == CHECKED_AT
    assert refresh.failing_checks() == []


# --- the index out of reach, slow or odd: one line, nothing changed, the last good check kept


def failed_run(index, *args, timeout: str = "2") -> str:
    """The refresh fails with one line; the facts are as they were; the last good check is
    kept and the failure recorded beside it."""
    before = [f.release_facts() for f in Framework.objects.order_by("pk")]
    good = dict(FactCheck.objects.values_list("framework__slug", "checked_at"))
    clock[0] = LATER
    with pytest.raises(CommandError) as raised:
        run(index, *args, timeout=timeout)
    message = str(raised.value)
    assert "\n" not in message
    assert "nothing was changed" in message
    assert [f.release_facts() for f in Framework.objects.order_by("pk")] == before
    checks = FactCheck.objects.select_related("framework")
    assert {c.framework.slug: c.checked_at for c in checks if c.checked_at} == good
    assert {c.framework.slug for c in refresh.failing_checks()} == {"django", "flask", "fastapi"}
    return message


def test_an_unreachable_index_changes_nothing_and_keeps_the_last_good_check(seeded, index):
    run(index)
    index.shutdown()
    index.server_close()
    message = failed_run(index)
    assert message.startswith("Release facts: the package index did not answer")
    assert "Django: could not reach http://127.0.0.1" in message
    assert refresh.last_good_check() == CHECKED_AT


def test_a_slow_index_is_given_up_on_at_the_deadline(seeded, index):
    index.delay = 0.4
    message = failed_run(index, "--deadline", "0.3")
    assert "did not answer" in message
    assert "Django: no answer" in message


def test_an_error_page_from_the_index(seeded, index):
    index.answers["flask"] = b"<html>Service unavailable</html>"
    message = failed_run(index)
    assert "Flask: the answer from http" in message
    assert "is not JSON" in message


def test_at_start_an_unreachable_index_is_one_line_and_the_site_serves_what_it_has(seeded, index):
    Framework.objects.update(facts_checked_on=datetime.date(2026, 12, 1))
    index.shutdown()
    index.server_close()
    output = run(index, "--at-start", "--deadline", "5")
    assert output.count("\n") == 1
    assert output.startswith("Release facts: the package index did not answer (Django: ")
    assert output.strip().endswith("; serving the facts from 1 December 2026.")


def test_at_start_a_refused_answer_is_said_as_such(seeded, index):
    data = recorded("fastapi")
    data["releases"]["0.165.0"][0]["requires_python"] = "<script>"
    index.set_project("fastapi", data)
    output = run(index, "--at-start")
    assert output.startswith("Release facts: the package index gave an answer that was refused")
    assert "fastapi: release 0.165.0, file 1: Requires-Python: '<script>' is not a" in output


# --- vulnerabilities: the warning on the framework page


def vulnerable(index, version: str, advisory: dict | None = None) -> None:
    index.vulnerabilities[("django", version)] = [advisory or CVE]


def test_a_security_release_of_the_recommended_line_is_said_on_the_page(seeded, index, client):
    announce(index, "5.2.21", "2026-12-06")
    vulnerable(index, "5.2.20")  # the release a reader would have; fixed in 5.2.21
    run(index)
    page = parse(client.get("/frameworks/django/"))
    alerts = [p.clean_text for p in page.find_all("p", class_="alert")]
    assert alerts == [
        "Security release: Django 5.2.21 (6 December 2026) fixes security issues: "
        "CVE-2026-48213; upgrade from earlier 5.2 releases."
    ]
    link = page.one("p", class_="alert").find("a")
    assert link.attrs["href"] == "https://osv.dev/vulnerability/PYSEC-2026-77"


def test_the_warning_goes_when_the_index_no_longer_reports_it(seeded, index, client):
    announce(index, "5.2.21", "2026-12-06")
    vulnerable(index, "5.2.20")
    run(index)
    index.vulnerabilities.clear()
    run(index)
    assert parse(client.get("/frameworks/django/")).find("p", class_="alert") is None


def test_a_withdrawn_advisory_is_not_shown(seeded, index, client):
    announce(index, "5.2.21", "2026-12-06")
    vulnerable(index, "5.2.20", dict(CVE, withdrawn="2026-12-06T10:00:00Z"))
    run(index)
    assert parse(client.get("/frameworks/django/")).find("p", class_="alert") is None


def test_a_vulnerability_in_the_newest_release_is_said_with_the_line(seeded, index, client):
    open_one = dict(CVE, fixed_in=[])
    index.vulnerabilities[("django", "5.2.20")] = [open_one]
    run(index)
    page = parse(client.get("/frameworks/django/"))
    alerts = [p.clean_text for p in page.find_all("p", class_="alert")]
    assert alerts == [
        "Known vulnerabilities: PyPI reports security issues in Django 5.2.20, the newest "
        "5.2 release: CVE-2026-48213."
    ]
    lines = page.by_id("support").parent.find_all("li")
    assert any("Known vulnerabilities in 5.2.20: CVE-2026-48213" in li.clean_text for li in lines)


def test_the_latest_releases_vulnerabilities_come_from_the_project_answer(seeded, index, client):
    data = recorded("flask")
    data["vulnerabilities"] = [dict(CVE, fixed_in=["3.1.4"])]
    index.set_project("flask", data)
    run(index)
    flask = Framework.objects.get(slug="flask")
    assert [(a["id"], a["reported_for"]) for a in flask.security["advisories"]] == [
        ("PYSEC-2026-77", "3.1.3")
    ]


def test_an_advisory_reported_only_for_another_line_is_not_said_of_this_one(seeded, index, client):
    vulnerable(index, "6.1.2", dict(CVE, fixed_in=["6.1.3"]))
    run(index)
    page = parse(client.get("/frameworks/django/"))
    alerts = [p.clean_text for p in page.find_all("p", class_="alert")]
    assert alerts == [
        "Security release: Django 6.1.3 (3 November 2026) fixes security issues: "
        "CVE-2026-48213; upgrade from earlier 6.1 releases."
    ]


def test_a_release_whose_page_the_index_lacks_is_not_known_rather_than_safe(seeded, index, client):
    """These machines get 404 for every release's own page (2026-12-07): the refresh goes on,
    says so, and the page says "not known", never "none reported"."""
    index.release_answers[("django", "5.2.20")] = None  # type: ignore[assignment]
    output = run(index)
    assert "Django: the index gave no vulnerability list for 5.2.20" in output
    lines = [li.clean_text for li in parse(client.get("/frameworks/django/")).find_all("li")]
    assert any("Known vulnerabilities in 5.2.20: not known (PyPI gave no list" in t for t in lines)
    assert any(
        "Known vulnerabilities in 6.1.3: none reported by PyPI on 7 December 2026" in t
        for t in lines
    )


def test_the_security_data_is_read_again_at_every_refresh(seeded, index):
    run(index)
    first = copy.deepcopy(django().security)
    vulnerable(index, "5.2.19")
    run(index)
    assert django().security != first
    assert [a["reported_for"] for a in django().security["advisories"]] == ["5.2.19"]


def test_only_the_frameworks_named_are_refreshed(seeded, index):
    run(index, "flask")
    assert list(FactCheck.objects.values_list("framework__slug", flat=True)) == ["flask"]


def test_an_unknown_slug_is_named(seeded, index):
    with pytest.raises(CommandError, match="has the slug nope"):
        run(index, "nope")
