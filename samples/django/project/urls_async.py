"""The startproject URLconf with the demo's async views at the same paths."""

from demo import async_views
from django.contrib import admin
from django.urls import path

urlpatterns = [
    path("admin/", admin.site.urls),
    path("hello", async_views.hello),
    path("greet/<str:name>", async_views.greet),
    path("notes", async_views.notes),
    path("page", async_views.page),
]
