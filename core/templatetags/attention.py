"""The admin index's link to the attention page, with its count (core.attention)."""

from django import template
from django.urls import reverse

from core.attention import attention_total

register = template.Library()


@register.inclusion_tag("admin/attention_link.html", takes_context=True)
def attention_link(context) -> dict:
    """ "Needs attention (5)", for a user who may see any of what it counts (else nothing)."""
    request = context.get("request")
    total = attention_total(request.user) if request is not None else None
    return {"total": total, "url": reverse("admin_attention")}
