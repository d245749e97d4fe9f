"""Who sees what: readers see published content; staff also see drafts, as a marked preview."""

from django.db import models
from django.http import HttpResponse
from django.utils.cache import patch_cache_control


def visible(request, model: type[models.Model]) -> models.QuerySet:
    """The objects this request may see: staff see them all (to preview), readers only the
    model's ``published()`` ones."""
    manager = model._default_manager
    return manager.all() if request.user.is_staff else manager.published()


def preview_aware(response: HttpResponse, preview: bool) -> HttpResponse:
    """A staff preview of unpublished content is never cached or indexed."""
    if preview:
        patch_cache_control(response, private=True, no_store=True)
        response["X-Robots-Tag"] = "noindex"
    return response
