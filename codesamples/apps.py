from django.apps import AppConfig


class CodeSamplesConfig(AppConfig):
    """The code samples as the site shows them (their content and conventions:
    config/content.py)."""

    name = "codesamples"
    verbose_name = "Code samples"
