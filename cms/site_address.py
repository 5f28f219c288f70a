"""The default Site's hostname and port, from the public address in WAGTAILADMIN_BASE_URL.

Wagtail builds canonical links, sitemap entries and emailed links from the Site record, so it must
name the address readers use, not the "localhost" a fresh install starts with.
"""

from urllib.parse import urlsplit

from django.conf import settings


def public_host_and_port(base_url=None):
    parts = urlsplit(base_url or settings.WAGTAILADMIN_BASE_URL)
    default_port = 443 if parts.scheme == "https" else 80
    return parts.hostname or "localhost", parts.port or default_port


def configure_default_site(site_model=None):
    """Point the default Site at the public address; returns the Site."""
    if site_model is None:
        from wagtail.models import Site as site_model
    hostname, port = public_host_and_port()
    site = site_model.objects.get(is_default_site=True)
    if (site.hostname, site.port) != (hostname, port):
        site.hostname, site.port = hostname, port
        site.save(update_fields=["hostname", "port"])
    return site
