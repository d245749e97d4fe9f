"""Report a mistake: the form a reader reaches from every content page, what it refuses, and
the reports editors read, filter and close in the admin."""

from datetime import timedelta
from urllib.parse import quote

import pytest
from django.contrib.auth.models import Group
from django.core.cache import cache
from django.db import IntegrityError, transaction
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from core.cache import generation
from core.content import content_models, dump, fixtures
from core.pages import NOT_FOUND, PUBLIC_PAGES
from core.roles import EDITORS
from reports.models import Report
from tests.admin_forms import admin_url, change_url, read_form
from tests.html import get_page, parse

FORM = "/report/"
THANKS = "/report/thanks/"
DJANGO_PAGE = PUBLIC_PAGES["django"]
TEXT = "The latest release named here is out of date; PyPI lists a newer one."
READER = "203.0.113.10"
OTHER_READER = "198.51.100.20"


def report_data(**fields) -> dict:
    return {"page": DJANGO_PAGE, "text": TEXT, "email": "", "website": "", **fields}


def send(client, remote=READER, **fields):
    return client.post(FORM, report_data(**fields), REMOTE_ADDR=remote)


def make_reports(count: int, remote=READER, **fields) -> list[Report]:
    """Reports as the form stores them (with the sender's hash), without going through it."""
    from django.test import RequestFactory

    from reports.models import sender_hash

    sender = sender_hash(RequestFactory().get("/", REMOTE_ADDR=remote))
    defaults = {"page": DJANGO_PAGE, "text": TEXT, "sender_hash": sender}
    return [Report.objects.create(**{**defaults, **fields}) for _ in range(count)]


def refusal(response) -> str:
    return parse(response).by_id("problems").clean_text


def field_errors(response, name: str) -> str:
    errors = parse(response).by_id(f"id_{name}_error")
    return errors.clean_text if errors is not None else ""


# --- the form --------------------------------------------------------------------------------


def test_form_is_prefilled_with_the_page_of_the_link(seeded, client):
    page = get_page(client, f"{FORM}?page={quote(DJANGO_PAGE)}")
    assert page.one("input", name="page").attrs["value"] == DJANGO_PAGE
    assert page.one("label", for_="id_page")
    assert page.one("textarea", name="text").text.strip() == ""


@pytest.mark.parametrize(
    "value",
    [
        "https://evil.example/",
        "//evil.example/frameworks/django/",
        "/\\evil.example/",
        "javascript:alert(1)",
        "/no-such-page/",
        "/frameworks/no-such-framework/",
        "/frameworks/django/?fw=flask",
        '/"><script>alert(1)</script>',
        "%ff%fe",
        "/" + "a" * 5000,
    ],
    ids=[
        "absolute",
        "scheme-relative",
        "backslash",
        "javascript",
        "no page",
        "unknown slug",
        "query",
        "markup",
        "not utf-8",
        "very long",
    ],
)
def test_a_link_naming_no_public_page_leaves_the_page_blank(seeded, client, value):
    response = client.get(f"{FORM}?page={value}")
    assert response.status_code == 200
    page = parse(response)
    assert "value" not in page.one("input", name="page").attrs
    assert "named no page of this site" in page.one("p", role="status").clean_text
    assert b"<script>alert(1)" not in response.content


def test_form_has_a_trap_field_hidden_from_people(seeded, client):
    page = get_page(client, FORM)
    trap = page.one("input", name="website")
    assert trap.attrs["tabindex"] == "-1"
    assert trap.attrs["autocomplete"] == "off"
    assert trap.within("div", class_="trap", aria_hidden="true")
    assert page.one("label", for_="id_website").clean_text == "Leave this field empty"


def test_form_and_thank_you_page_ask_not_to_be_indexed(seeded, client):
    for url in (FORM, THANKS):
        page = get_page(client, url)
        assert page.one("meta", name="robots").attrs["content"] == "noindex"
        assert page.find("link", rel="canonical") is None


def test_form_has_no_script(seeded, client):
    page = get_page(client, FORM)
    assert page.find_all("script") == []
    assert not [name for e in page.descendants() for name in e.attrs if name.startswith("on")]


def test_an_unknown_query_parameter_is_redirected_away(seeded, client):
    response = client.get(f"{FORM}?page={DJANGO_PAGE}&utm_source=mail")
    assert response.status_code == 301
    assert response["Location"] == f"{FORM}?page={quote(DJANGO_PAGE, safe='')}"


# --- sending a report ---------------------------------------------------------------------------


