"""Site-wide addresses that belong to no content app: health, robots.txt, the editors' preview."""

from django.urls import path

from core import views

urlpatterns = [
    path("admin/markdown-preview/", views.markdown_preview, name="markdown_preview"),
    path("healthz", views.healthz, name="healthz"),
    path("robots.txt", views.robots_txt, name="robots_txt"),
]
