from django.apps import AppConfig


class ArticlesConfig(AppConfig):
    """The guide's articles (their content and conventions: config/content.py)."""

    name = "articles"
    verbose_name = "Articles"