def test_a_report_is_stored_and_the_reader_is_sent_to_the_thank_you_page(seeded, client):
    response = send(client, email="reader@example.com")
    assert response.status_code == 303
    assert response["Location"] == f"{THANKS}?page={DJANGO_PAGE}"
    report = Report.objects.get()
    assert (report.page, report.text, report.email) == (DJANGO_PAGE, TEXT, "reader@example.com")
    assert report.status == Report.Status.OPEN
    assert report.closed_at is None


def test_the_senders_address_is_kept_only_as_a_keyed_hash(seeded, client):
    send(client)
    stored = Report.objects.values_list("sender_hash", flat=True).get()
    assert len(stored) == 64
    assert READER not in stored
    everything = " ".join(str(value) for value in Report.objects.values().get().values())
    assert READER not in everything


def test_thank_you_page_says_the_report_was_received(seeded, client):
    response = send(client)
    page = get_page(client, response["Location"])
    assert page.one("h1").clean_text == "Thank you: your report was received"
    back = [a.attrs["href"] for a in page.one("main").find_all("a")]
    assert DJANGO_PAGE in back


def test_thank_you_page_links_back_only_to_a_public_page(seeded, client):
    page = get_page(client, f"{THANKS}?page=//evil.example/")
    hrefs = [a.attrs["href"] for a in page.one("main").find_all("a")]
    assert hrefs == ["/"]


def test_a_post_without_the_csrf_token_is_refused_and_nothing_stored(seeded):
    client = Client(enforce_csrf_checks=True)
    client.get(FORM)  # the CSRF cookie, but no token in the form data
    response = client.post(FORM, report_data(), REMOTE_ADDR=READER)
    assert response.status_code == 403
    page = parse(response)
    assert page.one("h1").clean_text == "Form not accepted"
    assert "nothing was sent or stored" in page.one("main").clean_text
    assert not Report.objects.exists()


def test_a_post_with_the_forms_csrf_token_is_accepted(seeded):
    client = Client(enforce_csrf_checks=True)
    token = get_page(client, FORM).one("input", name="csrfmiddlewaretoken").attrs["value"]
    response = client.post(FORM, report_data(csrfmiddlewaretoken=token), REMOTE_ADDR=READER)
    assert response.status_code == 303
    assert Report.objects.count() == 1


def test_a_filled_trap_field_is_refused_and_nothing_stored(seeded, client):
    response = send(client, website="https://spam.example/")
    assert response.status_code == 400
    assert "Nothing was stored" in refusal(response)
    assert "filled in, which robots do" in refusal(response)
    assert not Report.objects.exists()


def test_a_person_refused_for_the_trap_field_can_send_the_form_again_as_it_is(seeded, client):
    refused = send(client, website="autofilled")
    form = parse(refused).one("form", class_="report")
    assert "value" not in form.one("input", name="website").attrs
    assert form.one("textarea", name="text").text.strip() == TEXT
    again = {field.attrs["name"]: field.attrs.get("value", "") for field in form.find_all("input")}
    again["text"] = form.one("textarea", name="text").text.removeprefix("\n")
    assert client.post(FORM, again, REMOTE_ADDR=READER).status_code == 303
    assert Report.objects.get().text == TEXT


def test_the_sixth_report_within_an_hour_is_refused_and_nothing_stored(seeded, client, settings):
    assert settings.REPORT_LIMIT == 5
    for _ in range(5):
        assert send(client).status_code == 303
    response = send(client, text="One more report, the sixth from this address.")
    assert response.status_code == 429
    assert "sent 5 reports in the last hour" in refusal(response)
    assert "Nothing was stored" in refusal(response)
    assert 0 < int(response["Retry-After"]) <= 3600
    assert Report.objects.count() == 5
    assert not Report.objects.filter(text__contains="sixth").exists()


def test_another_address_is_still_accepted_during_a_flood(seeded, client):
    make_reports(5, remote=READER)
    assert send(client, remote=READER).status_code == 429
    assert send(client, remote=OTHER_READER).status_code == 303
    assert Report.objects.count() == 6


def test_reports_older_than_the_window_no_longer_count(seeded, client):
    make_reports(5, created_at=timezone.now() - timedelta(hours=1, minutes=1))
    assert send(client).status_code == 303


def test_a_made_up_forwarded_for_header_does_not_escape_the_limit(seeded, client):
    make_reports(5, remote=READER)
    response = client.post(
        FORM, report_data(), REMOTE_ADDR=READER, HTTP_X_FORWARDED_FOR="192.0.2.99"
    )
    assert response.status_code == 429


