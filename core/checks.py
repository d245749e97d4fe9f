"""Deployment checks of our own settings, run by `manage.py check --deploy`."""

from urllib.parse import urlsplit

from django.conf import settings
from django.core.checks import Error, Tags, Warning, register


@register(Tags.security, deploy=True)
def check_proxy_settings(app_configs, **kwargs):
    found = []
    if settings.BEHIND_TLS and not settings.TRUSTED_PROXIES:
        found.append(
            Error(
                "BEHIND_TLS is on but TRUSTED_PROXIES is empty: the site cannot tell one "
                "client's address from another's (every request seems to come from the proxy, "
                "or from nowhere on a UNIX socket), so one address's failures lock out "
                "everyone's and every reader shares one report limit.",
                hint="Set TRUSTED_PROXIES to the proxy's address, e.g. 10.0.0.2, or to unix "
                "when the app server listens on a UNIX socket behind it.",
                id="core.E002",
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


@register(Tags.security, deploy=True)
def check_trusted_proxies(app_configs, **kwargs):
    """A trusted proxy range wider than one host must be a private network: anyone in a
    public range could otherwise write any X-Forwarded-For and escape every limit."""
    found = []
    for network in settings.TRUSTED_PROXIES:
        if isinstance(network, str):
            continue
        single_host = network.num_addresses == 1
        if not single_host and not network.is_private:
            found.append(
                Error(
                    f"TRUSTED_PROXIES includes {network}, a public range wider than one host: "
                    "any client there could claim any address and escape login throttling "
                    "and the report limit.",
                    hint="List the proxy's own address, or a private network (10.0.0.0/8, "
                    "172.16.0.0/12, 192.168.0.0/16, fc00::/7).",
                    id="core.E001",
                )
            )
    return found
