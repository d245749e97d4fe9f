"""The code samples on the site: what CI tests is what readers see.

/code/ shows every task in every published framework, side by side, the code equal to the
sample files' regions; framework and A-vs-B pages show theirs; editors write the explanations
in admin, never the code; `manage.py sync_samples --check` fails when the files and the
database differ, naming the framework and the task.
"""

import json
import shutil

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command
from django.urls import reverse

from codesamples.files import read_tasks
from codesamples.highlight import highlight
from codesamples.models import Sample, SampleApp, Task
from codesamples.reader import read_parts, read_versions
from comparisons.models import Framework
from core.pages import PUBLIC_PAGES
from tests.admin_forms import change_url, read_form
from tests.html import get_page

CODE = PUBLIC_PAGES["code"]
FRAMEWORKS = ["django", "flask", "fastapi"]


def files_of(framework: str) -> dict:
    return read_parts(settings.BASE_DIR / "samples" / framework)


def cell(page, framework: str, task: str):
    return page.by_id(f"{framework}-{task}").parent


# --- the files and the seeded copy


def test_the_committed_fixture_holds_the_files_code_as_it_is_now():
    """Editing a sample file without `sync_samples` and `export_content` fails here."""
    records = json.loads((settings.FIXTURE_DIR / "codesamples.json").read_text())
    seeded = {}
    for record in records:
        if record["model"] == "codesamples.sample":
            fields = record["fields"]
            key = (fields["app"][0], fields["task"][0])
            seeded.setdefault(key, []).append(
                (fields["position"], fields["path"], fields["first_line"], fields["code"])
            )
    for framework in FRAMEWORKS:
        for task, parts in files_of(framework).items():
            expected = [(i, p.path, p.first_line, p.code) for i, p in enumerate(parts)]
            assert sorted(seeded.pop((framework, task))) == expected, (framework, task)
    assert seeded == {}, "the fixture has code no file has"
    versions = {
        record["fields"]["framework"][0]: record["fields"]["versions"]
        for record in records
        if record["model"] == "codesamples.sampleapp"
    }
    for framework in FRAMEWORKS:
        folder = settings.BASE_DIR / "samples" / framework
        assert versions[framework] == "\n".join(f"{n}=={v}" for n, v in read_versions(folder))


def test_sync_samples_check_passes_on_the_seeded_site(seeded, capsys):
    call_command("sync_samples", "--check")
    assert "is the files' code" in capsys.readouterr().out


@pytest.fixture
def copy_of_the_samples(tmp_path):
    shutil.copytree(
        settings.BASE_DIR / "samples", tmp_path / "samples", ignore=shutil.ignore_patterns(".venv")
    )
    return tmp_path


