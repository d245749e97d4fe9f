from django.urls import path, re_path

from comparisons import views

app_name = "comparisons"

urlpatterns = [
    path("frameworks/", views.framework_list, name="framework_list"),
    path("frameworks/<slug:slug>/", views.framework_detail, name="framework_detail"),
    path("compare/", views.compare, name="compare"),
    re_path(
        r"^compare/(?P<a>[-a-zA-Z0-9_]+?)-vs-(?P<b>[-a-zA-Z0-9_]+)/$",
        views.versus,
        name="versus",
    ),
]
