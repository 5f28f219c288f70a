"""The interactive API docs (/api/v3/docs/) in real Chromium, with nothing but this server reachable: Swagger
UI loads from the project's static files under the page's own Content-Security-Policy, lists the operations
and expands one (cms/api/docs.py)."""

import pytest
from playwright.sync_api import expect

from .conftest import TIMEOUT_MS
from .test_csp import REPORT_VIOLATIONS

pytestmark = pytest.mark.browser


@pytest.fixture
def offline_tab(browser, live_server, django_db_serialized_rollback):
    """A tab that can reach the live server only: every other request is refused, as without internet.

    The database is put back as the migrations left it afterwards, as for the other browser tests (a plain
    transactional test would let the flush recreate content types under new ids, which the next test's
    serialized rollback then collides with)."""
    context = browser.new_context(base_url=live_server.url, viewport={"width": 1280, "height": 900})
    context.set_default_timeout(TIMEOUT_MS)
    context.add_init_script(REPORT_VIOLATIONS)
    tab = context.new_page()
    tab.elsewhere = []
    tab.violations = []

    def only_this_server(route):
        if route.request.url.startswith(live_server.url):
            route.continue_()
        else:
            tab.elsewhere.append(route.request.url)
            route.abort()

    context.route("**/*", only_this_server)
    tab.on(
        "console",
        lambda message: (
            tab.violations.append(message.text)
            if "Refused to" in message.text or message.text.startswith("CSP violation")
            else None
        ),
    )
    yield tab
    context.close()


def test_the_docs_work_offline_and_expand_an_operation(offline_tab):
    tab = offline_tab
    response = tab.goto("/api/v3/docs/")
    assert response.status == 200
    policy = response.headers["content-security-policy"]
    assert "script-src 'self'" in policy and "'unsafe-inline'" not in policy

    posts_list = tab.locator("#operations-posts-posts_list")
    expect(posts_list).to_be_visible()
    expect(tab.locator(".opblock")).not_to_have_count(0)
    posts_list.locator(".opblock-summary-control").click()
    # Expanded: its parameters, with the tag filter's description, and its responses.
    parameters = posts_list.locator(".parameters")
    expect(parameters).to_contain_text("tag")
    expect(parameters).to_contain_text("A tag's slug")
    expect(posts_list.locator(".responses-wrapper")).to_contain_text("200")
    tab.wait_for_load_state("networkidle")

    assert tab.elsewhere == [], tab.elsewhere
    assert tab.violations == [], "\n".join(tab.violations)
