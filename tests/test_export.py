"""`manage.py export_content` writes the content back as the fixtures, stably."""

import pytest
from django.conf import settings
from django.core.management import call_command

from comparisons.models import Framework
from core.content import content_models, fixtures

pytestmark = pytest.mark.django_db


def export(tmp_path):
    call_command("export_content", fixture_dir=tmp_path, stdout=open("/dev/null", "w"))  # noqa: SIM115
    return {name: (tmp_path / name).read_bytes() for name in fixtures()}


def test_export_after_seed_equals_the_committed_fixtures_byte_for_byte(seeded, tmp_path):
    exported = export(tmp_path)
    for name, data in exported.items():
        assert data == (settings.FIXTURE_DIR / name).read_bytes(), name


def test_export_carries_an_edit_and_reseeds_to_the_same_content(seeded, tmp_path):
    Framework.objects.filter(slug="flask").update(tagline="Small and friendly.")
    first = export(tmp_path / "one")
    assert "Small and friendly." in first["comparisons.json"].decode()

    for model in reversed(content_models()):  # every content model, dependants first
        model.objects.all().delete()
    call_command("seed", fixture_dir=tmp_path / "one", verbosity=0, stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert Framework.objects.get(slug="flask").tagline == "Small and friendly."
    assert export(tmp_path / "two") == first
