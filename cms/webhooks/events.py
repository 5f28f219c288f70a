"""Webhook events: what happened to a page, written to the outbox in the transaction that did it.

Wagtail's signals run inside the transaction of the change that sends them: unsafe requests (the admin's
publish and unpublish, the API's writes) are atomic through cms.operations.middleware.AtomicWritesMiddleware,
workflow actions are atomic in Wagtail itself, and publish_scheduled publishes each page in a transaction
of its own (cms/management/commands/publish_scheduled.py); page views run outside any. `emit()` writes one
WebhookDelivery per active endpoint subscribed to the event there, and hands the rows to the task
backend only once that transaction commits. A rollback leaves no delivery; a commit leaves rows that
go out whenever the receiver and the worker are up (cms/webhooks/delivery.py).

Events and their signals:

    published     page_published, once the page is live (not when it is only scheduled)
    unpublished   page_unpublished
    submitted     a review step starts because someone submitted or resubmitted the page
                  (not when the workflow moves on to its next step after an approval)
    approved      a review step is approved; `workflow.status` is "approved" after the last one
    rejected      a reviewer requests changes
    review_due    a live post's medical review falls due (`manage.py send_review_due_webhooks`)
    claim_verified, claim_flagged
                  a medical reviewer verifies a claim, or flags it as needing changes: the claim's
                  block id, block type and fingerprint (what the verdict holds for), never its text
    signed_off    a medical reviewer signs off a whole revision (cms.review.actions.signed_off)

The payload names the object, its public URL when live and its API URL; it carries no content of an
unpublished revision beyond the page's title.
"""

from functools import partial

from django.db import IntegrityError, transaction
from django.utils import timezone
from wagtail.models import Page, TaskState
from wagtail.signals import page_published, page_unpublished, task_approved, task_rejected, task_submitted

from cms.review.actions import claim_verdict_recorded, signed_off
from cms.review.models import ClaimVerification
from cms.review.pages import live_reviewed_pages
from cms.review.status import reviews_due

from .delivery import enqueue_deliveries
from .models import WebhookDelivery, WebhookEndpoint, WebhookEvent


def api_url(page):
    return f"/api/v3/pages/{page.pk}/"


def page_object(page):
    page = page.specific_deferred if type(page) is Page else page
    return {
        "type": page._meta.label,
        "id": page.pk,
        "title": page.title,
        "url": page.get_full_url() if page.live else None,
        "api_url": api_url(page),
    }


def emit(event, obj, extra=None, dedupe_key=""):
    """Write a delivery of this event to every active endpoint subscribed to it, in the current
    transaction; enqueue them for sending once it commits. Returns the deliveries."""
    endpoints = [endpoint for endpoint in WebhookEndpoint.objects.filter(active=True) if endpoint.subscribes_to(event)]
    if dedupe_key:
        done = set(WebhookDelivery.objects.filter(dedupe_key=dedupe_key).values_list("endpoint_id", flat=True))
        endpoints = [endpoint for endpoint in endpoints if endpoint.pk not in done]
    if not endpoints:
        return []
    now = timezone.now()
    payload = {"event": str(event), "occurred_at": now.isoformat(), "object": obj, **(extra or {})}
    deliveries = []
    with transaction.atomic():
        for endpoint in endpoints:
            try:
                with transaction.atomic():
                    deliveries.append(
                        WebhookDelivery.objects.create(
                            endpoint=endpoint,
                            event=event,
                            payload=payload,
                            next_attempt_at=now,
                            created_at=now,
                            dedupe_key=dedupe_key,
                        )
                    )
            except IntegrityError:
                if not dedupe_key:
                    raise  # only a concurrent run's duplicate of a once-only event is expected here
    if deliveries:
        transaction.on_commit(partial(enqueue_deliveries, [delivery.pk for delivery in deliveries]), robust=True)
    return deliveries


# Wagtail's signals


def on_page_published(sender, instance, revision=None, **kwargs):
    if instance.live:  # Wagtail also sends page_published when it schedules a page that is not yet live
        revision_id = revision.pk if revision else instance.live_revision_id
        emit(WebhookEvent.PUBLISHED, page_object(instance), {"revision_id": revision_id})


