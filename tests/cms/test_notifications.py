"""Who is emailed as a post moves through review: the next step's group, then the author with the notes."""

from django.core import mail
from django.urls import reverse

from cms.review.claims import claims_in

from .. import factories
from .review_steps import approve_editorial_step, submit, verify_and_approve_as_reviewer
from .workflow_helpers import make_team


def recipients():
    return {address for message in mail.outbox for address in message.to}


def draft_with_a_claim(blog, team):
    source = factories.make_source()
    return factories.make_post(blog, title="Tears", body=[factories.claim([source], "A claim.")], live=False)


def test_each_step_emails_the_group_that_acts_next(client, blog, settings):
    settings.WAGTAILADMIN_NOTIFICATION_INCLUDE_SUPERUSERS = False
    team = make_team()
    post = draft_with_a_claim(blog, team)

    submit(post, team["editor"])
    assert recipients() == {"lead@example.com"}

    mail.outbox.clear()
    approve_editorial_step(post, team["lead"])
    assert recipients() == {"reviewer@example.com"}

    mail.outbox.clear()
    verify_and_approve_as_reviewer(client, post, team["reviewer"])
    assert recipients() == {"editor@example.com"}
    assert "approved" in mail.outbox[0].subject.lower()


def test_a_request_for_changes_emails_the_author_with_the_reviewers_notes(client, blog, settings):
    settings.WAGTAILADMIN_NOTIFICATION_INCLUDE_SUPERUSERS = False
    team = make_team()
    post = draft_with_a_claim(blog, team)
    submit(post, team["editor"])
    approve_editorial_step(post, team["lead"])
    mail.outbox.clear()

    client.force_login(team["reviewer"])
    url = reverse("verity_medical_review", args=[post.pk])
    claim = claims_in(post.body)[0]
    client.post(url, {"action": "flag", "block_id": claim.block_id, "note": "Cite the 2019 survey."})
    client.post(url, {"action": "reject", "note": "Close, one fix."})

    assert recipients() == {"editor@example.com"}
    body = mail.outbox[0].body
    assert "Close, one fix." in body and "Cite the 2019 survey." in body
    post.refresh_from_db()
    assert post.current_workflow_state.status == "needs_changes" and not post.live
