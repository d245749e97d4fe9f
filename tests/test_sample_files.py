"""Code only from the files (issue 24): which code the site shows, and which file it serves,
is the repository's, never an editor's.

A sample app's folder is `samples/<its framework's slug>`: the model refuses any other (with
the reason), the database refuses what SQL says simply (outside samples/, "..", a
backslash).
/code/files/ serves only a file a sample shows, from inside that sample's folder, whatever
the path's spelling.
The admin shows a sample app's folder and framework read-only; editors write the
explanations and notes, add and delete no sample app or part, and a forged form changes
nothing else. Deleting a framework lists what goes with it.
sync_samples adds the sample app of a sample whose framework has none, and reads no folder
that is not its framework's.
"""

import shutil

import pytest
import reversion
from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.db import IntegrityError, connection, transaction
from django.forms import modelform_factory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from reversion.models import Version

from codesamples.models import Sample, SampleApp, Task
from comparisons.models import Framework
from tests.admin_forms import admin_url, change_url, read_form
from tests.html import parse

SITE_CONFTEST = settings.BASE_DIR / "tests" / "conftest.py"
# Folders outside samples/ (or not one folder of it), and what the refusal names.
OUTSIDE = {
    ".": "not inside samples/",
    "/etc": "absolute path",
    "samples/../tests": "goes up a folder",
    "samples/flask/..": "goes up a folder",
    str(settings.BASE_DIR / "samples" / "flask"): "absolute path",
    "": "needs its folder",
    "samples\\flask": "backslash",
    "samples/fl\x00ask": "NUL",
    "samples": "not inside samples/",
    "samples/": "not one folder of samples/",
    "samples/flask/demo": "not one folder of samples/",
    "samples/./flask": "not one folder of samples/",
    "tests": "not inside samples/",
}


def flask_app() -> SampleApp:
    return SampleApp.objects.select_related("framework").get(framework__slug="flask")


def file_url(framework: str, path: str) -> str:
    """/code/files/<framework>/<path>, the path as it is (already percent-encoded or not)."""
    return reverse("codesamples:file", args=[framework, "x"]).removesuffix("x") + path


def a_flask_file() -> Sample:
    return Sample.objects.get(app__framework__slug="flask", task__slug="hello")


# --- the folder: the model and the database


def test_every_seeded_folder_is_its_frameworks_folder_in_samples(seeded):
    apps = list(SampleApp.objects.select_related("framework"))
    assert {app.folder for app in apps} == {"samples/django", "samples/flask", "samples/fastapi"}
    for app in apps:
        app.full_clean()
        assert app.folder_problem() is None


@pytest.mark.parametrize("folder", OUTSIDE)
def test_an_editor_saving_a_folder_outside_samples_is_refused_naming_the_problem(seeded, folder):
    app = flask_app()
    app.folder = folder
    with pytest.raises(ValidationError) as refused:
        app.full_clean()
    assert "folder" in refused.value.message_dict
    with pytest.raises(ValidationError) as refused:
        app.save()
    assert OUTSIDE[folder] in refused.value.message_dict["folder"][0]
    assert SampleApp.objects.get(pk=app.pk).folder == "samples/flask"


@pytest.mark.parametrize("folder", OUTSIDE)
def test_a_form_with_the_folder_refuses_a_folder_outside_samples(seeded, folder):
    """As the admin's form was before the folder became read-only (and any form that has it)."""
    app = flask_app()
    form_class = modelform_factory(SampleApp, fields=["framework", "folder", "note"])
    form = form_class({"framework": app.framework.pk, "folder": folder, "note": ""}, instance=app)
    assert not form.is_valid()
    assert list(form.errors) == ["folder"]


def test_the_flask_sample_pointed_at_another_frameworks_folder_is_refused(seeded):
    app = flask_app()
    app.folder = "samples/fastapi"
    with pytest.raises(ValidationError) as refused:
        app.save()
    assert refused.value.message_dict["folder"] == [
        "The Flask sample's folder is “samples/flask” (its framework's slug, where "
        "sync_samples reads it), not “samples/fastapi”."
    ]
    app.folder = "samples/flask"
    app.framework = Framework.objects.get(slug="fastapi")
    with pytest.raises(ValidationError, match="The FastAPI sample's folder is “samples/fastapi”"):
        app.save()


