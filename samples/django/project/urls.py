"""The root URLconf: the sample's URLs are the demo app's."""

from django.urls import include, path

# --- task: setup
urlpatterns = [
    path("", include("demo.urls")),
]
# --- end
