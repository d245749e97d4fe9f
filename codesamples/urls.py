from django.urls import path

from codesamples import views

app_name = "codesamples"

urlpatterns = [
    path("code/", views.index, name="index"),
    path("code/files/<slug:framework>/<path:path>", views.sample_file, name="file"),
]
