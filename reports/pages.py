"""Which pages a report may be about: the public pages, as the sitemap lists them.

The root URLconf hands the site's sitemap sections to this app's views, so the one list of
public pages (what search engines are told about) is also the list readers report on: a
page that is unpublished, a draft, a redirect or no page at all is not one of them.
"""

from __future__ import annotations

from collections.abc import Mapping

from django.contrib.sitemaps import Sitemap
from django.core.exceptions import ValidationError

from reports.models import validate_site_path


def public_paths(sitemaps: Mapping[str, type[Sitemap] | Sitemap]) -> set[str]:
    """The path of every page the sitemap lists (a few queries, no page rendered)."""
    paths = set()
    for section in sitemaps.values():
        sitemap = section() if isinstance(section, type) else section
        for item in sitemap.items():
            paths.add(sitemap.location(item))
    return paths


def known_page(value: str | None, sitemaps) -> str:
    """The value if it is the path of a public page, else "" (never an error)."""
    if not value:
        return ""
    try:
        validate_site_path(value)
    except ValidationError:
        return ""
    return value if value in public_paths(sitemaps) else ""
