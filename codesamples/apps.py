from django.apps import AppConfig


class CodeSamplesConfig(AppConfig):
    name = "codesamples"
    verbose_name = "Code samples"

    # The content editors change here (see comparisons/apps.py): fixtures/codesamples.json.
    # Tasks and the editors' notes are theirs; the code is the files' (`manage.py sync_samples`).
    content_fixture = "codesamples.json"
    content_models = {
        "task": ("position", "slug"),
        "sampleapp": ("framework__position", "framework__slug"),
        "sample": (
            "app__framework__position",
            "app__framework__slug",
            "task__position",
            "task__slug",
            "position",
        ),
    }
