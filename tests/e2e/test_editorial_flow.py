"""The editorial workflow in real Chromium, with the demo users: the editor writes and submits, the editorial
lead approves, the medical reviewer verifies every claim and approves, and the post is live for everyone."""

import re

import pytest
from playwright.sync_api import expect

from blog.models import BlogPostPage
from cms.review.workflow import EDITORIAL_TASK_NAME, MEDICAL_TASK_NAME

from .conftest import TIMEOUT_MS, log_in

pytestmark = pytest.mark.browser

DRAFT_SLUG = "aftercare-for-one"
ADDED_SENTENCE = "Rest, water and a warm blanket all help."
EDITED_CLAIM = "Postcoital dysphoria can follow solo sex as well as partnered sex, and it usually passes."


@pytest.fixture
def new_tab(browser, demo_site):
    """Opens a tab in a browser context of its own (its own cookies), so that each person has a session."""
    contexts = []

    def open_tab():
        context = browser.new_context(base_url=demo_site, viewport={"width": 1280, "height": 800})
        context.set_default_timeout(TIMEOUT_MS)
        contexts.append(context)
        return context.new_page()

    yield open_tab
    for context in contexts:
        context.close()


def fresh(post):
    return BlogPostPage.objects.get(pk=post.pk)


def test_editor_lead_and_reviewer_take_a_draft_live_through_editorial_and_medical_review(new_tab):
    post = BlogPostPage.objects.get(slug=DRAFT_SLUG)
    assert not post.live and post.current_workflow_state is None
    public_path = post.url

    # 1. The editor adds a sentence to the first paragraph (Draftail) and rewrites the claim, then submits.
    editor = new_tab()
    log_in(editor, "editor")
    editor.goto(f"/admin/pages/{post.pk}/edit/")
    paragraph = editor.get_by_role("textbox").filter(has_text="Aftercare is not only for couples.")
    paragraph.click()
    editor.keyboard.press("End")
    editor.keyboard.type(f" {ADDED_SENTENCE}")
    # Draftail writes the editor's content to the form's hidden input a moment after the last keystroke.
    expect(editor.locator("input[name=body-0-value]")).to_have_value(re.compile(re.escape(ADDED_SENTENCE)))
    editor.get_by_role("textbox", name=re.compile("^Statement")).fill(EDITED_CLAIM)
    editor.get_by_role("button", name="More actions").click()
    editor.get_by_role("button", name="Submit to Editorial and medical review").click()
    expect(editor.get_by_text(re.compile(r"has been submitted for moderation"))).to_be_visible()

    post = fresh(post)
    assert post.current_workflow_task.name == EDITORIAL_TASK_NAME
    assert not post.live
    submitted = post.get_latest_revision_as_object()
    assert ADDED_SENTENCE in str(submitted.body[0].value)
    assert submitted.body[1].value["statement"] == EDITED_CLAIM

    # Nobody outside the admin sees the submitted draft.
    visitor = new_tab()
    assert visitor.goto(public_path).status == 404

    # 2. The editorial lead approves the first step from the dashboard's "Awaiting your review" panel.
    lead = new_tab()
    log_in(lead, "lead")
    awaiting = lead.locator("#awaiting-review-content tr").filter(has_text=post.title)
    awaiting.get_by_role("button", name="Actions").click()
    awaiting.get_by_role("button", name="Approve", exact=True).click()
    expect(awaiting).to_have_count(0)

    post = fresh(post)
    assert post.current_workflow_task.name == MEDICAL_TASK_NAME
    assert not post.live

    # 3. The medical reviewer opens the post from the "Waiting for medical review" panel.
    reviewer = new_tab()
    log_in(reviewer, "reviewer")
    queue = reviewer.get_by_role("region", name="Waiting for medical review")
    queue.get_by_role("link", name=post.title).click()
    expect(reviewer).to_have_url(re.compile(rf"/admin/medical-review/{post.pk}/$"))
    expect(reviewer.get_by_role("heading", level=1)).to_contain_text("Medical review")
    # Beside the claims, a preview of the revision under review, with the editor's words.
    preview = reviewer.frame_locator("iframe[title='Preview of the revision under review']")
    expect(preview.get_by_text(ADDED_SENTENCE)).to_be_visible()

    claims = reviewer.locator("ol.claims > li.claim")
    expect(claims).to_have_count(1)
    expect(claims.first.locator("blockquote")).to_have_text(EDITED_CLAIM)

    # Approving with a claim unverified is refused, naming the claim; the post stays off the site.
    decision = reviewer.locator("form").filter(has=reviewer.get_by_label("Comment for the author"))
    decision.get_by_role("button", name="Approve", exact=True).click()
    refusal = reviewer.get_by_text(re.compile(r"Approval refused: 1 claim\(s\) not verified"))
    expect(refusal).to_be_visible()
    expect(refusal).to_contain_text(EDITED_CLAIM[:60])
    post = fresh(post)
    assert not post.live and post.current_workflow_task.name == MEDICAL_TASK_NAME
    assert visitor.goto(public_path).status == 404

    # The reviewer verifies each claim, one by one, then approves: the post goes live.
    for index in range(claims.count()):
        claim = claims.nth(index)
        claim.get_by_label("Note").fill("Checked against the source.")
        claim.get_by_role("button", name="Verify").click()
        expect(claims.nth(index).locator(".status-tag")).to_have_text("Verified")
    expect(reviewer.get_by_text(re.compile(r"\b0 of 1 claim still to verify"))).to_be_visible()
    decision.get_by_role("button", name="Approve", exact=True).click()
    expect(reviewer.get_by_text("passed medical review")).to_be_visible()
    expect(reviewer).to_have_url(re.compile(r"/admin/(#.*)?$"))

    post = fresh(post)
    assert post.live and post.current_workflow_state is None
    assert ADDED_SENTENCE in str(post.body[0].value)

    # 4. Anyone can now read the live post, with the editor's words and the reviewer's name on it.
    visitor.goto(public_path)
    expect(visitor.get_by_role("heading", level=1)).to_have_text(post.title)
    expect(visitor.get_by_text(ADDED_SENTENCE)).to_be_visible()
    expect(visitor.get_by_text(EDITED_CLAIM)).to_be_visible()
    reviewed_by = visitor.locator(".reviewed-by")
    expect(reviewed_by).to_contain_text("Medically reviewed by Dr. Ana Reyes")
    expect(reviewed_by.get_by_role("link", name="Dr. Ana Reyes")).to_have_attribute(
        "href", re.compile(r"/experts/ana-reyes/$")
    )
