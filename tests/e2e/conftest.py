"""Browser tests: real Chromium, driven by Playwright, against pytest-django's live server.

Chromium comes from the system (Debian's package at /usr/bin/chromium); Playwright never downloads one.
Without it the browser tests are skipped, unless VERITY_REQUIRE_BROWSER=1 (as in CI) makes that a failure.
"""

import io
import os
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import connections

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
