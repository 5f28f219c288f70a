"""Moving a post through the review workflow in tests, as each role would through the admin."""

from django.urls import reverse

from cms.review.claims import claims_in


def submit(post, editor):
    return post.get_workflow().start(post, editor)


def approve_editorial_step(post, lead):
    post.current_workflow_task_state.approve(user=lead, comment="Reads well.")


def verify_and_approve_as_reviewer(client, post, reviewer):
    """Through the medical review screen: verify every claim, then approve."""
    client.force_login(reviewer)
    url = reverse("verity_medical_review", args=[post.pk])
    for claim in claims_in(post.current_workflow_task_state.revision.as_object().body):
        client.post(url, {"action": "verify", "block_id": claim.block_id})
    return client.post(url, {"action": "approve"})
