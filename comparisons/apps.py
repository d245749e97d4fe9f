from django.apps import AppConfig


class ComparisonsConfig(AppConfig):
    """The frameworks and how they compare (their content and conventions: config/content.py)."""

    name = "comparisons"
    verbose_name = "Comparisons"
