"""Sources become one row per address (Source), which facts and ratings cite: a title is kept
once, and a page's footnotes never list one source twice. Each address's title is the one its
citations used most (the first, where they tie)."""

from collections import Counter

import django.core.validators
import django.db.models.deletion
from django.db import migrations, models


def one_source_per_url(apps, schema_editor):
    db = schema_editor.connection.alias
    Source = apps.get_model("comparisons", "Source")
    citing = [apps.get_model("comparisons", name) for name in ("FrameworkSource", "RatingSource")]
    titles: dict[str, Counter] = {}
    for model in citing:
        for url, title in model.objects.using(db).order_by("pk").values_list("url", "title"):
            titles.setdefault(url, Counter())[title] += 1
    by_url = {
        url: Source.objects.using(db).create(url=url, title=counted.most_common(1)[0][0])
        for url, counted in titles.items()
    }
    for model in citing:
        for row in model.objects.using(db).all():
            row.source = by_url[row.url]
            row.save(update_fields=["source"])


def titles_back(apps, schema_editor):
    db = schema_editor.connection.alias
    for name in ("FrameworkSource", "RatingSource"):
        for row in apps.get_model("comparisons", name).objects.using(db).select_related("source"):
            row.url, row.title = row.source.url, row.source.title
            row.save(update_fields=["url", "title"])


class Migration(migrations.Migration):
    dependencies = [
        ("comparisons", "0013_figure_not_negative_in_the_form"),
    ]

    operations = [
        migrations.CreateModel(
            name="Source",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "url",
                    models.URLField(
                        max_length=500,
                        unique=True,
                        validators=[
                            django.core.validators.URLValidator(
                                message="Enter an http:// or https:// URL.",
                                schemes=["http", "https"],
                            )
                        ],
                        verbose_name="URL",
                    ),
                ),
                (
                    "title",
                    models.CharField(
                        help_text="The page's title, as a reader sees it.", max_length=200
                    ),
                ),
            ],
            options={"ordering": ["title", "url"]},
        ),
        migrations.AddConstraint(
            model_name="source",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    ("url__startswith", "https://"), ("url__startswith", "http://"), _connector="OR"
                ),
                name="comparisons_source_url_http",
                violation_error_message="Enter an http:// or https:// URL.",
            ),
        ),
        migrations.AddField(
            model_name="frameworksource",
            name="source",
            field=models.ForeignKey(
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="facts",
                to="comparisons.source",
            ),
        ),
        migrations.AddField(
            model_name="ratingsource",
            name="source",
            field=models.ForeignKey(
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="ratings",
                to="comparisons.source",
            ),
        ),
        migrations.RemoveConstraint(
            model_name="frameworksource", name="comparisons_frameworksource_unique"
        ),
        migrations.RemoveConstraint(
            model_name="frameworksource", name="comparisons_frameworksource_url_http"
        ),
        migrations.RemoveConstraint(
            model_name="ratingsource", name="comparisons_ratingsource_unique"
        ),
        migrations.RemoveConstraint(
            model_name="ratingsource", name="comparisons_ratingsource_url_http"
        ),
        migrations.RunPython(one_source_per_url, titles_back),
        # A default, so that going back can add the columns to rows that exist.
        migrations.AlterField(
            model_name="frameworksource",
            name="title",
            field=models.CharField(default="", max_length=200),
        ),
        migrations.AlterField(
            model_name="frameworksource",
            name="url",
            field=models.URLField(default="", max_length=500, verbose_name="URL"),
        ),
        migrations.AlterField(
            model_name="ratingsource",
            name="title",
            field=models.CharField(default="", max_length=200),
        ),
        migrations.AlterField(
            model_name="ratingsource",
            name="url",
            field=models.URLField(default="", max_length=500, verbose_name="URL"),
        ),
        migrations.RemoveField(model_name="frameworksource", name="title"),
        migrations.RemoveField(model_name="frameworksource", name="url"),
        migrations.RemoveField(model_name="ratingsource", name="title"),
        migrations.RemoveField(model_name="ratingsource", name="url"),
        migrations.AlterField(
            model_name="frameworksource",
            name="source",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT,
                related_name="facts",
                to="comparisons.source",
            ),
        ),
        migrations.AlterField(
            model_name="ratingsource",
            name="source",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT,
                related_name="ratings",
                to="comparisons.source",
            ),
        ),
        migrations.AddConstraint(
            model_name="frameworksource",
            constraint=models.UniqueConstraint(
                fields=("framework", "fact", "source"), name="comparisons_frameworksource_unique"
            ),
        ),
        migrations.AddConstraint(
            model_name="ratingsource",
            constraint=models.UniqueConstraint(
                fields=("rating", "source"), name="comparisons_ratingsource_unique"
            ),
        ),
    ]
