"""The store the shop sells through: its address, its cart links, and the tracking added on the way there.

Shopify's cart permalink (`https://STORE/cart/VARIANT:QTY,VARIANT:QTY`) fills a cart with those variants in one
link. The store's address is VERITY_STORE_URL; every shop redirect forwards only to that host (shop/clicks.py).
"""

from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from django.conf import settings


def store_origin():
    return settings.VERITY_STORE_URL.rstrip("/")


def store_host():
    return (urlsplit(store_origin()).hostname or "").lower()


def product_url(handle):
    return f"{store_origin()}/products/{handle}"


def cart_url(products, quantity=1):
    """A cart permalink holding one of each product, or "" when one has no variant id in the store."""
    variants = [product.cart_variant_id for product in products]
    if not variants or not all(variants):
        return ""
    return f"{store_origin()}/cart/" + ",".join(f"{variant}:{quantity}" for variant in variants)


def is_store_url(url):
    """Whether `url` is an https (or, for a loopback test store, http) address on the configured store's host.

    Parsed, not matched as text: `https://store.example.com@evil.test/` or `//evil.test` name other hosts.
    """
    try:
        parts = urlsplit(url)
        host = (parts.hostname or "").lower()
        parts.port  # noqa: B018 - raises on a port that is no number
    except ValueError:
        return False
    origin = urlsplit(store_origin())
    if parts.username is not None or parts.password is not None or "\\" in url:
        return False
    return bool(host) and host == store_host() and parts.scheme == origin.scheme and parts.port == origin.port


def with_utm(url, post_slug, module):
    """The store URL with the campaign parameters the store's order reports attribute sales by."""
    parts = urlsplit(url)
    query = [(key, value) for key, value in parse_qsl(parts.query) if not key.startswith("utm_")]
    query += [
        ("utm_source", settings.VERITY_UTM_SOURCE),
        ("utm_medium", "shop-module"),
        ("utm_campaign", post_slug),
        ("utm_content", module),
    ]
    return urlunsplit(parts._replace(query=urlencode(query)))
