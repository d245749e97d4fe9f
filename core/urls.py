"""Site-wide addresses that belong to no content app: health, robots.txt, the editors' preview
and what needs their attention."""

from django.contrib import admin
from django.urls import path

from core import attention, views

urlpatterns = [
    path("admin/markdown-preview/", views.markdown_preview, name="markdown_preview"),
    path(
        "admin/attention/", admin.site.admin_view(attention.attention_view), name="admin_attention"
    ),
    path("healthz", views.healthz, name="healthz"),
    path("robots.txt", views.robots_txt, name="robots_txt"),
]
