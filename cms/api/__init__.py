"""The headless API: Wagtail 8's API v3 (django-ninja), extended with Verity's own routers.

Routers register on Wagtail's `api` instance in cms/api/routers.py, before cms/urls.py mounts it.
"""
