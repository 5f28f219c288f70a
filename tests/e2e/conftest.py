"""Browser tests: real Chromium, driven by Playwright, against pytest-django's live server.

Chromium comes from the system (Debian's package at /usr/bin/chromium); Playwright never downloads one.
Without it the browser tests are skipped, unless VERITY_REQUIRE_BROWSER=1 (as in CI) makes that a failure.
"""

import contextlib
import io
import os
import re
import threading
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import connection, connections
from playwright.sync_api import expect

from cms.demo.content import DEMO_PASSWORD

# Playwright's sync API runs an event loop in this thread, which makes Django refuse ORM calls from
# fixtures and tests unless told it is safe. It is: the live server answers in its own thread.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

CHROMIUM = Path(os.environ.get("VERITY_CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
TIMEOUT_MS = 10_000


@pytest.fixture(scope="session")
def browser(django_db_setup):
    if not CHROMIUM.exists():
        message = (
            f"Chromium not found at {CHROMIUM}. Install it with `apt-get install chromium` "
            "(or point VERITY_CHROMIUM at a Chromium binary) to run the browser tests."
        )
        if os.environ.get("VERITY_REQUIRE_BROWSER") == "1":
            pytest.fail(f"VERITY_REQUIRE_BROWSER=1 but {message}", pytrace=False)
        pytest.skip(message)
    from playwright.sync_api import sync_playwright

    serialized = {alias: getattr(connections[alias], "_test_serialized_contents", None) for alias in connections}
    with sync_playwright() as playwright:
        # While Playwright's event loop runs, Django's thread-critical connection handler hands out new
        # connection objects; give them the migrated state the test databases were created with, so that
        # serialized rollback (see demo_site) can restore it.
        for alias, contents in serialized.items():
            if contents is not None:
                connections[alias]._test_serialized_contents = contents
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True)
        yield chromium
        chromium.close()
        connections.close_all()  # the connections made while Playwright ran, before the databases are dropped


@pytest.fixture
def demo_site(django_db_serialized_rollback, live_server):
    """The demo content, loaded into the live server's database; returns the server's URL.

    The live server needs a transactional database, which is emptied after each test; the serialized
    rollback puts back what the migrations made (the page tree's root and home page, the default site),
    so that every test starts from the same site that load_demo expects.
    """
    call_command("load_demo", stdout=io.StringIO())
    return live_server.url


@pytest.fixture
def page(browser, demo_site):
    context = browser.new_context(base_url=demo_site, viewport={"width": 1280, "height": 800})
    context.set_default_timeout(TIMEOUT_MS)
    tab = context.new_page()
    yield tab
    context.close()


@pytest.fixture
def one_request_at_a_time(live_server):
    """Makes the live server answer one request at a time while the database is SQLite in memory; returns a
    lock the test holds around its own database reads, so that they do not interleave with a request either.

    An in-memory SQLite database is one connection, which the live server shares between the threads of
    its concurrent requests: an autosave POST arriving while a chooser renders image renditions fails with
    "cannot release savepoint - SQL statements in progress", an artefact of the test set-up, not of the site.
    On any other database (PostgreSQL in CI) each request has its own connection and nothing is serialized.
    """
    if not (connection.vendor == "sqlite" and connection.is_in_memory_db()):
        yield contextlib.nullcontext()
        return
    lock = threading.RLock()
    server = live_server.thread.httpd
    application = server.get_app()

    def serialized(environ, start_response):
        with lock:
            response = application(environ, start_response)
            try:
                return list(response)
            finally:
                if hasattr(response, "close"):
                    response.close()

    server.set_app(serialized)
    yield lock
    server.set_app(application)


def log_in(tab, username):
    """Sign in to the admin as a demo user, as they would on the login form."""
    tab.goto("/admin/login/")
    tab.get_by_label("Username").fill(username)
    tab.get_by_label("Password").fill(DEMO_PASSWORD)
    tab.get_by_role("button", name="Sign in").click()
    expect(tab).to_have_url(re.compile(r"/admin/$"))
