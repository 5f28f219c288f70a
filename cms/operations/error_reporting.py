"""Errors reported to Sentry (sentry-sdk) when SENTRY_DSN is set, and the 500 page that says so only then.

`init_sentry` is called by the settings (cms/settings/base.py) when a DSN is configured: the Django
integration reports every uncaught exception of a request (and errors logged on the way), without
personal data (what `send_default_pii=False` leaves out, and cookies, query strings, request bodies and
the traceback's local variables) and, unless SENTRY_TRACES_SAMPLE_RATE says otherwise, without traces.

`server_error` is the site's handler500. It renders templates/500.html without a request context, so
without the database, the session or any setting read from the database, and tells the reader that
the team has been told only when Sentry accepted an event for this very exception; otherwise it gives
the request id (cms/operations/request_log.py) that the server's log carries with the error.
"""

import contextlib
import sys

import sentry_sdk
from django.http import HttpResponseServerError
from django.template.loader import render_to_string
from django.utils.cache import add_never_cache_headers

# Set on the exception by `remember_event_id`, once Sentry has accepted the event that reports it.
EVENT_ID_ATTRIBUTE = "verity_sentry_event_id"


def remember_event_id(event, hint):
    """before_send: the last step before an event goes to the transport. Marks the exception it
    reports with the event's id, so the 500 page of that request can say it was reported."""
    exc_info = (hint or {}).get("exc_info")
    if exc_info and exc_info[1] is not None:
        # An exception type without __dict__ keeps no mark: its page just won't claim anyone was told.
        with contextlib.suppress(AttributeError, TypeError):
            setattr(exc_info[1], EVENT_ID_ATTRIBUTE, event.get("event_id"))
    return event


# What `send_default_pii=False` collects (sentry-sdk 2.75 deprecates that flag for this structured option),
# less still: no cookies, no query strings (searches), no request bodies (a form's or the API's content) and
# no local variables of the traceback's frames.
# Headers that name a person or an address (X-Forwarded-For, X-Real-IP, Remote-User...) are dropped, and the
# SDK's own denylist filters anything that looks like a session, token, key or password.
NOT_PERSONAL = {"mode": "denylist", "terms": ["forwarded", "-ip", "remote-", "via", "-user"]}
NO_PERSONAL_DATA = {
    "user_info": False,
    "cookies": {"mode": "off"},
    "http_headers": {"request": NOT_PERSONAL},
    "url_query_params": {"mode": "off"},  # a search for a symptom is nobody else's business
    "http_bodies": [],
    # A frame's local variables hold the request (its path and query), the user, a form's data: the traceback
    # says where it failed, the lines around each frame what ran; the values stay here.
    "stack_frame_variables": False,
    "database_query_data": False,
    "queues": False,
    "graphql": {"document": False, "variables": False},
    "gen_ai": {"inputs": False, "outputs": False},
}


def init_sentry(dsn, *, environment=None, release=None, traces_sample_rate=0.0):
    from sentry_sdk.integrations.django import DjangoIntegration

    sentry_sdk.init(
        dsn=dsn,
        integrations=[DjangoIntegration()],
        environment=environment or None,
        release=release or None,
        traces_sample_rate=traces_sample_rate,
        data_collection=NO_PERSONAL_DATA,
        before_send=remember_event_id,
    )


def reported_event_id():
    """The id of the Sentry event that reported the exception being handled, or None when Sentry is not
    configured, dropped the event, or never saw it."""
    if not sentry_sdk.get_client().is_active():
        return None
    exception = sys.exc_info()[1]
    return getattr(exception, EVENT_ID_ATTRIBUTE, None) if exception is not None else None


def server_error(request):
    """handler500: the 500 page, honest about whether anyone was told."""
    context = {"event_id": reported_event_id(), "request_id": getattr(request, "request_id", "")}
    response = HttpResponseServerError(render_to_string("500.html", context))
    add_never_cache_headers(response)  # never kept by Varnish or a CDN
    return response
