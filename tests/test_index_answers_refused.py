"""What the package index says is checked before anything is kept (issue 27): an answer of
the wrong shape is refused with one line naming the package and the problem, nothing is
stored, and what is kept is shown as text, never as HTML or Markdown.

Each test edits a recorded answer (tests/data/pypi/) in memory and serves it from a local
index (tests/fake_index.py).
"""

import datetime
import io
import json

import pytest
from django.core.management import CommandError, call_command

from comparisons import refresh
from comparisons.models import Correction, FactCheck, Framework
from core.markdown import render_markdown
from tests.fake_index import index, recorded
from tests.html import parse

__all__ = ["index"]  # the fixture


@pytest.fixture(autouse=True)
def _the_day_of_the_check(monkeypatch):
    day = datetime.datetime(2026, 12, 7, 9, 30, tzinfo=datetime.UTC)
    monkeypatch.setattr(refresh, "now", lambda: day)


def stored() -> list:
    """Everything a refresh may change."""
    return [
        (f.release_facts(), f.security, f.releases_past_year, f.facts_checked_on)
        for f in Framework.objects.order_by("pk")
    ] + [Correction.objects.count()]


def refused(index, problem: str) -> str:
    """The refresh is refused in one line containing ``problem``, and nothing changed."""
    before = stored()
    with pytest.raises(CommandError) as raised:
        call_command("refresh_facts", "--index-url", index.url, stdout=io.StringIO())
    message = str(raised.value)
    assert message.startswith("Release facts: the package index gave an answer that was refused")
    assert "\n" not in message
    assert problem in message, message
    assert "Traceback" not in message
    assert stored() == before
    return message


def fastapi_with(change) -> dict:
    data = recorded("fastapi")
    change(data)
    return data


def newest_file(data: dict) -> dict:
    return data["releases"]["0.165.0"][0]


ADVISORY = {
    "id": "PYSEC-2026-1",
    "aliases": ["CVE-2026-1"],
    "summary": "A summary",
    "details": "Details",
    "fixed_in": ["0.165.1"],
    "link": "https://osv.dev/vulnerability/PYSEC-2026-1",
    "source": "osv",
    "withdrawn": None,
}


def with_advisory(**fields) -> dict:
    return fastapi_with(lambda d: d.update(vulnerabilities=[dict(ADVISORY, **fields)]))


# --- one line, nothing stored


def test_a_requires_python_that_is_html(seeded, index):
    index.set_project(
        "fastapi",
        fastapi_with(
            lambda d: newest_file(d).update(requires_python="<img src=x onerror=alert(1)>")
        ),
    )
    message = refused(index, "fastapi: release 0.165.0, file 1: Requires-Python: ")
    assert "is not a version specifier" in message


def test_a_list_where_a_string_goes(seeded, index):
    index.set_project(
        "fastapi", fastapi_with(lambda d: newest_file(d).update(requires_python=[">=3.11"]))
    )
    refused(index, "fastapi: release 0.165.0, file 1: Requires-Python: a string was expected")


def test_a_version_longer_than_the_field_that_keeps_it(seeded, index):
    long = "1." + "0" * 45
    index.set_project(
        "fastapi", fastapi_with(lambda d: d["releases"].update({long: [newest_file(d)]}))
    )
    refused(index, "characters, more than the 40 kept")


def test_a_requires_python_longer_than_the_field(seeded, index):
    spec = ",".join(f"!=3.{n}.*" for n in range(20))  # a valid specifier set, 160 characters
    index.set_project(
        "fastapi", fastapi_with(lambda d: newest_file(d).update(requires_python=spec))
    )
    refused(index, "more than the 60 kept")


def test_an_upload_time_that_is_not_a_timestamp(seeded, index):
    index.set_project(
        "fastapi",
        fastapi_with(lambda d: newest_file(d).update(upload_time_iso_8601="last Tuesday")),
    )
    refused(index, "upload time: 'last Tuesday' is not an ISO 8601 timestamp")


def test_yanked_that_is_not_true_or_false(seeded, index):
    index.set_project("fastapi", fastapi_with(lambda d: newest_file(d).update(yanked="no")))
    refused(index, "yanked is 'no', not true or false")


def test_releases_that_are_not_lists_of_files(seeded, index):
    index.set_project("fastapi", fastapi_with(lambda d: d["releases"].update({"0.165.0": "x"})))
    refused(index, "release 0.165.0: a list was expected, not 'x'")


def test_deep_nesting(seeded, index):
    nested: list = []
    for _ in range(30):
        nested = [nested]
    index.set_project("fastapi", fastapi_with(lambda d: d["info"].update(description=nested)))
    refused(index, "fastapi: the answer: lists and objects nest more than 8 deep")


def test_nesting_too_deep_for_the_json_reader(seeded, index):
    index.answers["fastapi"] = b'{"releases": ' + b"[" * 100_000 + b"]" * 100_000 + b"}"
    refused(index, "nests too deep")


def test_vulnerabilities_that_are_not_a_list(seeded, index):
    index.set_project("fastapi", fastapi_with(lambda d: d.update(vulnerabilities={"id": "x"})))
    refused(index, "fastapi: vulnerabilities: a list was expected")


