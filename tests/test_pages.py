"""What a reader sees on each page, from the seeded fixtures."""

import html
import re

import pytest

from articles.models import Article
from comparisons.models import Criterion, Framework, ProCon, Rating, UseCase
from core.pages import ARTICLE
from tests.html import get_page, parse


def text_of(client, url) -> str:
    response = client.get(url)
    assert response.status_code == 200, url
    return html.unescape(response.content.decode())


def h1(page: str) -> str:
    return parse(page).one("h1").text


def table_header(page: str) -> str:
    """The text of the (one) ratings table's header row."""
    return parse(page).one("table", class_="ratings").one("thead").text


def test_home_shows_the_lede_and_a_card_per_framework(seeded, client):
    page = text_of(client, "/")
    article = Article.objects.get()
    assert h1(page) == "Django, Flask or FastAPI?"
    assert article.description in page
    assert f'href="{ARTICLE}"' in page
    assert 'href="/compare/"' in page
    for framework in Framework.objects.all():
        assert f'href="{framework.get_absolute_url()}"' in page
        assert framework.tagline in page
        assert framework.get_category_display() in page
    assert "<strong>Our advice:</strong> Choose Django when" in page


def test_article_has_every_section_in_reading_order(seeded, client):
    page = text_of(client, ARTICLE)
    article = Article.objects.get()
    assert h1(page) == article.title
    order = [
        'id="toc-title"',
        'id="introduction"',
        'id="django"',
        'id="flask"',
        'id="fastapi"',
        'id="comparison"',
        'id="article-table"',
        'id="conclusion"',
    ]
    positions = [page.index(anchor) for anchor in order]
    assert positions == sorted(positions)
    for anchor in ("introduction", "django-pros", "flask-cons", "fastapi-use-cases", "conclusion"):
        assert f'href="#{anchor}"' in page
        assert f'id="{anchor}"' in page


def test_article_holds_every_pro_con_use_case_and_rating(seeded, client):
    page = text_of(client, ARTICLE)
    for point in ProCon.objects.all():
        assert point.title in page
    for use_case in UseCase.objects.all():
        assert use_case.title in page
    article = Article.objects.get()
    for rating in Rating.objects.filter(criterion__articles=article):
        assert rating.verdict in page
    for criterion in article.criteria.all():
        assert f'id="criterion-{criterion.slug}"' in page
    for framework in Framework.objects.all():
        assert f"Our advice on {framework.name}</h3>" in page
        assert f"<p>Choose {framework.name} when" in page
    assert "Published <time" in page
    assert "Updated <time" in page


def test_article_lists_use_cases_by_title_and_leaves_their_detail_to_the_framework_page(
    seeded, client
):
    page = get_page(client, ARTICLE)
    for framework in Framework.objects.published():
        heading = page.by_id(f"{framework.slug}-use-cases")
        titles = [li.clean_text for li in heading.next_sibling("ul").children]
        assert titles == [use_case.title for use_case in framework.use_cases.all()]
        link = heading.next_sibling("p").one("a")
        assert link.attrs["href"] == f"{framework.get_absolute_url()}#use-cases"
    text = page.clean_text
    assert not [u.title for u in UseCase.objects.all() if u.body.split(".")[0] in text]


def test_article_names_the_criteria_it_does_not_rate_and_links_to_them(seeded, client):
    page = get_page(client, ARTICLE)
    article = Article.objects.get()
    others = Criterion.objects.exclude(articles=article)
    assert others.exists()
    links = {a.attrs["href"] for a in page.one("section", id="comparison").find_all("a")}
    criteria = get_page(client, "/methodology/")
    for criterion in others:
        assert criterion.get_absolute_url() in links
        assert criteria.by_id(f"criterion-{criterion.slug}") is not None  # the link's target


def test_article_markdown_is_rendered(seeded, client):
    page = text_of(client, ARTICLE)
    assert "<strong>Django</strong>" in page
    assert "<code>pip install djangorestframework</code>" in page
    assert "**" not in page


def test_framework_list_shows_every_published_framework(seeded, client):
    page = text_of(client, "/frameworks/")
    assert h1(page) == "Frameworks"
    names = [
        link.text
        for heading in parse(page).find_all("h2")
        for link in heading.find_all("a")
        if link.attrs["href"].startswith("/frameworks/")
    ]
    assert names == ["Django", "Flask", "FastAPI"]


@pytest.mark.parametrize("slug", ["django", "flask", "fastapi"])
def test_framework_page_shows_facts_points_and_ratings(seeded, client, slug):
    framework = Framework.objects.get(slug=slug)
    page = text_of(client, f"/frameworks/{slug}/")
    assert h1(page) == framework.name
    for fact in (
        framework.get_category_display(),
        str(framework.first_released),
        framework.creators,
        *framework.notable_users_list,
    ):
        assert fact in page
    for url in (framework.website, framework.repository, framework.documentation):
        assert f'href="{url}"' in page
    for point in framework.pros_cons.all():
        assert point.title in page
    for use_case in framework.use_cases.all():
        assert use_case.title in page
    for rating in framework.ratings.all():
        assert rating.verdict in page
        assert rating.criterion.name in page
    others = Framework.objects.exclude(pk=framework.pk)
    for other in others:
        assert f'href="{framework.versus_url(other)}"' in page
    # Pros come before cons, which come before use cases.
    assert page.index('id="pros"') < page.index('id="cons"') < page.index('id="use-cases"')


