from django.urls import path
from django.views.decorators.http import require_safe

from articles import views
from articles.feeds import ArticleFeed
from core.cache import document_per_version

app_name = "articles"

urlpatterns = [
    path("", views.home, name="home"),
    path("articles/<slug:slug>/", views.article_detail, name="detail"),
    path("feed/", require_safe(document_per_version(ArticleFeed())), name="feed"),
]
