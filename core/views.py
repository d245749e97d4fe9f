import sys

from django.conf import settings
from django.contrib.admin.views.decorators import staff_member_required
from django.db import DatabaseError, InterfaceError, OperationalError, connection
from django.http import HttpResponse, HttpResponseBadRequest
from django.shortcuts import render
from django.template import loader
from django.urls import reverse
from django.utils.html import format_html
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST, require_safe

from core.addresses import absolute_url
from core.context_processors import links
from core.markdown import markdown_problem, render_markdown


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
    html = render_markdown(content)
    problem = markdown_problem(content)
    if problem:  # shown as text, as readers would get it; say why, as saving would
        html = format_html('<p class="errornote">Shown as plain text: {}</p>', problem) + html
    response = HttpResponse(html, content_type="text/html; charset=utf-8")
    response["Cache-Control"] = "no-store"
    return response


def server_error(request):
    """The 500 handler; when the database cannot be reached, a 503 that says so.

    Django calls this while handling the exception, from any view or middleware, so a
    database that stops answering anywhere gives readers the plain 503 page, which needs
    no database, and the next request tries again (no restart). Only an error of the
    connection or the server's state is "unavailable": OperationalError (refused or lost
    connection, timeout, a locked or overloaded database) and InterfaceError (a closed
    connection). An IntegrityError, ProgrammingError or DataError is a fault of this
    request or of the code, which trying again will not fix: a 500.
    """
    error = sys.exc_info()[1]
    if isinstance(error, DATABASE_UNAVAILABLE):
        response = render_plain("503.html", status=503)
        response["Retry-After"] = "30"
        return response
    return render_plain("500.html", status=500)


DATABASE_UNAVAILABLE = (OperationalError, InterfaceError)


def render_plain(template_name: str, status: int) -> HttpResponse:
    """A page rendered without the request: no context processors, no database."""
    body = loader.get_template(template_name).render({"links": links()})
    response = HttpResponse(body, status=status, content_type="text/html; charset=utf-8")
    response["Cache-Control"] = "no-store"
    return response


@require_safe
def robots_txt(request):
    sitemap = absolute_url(reverse("sitemap"))
    return render(
        request, "robots.txt", {"sitemap_url": sitemap}, content_type="text/plain; charset=utf-8"
    )


def sitemap(request, sitemaps):
    """Django's sitemap, its pages (?p=2) only as the site writes their numbers: "01", "+1"
    or a full-width digit would each be a page of their own in the page cache: a 404."""
    from django.contrib.sitemaps.views import sitemap as django_sitemap
    from django.http import Http404

    page = request.GET.get("p")
    if page is not None and not (page.isascii() and page.isdigit() and page[0] != "0"):
        raise Http404("No such sitemap page.")
    return django_sitemap(request, sitemaps)
