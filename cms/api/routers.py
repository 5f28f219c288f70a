"""Every router of Verity's API, added to Wagtail's v3 API instance.

Import this module before `api.urls` is read (cms/urls.py does): Django Ninja refuses routers added later.
"""

from wagtail.api.v3.urls import api

from . import preview
from .content import ROUTERS as CONTENT_ROUTERS

for prefix, router in CONTENT_ROUTERS.items():
    api.add_router(prefix, router)
api.add_router("/preview/", preview.router)

__all__ = ["api"]
from . import workflow  # noqa: E402,F401 - registers the workflow router
