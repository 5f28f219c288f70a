"""The Content-Security-Policy in real Chromium: the public pages and the editors' admin screens load with
no violation, with the policies enforced (cms/operations/security_headers.py).

Chromium logs each refusal to the console ("Refused to execute inline script ...", "[Report Only] Refused
to ..."); the tabs also report every `securitypolicyviolation` event, in every frame, the previews included.
"""

import re

import pytest
from playwright.sync_api import expect

from blog.models import BlogPostPage
from cms.demo.content import POST_IN_MEDICAL_REVIEW
from shop.models import ProductPage

from .conftest import TIMEOUT_MS, log_in

pytestmark = pytest.mark.browser

SEED_SLUG = "what-it-means-if-you-cry-after-sex"
REPORT_VIOLATIONS = """
document.addEventListener("securitypolicyviolation", (event) => {
    console.error(`CSP violation: ${event.effectiveDirective} blocked ${event.blockedURI || "inline"}`
        + ` at ${event.sourceFile || event.documentURI}:${event.lineNumber}`);
});
"""


@pytest.fixture
def watched_tab(browser, demo_site):
    """Opens a tab (a context of its own, its own cookies) whose CSP violations are collected in `violations`."""
    contexts = []
    violations = []

    def open_tab():
        context = browser.new_context(base_url=demo_site, viewport={"width": 1280, "height": 800})
        context.set_default_timeout(TIMEOUT_MS)
        context.add_init_script(REPORT_VIOLATIONS)
        contexts.append(context)
        tab = context.new_page()

        def on_console(message):
            text = message.text
            if "Content Security Policy" in text or "Refused to" in text or text.startswith("CSP violation"):
                violations.append(f"{tab.url}: {text}")

        tab.on("console", on_console)
        return tab

    open_tab.violations = violations
    yield open_tab
    for context in contexts:
        context.close()


def settle(tab):
    tab.wait_for_load_state("networkidle")


def test_the_public_pages_load_with_no_csp_violation(watched_tab):
    tab = watched_tab()
    product = ProductPage.objects.live().first()
    for path, heading in [
        ("/", None),
        (f"/blog/{SEED_SLUG}/", "What It Means If You Cry After Sex"),
        (product.url, product.title),
        ("/blog/", "Blog"),
        ("/search/?q=sex", None),
    ]:
        response = tab.goto(path)
        assert response.status == 200, path
        policy = response.headers["content-security-policy"]
        assert "'unsafe-inline'" not in policy and "frame-ancestors 'none'" in policy
        if heading:
            expect(tab.get_by_role("heading", level=1)).to_have_text(heading)
        # The stylesheet applied: the skip link is off screen until focused.
        assert tab.locator(".skip-link").evaluate("(link) => getComputedStyle(link).position") != "static"
        settle(tab)
    assert watched_tab.violations == [], "\n".join(dict.fromkeys(watched_tab.violations))


def test_the_editor_lead_and_reviewer_screens_load_with_the_admin_policy_enforced(watched_tab, one_request_at_a_time):
    seed = BlogPostPage.objects.get(slug=SEED_SLUG)
    in_review = BlogPostPage.objects.get(slug=POST_IN_MEDICAL_REVIEW["slug"])

    # The editor: the dashboard, the seed post's editor (Draftail, the block editors) and its preview panel.
    editor = watched_tab()
    log_in(editor, "editor")
    settle(editor)
    response = editor.goto(f"/admin/pages/{seed.pk}/edit/")
    policy = response.headers["content-security-policy"]  # enforced, not report-only
    assert "frame-ancestors 'self'" in policy and "'unsafe-eval'" not in policy
    assert "content-security-policy-report-only" not in response.headers
    expect(editor.locator(".Draftail-Editor").first).to_be_visible()
    settle(editor)
    editor.get_by_role("button", name="Toggle preview").click()
    preview = editor.frame_locator("iframe[title=Preview]:not(.w-preview__proxy)")
    expect(preview.get_by_role("heading", level=1)).to_have_text(seed.title, timeout=TIMEOUT_MS)
    settle(editor)
    editor.goto("/admin/pages/")
    settle(editor)

    # The lead: the dashboard with its "Awaiting your review" panel.
    lead = watched_tab()
    log_in(lead, "lead")
    settle(lead)

    # The reviewer: the dashboard, the medical review screen with its framed preview, and the read-only
    # summary the page editor shows them instead.
    reviewer = watched_tab()
    log_in(reviewer, "reviewer")
    queue = reviewer.get_by_role("region", name="Waiting for medical review")
    queue.get_by_role("link", name=in_review.title).click()
    expect(reviewer).to_have_url(re.compile(rf"/admin/medical-review/{in_review.pk}/$"))
    framed = reviewer.frame_locator("iframe[title='Preview of the revision under review']")
    expect(framed.get_by_role("heading", level=1)).to_have_text(in_review.title)
    # The screen's own stylesheet laid the claims beside the preview.
    columns = reviewer.locator(".medical-review__columns")
    assert columns.evaluate("(element) => getComputedStyle(element).display") == "grid"
    settle(reviewer)
    reviewer.goto(f"/admin/pages/{in_review.pk}/edit/")
    expect(reviewer.get_by_role("link", name="Open the medical review screen")).to_be_visible()
    settle(reviewer)

    assert watched_tab.violations == [], "\n".join(dict.fromkeys(watched_tab.violations))


def test_the_public_pages_with_wagtails_user_bar_load_with_no_csp_violation(watched_tab):
    """Signed-in editors see Wagtail's user bar on the public pages, under the public site's strict policy."""
    editor = watched_tab()
    log_in(editor, "editor")
    editor.goto(f"/blog/{SEED_SLUG}/")
    expect(editor.locator("wagtail-userbar, [data-wagtail-userbar]").first).to_be_attached()
    settle(editor)
    assert watched_tab.violations == [], "\n".join(dict.fromkeys(watched_tab.violations))
