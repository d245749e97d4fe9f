from django.urls import path
from django.views.decorators.http import require_safe

from articles import views
from articles.feeds import ArticleFeed

app_name = "articles"

urlpatterns = [
    path("", views.home, name="home"),
    path("articles/<slug:slug>/", views.article_detail, name="detail"),
    path("feed/", require_safe(ArticleFeed()), name="feed"),
]
