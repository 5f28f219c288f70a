"""The medical review's own webhook events (cms/webhooks/events.py): claim_verified and claim_flagged with the
claim's block id and fingerprint, and signed_off with the sign-off, written to the outbox as a medical
reviewer works through the API; nothing of a claim's unpublished wording goes out."""

import json

import pytest
from wagtail.models import APIToken

from cms.models import ClaimVerification, MedicalSignOff, WebhookDelivery, WebhookEndpoint
from cms.review.claims import claims_in

from ... import factories
from ..review_steps import approve_editorial_step, submit
from ..workflow_helpers import make_team

API = "/api/v3"
REVIEW_EVENTS = ["claim_verified", "claim_flagged", "signed_off"]


@pytest.fixture
def team(db):
    return make_team()


def post_json(client, path, token, data):
    return client.post(
        API + path, data=json.dumps(data), content_type="application/json", HTTP_AUTHORIZATION=f"Bearer {token}"
    )


def test_verdicts_and_the_sign_off_are_events_with_the_claims_id_and_fingerprint(client, blog, team):
    WebhookEndpoint.objects.create(
        name="Frontend", url="https://hooks.example.com/verity", secret="s" * 20, events=REVIEW_EVENTS
    )
    source = factories.make_source()
    body = [factories.claim([source], "Crying after sex is common."), factories.claim([source], "It usually passes.")]
    post = factories.make_post(blog, body=body, live=False)
    submit(post, team["editor"])
    approve_editorial_step(post, team["lead"])
    revision = post.current_workflow_task_state.revision
    first, second = claims_in(revision.as_object().body)
    token = APIToken.create_token(user=team["reviewer"], name="review")[1]
    claims = f"/workflow/pages/{post.pk}/claims"

    flagged = post_json(
        client, f"{claims}/{second.block_id}/verify/", token, {"status": "needs_changes", "note": "Cite it."}
    )
    assert flagged.status_code == 200, flagged.content.decode()
    for claim in (first, second):
        verified = post_json(client, f"{claims}/{claim.block_id}/verify/", token, {"status": "verified"})
        assert verified.status_code == 200, verified.content.decode()
    approved = post_json(client, f"/workflow/pages/{post.pk}/approve/", token, {"comment": "Checked."})
    assert approved.status_code == 200, approved.content.decode()

    payloads = [delivery.payload for delivery in WebhookDelivery.objects.order_by("pk")]
    assert [payload["event"] for payload in payloads] == [
        "claim_flagged",
        "claim_verified",
        "claim_verified",
        "signed_off",
    ]
    flag = payloads[0]
    assert flag["object"]["id"] == post.pk and flag["revision_id"] == revision.pk
    assert flag["claim"] == {
        "block_id": second.block_id,
        "block_type": "claim",
        "fingerprint": second.fingerprint,
        "status": ClaimVerification.Status.NEEDS_CHANGES,
    }
    assert [payload["claim"]["block_id"] for payload in payloads[1:3]] == [first.block_id, second.block_id]
    assert all("It usually passes" not in json.dumps(payload) for payload in payloads)  # no unpublished wording

    sign_off = MedicalSignOff.objects.get(page=post)
    signed = payloads[3]
    assert signed["revision_id"] == revision.pk
    assert signed["sign_off"] == {
        "id": sign_off.pk,
        "signed_at": sign_off.created_at.isoformat(),
        "content_fingerprint": sign_off.content_fingerprint,
        "claims_fingerprint": sign_off.claims_fingerprint,
        "reviewer": {"name": "Dr. Ana Reyes", "credentials": "MD"},
    }


def test_an_endpoint_gets_only_the_review_events_it_subscribes_to(client, blog, team):
    WebhookEndpoint.objects.create(
        name="Sign-offs", url="https://hooks.example.com/a", secret="s" * 20, events=["signed_off"]
    )
    source = factories.make_source()
    post = factories.make_post(blog, body=[factories.claim([source])], live=False)
    submit(post, team["editor"])
    approve_editorial_step(post, team["lead"])
    [claim] = claims_in(post.current_workflow_task_state.revision.as_object().body)
    token = APIToken.create_token(user=team["reviewer"], name="review")[1]
    post_json(client, f"/workflow/pages/{post.pk}/claims/{claim.block_id}/verify/", token, {"status": "verified"})
    assert not WebhookDelivery.objects.exists()
    post_json(client, f"/workflow/pages/{post.pk}/approve/", token, {})
    assert [delivery.event for delivery in WebhookDelivery.objects.all()] == ["signed_off"]