def test_an_advisory_link_that_is_not_a_web_address(seeded, index):
    index.set_project("fastapi", with_advisory(link="javascript:alert(1)"))
    refused(index, "vulnerability PYSEC-2026-1: link: 'javascript:alert(1)' is not an http(s)")


def test_an_advisory_summary_longer_than_what_is_kept(seeded, index):
    index.set_project("fastapi", with_advisory(summary="x" * 501))
    refused(index, "summary: 501 characters, more than the 500 kept")


def test_a_fixed_in_that_is_not_a_version(seeded, index):
    index.set_project("fastapi", with_advisory(fixed_in=["<b>soon</b>"]))
    refused(index, "fixed_in: '<b>soon</b>' is not a PEP 440 version")


def test_aliases_that_are_a_string(seeded, index):
    index.set_project("fastapi", with_advisory(aliases="CVE-2026-1"))
    refused(index, "aliases: a list was expected, not 'CVE-2026-1'")


def test_a_withdrawn_date_that_is_not_a_timestamp(seeded, index):
    index.set_project("fastapi", with_advisory(withdrawn="yesterday"))
    refused(index, "withdrawn: 'yesterday' is not an ISO 8601 timestamp")


def test_control_characters_in_what_is_kept(seeded, index):
    index.set_project("fastapi", with_advisory(summary="bell\x07"))
    refused(index, "summary: control characters")


def test_an_info_version_that_is_not_a_version(seeded, index):
    index.set_project("fastapi", fastapi_with(lambda d: d["info"].update(version="<i>1</i>")))
    refused(index, "fastapi: info.version: '<i>1</i>' is not a PEP 440 version")


def test_an_odd_answer_for_one_release_refuses_the_whole_refresh(seeded, index):
    answer = {"info": {"version": "5.2.20"}, "urls": [], "vulnerabilities": "none"}
    index.release_answers[("django", "5.2.20")] = json.dumps(answer).encode()
    refused(index, "Django: vulnerabilities: a list was expected")


def test_a_release_answer_for_another_version(seeded, index):
    answer = {"info": {"version": "5.2.19"}, "urls": [], "vulnerabilities": []}
    index.release_answers[("django", "5.2.20")] = json.dumps(answer).encode()
    refused(index, "Django: info.version: 5.2.19 is not 5.2.20")


def test_a_refusal_is_kept_for_the_attention_page(seeded, index):
    index.set_project("fastapi", with_advisory(link="ftp://x"))
    message = refused(index, "not an http(s) address")
    failing = FactCheck.objects.get(framework__slug="fastapi")
    assert failing.failing
    assert failing.failure in message


# --- what is kept is shown as text


def test_the_index_s_text_is_shown_as_text(seeded, index, client):
    hostile = "<img src=x onerror=alert(1)> **bold** [link](javascript:alert(1))"
    index.set_project(
        "fastapi",
        with_advisory(
            id="<script>alert(1)</script>",
            aliases=[],
            summary=hostile,
            fixed_in=[],
            link="https://osv.dev/vulnerability/<b>",
        ),
    )
    call_command("refresh_facts", "--index-url", index.url, stdout=io.StringIO())
    html = client.get("/frameworks/fastapi/").content.decode()
    page = parse(html)
    alert = page.one("p", class_="alert")
    assert "<script>alert(1)</script>" in alert.clean_text
    assert page.find("script", type=None) is None
    assert not [img for img in page.find_all("img") if img.attrs.get("src") == "x"]
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    data = json.loads(client.get("/data/comparison.json").content)
    line = next(f for f in data["frameworks"] if f["slug"] == "fastapi")["support"]["lines"][0]
    assert line["vulnerabilities"][0]["summary"] == hostile


def test_a_correction_shows_the_index_s_words_as_they_are(seeded, index):
    """The dated correction is Markdown: versions and specifiers from the index are put in as
    literal text, so one that looks like markup (once, a Requires-Python "<img src=…>" became
    an image) renders as what it says."""
    fastapi = Framework.objects.get(slug="fastapi")
    fastapi.latest_version = "0.1*0*"
    fastapi.latest_requires_python = "<img src=x onerror=alert(1)>"
    html = render_markdown(refresh.framework_summary(fastapi, markdown=True))
    assert "<img" not in html
    assert "<em>" not in html
    assert "0.1*0*" in html
    assert "&lt;img src=x onerror=alert(1)&gt;" in html


def test_a_correction_quotes_what_was_said_before_as_text(seeded, index, client):
    Framework.objects.filter(slug="fastapi").update(latest_requires_python="<img src=x>")
    call_command("refresh_facts", "--index-url", index.url, stdout=io.StringIO())
    correction = Correction.objects.get(framework__slug="fastapi", original__contains="<img")
    assert "<img" not in correction.now_html
    page = parse(client.get("/frameworks/fastapi/"))
    assert not [img for img in page.find_all("img") if img.attrs.get("src") == "x"]
    assert any("Python <img src=x>" in div.clean_text for div in page.find_all("div"))