@pytest.mark.parametrize(
    ("page", "message"),
    [
        ("https://evil.example/", "a page on this site"),
        ("//evil.example/", "a page on this site"),
        ("/\\evil.example/", "a page on this site"),
        ("javascript:alert(1)", "a page on this site"),
        ("/frameworks/django/?x=1", "a page on this site"),
        ("/no-such-page/", "no public page at this address"),
        ("/admin/", "no public page at this address"),
        ("/" + "a" * 300, "at most 200 characters"),
        ("", "Give the address of the page"),
    ],
    ids=[
        "absolute",
        "scheme-relative",
        "backslash",
        "javascript",
        "query",
        "no page",
        "admin",
        "too long",
        "missing",
    ],
)
def test_a_page_that_is_not_public_is_a_form_error(seeded, client, page, message):
    response = send(client, page=page)
    assert response.status_code == 200
    assert message in field_errors(response, "page")
    assert "Page:" in refusal(response)
    assert not Report.objects.exists()


def test_missing_text_is_a_form_error(seeded, client):
    response = send(client, text="   ")
    assert response.status_code == 200
    assert "Say what is wrong" in field_errors(response, "text")
    assert not Report.objects.exists()


def test_too_short_text_is_a_form_error(seeded, client):
    response = send(client, text="wrong")
    assert "at least 10 characters" in field_errors(response, "text")
    assert not Report.objects.exists()


def test_too_long_text_is_a_form_error_and_keeps_what_was_written(seeded, client):
    response = send(client, text="x" * 2001)
    assert response.status_code == 200
    assert "at most 2000 characters (this has 2001)" in field_errors(response, "text")
    assert parse(response).one("textarea", name="text").text.strip() == "x" * 2001
    assert not Report.objects.exists()


def test_a_bad_email_is_a_form_error(seeded, client):
    response = send(client, email="not-an-address")
    assert response.status_code == 200
    assert "valid email address" in field_errors(response, "email")
    assert not Report.objects.exists()


def test_errors_are_tied_to_their_fields_and_announced(seeded, client):
    response = send(client, text="", email="nope")
    page = parse(response)
    assert page.by_id("problems").attrs["role"] == "alert"
    assert page.one("title").clean_text.startswith("Not sent:")
    for name, tag in (("text", "textarea"), ("email", "input")):
        control = page.one(tag, name=name)
        assert control.attrs["aria-invalid"] == "true"
        assert f"id_{name}_error" in control.attrs["aria-describedby"].split()
        assert page.one("a", href=f"#id_{name}")


def test_a_null_character_or_undecodable_bytes_are_a_form_error_not_a_500(seeded, client):
    response = send(client, text="A null \x00 character in the text")
    assert response.status_code == 200
    assert field_errors(response, "text")
    body = b"page=%2Fframeworks%2Fdjango%2F&text=%ff%fe%fd%ff%fe%fd%ff%fe%fd%ff&website="
    response = client.post(
        FORM, body, content_type="application/x-www-form-urlencoded", REMOTE_ADDR=READER
    )
    assert response.status_code in {200, 303}


def test_the_form_makes_a_small_fixed_number_of_queries(
    seeded, client, django_assert_max_num_queries
):
    with django_assert_max_num_queries(8):
        assert client.get(f"{FORM}?page={DJANGO_PAGE}").status_code == 200
    with django_assert_max_num_queries(8):
        assert send(client).status_code == 303


def test_the_sitemap_does_not_list_the_report_pages(seeded, client):
    sitemap = client.get("/sitemap.xml").content.decode()
    assert "/frameworks/django/" in sitemap
    assert "/report/" not in sitemap


def test_the_form_answers_other_methods_with_405(seeded, client):
    assert client.put(FORM).status_code == 405
    assert client.post(THANKS).status_code == 405


# --- never cached ---------------------------------------------------------------------------


@pytest.mark.parametrize("url", [f"{FORM}?page={DJANGO_PAGE}", f"{THANKS}?page={DJANGO_PAGE}"])
def test_report_pages_are_never_served_from_the_page_cache(seeded, client, url):
    first = client.get(url)
    assert "no-store" in first["Cache-Control"]
    assert "X-Page-Cache" not in first
    client.cookies["csrftoken"] = "a" * 32
    second = client.get(url)
    assert second.status_code == 200
    assert "X-Page-Cache" not in second
    assert b"csrfmiddlewaretoken" in second.content or url.startswith(THANKS)


def test_two_readers_get_their_own_csrf_tokens(seeded):
    tokens = {
        get_page(Client(), FORM).one("input", name="csrfmiddlewaretoken").attrs["value"]
        for _ in range(2)
    }
    assert len(tokens) == 2


# --- the link on every content page ---------------------------------------------------------------


