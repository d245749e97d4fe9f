"""The code samples on other apps' pages: `{% load code %}`, then a framework's samples
(`{% framework_samples framework %}`) or two side by side (`{% pair_samples first second %}`),
each in one query; and the `highlight` filter."""

from django import template
from django.utils.safestring import mark_safe

from codesamples.highlight import highlight as highlight_code
from codesamples.tables import rows_of_frameworks

register = template.Library()


@register.filter
def highlight(sample) -> str:
    """A Sample's code as highlighted HTML, for inside <pre><code>."""
    return mark_safe(highlight_code(sample.code, sample.language))  # noqa: S308 -- escaped there


@register.inclusion_tag("codesamples/_framework.html")
def framework_samples(framework):
    apps, rows = rows_of_frameworks([framework])
    return {"framework": framework, "app": apps[0] if apps else None, "rows": rows}


@register.inclusion_tag("codesamples/_pair.html")
def pair_samples(first, second):
    apps, rows = rows_of_frameworks([first, second])
    return {"pair": [first, second], "apps": apps, "rows": rows}
