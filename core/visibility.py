"""Who sees what: readers see published content; staff also see drafts, as a marked preview."""

from typing import Protocol, cast

from django.db import models
from django.http import HttpResponse
from django.utils.cache import patch_cache_control


class PublishingManager(Protocol):
    """The default manager of a model with drafts (Framework, Article): ``published()`` is
    what readers see."""

    def all(self) -> models.QuerySet: ...

    def published(self) -> models.QuerySet: ...


def visible(model: type[models.Model], staff: bool) -> models.QuerySet:
    """The objects a reader may see (the model's ``published()`` ones), or staff (all of them,
    to preview)."""
    # django-stubs knows a model's _default_manager only as a Manager; the models shown with
    # drafts have one made from their QuerySet, with published().
    manager = cast(PublishingManager, model._default_manager)
    return manager.all() if staff else manager.published()


def page_data(request, compute, *key):
    """``compute(*key, staff=...)`` as this request may see it: staff's with drafts."""
    return compute(*key, staff=request.user.is_staff)


def preview_aware(response: HttpResponse, preview: bool) -> HttpResponse:
    """A staff preview of unpublished content is never cached or indexed."""
    if preview:
        patch_cache_control(response, private=True, no_store=True)
        response["X-Robots-Tag"] = "noindex"
    return response