def report_links(page) -> list[str]:
    return [
        a.attrs["href"]
        for a in page.one("footer").find_all("a")
        if a.clean_text == "Report a mistake on this page"
    ]


@pytest.mark.parametrize("name", list(PUBLIC_PAGES))
def test_every_content_page_links_to_the_form_for_itself(seeded, client, name):
    path = PUBLIC_PAGES[name]
    assert report_links(get_page(client, path)) == [f"{FORM}?page={quote(path)}"]
    assert (
        get_page(client, f"{FORM}?page={quote(path)}").one("input", name="page").attrs["value"]
        == path
    )


def test_the_link_names_the_canonical_path_without_the_query(seeded, client):
    page = get_page(client, "/compare/?fw=django&fw=flask")
    assert report_links(page) == [f"{FORM}?page=/compare/"]


@pytest.mark.parametrize("url", [FORM, THANKS])
def test_the_report_pages_have_no_report_link(seeded, client, url):
    assert report_links(get_page(client, url)) == []


@pytest.mark.parametrize("url", [NOT_FOUND, "/frameworks/no-such-framework/"])
def test_error_pages_have_no_report_link(seeded, client, url):
    response = client.get(url)
    assert response.status_code == 404
    assert report_links(parse(response)) == []


def test_a_staff_preview_of_an_unpublished_page_has_no_report_link(seeded, staff_client):
    from comparisons.models import Framework

    Framework.objects.filter(slug="flask").update(is_published=False)
    page = get_page(staff_client, PUBLIC_PAGES["flask"])
    assert page.find("p", class_="preview-banner") is not None
    assert report_links(page) == []


def test_every_content_page_is_one_a_report_may_be_about(seeded, client):
    """The form accepts exactly the pages the sitemap lists: every page with the link."""
    for path in PUBLIC_PAGES.values():
        assert send(client, remote=f"192.0.2.{len(path)}", page=path).status_code == 303, path


# --- records, not content ---------------------------------------------------------------------


def test_a_report_starts_no_new_generation_of_pages(seeded, client):
    before = generation()
    send(client)
    Report.objects.update(status=Report.Status.CLOSED, closed_at=timezone.now())
    report = Report.objects.get()
    report.note = "Fixed."
    report.save()
    report.delete()
    assert generation() == before


def test_a_cached_page_stays_cached_after_a_report(seeded, client):
    cache.clear()
    assert client.get(DJANGO_PAGE)["X-Page-Cache"] == "miss"
    send(client)
    assert client.get(DJANGO_PAGE)["X-Page-Cache"] == "hit"


def test_reports_are_neither_seeded_nor_exported(seeded, client):
    send(client)
    assert Report not in content_models()
    exported = "".join(dump(specs) for specs in fixtures().values())
    assert "reports.report" not in exported
    assert TEXT not in exported


def test_the_database_refuses_an_unknown_status_or_a_closed_report_without_a_time(db):
    (report,) = make_reports(1)
    with transaction.atomic(), pytest.raises(IntegrityError):
        Report.objects.filter(pk=report.pk).update(status="spam")
    with transaction.atomic(), pytest.raises(IntegrityError):
        Report.objects.filter(pk=report.pk).update(status="closed", closed_at=None)


# --- editors in the admin ---------------------------------------------------------------------


def changelist(client, query: str = ""):
    response = client.get(admin_url(Report, "changelist") + query)
    assert response.status_code == 200
    return response


def listed_pks(response) -> set[int]:
    return {report.pk for report in response.context["cl"].result_list}


def test_a_sent_report_is_listed_for_editors(seeded, client, editor_client):
    send(client)
    response = changelist(editor_client)
    report = Report.objects.get()
    assert listed_pks(response) == {report.pk}
    table = parse(response).by_id("result_list")
    text = table.clean_text
    assert "The latest release named here is out of date" in text
    assert "Open" in text
    assert table.one("a", href=DJANGO_PAGE).clean_text == DJANGO_PAGE


def test_editors_filter_reports_by_status(seeded, editor_client):
    (open_report,) = make_reports(1)
    (closed_report,) = make_reports(1, status=Report.Status.CLOSED)
    assert listed_pks(changelist(editor_client, "?status__exact=open")) == {open_report.pk}
    assert listed_pks(changelist(editor_client, "?status__exact=closed")) == {closed_report.pk}


def test_editors_filter_reports_by_page(seeded, editor_client):
    (django_report,) = make_reports(1)
    make_reports(1, page=PUBLIC_PAGES["flask"])
    response = changelist(editor_client, f"?page={quote(DJANGO_PAGE)}")
    assert listed_pks(response) == {django_report.pk}


