from django.urls import path, re_path
from django.views.decorators.http import require_safe

from comparisons import benchmark, opendata, views
from comparisons.feeds import CorrectionFeed

app_name = "comparisons"

urlpatterns = [
    path("frameworks/", views.framework_list, name="framework_list"),
    path("frameworks/<slug:slug>/", views.framework_detail, name="framework_detail"),
    path("compare/", views.compare, name="compare"),
    path("choose/", views.choose_framework, name="choose"),
    path("methodology/", views.methodology, name="methodology"),
    path("data/comparison.json", opendata.comparison_json, name="data_json"),
    path("data/comparison.csv", opendata.comparison_csv, name="data_csv"),
    path("data/comparison.schema.json", opendata.comparison_schema, name="data_schema"),
    path("data/benchmark.json", benchmark.benchmark_json, name="benchmark_json"),
    path("data/benchmark.csv", benchmark.benchmark_csv, name="benchmark_csv"),
    path("data/benchmark.schema.json", benchmark.benchmark_schema, name="benchmark_schema"),
    path("feed/corrections/", require_safe(CorrectionFeed()), name="feed"),
    re_path(
        r"^compare/(?P<a>[-a-zA-Z0-9_]+?)-vs-(?P<b>[-a-zA-Z0-9_]+)/$",
        views.versus,
        name="versus",
    ),
]