@pytest.mark.parametrize("folder", [".", "/etc", "samples/../tests", "samples/flask/..", "x\\y"])
def test_the_database_refuses_a_folder_outside_samples_even_past_the_model(seeded, folder):
    with pytest.raises(IntegrityError), transaction.atomic():
        SampleApp.objects.filter(framework__slug="flask").update(folder=folder)
    assert flask_app().folder == "samples/flask"


# --- the admin: framework and folder read-only, nothing added or deleted


def test_a_forged_admin_post_changes_neither_folder_nor_framework(seeded, editor_client):
    app = flask_app()
    page = editor_client.get(change_url(app))
    assert page.status_code == 200
    data = read_form(page, "sampleapp_form")
    assert "folder" not in data
    assert "framework" not in data
    shown = parse(page).find("form", id="sampleapp_form").clean_text
    assert "samples/flask" in shown  # read-only, still shown
    django = Framework.objects.get(slug="django")
    data.update(folder=".", framework=str(django.pk), note="Flask's sample, as the files say.")
    response = editor_client.post(change_url(app), data)
    assert response.status_code == 302, response.content.decode()[:2000]
    app.refresh_from_db()
    assert (app.folder, app.framework.slug) == ("samples/flask", "flask")
    assert app.note == "Flask's sample, as the files say."


def test_a_forged_admin_post_changes_no_samples_app_task_or_path(seeded, editor_client):
    sample = a_flask_file()
    data = read_form(editor_client.get(change_url(sample)), "sample_form")
    assert not {"app", "task", "path", "position", "code"} & set(data)
    data.update(
        app=str(SampleApp.objects.get(framework__slug="django").pk),
        task=str(Task.objects.get(slug="notes").pk),
        path="../../tests/conftest.py",
        position="7",
        note="The decorator names the route.",
    )
    assert editor_client.post(change_url(sample), data).status_code == 302
    before = (sample.app_id, sample.task_id, sample.path, sample.position, sample.code)
    sample.refresh_from_db()
    assert (sample.app_id, sample.task_id, sample.path, sample.position, sample.code) == before
    assert sample.note == "The decorator names the route."


def test_an_editor_can_neither_add_nor_delete_a_sample_app_or_a_sample(seeded, editor_client):
    app, sample = flask_app(), a_flask_file()
    for model in (SampleApp, Sample):
        assert editor_client.get(admin_url(model, "add")).status_code == 403
        assert editor_client.post(admin_url(model, "add"), {}).status_code == 403
        changelist = editor_client.get(admin_url(model, "changelist"))
        assert "delete_selected" not in changelist.content.decode()
        # A deleted one cannot be brought back from the history either (that adds one).
        assert editor_client.get(admin_url(model, "recoverlist")).status_code == 403
    for obj in (app, sample):
        url = admin_url(obj, "delete", obj.pk)
        assert editor_client.get(url).status_code == 403
        assert editor_client.post(url, {"post": "yes"}).status_code == 403
    actions = {"action": "delete_selected", "_selected_action": [str(app.pk)], "post": "yes"}
    editor_client.post(admin_url(SampleApp, "changelist"), actions)
    assert SampleApp.objects.filter(pk=app.pk).exists()
    assert Sample.objects.filter(pk=sample.pk).exists()


def test_restoring_a_version_with_another_folder_is_refused_and_changes_nothing(
    seeded, editor_client
):
    """A version saved before folders were checked (here: made by hand) goes through the form,
    which refuses it, with the reason, though the folder is read-only there."""
    app = flask_app()
    with reversion.create_revision():
        app.folder = "samples/elsewhere"  # not saved: only recorded as a version
        reversion.add_to_revision(app)
    version = Version.objects.get_for_object(app).first()
    url = admin_url(app, "revision", app.pk, version.pk)
    data = read_form(editor_client.get(url), "sampleapp_form")
    response = editor_client.post(url, data)
    assert response.status_code == 200
    errors = response.context["adminform"].form.non_field_errors()
    assert "The Flask sample's folder is “samples/flask”" in errors[0]
    assert "not “samples/elsewhere”" in errors[0]
    assert flask_app().folder == "samples/flask"


# --- the file view


