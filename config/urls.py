from django.contrib import admin
from django.contrib.sitemaps.views import sitemap
from django.urls import include, path
from django.views.decorators.http import require_safe

from articles.feeds import ArticleFeed
from articles.sitemaps import sitemaps
from articles.views import robots_txt
from config import views

urlpatterns = [
    path("admin/markdown-preview/", views.markdown_preview, name="markdown_preview"),
    path("admin/", admin.site.urls),
    path("healthz", views.healthz, name="healthz"),
    path("sitemap.xml", require_safe(sitemap), {"sitemaps": sitemaps}, name="sitemap"),
    path("robots.txt", robots_txt, name="robots_txt"),
    path("feed/", require_safe(ArticleFeed()), name="feed"),
    path("", include("comparisons.urls")),
    path("", include("articles.urls")),
]

handler500 = "config.views.server_error"
