"""/feed/corrections/: the comparisons app's Atom feed of dated corrections, newest first."""

import datetime
import xml.etree.ElementTree as ET
from urllib.parse import urlsplit

from comparisons.models import Correction, Framework

FEED = "/feed/corrections/"
ATOM = {"atom": "http://www.w3.org/2005/Atom"}


def entries(client) -> list[ET.Element]:
    response = client.get(FEED)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    root = ET.fromstring(response.content)  # noqa: S314 -- the site's own output
    assert root.tag == "{http://www.w3.org/2005/Atom}feed"
    return root.findall("atom:entry", ATOM)


def titles(client) -> list[str]:
    return [entry.findtext("atom:title", namespaces=ATOM) for entry in entries(client)]


def test_feed_has_an_entry_per_seeded_correction(seeded, client):
    assert len(entries(client)) == Correction.objects.count() > 0


def test_entry_title_names_the_framework_and_what_the_original_said(seeded, client):
    correction = Correction.objects.select_related("framework").first()
    assert f"{correction.framework.name}: {correction.original}" in titles(client)


def test_newest_correction_comes_first(seeded, client):
    django = Framework.objects.get(slug="django")
    Correction.objects.create(
        framework=django, original="It was new.", now="It is not.", dated=datetime.date(2030, 1, 1)
    )
    assert titles(client)[0] == "Django: It was new."


def test_entry_links_to_the_correction_on_its_framework_page(seeded, client):
    correction = Correction.objects.filter(procon__isnull=True).select_related("framework").first()
    entry = next(
        entry
        for entry in entries(client)
        if entry.findtext("atom:title", namespaces=ATOM).endswith(correction.original)
    )
    link = urlsplit(entry.find("atom:link", ATOM).attrib["href"])
    assert link.path == correction.framework.get_absolute_url()
    page = client.get(link.path).content.decode()
    assert f'id="{link.fragment}"' in page


def test_an_unpublished_frameworks_corrections_are_left_out(seeded, client):
    Framework.objects.filter(slug="flask").update(is_published=False)
    assert titles(client)
    assert not [title for title in titles(client) if title.startswith("Flask:")]


def test_correction_markdown_is_sanitised_in_the_feed(seeded, client):
    django = Framework.objects.get(slug="django")
    Correction.objects.create(
        framework=django, original="Hostile.", now="**Bold** <script>alert(1)</script>"
    )
    entry = next(
        e for e in entries(client) if e.findtext("atom:title", namespaces=ATOM).endswith("Hostile.")
    )
    summary = entry.findtext("atom:summary", namespaces=ATOM)
    assert "<strong>Bold</strong>" in summary
    assert "<script" not in summary


def test_framework_page_links_its_corrections_feed(seeded, client):
    page = client.get(Framework.objects.get(slug="django").get_absolute_url()).content.decode()
    assert f'type="application/atom+xml" title="Framework Guide: corrections" href="{FEED}"' in page
