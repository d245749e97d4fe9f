"""The seed's history entry, split into one entry per object.

Databases seeded before December 2026 hold the whole seed as one revision ("Seeded from the
fixtures."), so django-reversion's restore of any object's seeded version reverted every object
in it. The seed now records each object with its own rows (core.content.record_first_versions);
this gives existing databases the same history: one revision per owner object (a framework,
a criterion, a source...) holding it and its own rows, each with the seed's date and comment.

Which rows an object owns is written out here as it was when this migration was made (the
follow= of each model's reversion registration), not read from the models, which may change.
"""

import json

from django.db import migrations

SEEDED = "Seeded from the fixtures."

# (app label, model) -> its own rows: (app label, model, the rows' foreign key to it)
OWN_ROWS = {
    ("comparisons", "framework"): [
        ("comparisons", "procon", "framework"),
        ("comparisons", "usecase", "framework"),
        ("comparisons", "rating", "framework"),
        ("comparisons", "frameworksource", "framework"),
        ("comparisons", "correction", "framework"),
    ],
    ("comparisons", "criterion"): [("comparisons", "rating", "criterion")],
    ("comparisons", "rating"): [
        ("comparisons", "ratingsource", "rating"),
        ("comparisons", "figure", "rating"),
    ],
    ("comparisons", "projecttype"): [("comparisons", "projectneed", "project_type")],
    ("codesamples", "sampleapp"): [("codesamples", "sample", "app")],
}
OWNED = {(app, model) for rows in OWN_ROWS.values() for app, model, _ in rows}


def split_seed_revisions(apps, schema_editor):
    Revision = apps.get_model("reversion", "Revision")
    Version = apps.get_model("reversion", "Version")
    db = schema_editor.connection.alias
    for revision in Revision.objects.using(db).filter(comment=SEEDED):
        versions = list(
            Version.objects.using(db).filter(revision=revision).select_related("content_type")
        )
        if len(versions) <= 1 or any(version.format != "json" for version in versions):
            continue
        for group in groups(versions):
            new = Revision.objects.using(db).create(
                date_created=revision.date_created, user_id=revision.user_id, comment=SEEDED
            )
            Version.objects.using(db).bulk_create(
                Version(
                    revision=new,
                    object_id=version.object_id,
                    content_type_id=version.content_type_id,
                    db=version.db,
                    format=version.format,
                    serialized_data=version.serialized_data,
                    object_repr=version.object_repr,
                )
                for version in group
            )
        revision.delete()


def groups(versions):
    """Each owner's version with its own rows' versions; then any row left without an owner."""

    def kind(version):
        return (version.content_type.app_label, version.content_type.model)

    fields = {version.pk: json.loads(version.serialized_data)[0]["fields"] for version in versions}

    def family(owner):
        found = [owner]
        for app, model, key in OWN_ROWS.get(kind(owner), []):
            for row in versions:
                if kind(row) == (app, model) and str(fields[row.pk].get(key)) == owner.object_id:
                    found.extend(member for member in family(row) if member not in found)
        return found

    placed = set()
    for version in versions:
        if kind(version) not in OWNED:
            group = family(version)
            placed.update(member.pk for member in group)
            yield group
    for version in versions:
        if version.pk not in placed:
            yield [version]


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0001_initial"),
        ("reversion", "0002_add_index_on_version_for_content_type_and_db"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(split_seed_revisions, migrations.RunPython.noop)]
