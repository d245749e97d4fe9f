from django.urls import path

from reports import views

app_name = "reports"

# The root URLconf passes `sitemaps` (the site's public pages) to both views.
urlpatterns = [
    path("report/", views.report_form, name="new"),
    path("report/thanks/", views.thanks, name="thanks"),
]