def test_sync_samples_check_fails_naming_the_framework_and_task(seeded, copy_of_the_samples):
    views = copy_of_the_samples / "samples" / "flask" / "demo" / "views.py"
    views.write_text(views.read_text().replace("Hello, world", "Hello, there"))
    with pytest.raises(CommandError) as failure:
        call_command("sync_samples", "--check", root=copy_of_the_samples)
    message = str(failure.value)
    assert "flask: task 'hello'" in message
    assert "django" not in message.split("\n", 1)[1]
    # --check changed nothing; a sync copies the new code in, and --check then passes.
    assert (
        "Hello, world" in Sample.objects.get(app__framework__slug="flask", task__slug="hello").code
    )
    call_command("sync_samples", root=copy_of_the_samples, stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert (
        "Hello, there" in Sample.objects.get(app__framework__slug="flask", task__slug="hello").code
    )
    call_command("sync_samples", "--check", root=copy_of_the_samples)


def test_sync_keeps_the_editors_notes(seeded, copy_of_the_samples):
    sample = Sample.objects.get(app__framework__slug="flask", task__slug="hello")
    sample.note = "Look at the decorator."
    sample.save()
    views = copy_of_the_samples / "samples" / "flask" / "demo" / "views.py"
    views.write_text(views.read_text().replace("Hello, world", "Hello, there"))
    call_command("sync_samples", root=copy_of_the_samples, stdout=open("/dev/null", "w"))  # noqa: SIM115
    sample.refresh_from_db()
    assert "Hello, there" in sample.code
    assert sample.note == "Look at the decorator."


def test_a_missing_sample_file_is_a_clear_error_and_nothing_changes(seeded, copy_of_the_samples):
    before = list(Sample.objects.order_by("pk").values_list("pk", "code"))
    fastapi = copy_of_the_samples / "samples" / "fastapi"
    main = fastapi / "app" / "main.py"
    main.write_text(main.read_text().replace("Hello, world", "Hello, there"))  # a change...
    (copy_of_the_samples / "samples" / "django" / "demo" / "tests.py").unlink()  # ...and a loss
    with pytest.raises(CommandError) as failure:
        call_command("sync_samples", root=copy_of_the_samples)
    assert "django: task 'test' has no code in samples/django" in str(failure.value)
    assert "Nothing was changed" in str(failure.value)
    assert list(Sample.objects.order_by("pk").values_list("pk", "code")) == before


def test_a_missing_sample_folder_is_a_clear_error(seeded, tmp_path):
    with pytest.raises(CommandError, match=r"samples/django: no such folder"):
        call_command("sync_samples", "--check", root=tmp_path)


def test_a_broken_marker_is_reported_with_its_file_and_line(seeded, copy_of_the_samples):
    views = copy_of_the_samples / "samples" / "flask" / "demo" / "views.py"
    views.write_text(views.read_text().replace("# --- end", "# --- task: hello", 1))
    with pytest.raises(CommandError, match=r"demo/views.py:\d+"):
        call_command("sync_samples", "--check", root=copy_of_the_samples)


# --- the code page


def test_code_page_shows_every_task_in_every_framework_as_the_files_say(seeded, client):
    page = get_page(client, CODE)
    tasks = list(Task.objects.all())
    assert [
        h2.attrs["id"] for h2 in page.find_all("h2") if h2.attrs.get("id", "").startswith("task-")
    ] == [f"task-{task.slug}" for task in tasks]
    for framework in FRAMEWORKS:
        regions = read_tasks(settings.BASE_DIR / "samples" / framework)
        for task in tasks:
            box = cell(page, framework, task.slug)
            shown = [pre.text for pre in box.find_all("pre")]
            assert shown == [region.code.rstrip("\n") for region in regions[task.slug]]
            lines = sum(region.lines for region in regions[task.slug])
            heading = page.by_id(f"{framework}-{task.slug}").clean_text
            assert heading.endswith(f"{lines} lines"), heading


def test_each_part_links_to_its_file_and_names_its_lines(seeded, client):
    page = get_page(client, CODE)
    box = cell(page, "django", "hello")
    captions = [caption.clean_text for caption in box.find_all("figcaption")]
    parts = files_of("django")["hello"]
    assert captions == [
        f"{p.path}, lines {p.first_line}\N{EN DASH}{p.first_line + len(p.code.splitlines()) - 1}"
        if len(p.code.splitlines()) > 1
        else f"{p.path}, line {p.first_line}"
        for p in parts
    ]
    links = [a.attrs["href"] for a in box.find_all("a")]
    assert links == [reverse("codesamples:file", args=["django", p.path]) for p in parts]
    response = client.get(links[0])
    assert response.status_code == 200
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    assert response.content == (settings.BASE_DIR / "samples/django" / parts[0].path).read_bytes()


def test_with_a_source_url_parts_link_to_the_repository_at_their_lines(seeded, client, settings):
    settings.SOURCE_URL = "https://github.com/example/framework-guide/blob/abc123"
    box = cell(get_page(client, CODE), "fastapi", "hello")
    (part,) = files_of("fastapi")["hello"]
    last = part.first_line + len(part.code.splitlines()) - 1
    assert [a.attrs["href"] for a in box.find_all("a")] == [
        f"{settings.SOURCE_URL}/samples/fastapi/app/main.py#L{part.first_line}-L{last}"
    ]


@pytest.mark.parametrize(
    "path",
    ["demo/../project/settings.py", "../../config/settings.py", "manage.py", "demo/nope.py"],
)
def test_only_files_the_samples_show_are_served(seeded, client, path):
    url = reverse("codesamples:file", args=["django", "x"]).removesuffix("x") + path
    assert client.get(url).status_code == 404


def test_an_unpublished_frameworks_file_is_not_served(seeded, client):
    Framework.objects.filter(slug="flask").update(is_published=False)
    path = files_of("flask")["hello"][0].path
    assert client.get(reverse("codesamples:file", args=["flask", path])).status_code == 404


def test_code_page_shows_the_versions_each_sample_pins(seeded, client):
    page = get_page(client, CODE)
    facts = page.find("dl", class_="facts").clean_text
    # As the lock pins them (sync_samples copies them into the fixtures).
    assert "Django Tested with Django 5.2.20, gunicorn 27.0.1, uvicorn 0.55.0." in facts
    assert "Django's latest release, 6.1.3, needs Python 3.12 or newer." in facts
    assert "FastAPI Tested with FastAPI 0.165.0, sqlmodel 0.0.50, pytest 9.2.0." in facts
    assert "Flask 3.1.3" in facts


def test_code_page_explains_each_task_in_the_editors_words(seeded, client):
    task = Task.objects.get(slug="greet")
    task.summary = "FastAPI answers **422**."
    task.save()
    section = get_page(client, CODE).by_id("task-greet").parent
    assert "<strong>" not in section.text
    assert section.find("strong").text == "422"


def test_an_unpublished_framework_is_not_on_the_code_page(seeded, client):
    Framework.objects.filter(slug="flask").update(is_published=False)
    page = get_page(client, CODE)
    assert page.by_id("flask-hello") is None
    assert page.by_id("django-hello") is not None
    assert "Flask" not in page.one("h1").text
    assert page.one("h1").clean_text == "The same app in Django and FastAPI"


def test_a_task_without_a_sample_says_so(seeded, client):
    Sample.objects.filter(app__framework__slug="fastapi", task__slug="greet").delete()
    box = cell(get_page(client, CODE), "fastapi", "greet")
    assert box.find("pre") is None
    assert "No FastAPI sample for this task yet." in box.clean_text


def test_code_is_escaped_and_highlighted_with_a_few_classes():
    html = highlight('def f():\n    return "<b>" # hi\n', "python")
    assert "<b>" not in html
    assert "&lt;b&gt;" in html
    assert '<span class="k">def</span>' in html
    assert '<span class="f">f</span>' in html
    assert '<span class="c"># hi</span>' in html
    template = highlight("{% if name %}<p>{{ name }}</p>{% endif %}\n", "html+django")
    assert '<span class="d">{%</span>' in template
    assert "&lt;" in template


def test_long_lines_scroll_inside_a_focusable_named_box(seeded, client):
    for pre in get_page(client, CODE).find_all("pre"):
        assert pre.attrs["tabindex"] == "0"
        assert pre.attrs["role"] == "group"
        assert pre.attrs["aria-label"].split(": ")[0] in {"Django", "Flask", "FastAPI"}


# --- framework and A-vs-B pages


def test_framework_page_shows_its_short_tasks_in_full_and_lists_the_others(seeded, client):
    page = get_page(client, PUBLIC_PAGES["django"])
    assert page.by_id("code").clean_text == "Django code"
    parts = files_of("django")
    shown = [pre.text for pre in page.find_all("pre")]
    inline = Task.objects.filter(inline=True)
    # Only the shortest task in full: the page's "Start with" box links to the whole sample.
    assert [t.slug for t in inline] == ["hello"]
    assert shown == [p.code.rstrip("\n") for task in inline for p in parts[task.slug]]
    regions = read_tasks(settings.BASE_DIR / "samples" / "django")
    listed = {
        a.attrs["href"]: a.parent.clean_text
        for a in page.find_all("a")
        if "/code/#" in a.attrs["href"]
    }
    for task in Task.objects.filter(inline=False):
        lines = sum(region.lines for region in regions[task.slug])
        assert listed[f"/code/#task-{task.slug}"] == f"{task.name}: {lines} lines"
    assert "Django 5.2.20" in page.by_id("code").parent.clean_text


def test_versus_page_shows_both_frameworks_code_side_by_side(seeded, client):
    page = get_page(client, PUBLIC_PAGES["versus"])
    assert page.by_id("code").clean_text == "The code side by side"
    for framework in ["django", "flask"]:
        box = cell(page, framework, "hello")
        assert [pre.text for pre in box.find_all("pre")] == [
            p.code.rstrip("\n") for p in files_of(framework)["hello"]
        ]
    assert page.by_id("fastapi-hello") is None
    notes = next(a for a in page.find_all("a") if a.attrs["href"] == "/code/#task-notes")
    assert "Django" in notes.parent.clean_text
    assert "Flask" in notes.parent.clean_text


def test_a_framework_without_samples_shows_no_code_section(seeded, client):
    SampleApp.objects.filter(framework__slug="flask").delete()
    assert get_page(client, PUBLIC_PAGES["flask"]).by_id("code") is None
    assert client.get(CODE).status_code == 200


# --- editors


def test_editor_edits_a_tasks_explanation(seeded, editor_client, client):
    task = Task.objects.get(slug="notes")
    data = read_form(editor_client.get(change_url(task)), "task_form")
    data["summary"] = "Three ways to store a note."
    response = editor_client.post(change_url(task), data)
    assert response.status_code == 302, response.content.decode()[:2000]
    task.refresh_from_db()
    assert task.summary == "Three ways to store a note."
    assert "Three ways to store a note." in client.get(CODE).content.decode()


def test_editor_cannot_change_the_code(seeded, editor_client):
    sample = Sample.objects.filter(app__framework__slug="django", task__slug="hello").first()
    page = editor_client.get(change_url(sample))
    assert page.status_code == 200
    data = read_form(page, "sample_form")
    assert "code" not in data
    assert "path" not in data
    data.update(code="import os; os.system('rm -rf /')", path="evil.py", note="What to see.")
    response = editor_client.post(change_url(sample), data)
    assert response.status_code == 302
    before = sample.code
    sample.refresh_from_db()
    assert sample.code == before
    assert sample.path != "evil.py"
    assert sample.note == "What to see."
    assert editor_client.get(reverse("admin:codesamples_sample_add")).status_code == 403


def test_editor_sees_the_versions_but_cannot_change_them(seeded, editor_client):
    app = SampleApp.objects.get(framework__slug="django")
    data = read_form(editor_client.get(change_url(app)), "sampleapp_form")
    assert "versions" not in data
    data.update(versions="django==1.0", note="On the LTS line.")
    assert editor_client.post(change_url(app), data).status_code == 302
    app.refresh_from_db()
    assert app.versions.startswith("django==5.2.20")
    assert app.note == "On the LTS line."


def test_a_sample_behind_the_latest_release_says_so_from_the_release_facts(seeded, client):
    Framework.objects.filter(slug="django").update(
        latest_version="6.9.0", latest_requires_python=">=3.13"
    )
    text = get_page(client, "/code/").one("dl", class_="facts").clean_text
    assert "Django's latest release, 6.9.0, needs Python 3.13 or newer." in text
    assert "Flask's latest release" not in text  # Flask's sample pins its latest
