from django.conf import settings
from django.contrib.admin.views.decorators import staff_member_required
from django.db import DatabaseError, connection
from django.http import HttpResponse, HttpResponseBadRequest
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST, require_safe

from config.markdown import render_markdown


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
