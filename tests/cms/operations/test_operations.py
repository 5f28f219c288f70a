"""Operations: errors reported to Sentry (and a 500 page that says so only then), request ids, JSON logs."""

import gzip
import importlib
import json
import logging
import os
import subprocess
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from wsgiref.util import setup_testing_defaults

import pytest
import sentry_sdk
from django.core.exceptions import ImproperlyConfigured
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from django.test import Client

from cms.operations.error_reporting import init_sentry
from cms.operations.request_log import JsonFormatter, RequestContextFilter, current_request

ROOT = Path(__file__).resolve().parents[3]
CLAIM = "we have been told"


@pytest.fixture(autouse=True)
def operations_urls(settings):
    settings.ROOT_URLCONF = "tests.cms.operations.operations_urls"


def client():
    return Client(raise_request_exception=False)


# --- Sentry ---------------------------------------------------------------------------------------------


class FakeSentry:
    """An HTTP server that takes what sentry-sdk sends (envelopes, by POST) and keeps it."""

    def __init__(self):
        self.envelopes = []
        received = self.envelopes

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                if self.headers.get("Content-Encoding") == "gzip":
                    body = gzip.decompress(body)
                received.append((self.path, body.decode("utf-8", "replace")))
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.end_headers()
                self.wfile.write(b"{}")

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.dsn = f"http://publickey@127.0.0.1:{self.server.server_port}/1"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def events(self):
        """The error events received, each as a dict (an envelope is JSON lines: header, item header, item)."""
        events = []
        for _path, body in self.envelopes:
            lines = body.splitlines()
            for item_header, item in zip(lines[1::2], lines[2::2], strict=False):
                if json.loads(item_header).get("type") == "event":
                    events.append(json.loads(item))
        return events


@pytest.fixture
def fake_sentry():
    fake = FakeSentry()
    fake.thread.start()
    yield fake
    sentry_sdk.get_client().close(timeout=2)
    sentry_sdk.get_global_scope().set_client(None)  # Sentry off again for every other test
    fake.server.shutdown()
    fake.server.server_close()


@pytest.fixture
def no_sentry():
    sentry_sdk.get_global_scope().set_client(None)
    assert not sentry_sdk.get_client().is_active()


def wsgi_get(path, query="", **headers):
    """A GET through Django's WSGI handler, as gunicorn calls it (Sentry's Django integration hooks in there)."""
    environ = {}
    setup_testing_defaults(environ)
    environ.update(REQUEST_METHOD="GET", PATH_INFO=path, QUERY_STRING=query)
    environ.update({f"HTTP_{name.upper()}": value for name, value in headers.items()})
    started = {}

    def start_response(status, response_headers, exc_info=None):
        started.update(status=int(status.split()[0]), headers=dict(response_headers))

    # As Django's test client does: the test's database connection is the test's, not the request's to close.
    signals = (request_started, request_finished)
    for signal in signals:
        signal.disconnect(close_old_connections)
    try:
        body = b"".join(WSGIHandler()(environ, start_response))
    finally:
        for signal in signals:
            signal.connect(close_old_connections)
    return started["status"], started["headers"], body.decode()


def test_with_sentry_the_500_page_says_the_team_was_told_and_sentry_has_the_event(fake_sentry):
    init_sentry(fake_sentry.dsn, environment="drill", release="verity@1.2.3")
    status, headers, page = wsgi_get(
        "/ops-fails/",
        "q=herpes+symptoms",
        cookie="sessionid=secret-session-cookie; theme=dark-cookie",
        x_forwarded_for="203.0.113.77",
    )

    assert status == 500
    assert CLAIM in page.lower()
    assert "no-cache" in headers["Cache-Control"] and "private" in headers["Cache-Control"]
    sentry_sdk.get_client().flush(timeout=5)

    [event] = fake_sentry.events()
    assert event["exception"]["values"][-1]["type"] == "RuntimeError"
    assert event["exception"]["values"][-1]["value"] == "the view failed on purpose"
    assert (event["environment"], event["release"]) == ("drill", "verity@1.2.3")
    assert event["event_id"] in page  # the reference the reader can quote is the event's id
    assert event["request"]["url"].endswith("/ops-fails/") and event["request"]["method"] == "GET"
    # No personal data: no cookie, not the reader's address, not what they searched for.
    everything_sent = "".join(body for _path, body in fake_sentry.envelopes)
    for personal in ("secret-session-cookie", "dark-cookie", "203.0.113.77", "herpes"):
        assert personal not in everything_sent
    assert "user" not in event or "ip_address" not in event["user"]
    assert all(path == "/api/1/envelope/" for path, _body in fake_sentry.envelopes)


