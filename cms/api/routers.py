"""Verity's API: its routers added to Wagtail's v3 API instance.

cms/urls.py mounts the routers of every app (`mount`) before it reads `api.urls`: Django Ninja refuses
routers added later. Mounting also guards Wagtail's own page reads and writes (cms/api/concurrency.py:
ETags, If-Match, a row lock per write) and registers the API's own error answers (cms/api/limits.py); then
every operation, Wagtail's and Verity's, refuses unknown query parameters and Wagtail's move refuses a
destination beside the root (cms/api/guards.py). The OpenAPI document comes out valid (cms/api/openapi.py)
and its docs page works offline (cms/api/docs.py).
"""

from wagtail.api.v3.routers.pages import router as pages_router
from wagtail.api.v3.urls import api

from . import concurrency, docs, guards, openapi


def mount(routers):
    """Add (prefix, router) pairs, in the order the OpenAPI document lists them."""
    concurrency.guard_page_operations(pages_router)
    concurrency.register(api)
    openapi.install(api)
    docs.install(api)
    for prefix, router in routers:
        api.add_router(prefix, router)
    for _prefix, router in api._routers:
        guards.guard_operations(concurrency.operations(router))


__all__ = ["api", "mount"]
