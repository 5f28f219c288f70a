"""Request guards that apply to the whole site and API, and the database failing fast."""

import logging

from django.conf import settings
from django.db import InterfaceError, OperationalError, transaction
from django.db.backends.signals import connection_created
from django.http import HttpResponse, HttpResponseBadRequest, JsonResponse
from django.template.loader import render_to_string
from django.utils.cache import add_never_cache_headers
from wagtail.api.v3.errors import problem_response

from cms.operations import db_watchdog

NUL = "\x00"


class RejectNulBytesMiddleware:
    """Refuse a NUL character in the path or query string: a 400 on the site, and on the API the 422
    problem document its other invalid input gets.

    No text Verity stores or searches may hold one (PostgreSQL refuses them), so without this guard a
    stray %00 in a search or a filter would surface as a server error from deep inside a query.
    """

    message = "The request contains a NUL character, which no field accepts."

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        query_values = (value for values in request.GET.lists() for value in [values[0], *values[1]])
        if NUL in request.path or any(NUL in value for value in query_values):
            if request.path.startswith("/api/"):
                return JsonResponse(
                    {"type": "about:blank", "title": "Unprocessable Content", "status": 422, "detail": self.message},
                    status=422,
                    content_type="application/problem+json",
                )
            return HttpResponseBadRequest(self.message)
        return self.get_response(request)


# The database fails fast: a 503 with Retry-After while it is down or hung, never a hang or a bare 500.

DATABASE_ERRORS = (OperationalError, InterfaceError)
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "TRACE"})

logger = logging.getLogger("verity.database")


def service_unavailable(request):
    """503 with Retry-After: a problem document under /api/, the site's own page elsewhere. Neither
    touches the database, the cache or the session, and neither may be kept by a shared cache."""
    retry_after = str(settings.VERITY_RETRY_AFTER)
    if request.path.startswith("/api/"):
        response = problem_response(
            status=503, detail="The database is unavailable. Please retry in a moment."
        )  # wagtail.api.v3.errors, as every other problem document of the API
    else:
        response = HttpResponse(render_to_string("503.html"), status=503)
    response["Retry-After"] = retry_after
    add_never_cache_headers(response)
    return response


class DatabaseUnavailableMiddleware:
    """A view (or its template) that fails to reach the database answers 503 with Retry-After.

    `OperationalError` and `InterfaceError` are what Django raises when the server refuses or drops the
    connection, when connect_timeout or statement_timeout expires, and when cms/operations/db_watchdog.py cuts a
    connection to a frozen server. The failing connection is closed by Django at the end of the request
    (CONN_HEALTH_CHECKS), so the next request starts afresh and works as soon as the database is back.
    Also starts the watchdog on every PostgreSQL connection this process opens.
    """

    def __init__(self, get_response):
        self.get_response = get_response
        connection_created.connect(db_watchdog.register, dispatch_uid="verity-db-watchdog")

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not isinstance(exception, DATABASE_ERRORS):
            return None
        logger.error("Database unavailable for %s %s: %s", request.method, request.path, exception)
        return service_unavailable(request)


class AtomicWritesMiddleware:
    """Run each unsafe request (POST, PUT, PATCH, DELETE) in one transaction; reads run outside any.

    What ATOMIC_REQUESTS did for writes — a change and the webhook events it writes to the outbox
    (cms/webhooks/events.py) commit together, and a request that fails half-way (any 5xx answer) leaves
    nothing behind — without holding a transaction open for every public page view. A commit the
    database refuses is a 503 like any other database failure.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.method in SAFE_METHODS:
            return self.get_response(request)
        try:
            with transaction.atomic():
                response = self.get_response(request)
                if response.status_code >= 500:
                    transaction.set_rollback(True)
        except DATABASE_ERRORS as exception:
            logger.error("Database unavailable for %s %s: %s", request.method, request.path, exception)
            return service_unavailable(request)
        return response
