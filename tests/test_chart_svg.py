"""The ratings chart as the pages serve it: one labelled inline SVG, a bar per rated cell with
its rank written, longer for better ranks, no script or style.

The SVG is read with xml.etree (it is well-formed XML); its label through tests/html.py.
"""

import itertools
import re
import xml.etree.ElementTree as ET
from collections import Counter

import pytest
from django.contrib.humanize.templatetags.humanize import ordinal

from comparisons.models import Criterion, Framework, Rating
from tests.html import get_page
from tests.pages import PUBLIC_PAGES
from tests.readers import shown_ratings

COMPARE = PUBLIC_PAGES["compare"]
SVG_NS = "{http://www.w3.org/2000/svg}"


def chart_of(response) -> ET.Element:
    (svg_text,) = re.findall(r"<svg\b.*?</svg>", response.content.decode(), flags=re.S)
    return ET.fromstring(svg_text)  # noqa: S314 -- our own response, not untrusted data


def bars(svg: ET.Element) -> list[dict]:
    """Each bar group with its criterion (the heading above it), framework, rank and width."""
    found, heading = [], None
    for element in svg:
        classes = set(element.get("class", "").split())
        if element.tag == f"{SVG_NS}text" and "chart-heading" in classes:
            heading = element.text
        elif element.tag == f"{SVG_NS}g" and "chart-bar" in classes:
            texts = element.findall(f"{SVG_NS}text")
            (rect,) = element.findall(f"{SVG_NS}rect")
            found.append(
                {
                    "criterion": heading,
                    "framework": texts[0].text,
                    "rank_text": texts[-1].text,
                    "width": float(rect.get("width")),
                    "classes": classes,
                }
            )
    return found


# --- the pages


@pytest.mark.parametrize("url", [COMPARE, "/frameworks/django/"])
def test_page_has_one_labelled_inline_svg_chart(seeded, client, url):
    page = get_page(client, url)
    (svg,) = page.find_all("svg")
    assert svg.attrs.get("role") == "img"
    labelled_by = [page.by_id(i) for i in svg.attrs["aria-labelledby"].split()]
    assert all(labelled_by), svg.attrs["aria-labelledby"]
    assert {node.tag for node in labelled_by} == {"figcaption", "desc"}
    caption = next(node for node in labelled_by if node.tag == "figcaption")
    assert caption.clean_text
    desc = next(node for node in labelled_by if node.tag == "desc")
    assert svg in desc.ancestors()


@pytest.mark.parametrize("url", [COMPARE, "/frameworks/django/"])
def test_chart_has_a_bar_per_rated_cell_with_its_rank_written(seeded, client, url):
    found = bars(chart_of(client.get(url)))
    ratings = list(shown_ratings(Framework.objects.published(), Criterion.objects.all()))
    shared = Counter((r.criterion_id, r.rank) for r in ratings)
    expected = [  # a rank shared on a criterion is written as a tie: "=2nd"
        (r.criterion.name, r.framework.name,
         ("=" if shared[(r.criterion_id, r.rank)] > 1 else "") + ordinal(r.rank))
        for r in ratings
    ]  # fmt: skip
    assert Counter((b["criterion"], b["framework"], b["rank_text"]) for b in found) == Counter(
        expected
    )
    assert len(found) == Rating.objects.count()


@pytest.mark.parametrize("url", [COMPARE, "/frameworks/django/"])
def test_chart_bars_are_longer_for_better_ranks(seeded, client, url):
    found = bars(chart_of(client.get(url)))
    ranks = {
        (r.criterion.name, r.framework.name): r.rank
        for r in shown_ratings(Framework.objects.published(), Criterion.objects.all())
    }
    by_criterion: dict[str, list] = {}
    for bar in found:
        by_criterion.setdefault(bar["criterion"], []).append(bar)
    assert set(by_criterion) == set(Criterion.objects.values_list("name", flat=True))
    for group in by_criterion.values():
        ordered = sorted(group, key=lambda bar: ranks[(bar["criterion"], bar["framework"])])
        assert ranks[(ordered[0]["criterion"], ordered[0]["framework"])] == 1
        assert ordered[0]["width"] == max(bar["width"] for bar in group)
        for better, worse in itertools.pairwise(ordered):
            better_rank = ranks[(better["criterion"], better["framework"])]
            worse_rank = ranks[(worse["criterion"], worse["framework"])]
            if better_rank < worse_rank:
                assert better["width"] > worse["width"], group
            else:
                assert better["width"] == worse["width"], group


@pytest.mark.parametrize("url", [COMPARE, "/frameworks/django/"])
def test_chart_has_no_script_and_no_style_attribute(seeded, client, url):
    svg = chart_of(client.get(url))
    for element in svg.iter():
        assert element.tag.removeprefix(SVG_NS) != "script"
        assert "style" not in element.attrib, element.tag
        assert not any(name.lower().startswith("on") for name in element.attrib)


@pytest.mark.parametrize("url", [COMPARE, "/frameworks/django/"])
def test_chart_description_names_every_framework_and_criterion(seeded, client, url):
    svg = chart_of(client.get(url))
    (desc,) = svg.findall(f"{SVG_NS}desc")
    for name in Framework.objects.published().values_list("name", flat=True):
        assert name in desc.text
    for name in Criterion.objects.values_list("name", flat=True):
        assert name in desc.text


def test_framework_page_chart_marks_the_current_frameworks_bars(seeded, client):
    found = bars(chart_of(client.get("/frameworks/flask/")))
    current = [bar for bar in found if "current" in bar["classes"]]
    assert current
    assert {bar["framework"] for bar in current} == {"Flask"}
    assert len(current) == Rating.objects.filter(framework__slug="flask").count()


def test_compare_chart_has_no_current_framework(seeded, client):
    found = bars(chart_of(client.get(COMPARE)))
    assert not any("current" in bar["classes"] for bar in found)


def test_framework_filter_shrinks_the_chart(seeded, client):
    svg = chart_of(client.get(f"{COMPARE}?fw=django&fw=flask"))
    found = bars(svg)
    assert {bar["framework"] for bar in found} == {"Django", "Flask"}
    assert len(found) == Rating.objects.filter(framework__slug__in=["django", "flask"]).count()
    assert "FastAPI" not in svg.find(f"{SVG_NS}desc").text
    assert "FastAPI" not in ET.tostring(svg, encoding="unicode")
