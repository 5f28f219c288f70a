"""Every router of Verity's API, added to Wagtail's v3 API instance.

Import this module before `api.urls` is read (cms/urls.py does): Django Ninja refuses routers added later.
"""

from wagtail.api.v3.urls import api

__all__ = ["api"]