def test_editors_search_reports_by_their_text(seeded, editor_client):
    (wanted,) = make_reports(1, text="The Flask tagline misspells Werkzeug.")
    make_reports(1)
    assert listed_pks(changelist(editor_client, "?q=Werkzeug")) == {wanted.pk}


def run_action(client, action: str, reports):
    return client.post(
        admin_url(Report, "changelist"),
        {"action": action, "_selected_action": [report.pk for report in reports]},
        follow=True,
    )


def test_the_close_action_closes_the_selected_reports(seeded, editor_client):
    reports = make_reports(2)
    (other,) = make_reports(1)
    response = run_action(editor_client, "close", reports)
    assert response.status_code == 200
    assert "2 report(s) closed" in response.content.decode()
    for report in reports:
        report.refresh_from_db()
        assert report.status == Report.Status.CLOSED
        assert report.closed_at is not None
    other.refresh_from_db()
    assert other.status == Report.Status.OPEN


def test_the_reopen_action_reopens_and_clears_the_closing_time(seeded, editor_client):
    (report,) = make_reports(1, status=Report.Status.CLOSED)
    run_action(editor_client, "reopen", [report])
    report.refresh_from_db()
    assert (report.status, report.closed_at) == (Report.Status.OPEN, None)


def test_an_editor_closes_a_report_with_a_note_and_cannot_change_the_readers_text(
    seeded, editor_client
):
    (report,) = make_reports(1)
    response = editor_client.get(change_url(report))
    assert response.status_code == 200
    assert parse(response).find("textarea", name="text") is None  # shown, not editable
    assert parse(response).one("a", href=DJANGO_PAGE)
    data = read_form(response, "report_form")
    data.update(status="closed", note="Updated the release facts.", text="Changed by an editor")
    response = editor_client.post(change_url(report), data)
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.status == Report.Status.CLOSED
    assert report.closed_at is not None
    assert report.note == "Updated the release facts."
    assert report.text == TEXT


def test_editors_cannot_add_reports_in_the_admin(seeded, editor_client):
    assert editor_client.get(admin_url(Report, "add")).status_code == 403


def test_an_editor_deletes_a_report(seeded, editor_client):
    (report,) = make_reports(1)
    response = editor_client.post(admin_url(Report, "delete", report.pk), {"post": "yes"})
    assert response.status_code == 302
    assert not Report.objects.exists()


def test_editors_may_view_change_and_delete_reports_but_not_add_them(db, editor):
    group = Group.objects.get(name=EDITORS)
    granted = set(
        group.permissions.filter(content_type__app_label="reports").values_list(
            "codename", flat=True
        )
    )
    assert granted == {"view_report", "change_report", "delete_report"}
    assert editor.has_perm("reports.change_report")
    assert not editor.has_perm("reports.add_report")


def test_staff_without_the_permission_cannot_see_reports(seeded, staff_client):
    make_reports(1)
    assert staff_client.get(reverse("admin:reports_report_changelist")).status_code == 403


# --- bodies of any size, and reports sent at the same moment (issue 27) ----------------------


def test_a_body_larger_than_the_form_needs_is_413_and_nothing_is_stored(seeded, client):
    big = report_data(text="x" * 100_000)
    response = client.post(FORM, big, REMOTE_ADDR=READER)
    assert response.status_code == 413
    assert "Too large" in response.content.decode()
    assert not Report.objects.exists()


@pytest.mark.parametrize(
    "content_type", ["multipart/form-data", "application/x-www-form-urlencoded"]
)
def test_a_50_mb_body_is_refused_before_it_is_read(seeded, client, content_type):
    """The declared length decides: the body is never read, so never spooled to disk."""
    response = client.generic(
        "POST",
        FORM,
        b"page=/&text=short",
        content_type=content_type + ("; boundary=x" if "multipart" in content_type else ""),
        CONTENT_LENGTH=str(50 * 1024 * 1024),
        REMOTE_ADDR=READER,
    )
    assert response.status_code == 413
    assert not Report.objects.exists()


def test_an_admin_post_larger_than_any_admin_form_is_413(seeded, editor_client):
    from comparisons.models import Framework
    from tests.admin_forms import change_url

    django = Framework.objects.get(slug="django")
    response = editor_client.post(change_url(django), {"tagline": "x" * (3 * 1024 * 1024)})
    assert response.status_code == 413
    assert Framework.objects.get(slug="django").tagline != "x" * (3 * 1024 * 1024)


def test_a_length_that_is_not_a_number_is_400(seeded, client):
    response = client.generic("POST", FORM, b"", CONTENT_LENGTH="lots", REMOTE_ADDR=READER)
    assert response.status_code == 400
