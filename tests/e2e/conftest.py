"""Browser tests: real Chromium, driven by Playwright, against pytest-django's live server.

Chromium comes from the system (Debian's package at /usr/bin/chromium); Playwright never downloads one.
Without it the browser tests are skipped, unless VERITY_REQUIRE_BROWSER=1 (as in CI) makes that a failure.
"""

import io
import os
from pathlib import Path

import pytest
from django.core.management import call_command

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
def browser():
    if not CHROMIUM.exists():
        message = (
            f"Chromium not found at {CHROMIUM}. Install it with `apt-get install chromium` "
            "(or point VERITY_CHROMIUM at a Chromium binary) to run the browser tests."
        )
        if os.environ.get("VERITY_REQUIRE_BROWSER") == "1":
            pytest.fail(f"VERITY_REQUIRE_BROWSER=1 but {message}", pytrace=False)
        pytest.skip(message)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True)
        yield chromium
        chromium.close()


@pytest.fixture
def demo_site(django_db_serialized_rollback, live_server):
    """The demo content, loaded into the live server's database; returns the server's URL.

    The live server needs a transactional database, which is emptied after each test; the serialized
    rollback puts back what the migrations made (the page tree's root and home page, the default site),
    so that every test starts from the same site that load_demo expects.
    """
    from django.db import connection
    from wagtail.models import Page
    c = getattr(connection, "_test_serialized_contents", None)
    print("DEBUG serialized", None if c is None else len(c), '"wagtailcore.page"' in (c or ""), list(Page.objects.values_list("depth", "title")))
    call_command("load_demo", stdout=io.StringIO())
    return live_server.url


@pytest.fixture
def page(browser, demo_site):
    context = browser.new_context(base_url=demo_site, viewport={"width": 1280, "height": 800})
    context.set_default_timeout(TIMEOUT_MS)
    tab = context.new_page()
    yield tab
    context.close()
