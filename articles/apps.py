from django.apps import AppConfig


class ArticlesConfig(AppConfig):
    name = "articles"
    verbose_name = "Articles"

    # The content editors change here (see comparisons/apps.py): fixtures/articles.json.
    content_fixture = "articles.json"
    content_models = {"article": ("slug",)}
