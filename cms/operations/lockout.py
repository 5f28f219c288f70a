"""Sign-in lockout (django-axes): too many wrong passwords for one user from one address, then 429.

Every sign-in goes through `django.contrib.auth.authenticate` with its request (Wagtail's admin login
form does), which asks `LockoutBackend` first: a user and address pair with `AXES_FAILURE_LIMIT` failures
within `AXES_COOLOFF_TIME` is refused before any password is checked, the right one included, and the
request is answered by `lockout_response` (`AxesMiddleware`). The attempts are rows in the database
(axes' `AccessAttempt`, its database handler), shared by every web instance; a successful sign-in
deletes the pair's rows; `manage.py axes_reset_username USERNAME` lifts a lockout by hand.
The client's address is the trusted proxies' one (cms/operations/client_address.py).
"""

import json

from axes.backends import AxesStandaloneBackend
from django.conf import settings
from django.http import HttpResponse
from django.shortcuts import render

PROBLEM_JSON = "application/problem+json"


class LockoutBackend(AxesStandaloneBackend):
    """Axes' lockout check, for authentications that come with a request.

    `authenticate()` without a request is server code — Django's test client `login()`, a shell — with no
    client to count attempts against; axes would raise there. Every view that signs a client in passes
    its request (Django's and Wagtail's login forms do), and is counted.
    """

    def authenticate(self, request, username=None, password=None, **kwargs):
        if request is None:
            return None
        return super().authenticate(request, username=username, password=password, **kwargs)


def cool_off_seconds():
    return int(settings.AXES_COOLOFF_TIME.total_seconds())


def lockout_message():
    minutes = max(1, round(cool_off_seconds() / 60))
    return (
        f"Too many failed sign-in attempts for this account from your address. Sign-in is blocked for "
        f"{minutes} minute{'s' if minutes != 1 else ''} after the last attempt; try again later, or ask an "
        f"administrator to unlock the account."
    )


def lockout_response(request, original_response=None, credentials=None):
    """429 with Retry-After: a problem document under /api/, else the lockout page."""
    status = settings.AXES_HTTP_RESPONSE_CODE
    if request.path.startswith("/api/"):
        body = {"type": "about:blank", "title": "Too Many Requests", "status": status, "detail": lockout_message()}
        response = HttpResponse(json.dumps(body), status=status, content_type=PROBLEM_JSON)
    else:
        context = {"message": lockout_message(), "failure_limit": settings.AXES_FAILURE_LIMIT}
        response = render(request, "axes/lockout.html", context, status=status)
    response["Retry-After"] = str(cool_off_seconds())
    response["Cache-Control"] = "private, no-store"
    return response
