"""What needs attention (issue 24): the admin index links, at the top, to a page that lists
open readers' reports, reviews due, ranks that break the rules, stale texts and drafts, each
with its count and links to where it is fixed; "Needs attention (8)" counts them. Editors and
superusers see it alike; staff without the Editors' permissions see none of it."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from articles.models import Article
from comparisons.models import Criterion, FactCheck, Framework, ProCon
from reports.models import Report
from tests import factories
from tests.admin_forms import admin_url, change_url
from tests.html import get_page, parse

ATTENTION = "/admin/attention/"


@pytest.fixture
def one_or_two_of_each(seeded):
    """Two open reports (and a closed one), a review due, a rank that breaks the tie rule, a
    stale text, an unpublished framework and a draft article."""
    reports = [
        Report.objects.create(page="/frameworks/django/", text=f"Report {n}: it is wrong here.",
                              sender_hash="x")
        for n in (1, 2)
    ]  # fmt: skip
    Report.objects.create(page="/compare/", text="Closed: it was wrong.", sender_hash="x",
                          status=Report.Status.CLOSED)  # fmt: skip
    django = Framework.objects.get(slug="django")
    Framework.objects.filter(pk=django.pk).update(
        last_reviewed=timezone.localdate() - datetime.timedelta(days=200)
    )
    Criterion.objects.get(slug="api-tooling").ratings.filter(framework=django).update(rank=1)
    pro = ProCon.objects.filter(framework__slug="flask").order_by("pk").first()
    ProCon.objects.filter(pk=pro.pk).update(body="Of the four frameworks, the smallest.")
    flask = Framework.objects.get(slug="flask")
    FactCheck.objects.update_or_create(
        framework=flask,
        defaults={
            "checked_at": timezone.now() - datetime.timedelta(days=3),
            "failed_at": timezone.now(),
            "failure": "Flask: no answer from the index within 5 s",
        },
    )
    draft = factories.framework(name="Bottle", slug="bottle", is_published=False)
    article = factories.article(title="A draft guide", status=Article.Status.DRAFT)
    article.frameworks.set(Framework.objects.published())
    return {
        "open-reports": [change_url(report) for report in reports],
        "reviews-due": [change_url(django)],
        "rank-conflicts": [change_url(Criterion.objects.get(slug="api-tooling"))],
        "stale-texts": [change_url(pro)],
        "release-facts": [change_url(flask)],
        "draft-frameworks": [change_url(draft)],
        "draft-articles": [change_url(article)],
    }


LISTS = {
    "open-reports": admin_url(Report, "changelist") + "?status__exact=open",
    "reviews-due": admin_url(Framework, "changelist") + "?review=due",
    "draft-frameworks": admin_url(Framework, "changelist") + "?is_published__exact=0",
    "draft-articles": admin_url(Article, "changelist") + "?status__exact=draft",
}
COUNTS = {
    "open-reports": ("Open readers' reports", 2),
    "reviews-due": ("Reviews due", 1),
    "rank-conflicts": ("Ranks that break the rules", 1),
    "stale-texts": ("Texts that no longer match the published frameworks or the release facts", 1),
    "release-facts": ("Release facts not refreshed, samples behind a security release", 1),
    "draft-frameworks": ("Unpublished frameworks", 1),
    "draft-articles": ("Draft articles", 1),
}


@pytest.fixture
def superuser_client(django_user_model):
    from tests.admin_forms import BrowserClient

    root = django_user_model.objects.create_superuser("root", "root@example.com", "a-root-pass-8")
    client = BrowserClient()
    client.force_login(root)
    return client


@pytest.fixture(params=["editor_client", "superuser_client"])
def someone_who_edits(request):
    return request.getfixturevalue(request.param)


def test_the_admin_index_says_how_much_needs_attention_at_the_top(
    one_or_two_of_each, someone_who_edits
):
    page = get_page(someone_who_edits, reverse("admin:index"))
    badge = page.one("p", class_="attention-link")
    assert badge.one("a").clean_text == "Needs attention (8)"
    assert badge.one("a").attrs["href"] == ATTENTION
    around = page.by_id("content").children  # above the list of apps
    assert around.index(badge) < around.index(page.by_id("content-main"))


def test_the_attention_page_lists_each_kind_with_its_count(one_or_two_of_each, someone_who_edits):
    page = get_page(someone_who_edits, ATTENTION)
    assert page.one("h1").clean_text == "Needs attention"
    headings = [section.one("h2").clean_text for section in page.find_all("section")]
    assert headings == [f"{title} ({count})" for title, count in COUNTS.values()]


def test_each_thing_listed_links_to_where_it_is_fixed(one_or_two_of_each, someone_who_edits):
    page = get_page(someone_who_edits, ATTENTION)
    for key, urls in one_or_two_of_each.items():
        section = page.by_id(f"attention-{key}")
        links = [a.attrs["href"] for a in section.find_all("a")]
        assert sorted(links) == sorted([*urls, *([LISTS[key]] if key in LISTS else [])]), key
        for url in links:  # the editor may open each of them
            assert someone_who_edits.get(url).status_code == 200, url


def test_the_things_listed_say_what_is_wrong(one_or_two_of_each, editor_client):
    page = get_page(editor_client, ATTENTION)
    said = {key: page.by_id(f"attention-{key}").clean_text for key in COUNTS}
    assert "Report 1: it is wrong here." in said["open-reports"]
    assert "Closed" not in said["open-reports"]
    assert "Django: last reviewed 200 days ago" in said["reviews-due"]
    assert "the ranks are 1, 1, 2" in said["rank-conflicts"]
    assert "counts four frameworks; 3 are published" in said["stale-texts"]
    assert "Bottle: not published." in said["draft-frameworks"]
    assert "A draft guide: a draft." in said["draft-articles"]


def test_on_the_seeded_site_nothing_needs_attention(seeded, editor_client):
    page = get_page(editor_client, ATTENTION)
    assert "Nothing needs attention now." in page.one("div", id="content-main").clean_text
    assert all(section.one("h2").clean_text.endswith("(0)") for section in page.find_all("section"))
    index = get_page(editor_client, reverse("admin:index"))
    assert index.one("p", class_="attention-link").clean_text == "Needs attention (0)"


def test_what_is_fixed_is_no_longer_listed(one_or_two_of_each, editor_client):
    Report.objects.filter(status=Report.Status.OPEN).update(
        status=Report.Status.CLOSED, closed_at=timezone.now()
    )
    Framework.objects.filter(slug="bottle").update(is_published=True)
    page = get_page(editor_client, ATTENTION)
    assert page.by_id("attention-open-reports").one("h2").clean_text.endswith("(0)")
    assert page.by_id("attention-draft-frameworks").one("h2").clean_text.endswith("(0)")


def test_staff_without_the_editors_permissions_see_none_of_it(one_or_two_of_each, staff_client):
    index = staff_client.get(reverse("admin:index"))
    assert parse(index).find("p", class_="attention-link") is None
    page = get_page(staff_client, ATTENTION)
    assert page.find_all("section") == []
    assert "Report 1" not in page.one("div", id="content-main").clean_text


def test_a_reader_is_sent_to_log_in(seeded, client):
    response = client.get(ATTENTION)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login"))