def test_an_event_sentry_drops_is_not_claimed(fake_sentry):
    init_sentry(fake_sentry.dsn)
    sentry_sdk.get_client().options["before_send"] = lambda event, hint: None  # e.g. a filter in before_send

    response = client().get("/ops-fails/")

    assert response.status_code == 500
    assert CLAIM not in response.content.decode().lower()


def test_without_sentry_the_500_page_does_not_claim_anyone_was_told(no_sentry):
    response = client().get("/ops-fails/", headers={"X-Request-ID": "req-500-check"})

    assert response.status_code == 500
    page = response.content.decode()
    assert CLAIM not in page.lower() and "been told" not in page.lower()
    assert "try again" in page.lower()
    # The reference it gives is the request id, which the log line of the error carries.
    assert response["X-Request-ID"] == "req-500-check" and "req-500-check" in page


def test_the_500_page_does_not_touch_the_database(no_sentry, django_assert_num_queries, db):
    with django_assert_num_queries(0):
        response = client().get("/ops-fails/")
    assert response.status_code == 500


def test_sentry_is_configured_from_the_settings_without_personal_data_or_traces(monkeypatch, fake_sentry):
    for name, value in {
        "SENTRY_DSN": fake_sentry.dsn,
        "SENTRY_ENVIRONMENT": "staging",
        "SENTRY_RELEASE": "abc123",
    }.items():
        monkeypatch.setenv(name, value)
    sys.modules.pop("cms.settings.base", None)
    try:
        base = importlib.import_module("cms.settings.base")
    finally:
        sys.modules.pop("cms.settings.base", None)

    options = sentry_sdk.get_client().options
    assert base.SENTRY_TRACES_SAMPLE_RATE == 0
    assert options["dsn"] == fake_sentry.dsn
    assert (options["environment"], options["release"]) == ("staging", "abc123")
    # No personal data: no user, no cookies, no request bodies, no client address.
    collected = options["data_collection"]
    assert collected["user_info"] is False and collected["cookies"]["mode"] == "off" and collected["http_bodies"] == []
    assert collected["url_query_params"]["mode"] == "off" and collected["stack_frame_variables"] is False
    assert {"forwarded", "-ip"} <= set(collected["http_headers"]["request"]["terms"])
    assert options["traces_sample_rate"] == 0
    assert "django" in {integration.identifier for integration in sentry_sdk.get_client().integrations.values()}


def test_without_a_dsn_the_settings_leave_sentry_off(monkeypatch, no_sentry):
    monkeypatch.delenv("SENTRY_DSN", raising=False)
    sys.modules.pop("cms.settings.base", None)
    try:
        importlib.import_module("cms.settings.base")
    finally:
        sys.modules.pop("cms.settings.base", None)
    assert not sentry_sdk.get_client().is_active()


# --- request ids ------------------------------------------------------------------------------------------


@pytest.fixture
def records():
    """Every record written on any logger, through the filter the JSON handler uses."""

    class Keep(logging.Handler):
        def __init__(self):
            super().__init__(level=logging.DEBUG)
            self.records = []
            self.addFilter(RequestContextFilter())

        def emit(self, record):
            self.records.append(record)

    handler = Keep()
    logging.getLogger().addHandler(handler)
    yield handler.records
    logging.getLogger().removeHandler(handler)


def test_an_incoming_request_id_is_kept_answered_and_on_every_log_record_of_the_request(records):
    response = client().get("/ops-logs/", headers={"X-Request-ID": "edge-7f3a.42"})

    assert response.status_code == 200
    assert response["X-Request-ID"] == "edge-7f3a.42"
    [record] = [record for record in records if record.name == "verity.tests.operations"]
    assert (record.request_id, record.method, record.path) == ("edge-7f3a.42", "GET", "/ops-logs/")
    assert current_request.get() is None  # gone once the request is over


@pytest.mark.parametrize(
    "incoming",
    [None, "", "has space", "x" * 200, "evil\r\nSet-Cookie: a=b", "<script>", "ünïcode", "-leading-dash"],
)
def test_a_missing_or_unsafe_request_id_is_replaced_by_a_new_one(incoming):
    headers = {} if incoming is None else {"X-Request-ID": incoming}
    first = client().get("/ops-logs/", headers=headers)["X-Request-ID"]
    second = client().get("/ops-logs/", headers=headers)["X-Request-ID"]

    assert first != second and first != incoming
    assert len(first) == 32 and first.isalnum()


