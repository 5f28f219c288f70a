"""A request id on every request, and on every log record written while it runs; JSON log lines.

`RequestIdMiddleware` (first in MIDDLEWARE) takes the id from the incoming `X-Request-ID` header when
it is short and made of safe characters (an edge or load balancer that sets one), or makes one, keeps
it as `request.request_id` and answers it in the response's `X-Request-ID`. While the request runs, the
id, the method and the path live in a context variable, which `RequestContextFilter` copies onto every
log record, whichever logger writes it.

With LOG_FORMAT=json (cms/settings/base.py), the console handler writes each record as one JSON object
on one line (`JsonFormatter`): time, level, logger, message, request_id, method, path, the status where
the record knows it (Django's request logger does) and the exception's traceback.
"""

import contextvars
import json
import logging
import re
import uuid
from datetime import UTC, datetime

HEADER = "X-Request-ID"
# Ids we accept from outside: what an edge or load balancer makes (UUIDs, hex, Heroku's, AWS's Root=...),
# nothing that could break a log line or a header.
VALID_REQUEST_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9._:=+-]{0,127}")

current_request = contextvars.ContextVar("verity_current_request", default=None)


def new_request_id():
    return uuid.uuid4().hex


def request_id_from(header_value):
    """The incoming id when it is acceptable, else a new one."""
    value = (header_value or "").strip()
    return value if VALID_REQUEST_ID.fullmatch(value) else new_request_id()


class RequestIdMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.request_id = request_id_from(request.headers.get(HEADER))
        context = {"request_id": request.request_id, "method": request.method, "path": request.path}
        token = current_request.set(context)
        try:
            response = self.get_response(request)
            response[HEADER] = request.request_id
            return response
        finally:
            current_request.reset(token)


class RequestContextFilter(logging.Filter):
    """Puts request_id, method and path on every record (None outside a request); never drops one."""

    def filter(self, record):
        context = current_request.get() or {}
        for name in ("request_id", "method", "path"):
            if not hasattr(record, name):
                setattr(record, name, context.get(name))
        return True


class JsonFormatter(logging.Formatter):
    """One JSON object per line. Keys without a value (no request, no status, no exception) are left out,
    except request_id, which is null outside a request."""

    def format(self, record):
        entry = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            "request_id": getattr(record, "request_id", None),
        }
        for name in ("method", "path"):
            if getattr(record, name, None) is not None:
                entry[name] = getattr(record, name)
        status = getattr(record, "status_code", None)  # django.request and django.server set it
        if status is None:
            status = getattr(record, "status", None)
        if isinstance(status, int):
            entry["status"] = status
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        elif record.exc_text:
            entry["exception"] = record.exc_text
        if record.stack_info:
            entry["stack"] = self.formatStack(record.stack_info)
        return json.dumps(entry, ensure_ascii=False, default=str)
