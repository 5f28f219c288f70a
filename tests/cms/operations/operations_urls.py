"""The site's own URLs and handler500, plus a view that logs and then fails, for test_operations.py."""

import logging

from django.http import HttpResponse
from django.urls import path

from cms.urls import handler500
from cms.urls import urlpatterns as site_urlpatterns

logger = logging.getLogger("verity.tests.operations")


def fails(request):
    logger.warning("about to fail for %s", request.GET.get("who", "nobody"))
    raise RuntimeError("the view failed on purpose")


def logs(request):
    logger.warning("a warning in the middle of a request")
    return HttpResponse("ok")


urlpatterns = [path("ops-fails/", fails), path("ops-logs/", logs), *site_urlpatterns]

__all__ = ["handler500", "urlpatterns"]
