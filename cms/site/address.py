"""The site's one public address, WAGTAILADMIN_BASE_URL, and every absolute URL built from it.

Canonical links, og:* tags, JSON-LD, the sitemap, the RSS feed, robots.txt, the API's URLs and emailed
links all name this address, never the Host header of the request that happened to render them: a
forged or internal host must not reach output that caches share. The default Site record follows it
too (`configure_default_site`, run by `manage.py configure_site`), for Wagtail's own links.
"""

from functools import wraps
from urllib.parse import urlsplit, urlunsplit

from django.conf import settings


def public_url():
    """The public address, e.g. "https://verity.example.com", without a trailing slash."""
    return settings.WAGTAILADMIN_BASE_URL.rstrip("/")


def absolute_url(url):
    """`url` on the public address: a path gets the public origin; an absolute URL (a page of
    another site, a media file on a storage's own domain) passes through. Empty stays empty."""
    if not url:
        return ""
    url = str(url)
    if url.startswith("//"):  # scheme-relative, e.g. a storage's custom domain
        return f"{urlsplit(public_url()).scheme}:{url}"
    if urlsplit(url).scheme:
        return url
    return f"{public_url()}/{url.lstrip('/')}"


def on_public_address(url):
    """`url`, absolute or not, moved onto the public address: its path, query and fragment are kept,
    its scheme and host replaced. For URLs Wagtail built from the Site record (the sitemap's)."""
    if not url:
        return ""
    parts = urlsplit(str(url))
    return absolute_url(urlunsplit(("", "", parts.path or "/", parts.query, parts.fragment)))


def page_url(page, request=None):
    """A page's absolute URL on the public address ("" for a page outside every site). The request,
    when given, only lets Wagtail reuse its site lookup; it never chooses the host."""
    parts = page.get_url_parts(request)
    if parts is None:
        return ""
    _site_id, _root_url, path = parts
    return absolute_url(path)


def sitemap_view_on_public_address(view):
    """Django's sitemap view or index, every URL of it on the public address. Django's views build URLs
    from the request's scheme and host, Wagtail's page URLs from the Site record; a sitemap is cached and
    shared, so its URLs are moved onto the public address before the response renders."""

    @wraps(view)
    def public_view(request, *args, **kwargs):
        response = view(request, *args, **kwargs)
        context = getattr(response, "context_data", None) or {}
        for item in context.get("sitemaps", ()):  # the index: its sections
            item.location = on_public_address(item.location)
        for url in context.get("urlset", ()):  # a section: its entries
            url["location"] = on_public_address(url["location"])
            for alternate in url.get("alternates", ()):
                alternate["location"] = on_public_address(alternate["location"])
        return response

    return public_view


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
