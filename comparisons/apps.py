from django.apps import AppConfig


class ComparisonsConfig(AppConfig):
    name = "comparisons"
    verbose_name = "Comparisons"

    # The content editors change here, as `seed` loads it from and `export_content` writes it
    # to fixtures/comparisons.json: each model, in load order, with the order of its rows.
    content_fixture = "comparisons.json"
    content_models = {
        "framework": ("position", "slug"),
        "procon": ("framework__position", "framework__slug", "-kind", "position", "title"),
        "usecase": ("framework__position", "framework__slug", "position", "title"),
        "source": ("url",),
        "frameworksource": (
            "framework__position",
            "framework__slug",
            "position",
            "fact",
            "source__url",
        ),
        "correction": ("framework__position", "framework__slug", "position", "original"),
        "criterion": ("position", "slug"),
        "rating": (
            "criterion__position",
            "criterion__slug",
            "framework__position",
            "framework__slug",
        ),
        "ratingsource": (
            "rating__criterion__position",
            "rating__criterion__slug",
            "rating__framework__position",
            "rating__framework__slug",
            "position",
            "source__url",
        ),
        "figure": (
            "rating__criterion__position",
            "rating__criterion__slug",
            "rating__framework__position",
            "rating__framework__slug",
            "position",
            "measure",
        ),
        "projecttype": ("position", "slug"),
        "projectneed": (
            "project_type__position",
            "project_type__slug",
            "criterion__position",
            "criterion__slug",
        ),
    }
    # Records that are not content: not seeded or exported, not in the Editors' permissions,
    # and changing them does not change a page. What check_facts last found, per framework.
    records = {"factcheck"}
