import sys

from django.conf import settings
from django.contrib.admin.views.decorators import staff_member_required
from django.db import DatabaseError, connection
from django.http import HttpResponse, HttpResponseBadRequest
from django.shortcuts import render
from django.template import loader
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST, require_safe

from core.addresses import absolute_url
from core.markdown import render_markdown


@never_cache
@require_safe
def healthz(request):
    """200 while the database answers a query, 503 when it does not. For load balancers."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        return HttpResponse("database unavailable\n", status=503, content_type="text/plain")
    return HttpResponse("ok\n", content_type="text/plain")


@staff_member_required
@require_POST
def markdown_preview(request):
    """The admin editors' live preview: the site's one Markdown function, for staff only.

    django-markdownx's own view has no login check and returns unsanitised HTML; this one
    is mounted at MARKDOWNX_URLS_PATH instead. CSRF is checked by the middleware.
    """
    content = request.POST.get("content", "")
    if len(content) > settings.MARKDOWN_PREVIEW_MAX_LENGTH:
        return HttpResponseBadRequest("Text too long to preview.", content_type="text/plain")
    response = HttpResponse(render_markdown(content), content_type="text/html; charset=utf-8")
    response["Cache-Control"] = "no-store"
    return response


def server_error(request):
    """The 500 handler; when the database is what failed, a 503 that says so.

    Django calls this while handling the exception, from any view or middleware, so a
    database that stops answering anywhere gives readers the plain 503 page, which needs
    no database, and the next request tries again (no restart).
    """
    error = sys.exc_info()[1]
    if isinstance(error, DatabaseError):
        response = render_plain("503.html", status=503)
        response["Retry-After"] = "30"
        return response
    return render_plain("500.html", status=500)


def render_plain(template_name: str, status: int) -> HttpResponse:
    """A page rendered without the request: no context processors, no database."""
    body = loader.get_template(template_name).render()
    response = HttpResponse(body, status=status, content_type="text/html; charset=utf-8")
    response["Cache-Control"] = "no-store"
    return response


@require_safe
def robots_txt(request):
    sitemap = absolute_url(reverse("sitemap"))
    return render(
        request, "robots.txt", {"sitemap_url": sitemap}, content_type="text/plain; charset=utf-8"
    )
