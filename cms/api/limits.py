"""The API's edges: whatever goes wrong under /api/ is answered with a problem document.

`ApiEdgeMiddleware` (cms/settings/base.py's MIDDLEWARE), for paths under /api/ only:

- **413** for a body over the limit, judged by its Content-Length before anything reads it:
  `VERITY_API_MAX_BODY_BYTES` (1 MB; and never more than Django's `DATA_UPLOAD_MAX_MEMORY_SIZE`, whose
  `RequestDataTooBig` is a 413 too, wherever it is raised), `VERITY_API_MAX_UPLOAD_BYTES` for a
  multipart upload (an image through Wagtail's images endpoint); 400 for a Content-Length that is no
  number;
- **422** for a `limit` or `offset` beyond `MAX_OFFSET` on every endpoint, Wagtail's own included (its
  pagination bounds neither: `offset=2**63` was a 500, "bigint out of range"), shaped as Ninja's own
  validation errors; a negative or non-numeric one is refused by each endpoint's own validation;
- **400** for a request Django refuses (`SuspiciousOperation`, `BadRequest`: too many fields, a malformed
  multipart body);
- and any other error answered in HTML or plain text — Django's 404 for a path no endpoint serves, Ninja's
  405, a 500 page — becomes a problem document of the same status, its `Allow`, `Retry-After` and
  `WWW-Authenticate` kept.

A malformed JSON body is already a 400 problem document (Ninja: "Cannot parse request body").
"""

import json
from http import HTTPStatus

from django.conf import settings
from django.core.exceptions import BadRequest, RequestDataTooBig, SuspiciousOperation
from django.http import HttpResponse

from .common import MAX_OFFSET

PROBLEM_JSON = "application/problem+json"
PAGINATION_PARAMETERS = ("limit", "offset")
KEPT_HEADERS = ("Allow", "Retry-After", "WWW-Authenticate", "Vary", "Cache-Control")


def problem(status, detail, **extra):
    body = {"type": "about:blank", "title": HTTPStatus(status).phrase, "status": status, "detail": detail, **extra}
    return HttpResponse(json.dumps(body), status=status, content_type=PROBLEM_JSON)


def is_api(request):
    return request.path.startswith("/api/")


def body_limit(request):
    if request.content_type == "multipart/form-data":
        return settings.VERITY_API_MAX_UPLOAD_BYTES
    return min(settings.VERITY_API_MAX_BODY_BYTES, settings.DATA_UPLOAD_MAX_MEMORY_SIZE or float("inf"))


def too_large(limit):
    return problem(413, f"The request body is larger than this endpoint accepts ({limit} bytes at most).")


def refuse_body(request):
    length = request.META.get("CONTENT_LENGTH") or "0"
    if not length.isdecimal():
        return problem(400, "The Content-Length header is not a number of bytes.")
    limit = body_limit(request)
    return too_large(limit) if int(length) > limit else None


def refuse_pagination(request):
    errors = [
        {
            "type": "less_than_equal",
            "loc": ["query", name],
            "msg": f"Input should be less than or equal to {MAX_OFFSET}",
            "ctx": {"le": MAX_OFFSET},
        }
        for name in PAGINATION_PARAMETERS
        for value in request.GET.getlist(name)
        if value.strip().isdecimal() and int(value.strip()) > MAX_OFFSET
    ]
    return problem(422, "Validation failed", errors=errors) if errors else None


def as_problem(response):
    """An error answered in anything but JSON, as a problem document of the same status."""
    if response.status_code < 400 or response.streaming or "json" in response.get("Content-Type", ""):
        return response
    status = response.status_code
    if status == 404:
        detail = "No API endpoint or resource at this path."
    elif status == 405:
        detail = f"This endpoint does not accept this method; it accepts {response.get('Allow', 'none')}."
    else:
        detail = HTTPStatus(status).phrase if status in HTTPStatus._value2member_map_ else "Error"
    replacement = problem(status, detail)
    for header in KEPT_HEADERS:
        if header in response:
            replacement[header] = response[header]
    return replacement


class ApiEdgeMiddleware:
    """Problem documents at every edge of /api/: oversized bodies, unbounded pagination, refused requests."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not is_api(request):
            return self.get_response(request)
        response = refuse_body(request) or refuse_pagination(request) or self.get_response(request)
        return as_problem(response)

    def process_exception(self, request, exception):
        if not is_api(request):
            return None
        if isinstance(exception, RequestDataTooBig):
            return too_large(settings.DATA_UPLOAD_MAX_MEMORY_SIZE)
        if isinstance(exception, (SuspiciousOperation, BadRequest)):
            return problem(400, str(exception) or "Bad request.")
        return None