@pytest.mark.parametrize("framework", ["django", "flask", "fastapi"])
def test_a_reader_still_gets_a_file_a_sample_shows(seeded, client, framework):
    for sample in Sample.objects.filter(app__framework__slug=framework):
        response = client.get(reverse("codesamples:file", args=[framework, sample.path]))
        assert response.status_code == 200, sample.path
        assert response["Content-Type"] == "text/plain; charset=utf-8"
        folder = settings.BASE_DIR / "samples" / framework
        assert response.content == (folder / sample.path).read_bytes()


def test_flasks_own_tests_conftest_is_flasks_not_the_sites(seeded, client):
    response = client.get(file_url("flask", "tests/conftest.py"))
    assert response.status_code == 200
    assert response.content == (settings.BASE_DIR / "samples/flask/tests/conftest.py").read_bytes()
    assert response.content != SITE_CONFTEST.read_bytes()


@pytest.mark.parametrize(
    "path",
    [
        "../../tests/conftest.py",
        "demo/../../../tests/conftest.py",
        "%2e%2e/%2e%2e/tests/conftest.py",
        "%2E%2E%2F%2E%2E%2Ftests%2Fconftest.py",
        "demo/%2e%2e/%2e%2e/%2e%2e/config/settings.py",
        "/" + str(SITE_CONFTEST).lstrip("/"),  # //work/...: an absolute path
        "%2F" + str(SITE_CONFTEST).lstrip("/"),
        "/etc/passwd",
        "..%5c..%5ctests%5cconftest.py",
        "demo\\..\\..\\..\\tests\\conftest.py",
        "tests/conftest.py%00",
        "%00",
        "tests/%00/conftest.py",
        "./tests/conftest.py",
        "tests//conftest.py",
        "tests/conftest.py/",
        "requirements.txt",  # in the folder, but no sample shows it
        ".venv/bin/python",
    ],
)
def test_a_reader_gets_404_for_a_path_outside_the_sample_however_spelt(seeded, client, path):
    # A control character (NUL) is refused sooner, for every address: the site's 400 page.
    expected = 400 if "%00" in path else 404
    assert client.get(file_url("flask", path)).status_code == expected


def test_even_a_stored_path_leading_out_is_not_served(seeded, client):
    """A part whose path says ".." (past every check: the field refuses it) is still refused."""
    sample = a_flask_file()
    Sample.objects.filter(pk=sample.pk).update(path="../../tests/conftest.py")
    assert client.get(file_url("flask", "../../tests/conftest.py")).status_code == 404
    with pytest.raises(ValidationError, match=r"“\.\.” part"):
        Sample.objects.get(pk=sample.pk).full_clean()


def test_a_nul_in_the_path_is_refused_before_the_database_is_asked(seeded, client):
    """PostgreSQL refuses a query with a NUL in it (an error page): none is sent (the site's
    400 page for a control character in any address, core.middleware)."""
    with CaptureQueriesContext(connection) as queries:
        assert client.get(file_url("flask", "demo/views.py%00")).status_code == 400
    assert not [query for query in queries if "codesamples_sample" in query["sql"]]


@pytest.mark.parametrize(
    "folder", [".", "tests", "/etc", str(settings.BASE_DIR), "samples/../tests", "samples/flask/.."]
)
def test_a_sample_app_with_a_folder_outside_samples_serves_nothing(seeded, folder):
    """Whatever folder a row could hold (the database refuses these), no file is served."""
    app = SampleApp(framework=Framework.objects.get(slug="flask"), folder=folder)
    for path in ["tests/conftest.py", "conftest.py", "passwd", "samples/flask/demo/views.py"]:
        assert app.file(path) is None


@pytest.fixture
def samples_in_tmp(tmp_path, settings):
    """The samples' folder in tmp_path (a copy of Flask's sample), where the site reads them."""
    samples = tmp_path / "samples"
    shutil.copytree(
        settings.BASE_DIR / "samples" / "flask",
        samples / "flask",
        ignore=shutil.ignore_patterns(".venv", "__pycache__", "instance"),
    )
    settings.SAMPLES_DIR = samples
    return samples


