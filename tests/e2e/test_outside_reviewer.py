"""In real Chromium: an outside reviewer, with no account, opens the signed link to the demo's post waiting for
medical review, verifies each claim and approves; the post goes live with their name on the trust line, and the
"How we reviewed this article" panel opens (a <details>, no script) on their sign-off."""

import re

import pytest
from django.contrib.auth.models import User
from playwright.sync_api import expect

from blog.models import BlogPostPage
from cms.review.invitations import invite

from .. import factories

pytestmark = pytest.mark.browser


def test_an_outside_reviewer_approves_through_the_link_and_the_panel_shows_it(page):
    post = BlogPostPage.objects.get(slug="oxytocin-after-sex")
    expert = factories.make_expert(name="Lee Okafor", slug="lee-okafor", email="lee@example.org")
    factories.make_credential(expert, title="MD, FRCP")
    invitation = invite(post, expert, expert.email, User.objects.get(username="lead"))

    page.goto(invitation.path)
    expect(page.get_by_role("heading", level=1)).to_have_text(re.compile("^Medical review: "))
    claims = page.locator("li.claim")
    for index in range(claims.count()):
        page.locator("li.claim").nth(index).get_by_role("button", name="Verify").click()
        expect(page.get_by_role("heading", level=1)).to_be_visible()
    expect(page.get_by_text("0 of 2 claims still to verify.")).to_be_visible()
    page.locator("form.decision").get_by_role("button", name="Approve").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Review recorded")

    page.goto(post.url)
    expect(page.locator(".reviewed-by")).to_contain_text("Medically reviewed by Dr. Lee Okafor, MD, FRCP on")
    panel = page.locator("details.review-panel")
    expect(panel.locator(".review-history")).not_to_be_visible()
    panel.locator("summary").click()
    expect(panel.locator(".review-history")).to_contain_text("by Dr. Lee Okafor (outside medical reviewer)")

    # The link has done its work.
    page.goto(invitation.path)
    expect(page.get_by_role("heading", level=1)).to_have_text("This review has moved on")
