"""Verity's API: its routers added to Wagtail's v3 API instance.

cms/urls.py mounts the routers of every app (`mount`) before it reads `api.urls`: Django Ninja refuses
routers added later.
"""

from wagtail.api.v3.urls import api


def mount(routers):
    """Add (prefix, router) pairs, in the order the OpenAPI document lists them."""
    for prefix, router in routers:
        api.add_router(prefix, router)


__all__ = ["api", "mount"]