def test_errors_logged_by_django_carry_the_request_id_and_the_status(records):
    response = client().get("/ops-fails/", headers={"X-Request-ID": "req-err-1"})

    [error] = [record for record in records if record.name == "django.request"]
    assert error.request_id == response["X-Request-ID"] == "req-err-1"
    assert error.status_code == 500 and error.exc_info


def test_answers_that_no_view_renders_carry_a_request_id_too():
    assert client().get("/healthz")["X-Request-ID"]


# --- JSON logs --------------------------------------------------------------------------------------------


def json_line(record):
    line = JsonFormatter().format(record)
    assert "\n" not in line
    return json.loads(line)


def test_a_record_is_one_json_object_on_one_line():
    try:
        raise ValueError("bad\nthing")
    except ValueError:
        record = logging.getLogger("verity.x").makeRecord(
            "verity.x", logging.ERROR, __file__, 1, "failed for %s", ("you",), sys.exc_info()
        )
    token = current_request.set({"request_id": "r-1", "method": "POST", "path": "/api/v3/pages/"})
    try:
        RequestContextFilter().filter(record)
    finally:
        current_request.reset(token)
    record.status_code = 502

    entry = json_line(record)

    assert entry["level"] == "ERROR" and entry["logger"] == "verity.x" and entry["message"] == "failed for you"
    assert (entry["request_id"], entry["method"], entry["path"], entry["status"]) == (
        "r-1",
        "POST",
        "/api/v3/pages/",
        502,
    )
    assert "ValueError: bad\nthing" in entry["exception"]
    assert entry["time"].endswith("+00:00") and "T" in entry["time"]


def test_outside_a_request_the_request_id_is_null_and_nothing_else_is_made_up():
    record = logging.getLogger("verity.y").makeRecord("verity.y", logging.WARNING, __file__, 1, "hello", (), None)
    RequestContextFilter().filter(record)

    entry = json_line(record)

    assert entry["request_id"] is None
    assert set(entry) == {"time", "level", "logger", "message", "request_id"}


def load_base_settings(monkeypatch, **environ):
    for name, value in environ.items():
        monkeypatch.setenv(name, value)
    sys.modules.pop("cms.settings.base", None)
    try:
        return importlib.import_module("cms.settings.base")
    finally:
        sys.modules.pop("cms.settings.base", None)


def test_logs_stay_plain_text_unless_log_format_is_json(monkeypatch):
    monkeypatch.delenv("LOG_FORMAT", raising=False)
    plain = load_base_settings(monkeypatch).LOGGING
    assert "formatters" not in plain and "formatter" not in plain["handlers"]["console"]

    try:
        structured = load_base_settings(monkeypatch, LOG_FORMAT="json").LOGGING
    finally:
        logging.captureWarnings(False)  # the settings turn it on for the process; not for this one
    assert structured["handlers"]["console"]["formatter"] == "json"

    with pytest.raises(ImproperlyConfigured, match="LOG_FORMAT"):
        load_base_settings(monkeypatch, LOG_FORMAT="xml")


RUN_A_FAILING_REQUEST = """
import django
django.setup()
from django.test import Client
from django.test.utils import override_settings
with override_settings(ROOT_URLCONF="tests.cms.operations.operations_urls"):
    response = Client(raise_request_exception=False).get("/ops-fails/?who=json", headers={"X-Request-ID": "req-json-9"})
print(response.status_code, response["X-Request-ID"])
"""


def test_with_log_format_json_the_process_writes_one_json_object_per_line():
    environ = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "cms.settings.test",
        "LOG_FORMAT": "json",
        "DATABASE_URL": "sqlite://:memory:",
    }
    environ.pop("SENTRY_DSN", None)
    completed = subprocess.run(  # noqa: S603 - this Python, a script of this file
        [sys.executable, "-c", RUN_A_FAILING_REQUEST], cwd=ROOT, env=environ, capture_output=True, text=True, timeout=60
    )
    assert completed.returncode == 0, completed.stderr
    assert completed.stdout.split() == ["500", "req-json-9"]

    entries = [json.loads(line) for line in completed.stderr.splitlines()]  # every line is one JSON object
    by_logger = {entry["logger"]: entry for entry in entries}
    warning, error = by_logger["verity.tests.operations"], by_logger["django.request"]
    assert warning["message"] == "about to fail for json" and warning["level"] == "WARNING"
    assert error["level"] == "ERROR" and error["status"] == 500
    assert "RuntimeError: the view failed on purpose" in error["exception"]
    for entry in (warning, error):
        assert (entry["request_id"], entry["method"], entry["path"]) == ("req-json-9", "GET", "/ops-fails/")
