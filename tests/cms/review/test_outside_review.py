"""Outside reviewers without an account: a lead invites an expert by a signed, expiring, revocable link scoped
to the revision under review; over HTTP, the expert verifies each claim and approves through the same review
actions; the history names them and the trust line counts them. Each refused link changes nothing."""

from datetime import timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone
from wagtail.models import PageLogEntry, TaskState

from blog.models import BlogPostPage
from cms.models import ClaimVerification, MedicalSignOff, ReviewInvitation
from cms.review.claims import claims_in
from cms.review.invitations import invite

from ... import factories
from ...html import get_soup
from ..review_steps import approve_editorial_step, submit
from ..workflow_helpers import claim_block, make_team, post_form


@pytest.fixture
def team(db):
    return make_team()


@pytest.fixture(autouse=True)
def fresh_throttle():
    """The throttle counts in the cache, per address and minute: each test starts with none used."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def outside_expert(db):
    expert = factories.make_expert(name="Lee Okafor", slug="lee-okafor", credentials="MD", email="lee@example.org")
    factories.make_credential(expert, title="MD, FRCP")
    return expert


@pytest.fixture
def post(blog, team):
    source = factories.make_source()
    post = factories.make_post(
        blog,
        body=[factories.claim([source], "Crying after sex is common."), factories.claim([source], "It passes.")],
        live=False,
    )
    submit(post, team["editor"])
    approve_editorial_step(post, team["lead"])
    return BlogPostPage.objects.get(pk=post.pk)


def invite_as_lead(client, team, post, expert):
    client.force_login(team["lead"])
    url = reverse("verity_invite_outside_reviewer", args=[post.pk])
    response = client.post(url, {"expert": expert.pk, "email": ""}, follow=True)
    assert response.status_code == 200
    client.logout()
    return ReviewInvitation.objects.filter(page=post).first()


def state_of(post):
    """What a refused link must leave as it was."""
    post = BlogPostPage.objects.get(pk=post.pk)
    return (
        post.live,
        post.current_workflow_task_state.pk if post.current_workflow_task_state else None,
        ClaimVerification.objects.filter(page=post).count(),
        MedicalSignOff.objects.filter(page=post).count(),
        PageLogEntry.objects.filter(page=post).count(),
    )


def test_an_invited_expert_verifies_and_approves_through_the_link_and_counts_for_the_trust_line(
    client, team, post, outside_expert
):
    invitation = invite_as_lead(client, team, post, outside_expert)
    assert invitation.email == "lee@example.org" and invitation.revision_id == post.latest_revision_id
    [email] = mail.outbox[-1:]
    assert email.to == ["lee@example.org"] and invitation.url in email.body

    page = client.get(invitation.path)
    assert page.status_code == 200
    assert "no-store" in page["Cache-Control"] and "private" in page["Cache-Control"]
    assert "Medical review: " in page.content.decode()

    for claim in claims_in(invitation.revision.as_object().body):
        response = client.post(invitation.path, {"action": "verify", "block_id": claim.block_id, "note": "Checked"})
        assert response.status_code == 302
    response = client.post(invitation.path, {"action": "approve", "note": "Sound."})
    assert response.status_code == 200 and "You approved" in response.content.decode()
    assert "no-store" in response["Cache-Control"]

    post = BlogPostPage.objects.get(pk=post.pk)
    assert post.live
    signed = MedicalSignOff.objects.get(page=post)
    assert signed.expert == outside_expert and not signed.reviewer.has_usable_password()
    assert not signed.reviewer.is_active  # an account that cannot sign in
    # The history names them; the trust line counts them like an account holder.
    approvals = PageLogEntry.objects.filter(page=post, action="wagtail.workflow.approve").select_related("user")
    assert "Dr. Lee Okafor" in [entry.user.get_full_name() for entry in approvals]
    assert PageLogEntry.objects.filter(page=post, action="verity.claim_verified", user=signed.reviewer).count() == 2
    soup = get_soup(client, post.url)
    line = " ".join(soup.select_one(".reviewed-by").get_text().split())
    assert line.startswith("Medically reviewed by Dr. Lee Okafor, MD, FRCP on ")
    assert "by Dr. Lee Okafor (outside medical reviewer)" in " ".join(
        soup.select_one(".review-panel").get_text().split()
    )

    # The finished review's link opens nothing more.
    assert client.get(invitation.path).status_code == 410


def test_a_request_for_changes_through_the_link_sends_the_post_back(client, team, post, outside_expert):
    invitation = invite(post, outside_expert, outside_expert.email, team["lead"])
    claim = claims_in(invitation.revision.as_object().body)[0]
    client.post(invitation.path, {"action": "flag", "block_id": claim.block_id, "note": "Cite the 2019 survey."})
    response = client.post(invitation.path, {"action": "reject", "note": "See the flagged claim."})
    assert response.status_code == 200
    post = BlogPostPage.objects.get(pk=post.pk)
    assert not post.live and post.current_workflow_state.status == "needs_changes"
    rejected = TaskState.objects.filter(workflow_state__object_id=str(post.pk), status=TaskState.STATUS_REJECTED).get()
    assert "Cite the 2019 survey." in rejected.comment


def test_approval_through_the_link_needs_the_experts_credential(client, team, post, outside_expert):
    invitation = invite(post, outside_expert, outside_expert.email, team["lead"])
    outside_expert.credential_records.update(expires_on=timezone.localdate() - timedelta(days=1))
    for claim in claims_in(invitation.revision.as_object().body):
        client.post(invitation.path, {"action": "verify", "block_id": claim.block_id})
    response = client.post(invitation.path, {"action": "approve"}, follow=True)
    assert "Approval refused" in response.content.decode() and "expired on" in response.content.decode()
    assert not BlogPostPage.objects.get(pk=post.pk).live


def make_refused(kind, invitation, client, team, post):
    if kind == "expired":
        ReviewInvitation.objects.filter(pk=invitation.pk).update(expires_at=timezone.now() - timedelta(seconds=1))
        return invitation.path
    if kind == "revoked":
        client.force_login(team["lead"])
        client.post(reverse("verity_revoke_invitation", args=[invitation.pk]))
        client.logout()
        return invitation.path
    if kind == "tampered":
        token = invitation.token
        return reverse("verity_outside_review", args=[token[:-3] + ("aaa" if not token.endswith("aaa") else "bbb")])
    if kind == "made up":
        return reverse("verity_outside_review", args=["not-a-token"])
    if kind == "superseded":
        # The editor edits and resubmits: a newer revision is under review.
        post = BlogPostPage.objects.get(pk=post.pk)
        post.current_workflow_task_state.reject(user=team["reviewer"], comment="Changes")
        client.force_login(team["editor"])
        first, second = claims_in(post.get_latest_revision_as_object().body)
        source = factories.make_source()
        blocks = [
            claim_block("Edited.", [source], first.block_id),
            claim_block("It passes.", [source], second.block_id),
        ]
        response = client.post(
            reverse("wagtailadmin_pages:edit", args=[post.pk]),
            post_form(post.title, post.slug, blocks, "action-submit"),
        )
        assert response.status_code == 302
        client.logout()
        post = BlogPostPage.objects.get(pk=post.pk)
        if post.current_workflow_task.name == "Editorial review":
            approve_editorial_step(post, team["lead"])
        assert BlogPostPage.objects.get(pk=post.pk).current_workflow_task.name == "Medical review"
        return invitation.path
    raise AssertionError(kind)


@pytest.mark.parametrize("kind", ["expired", "revoked", "tampered", "made up", "superseded"])
def test_refused_links_answer_a_clear_page_and_change_nothing(client, team, post, outside_expert, kind):
    invitation = invite(post, outside_expert, outside_expert.email, team["lead"])
    path = make_refused(kind, invitation, client, team, post)
    before = state_of(post)
    claim = claims_in(BlogPostPage.objects.get(pk=post.pk).get_latest_revision_as_object().body)[0]

    page = client.get(path)
    assert page.status_code in (403, 404, 410)
    assert "no-store" in page["Cache-Control"]
    heading = get_soup(client, path, status=page.status_code).h1.get_text()
    assert heading in {
        "This link has expired",
        "This link was withdrawn",
        "This link is not valid",
        "This review has moved on",
    }
    for data in ({"action": "verify", "block_id": claim.block_id}, {"action": "approve"}, {"action": "reject"}):
        assert client.post(path, data).status_code in (403, 404, 410)
    assert state_of(post) == before


def test_only_leads_invite_and_revoke_and_only_to_a_post_in_medical_review(client, team, blog, post, outside_expert):
    url = reverse("verity_invite_outside_reviewer", args=[post.pk])
    for name in ("editor", "reviewer", "shop"):
        client.force_login(team[name])
        client.post(url, {"expert": outside_expert.pk})
    assert not ReviewInvitation.objects.exists()

    # A post still in editorial review takes no invitation; nor an expert without a verified credential.
    draft = factories.make_post(blog, body=[factories.claim([factories.make_source()])], live=False)
    submit(draft, team["editor"])
    client.force_login(team["lead"])
    response = client.post(reverse("verity_invite_outside_reviewer", args=[draft.pk]), {"expert": outside_expert.pk})
    assert "not waiting for medical review" in response.content.decode()
    unverified = factories.make_expert(name="No Licence", email="no@example.org")
    response = client.post(url, {"expert": unverified.pk})
    assert "Invitation refused" in response.content.decode()
    assert not ReviewInvitation.objects.exists()

    invitation = invite(post, outside_expert, outside_expert.email, team["lead"])
    client.force_login(team["editor"])
    client.post(reverse("verity_revoke_invitation", args=[invitation.pk]))
    invitation.refresh_from_db()
    assert invitation.revoked_at is None


def test_the_link_is_throttled_per_address(client, team, post, outside_expert, settings):
    settings.OUTSIDE_REVIEW_REQUESTS_PER_MINUTE = 3
    from django.core.cache import cache

    cache.clear()
    invitation = invite(post, outside_expert, outside_expert.email, team["lead"])
    codes = [client.get(invitation.path).status_code for _ in range(5)]
    assert codes == [200, 200, 200, 429, 429]
    assert client.get(invitation.path, REMOTE_ADDR="10.1.2.3").status_code == 200
    cache.clear()


def test_a_lead_finds_the_invitation_in_the_pages_header_and_sees_each_links_status(client, team, post, outside_expert):
    client.force_login(team["lead"])
    edit = client.get(reverse("wagtailadmin_pages:edit", args=[post.pk])).content.decode()
    assert "Invite an outside reviewer" in edit and reverse("verity_invite_outside_reviewer", args=[post.pk]) in edit
    invitation = invite(post, outside_expert, outside_expert.email, team["lead"])
    rows = get_soup(client, reverse("verity_invite_outside_reviewer", args=[post.pk])).select("table.listing tbody tr")
    assert len(rows) == 1 and "Valid" in rows[0].get_text() and "Dr. Lee Okafor" in rows[0].get_text()
    client.post(reverse("verity_revoke_invitation", args=[invitation.pk]))
    rows = get_soup(client, reverse("verity_invite_outside_reviewer", args=[post.pk])).select("table.listing tbody tr")
    assert "This link was withdrawn" in rows[0].get_text()
