"""New rows keep the order they were typed in (issue 24): pros, cons, use cases, sources and
corrections added on a framework's page, their position left at 0, go after the rows there
are, in the order typed (they went first, in alphabetical order)."""

from comparisons.models import Framework, ProCon
from tests.admin_forms import add_inline_row, change_url, read_form
from tests.html import get_page


def django_form(client) -> tuple[Framework, dict]:
    django = Framework.objects.get(slug="django")
    return django, read_form(client.get(change_url(django)), "framework_form")


def titles(queryset) -> list[str]:
    return list(queryset.order_by("position", "title").values_list("title", flat=True))


def test_new_pros_and_cons_go_after_the_others_in_the_order_typed(seeded, editor_client):
    django, data = django_form(editor_client)
    pros_before = titles(django.pros_cons.filter(kind=ProCon.Kind.PRO))
    cons_before = titles(django.pros_cons.filter(kind=ProCon.Kind.CON))
    for title in ("Zebra comes first", "Apple comes second"):
        add_inline_row(data, "pros", title=title, body="Typed in this order.", position="0",
                       kind="pro")  # fmt: skip
    add_inline_row(data, "cons", title="A new con", body="Typed last.", position="0", kind="con")

    response = editor_client.post(change_url(django), data)

    assert response.status_code == 302
    pros = titles(django.pros_cons.filter(kind=ProCon.Kind.PRO))
    assert pros == [*pros_before, "Zebra comes first", "Apple comes second"]
    assert titles(django.pros_cons.filter(kind=ProCon.Kind.CON)) == [*cons_before, "A new con"]
    highest = django.pros_cons.filter(kind=ProCon.Kind.PRO, title__in=pros_before)
    last = max(highest.values_list("position", flat=True))
    zebra = django.pros_cons.get(title="Zebra comes first")
    apple = django.pros_cons.get(title="Apple comes second")
    assert (zebra.position, apple.position) == (last + 1, last + 2)


def test_the_framework_page_shows_new_pros_in_the_order_typed(seeded, editor_client, client):
    django, data = django_form(editor_client)
    for title in ("Zebra comes first", "Apple comes second"):
        add_inline_row(data, "pros", title=title, body="Typed in this order.", position="0",
                       kind="pro")  # fmt: skip
    assert editor_client.post(change_url(django), data).status_code == 302

    shown = get_page(client, django.get_absolute_url()).one("ul", class_="points-pro").clean_text
    assert shown.index("Zebra comes first") < shown.index("Apple comes second")
    last_saved = titles(django.pros_cons.filter(kind=ProCon.Kind.PRO))[-3]
    assert shown.index(last_saved) < shown.index("Zebra comes first")


def test_new_use_cases_go_after_the_others_in_the_order_typed(seeded, editor_client):
    django, data = django_form(editor_client)
    before = titles(django.use_cases.all())
    for title in ("Wikis", "Blogs", "Archives"):
        add_inline_row(data, "use_cases", title=title, body="A use case.", position="0")

    assert editor_client.post(change_url(django), data).status_code == 302

    assert titles(django.use_cases.all()) == [*before, "Wikis", "Blogs", "Archives"]


def test_a_position_typed_in_is_kept(seeded, editor_client):
    django, data = django_form(editor_client)
    add_inline_row(data, "use_cases", title="Typed first", body="A use case.", position="1")
    add_inline_row(data, "use_cases", title="Left at zero", body="A use case.", position="0")

    assert editor_client.post(change_url(django), data).status_code == 302

    assert django.use_cases.get(title="Typed first").position == 1
    highest = max(django.use_cases.values_list("position", flat=True))
    assert django.use_cases.get(title="Left at zero").position == highest


def test_a_new_correction_and_source_go_after_the_others(seeded, editor_client):
    django, data = django_form(editor_client)
    corrections = list(django.corrections.values_list("position", flat=True))
    sources = list(django.sources.values_list("position", flat=True))
    add_inline_row(data, "corrections", said_by="site", original="A claim we made",
                   now="What is true.", procon="", dated="2026-12-01", position="0")  # fmt: skip
    add_inline_row(data, "sources", fact="A new fact", title="A new page",
                   url="https://example.com/new-page", position="0")  # fmt: skip

    assert editor_client.post(change_url(django), data).status_code == 302

    correction = django.corrections.get(original="A claim we made")
    assert correction.position == max(corrections, default=0) + 1
    source = django.sources.get(fact="A new fact")
    assert source.position == max(sources, default=0) + 1


def test_the_position_box_says_where_a_new_row_goes(seeded, editor_client):
    django = Framework.objects.get(slug="django")
    page = get_page(editor_client, change_url(django))
    assert "in the order typed" in page.one("div", id="pros-group").clean_text
