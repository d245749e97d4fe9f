"""Code only from the files (issue 24): which code the site shows, and which file it serves,
is the repository's, never an editor's.

A sample app's folder is `samples/<its framework's slug>`: the model refuses any other (with
the reason), the database refuses what SQL says simply (outside samples/, "..", a
backslash).
"""

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.forms import modelform_factory
from django.urls import reverse

from codesamples.models import Sample, SampleApp
from comparisons.models import Framework

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
