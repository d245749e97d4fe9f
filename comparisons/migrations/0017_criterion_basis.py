"""What a criterion's ranks rest on (measured, from the docs, or the editors' judgement),
shown beside it on the pages. The criteria the site was seeded with get theirs by slug;
any other starts as the editors' judgement until an editor says otherwise."""

from django.db import migrations, models

SEEDED = {
    "community": "measured",
    "performance": "measured",
    "batteries": "documented",
    "api-tooling": "documented",
    "async": "documented",
    "stability": "documented",
    "security-defaults": "documented",
}


def label_seeded_criteria(apps, schema_editor):
    Criterion = apps.get_model("comparisons", "Criterion")
    using = schema_editor.connection.alias
    for slug, basis in SEEDED.items():
        Criterion._base_manager.using(using).filter(slug=slug).update(basis=basis)


class Migration(migrations.Migration):
    dependencies = [
        ("comparisons", "0016_release_lines_support_and_vulnerabilities"),
    ]

    operations = [
        migrations.AddField(
            model_name="criterion",
            name="basis",
            field=models.CharField(
                choices=[
                    ("measured", "Measured"),
                    ("documented", "From the docs"),
                    ("judgement", "Our judgement"),
                ],
                default="judgement",
                help_text="Measured: figures decide the ranks (a survey, a benchmark), shown in "
                "each cell. From the docs: each framework's own documentation shows whether it "
                "has each thing the description lists. Our judgement: no figure or source ranks "
                "them; the editors weigh what the sources describe. Pages show it beside the "
                "criterion.",
                max_length=12,
                verbose_name="what the ranks rest on",
            ),
        ),
        migrations.AddConstraint(
            model_name="criterion",
            constraint=models.CheckConstraint(
                condition=models.Q(("basis__in", ["measured", "documented", "judgement"])),
                name="comparisons_criterion_basis_valid",
            ),
        ),
        migrations.RunPython(label_seeded_criteria, migrations.RunPython.noop),
    ]
