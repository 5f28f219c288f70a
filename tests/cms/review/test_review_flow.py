"""The whole review flow through the admin's own views: write, submit, approve, verify, publish, edit."""

import pytest
from django.urls import reverse
from wagtail.models import PageLogEntry

from blog.models import BlogPostPage
from cms.models import ClaimVerification
from cms.review.claims import claims_in
from cms.review.status import review_claims

from ... import factories
from ...html import get_soup, text_of
from ..review_steps import approve_editorial_step
from ..workflow_helpers import claim_block, make_team, post_form


@pytest.fixture
def team(db):
    return make_team()


def create_post_as(client, user, blog, blocks, action):
    client.force_login(user)
    url = reverse("wagtailadmin_pages:add", args=["blog", "blogpostpage", blog.pk])
    return client.post(url, post_form("Tears after sex", "tears-after-sex", blocks, action))


def review_url(post):
    return reverse("verity_medical_review", args=[post.pk])


def test_editor_submits_lead_approves_reviewer_verifies_and_the_post_goes_live(client, blog, team):
    source = factories.make_source(title="A survey of tears")
    blocks = [claim_block("Crying after sex is common.", [source]), claim_block("It usually passes.", [source])]

    response = create_post_as(client, team["editor"], blog, blocks, "action-submit")
    assert response.status_code == 302, response.content.decode()[:2000]
    post = BlogPostPage.objects.get(slug="tears-after-sex")
    assert not post.live
    assert post.current_workflow_task.name == "Editorial review"

    # The editorial lead approves the first step through Wagtail's workflow action view.
    client.force_login(team["lead"])
    task_state = post.current_workflow_task_state
    approve_url = reverse("wagtailadmin_pages:workflow_action", args=[post.pk, "approve", task_state.pk])
    assert client.post(approve_url).status_code in (200, 302)
    post.refresh_from_db()
    assert post.current_workflow_task.name == "Medical review"
    assert not post.live

    # The reviewer cannot approve while a claim is unverified; the refusal names the claims.
    client.force_login(team["reviewer"])
    response = client.post(review_url(post), {"action": "approve"}, follow=True)
    assert "Approval refused: 2 claim(s) not verified" in response.content.decode()
    post.refresh_from_db()
    assert not post.live and post.current_workflow_task.name == "Medical review"
    # Nor through Wagtail's own workflow action view: approve is not offered.
    medical_state = post.current_workflow_task_state
    client.post(reverse("wagtailadmin_pages:workflow_action", args=[post.pk, "approve", medical_state.pk]))
    post.refresh_from_db()
    assert not post.live

    # The reviewer verifies each claim, then approves: the post is live with the review line.
    for claim in claims_in(post.current_workflow_task_state.revision.as_object().body):
        response = client.post(review_url(post), {"action": "verify", "block_id": claim.block_id, "note": "ok"})
        assert response.status_code == 302
    assert ClaimVerification.objects.filter(page=post, status="verified").count() == 2
    assert client.post(review_url(post), {"action": "approve"}).status_code == 302
    post.refresh_from_db()
    assert post.live

    page = client.get(post.url).content.decode()
    assert "Medically reviewed by" in page and "Dr. Ana Reyes" in page and "MD" in page
    assert '"@type": "MedicalWebPage"' in page and '"lastReviewed"' in page
    assert PageLogEntry.objects.filter(page=post, action="verity.claim_verified").count() == 2
    assert PageLogEntry.objects.filter(page=post, action="wagtail.workflow.approve").count() == 2
    assert PageLogEntry.objects.filter(page=post, action="wagtail.workflow.start").count() == 1
    assert PageLogEntry.objects.filter(page=post, action="wagtail.publish").count() == 1


def test_editing_one_claim_reopens_only_that_claim_and_the_public_page_keeps_the_approved_text(client, blog, team):
    source = factories.make_source()
    post = factories.make_post(
        blog,
        body=[
            factories.claim([source], "First claim, approved."),
            factories.claim([source], "Second claim, approved."),
        ],
    )
    reviewer = team["reviewer"]
    factories.review_medically(post, reviewer)
    assert "Medically reviewed by" in client.get(post.url).content.decode()

    # The editor changes the second claim's text and submits.
    first, second = claims_in(post.body)
    blocks = [
        claim_block("First claim, approved.", [source], first.block_id),
        claim_block("Second claim, CHANGED by the editor.", [source], second.block_id),
    ]
    client.force_login(team["editor"])
    edit_url = reverse("wagtailadmin_pages:edit", args=[post.pk])
    response = client.post(edit_url, post_form(post.title, post.slug, blocks, "action-submit"))
    assert response.status_code == 302, response.content.decode()[:2000]

    post.refresh_from_db()
    draft = post.get_latest_revision_as_object()
    statuses = {r.claim.text: r.status for r in review_claims(post, draft.body)}
    assert statuses == {"First claim, approved.": "verified", "Second claim, CHANGED by the editor.": "changed"}

    # Until it is approved again the public page keeps the old, approved text and its review line.
    public = client.get(post.url).content.decode()
    assert "Second claim, approved." in public and "CHANGED" not in public
    assert "Medically reviewed by" in public

    # The next medical review marks the changed claim and shows its earlier wording.
    approve_editorial_step(post, team["lead"])
    client.force_login(reviewer)
    soup = get_soup(client, review_url(post))
    cards = {text_of(card.blockquote): card for card in soup.select("li.claim")}
    assert "claim--verified" in cards["First claim, approved."]["class"]
    changed = cards["Second claim, CHANGED by the editor."]
    assert "claim--changed" in changed["class"]
    assert text_of(changed.select_one("del")) == "Second claim, approved."


def test_an_editor_cannot_publish_a_post_directly(client, blog, team):
    source = factories.make_source()
    response = create_post_as(client, team["editor"], blog, [claim_block("A claim.", [source])], "action-publish")
    assert response.status_code in (200, 302, 403)
    post = BlogPostPage.objects.filter(slug="tears-after-sex").first()
    assert post is None or not post.live


def test_a_lead_cannot_skip_medical_review_by_publishing(client, blog, team):
    source = factories.make_source()
    post = factories.make_post(blog, body=[factories.claim([source], "Draft claim.")], live=False)
    client.force_login(team["lead"])
    edit_url = reverse("wagtailadmin_pages:edit", args=[post.pk])
    blocks = [claim_block("Draft claim.", [source])]
    client.post(edit_url, post_form(post.title, post.slug, blocks, "action-publish"))
    post.refresh_from_db()
    assert not post.live
    assert not PageLogEntry.objects.filter(page=post, action="wagtail.publish").exists()


def test_the_review_screen_refuses_people_outside_the_medical_step(client, blog, team):
    source = factories.make_source()
    post = factories.make_post(blog, body=[factories.claim([source])], live=False)
    post.get_workflow().start(post, team["editor"])
    claim = claims_in(post.body)[0]
    # Wagtail's admin turns the refusal into a redirect home with "Sorry, you do not have permission".
    for name in ("editor", "lead", "shop", "reviewer"):  # the reviewer: the post is still in editorial review
        client.force_login(team[name])
        assert client.get(review_url(post)).url == reverse("wagtailadmin_home")
        client.post(review_url(post), {"action": "verify", "block_id": claim.block_id})
        client.post(review_url(post), {"action": "approve"})
    assert not ClaimVerification.objects.exists()
    post.refresh_from_db()
    assert not post.live and post.current_workflow_task.name == "Editorial review"
