"""Deployment checks of our own settings, run by `manage.py check --deploy`."""

from urllib.parse import urlsplit

from django.conf import settings
from django.core.checks import Tags, Warning, register


@register(Tags.security, deploy=True)
def check_proxy_settings(app_configs, **kwargs):
    found = []
    if settings.BEHIND_TLS and not settings.TRUSTED_PROXIES:
        found.append(
            Warning(
                "BEHIND_TLS is on but TRUSTED_PROXIES is empty: every login attempt seems to "
                "come from the proxy, so one address's failures lock out everyone's.",
                hint="Set TRUSTED_PROXIES to the proxy's address, e.g. 10.0.0.2.",
                id="core.W001",
            )
        )
    if settings.BEHIND_TLS and urlsplit(settings.SITE_URL).scheme != "https":
        found.append(
            Warning(
                "BEHIND_TLS is on but SITE_URL is not https://: pages would name an address "
                "that redirects.",
                hint="Set SITE_URL to the public https:// address.",
                id="core.W002",
            )
        )
    return found