def test_compare_shows_every_cell_with_rank_and_verdict(seeded, client):
    page = text_of(client, "/compare/")
    assert h1(page) == "Compare the frameworks"
    assert "<caption" in page
    table = parse(page).one("table", class_="ratings")
    assert len(table.find_all("th", scope="row")) == Criterion.objects.count()
    assert len(table.find_all("th", scope="col")) == 1 + Framework.objects.published().count()
    for rating in Rating.objects.all():
        assert rating.verdict in page
    leaders = table.find_all("span", class_="rank-1")
    assert len(leaders) == Rating.objects.filter(rank=1).count()
    assert "★" not in page  # the star is CSS decoration; the rank is text
    assert ">1st<" in page
    assert ">3rd<" in page


def test_compare_form_choice_is_reflected_in_the_table(seeded, client):
    page = text_of(client, "/compare/?fw=django&fw=fastapi")
    header = table_header(page)
    assert "Django" in header
    assert "FastAPI" in header
    assert "Flask" not in header
    assert 'value="django" checked' in page
    assert 'value="fastapi" checked' in page
    assert 'value="flask">' in page


def test_compare_without_choice_shows_every_framework_checked(seeded, client):
    page = text_of(client, "/compare/")
    header = table_header(page)
    assert [name for name in ("Django", "Flask", "FastAPI") if name in header] == [
        "Django",
        "Flask",
        "FastAPI",
    ]
    boxes = parse(page).one("form", class_="choose").find_all("input", name="fw")
    assert len([box for box in boxes if "checked" in box.attrs]) == 3


def test_compare_form_is_a_get_form_of_checkboxes(seeded, client):
    page = text_of(client, "/compare/")
    form = parse(page).one("form", class_="choose")
    assert (form.attrs["method"], form.attrs["action"]) == ("get", "/compare/")
    assert page.count('type="checkbox" name="fw"') == 3
    assert "<legend>" in page


def test_versus_page_shows_both_on_every_criterion(seeded, client):
    page = text_of(client, "/compare/django-vs-flask/")
    assert h1(page) == "Django vs Flask"
    header = table_header(page)
    assert "Django" in header
    assert "Flask" in header
    assert "FastAPI" not in header
    for rating in Rating.objects.filter(framework__slug__in=["django", "flask"]):
        assert rating.verdict in page
    for point in ProCon.objects.filter(framework__slug__in=["django", "flask"]):
        assert point.title in page


def test_unpublished_framework_leaves_the_table(seeded, client):
    flask = Framework.objects.get(slug="flask")
    flask.is_published = False
    flask.save()
    page = text_of(client, "/compare/")
    assert "Flask" not in table_header(page)
    assert client.get("/compare/django-vs-flask/").status_code == 404


def test_an_edit_shows_at_the_next_request(seeded, client):
    text_of(client, "/frameworks/flask/")  # rendered and cached
    flask = Framework.objects.get(slug="flask")
    flask.tagline = "Freshly edited tagline."
    flask.save()
    assert "Freshly edited tagline." in text_of(client, "/frameworks/flask/")


def test_home_leads_with_the_helper_and_a_short_answer(seeded, client):
    page = client.get("/").content.decode()
    assert page.index("Find my framework") < page.index("The frameworks")
    assert 'href="/choose/?building=json-api#answer"' in page
    short = page[page.index('id="quick-title"') : page.index("The frameworks")]
    fastapi = short[short.index(">FastAPI<") :].split("</li>")[0]
    assert "a JSON API for a web or mobile front end" in fastapi


@pytest.mark.parametrize("slug", ["django", "flask", "fastapi"])
def test_framework_page_opens_with_its_advice_then_its_contents(seeded, client, slug):
    page = client.get(f"/frameworks/{slug}/").content.decode()
    assert page.index("Our advice") < page.index("On this page") < page.index('id="facts"')
    contents = page[
        page.index('id="contents-title"') : page.index("</nav>", page.index('id="contents-title"'))
    ]
    anchors = re.findall(r'href="#([\w-]+)"', contents)
    assert len(anchors) >= 6
    for anchor in anchors:
        assert f'id="{anchor}"' in page, anchor


@pytest.mark.parametrize("url", [ARTICLE, "/frameworks/django/"])
def test_long_pages_lead_back_to_their_contents_after_each_part(seeded, client, url):
    page = get_page(client, url)
    backs = [link for link in page.find_all("a") if link.clean_text == "Back to contents"]
    assert len(backs) >= 3
    for link in backs:
        heading = page.by_id(link.attrs["href"].removeprefix("#"))
        assert heading is not None, link.attrs["href"]
        assert heading.parent.tag == "nav"


def test_the_article_gives_the_short_answer_after_its_introduction(seeded, client):
    page = client.get(ARTICLE).content.decode()
    assert page.index('id="introduction"') < page.index('id="quick-title"')
    assert page.index('id="quick-title"') < page.index('id="django"')
    short = page[
        page.index('id="quick-title"') : page.index("</section>", page.index('id="quick-title"'))
    ]
    assert 'href="/choose/?building=json-api#answer"' in short
    assert 'href="#quick-title"' in page  # in the contents
