"""The root URLconf: where the apps are put together (the one module of config that names them).

Each app owns its addresses, sitemap and feed; core owns the site-wide ones.
"""

from django.contrib import admin
from django.urls import include, path
from django.views.decorators.http import require_safe

from articles.sitemaps import sitemaps as article_sitemaps
from codesamples.sitemaps import sitemaps as code_sitemaps
from comparisons.sitemaps import sitemaps as comparison_sitemaps
from core import views as core_views
from core.cache import query_parameters

sitemaps = {**article_sitemaps, **comparison_sitemaps, **code_sitemaps}

urlpatterns = [
    path("", include("core.urls")),
    path("admin/", admin.site.urls),
    path(
        "sitemap.xml",
        query_parameters("p")(require_safe(core_views.sitemap)),  # ?p=2: the sitemap's pages
        {"sitemaps": sitemaps},
        name="sitemap",
    ),
    path("", include("comparisons.urls")),
    path("", include("articles.urls")),
    path("", include("codesamples.urls")),
    # Readers report mistakes on the public pages: the ones the sitemap lists.
    path("", include("reports.urls"), {"sitemaps": sitemaps}),
]

handler500 = "core.views.server_error"
