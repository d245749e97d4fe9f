from django import template
from django.utils.safestring import mark_safe

from config.markdown import render_markdown

register = template.Library()


@register.filter(name="markdown")
def markdown_filter(text: str) -> str:
    """Render editors' Markdown through the site's one sanitising function."""
    return mark_safe(render_markdown(text))