def test_a_symlink_in_a_sample_leading_out_is_not_followed(seeded, client, samples_in_tmp):
    views = a_flask_file()
    # The folder read is the one in tmp_path: a change there shows.
    (samples_in_tmp / "flask" / views.path).write_text("# the copy in tmp_path\n")
    assert client.get(file_url("flask", views.path)).content == b"# the copy in tmp_path\n"
    cache.clear()  # the page cache keeps what it served
    # A file of the sample made a link to the site's own file: not served.
    (samples_in_tmp / "flask" / views.path).unlink()
    (samples_in_tmp / "flask" / views.path).symlink_to(SITE_CONFTEST)
    assert client.get(file_url("flask", views.path)).status_code == 404
    # A link to a folder outside, in the path: not followed either.
    (samples_in_tmp / "flask" / "tests").rename(samples_in_tmp / "flask" / "tests.real")
    (samples_in_tmp / "flask" / "tests").symlink_to(settings.BASE_DIR / "tests")
    assert client.get(file_url("flask", "tests/conftest.py")).status_code == 404


def test_a_sample_folder_that_is_a_symlink_leading_out_is_not_followed(
    seeded, client, samples_in_tmp
):
    shutil.rmtree(samples_in_tmp / "flask")
    (samples_in_tmp / "flask").symlink_to(settings.BASE_DIR)  # the site's checkout
    assert client.get(file_url("flask", "tests/conftest.py")).status_code == 404


# --- sync_samples: the files say which sample apps there are, and where


def test_sync_samples_adds_the_sample_app_of_a_framework_that_has_none(seeded):
    SampleApp.objects.filter(framework__slug="flask").delete()
    with pytest.raises(CommandError, match="flask: samples/flask has no sample app on the site"):
        call_command("sync_samples", "--check")
    call_command("sync_samples", stdout=open("/dev/null", "w"))  # noqa: SIM115
    app = flask_app()
    assert app.folder == "samples/flask"
    assert app.samples.filter(task__slug="hello").exists()
    call_command("sync_samples", "--check", stdout=open("/dev/null", "w"))  # noqa: SIM115


def test_sync_samples_reads_no_folder_that_is_not_its_frameworks(seeded):
    SampleApp.objects.filter(framework__slug="flask").update(folder="samples/django-copy")
    with pytest.raises(CommandError) as refused:
        call_command("sync_samples", "--check")
    assert "flask: The Flask sample's folder is “samples/flask”" in str(refused.value)
    assert "Nothing was changed" in str(refused.value)


# --- deleting a framework


def test_deleting_a_framework_lists_its_sample_app_samples_ratings_and_corrections(
    seeded, editor_client
):
    flask = Framework.objects.get(slug="flask")
    url = admin_url(flask, "delete", flask.pk)
    page = editor_client.get(url)
    assert page.status_code == 200
    text = parse(page).one("div", id="content").clean_text
    assert "permission" not in text  # nothing the editor may not delete: not blocked
    assert "protected" not in text
    assert "Sample apps: 1" in text
    assert f"Samples: {Sample.objects.filter(app__framework=flask).count()}" in text
    assert "Sample app: Flask sample (samples/flask)" in text
    assert "Sample: Flask: Hello, JSON (demo/views.py)" in text
    assert f"Ratings: {flask.ratings.count()}" in text
    assert "Rating: Packages — Flask" in text
    assert f"Corrections: {flask.corrections.count()}" in text
    assert "Correction: Flask:" in text
    assert editor_client.post(url, {"post": "yes"}).status_code == 302
    assert not SampleApp.objects.filter(framework__slug="flask").exists()
    assert not Sample.objects.filter(app__framework__slug="flask").exists()


def test_deleting_a_framework_is_blocked_for_a_user_who_may_not_delete_samples(
    seeded, editor, editor_client
):
    """The rows go with their framework only for someone who may delete that kind of row."""
    from django.contrib.auth.models import Permission

    editor.user_permissions.clear()
    for group in editor.groups.all():
        group.permissions.remove(
            Permission.objects.get(content_type__app_label="codesamples", codename="delete_sample")
        )
    flask = Framework.objects.get(slug="flask")
    url = admin_url(flask, "delete", flask.pk)
    page = editor_client.get(url)
    assert "following types of objects: sample" in parse(page).one("div", id="content").clean_text
    assert editor_client.post(url, {"post": "yes"}).status_code == 403
    assert Framework.objects.filter(slug="flask").exists()