def on_page_unpublished(sender, instance, **kwargs):
    emit(WebhookEvent.UNPUBLISHED, page_object(instance))


def review_step(task_state):
    """The page and the workflow details of a task state, or None when it is not about a page."""
    workflow_state = task_state.workflow_state
    content_object = workflow_state.content_object
    if not isinstance(content_object, Page):
        return None, None
    return content_object, {
        "revision_id": task_state.revision_id,
        "workflow": {
            "name": workflow_state.workflow.name,
            "step": task_state.task.name,
            "status": workflow_state.status,
        },
    }


def is_submission(task_state):
    """A step that starts because someone (re)submitted the page, not because the previous step passed."""
    previous = (
        TaskState.objects.filter(workflow_state_id=task_state.workflow_state_id)
        .exclude(pk=task_state.pk)
        .order_by("-started_at", "-pk")
        .first()
    )
    return previous is None or previous.status != TaskState.STATUS_APPROVED


def on_task_submitted(sender, instance, **kwargs):
    page, extra = review_step(instance)
    if page is not None and is_submission(instance):
        emit(WebhookEvent.SUBMITTED, page_object(page), extra)


def on_task_approved(sender, instance, **kwargs):
    page, extra = review_step(instance)
    if page is not None:
        emit(WebhookEvent.APPROVED, page_object(page), extra)


def on_task_rejected(sender, instance, **kwargs):
    page, extra = review_step(instance)
    if page is not None:
        emit(WebhookEvent.REJECTED, page_object(page), extra)


def on_claim_verdict(sender, verification, claim, page, revision, **kwargs):
    verified = verification.status == ClaimVerification.Status.VERIFIED
    claim_data = {
        "block_id": verification.block_id,
        "block_type": claim.block_type,
        "fingerprint": verification.fingerprint,
        "status": verification.status,
    }
    event = WebhookEvent.CLAIM_VERIFIED if verified else WebhookEvent.CLAIM_FLAGGED
    emit(event, page_object(page), {"revision_id": revision.pk if revision else None, "claim": claim_data})


def on_signed_off(sender, sign_off, **kwargs):
    expert = sign_off.expert
    emit(
        WebhookEvent.SIGNED_OFF,
        page_object(sign_off.page),
        {
            "revision_id": sign_off.revision_id,
            "sign_off": {
                "id": sign_off.pk,
                "signed_at": sign_off.created_at.isoformat(),
                "content_fingerprint": sign_off.content_fingerprint,
                "claims_fingerprint": sign_off.claims_fingerprint,
                "reviewer": {"name": expert.full_name, "credentials": expert.credentials} if expert else None,
            },
        },
    )


def emit_reviews_due(now=None):
    """A review_due event for each live post whose medical review is due, once per post and review:
    again only after the post has been reviewed and falls due anew. Returns the deliveries written."""
    if not any(
        endpoint.subscribes_to(WebhookEvent.REVIEW_DUE) for endpoint in WebhookEndpoint.objects.filter(active=True)
    ):
        return []  # nobody listens: skip reading every live post
    deliveries = []
    for due in reviews_due(live_reviewed_pages(), now=now):
        last = due.last_reviewed_at
        review = {"reason": due.reason, "last_reviewed_at": last.isoformat() if last else None}
        deliveries += emit(
            WebhookEvent.REVIEW_DUE,
            page_object(due.page),
            {"review": review},
            dedupe_key=f"review_due:{due.page.pk}:{last.isoformat() if last else 'never'}",
        )
    return deliveries


SIGNALS = [
    (page_published, on_page_published),
    (page_unpublished, on_page_unpublished),
    (task_submitted, on_task_submitted),
    (task_approved, on_task_approved),
    (task_rejected, on_task_rejected),
    (claim_verdict_recorded, on_claim_verdict),
    (signed_off, on_signed_off),
]


def connect_signals():
    for signal, receiver in SIGNALS:
        signal.connect(receiver, dispatch_uid=f"verity-webhooks-{receiver.__name__}")
