"""Sending webhook deliveries: signed, from a background task or the worker, retried with backoff.

Each attempt POSTs the delivery's payload as JSON with these headers:

    X-Verity-Event: published
    X-Verity-Delivery: 42                      (the delivery's id; the same on every retry)
    X-Verity-Timestamp: 1767225600             (Unix seconds, when this attempt was signed)
    X-Verity-Signature: sha256=<hex HMAC-SHA256 of "<timestamp>.<body>" keyed with the endpoint's secret>

A 2xx answer marks the delivery delivered. Anything else (another status, a timeout, a refused
connection) counts an attempt, logs the status and error, and schedules the next attempt after a
backoff that doubles each time; after MAX_ATTEMPTS the delivery is marked failed.

Whoever sends a delivery first claims it (a conditional UPDATE), so a task and the worker never send
the same attempt twice. A sender that dies mid-attempt leaves the delivery pending, and it is sent
again once its claim lapses: receivers should treat X-Verity-Delivery as an idempotency key.

Every attempt goes through cms/webhooks/targets.py: an `https` URL (plain `http` only with
VERITY_WEBHOOKS_ALLOW_HTTP) whose host resolves to public addresses only, unless it is listed in
VERITY_WEBHOOKS_ALLOWED_HOSTS; the connection goes to the address that was checked. A refused target is
not retried: the delivery is marked failed at once, its error saying why (fix the endpoint or the
allow-list, then *Retry now*). A redirect is never followed: it is a failed attempt like any non-2xx.
"""

import hashlib
import hmac
import json
import logging
import time
from datetime import timedelta

from django.utils import timezone
from django_tasks import task

from .models import WebhookDelivery
from .targets import RefusedTarget, webhook_session

logger = logging.getLogger(__name__)

MAX_ATTEMPTS = 12
BACKOFF_BASE = timedelta(seconds=30)
BACKOFF_CAP = timedelta(hours=6)
CLAIM_LEASE = timedelta(minutes=5)  # longer than any attempt can take
TIMEOUT_SECONDS = 10
USER_AGENT = "Verity-Webhooks/1"


def encode_body(payload):
    """The exact bytes that are sent and signed."""
    return json.dumps(payload, separators=(",", ":"), sort_keys=True).encode()


def sign(secret, timestamp, body):
    """ "sha256=" + hex HMAC-SHA256 over "<timestamp>.<body>", keyed with the endpoint's secret."""
    message = str(timestamp).encode() + b"." + body
    return "sha256=" + hmac.new(secret.encode(), message, hashlib.sha256).hexdigest()


def verify(secret, timestamp, body, signature):
    """What a receiver does (and the tests do): recompute the signature and compare in constant time."""
    return hmac.compare_digest(sign(secret, timestamp, body), signature)


def backoff(attempts):
    """How long to wait after the `attempts`-th failed attempt: 30 s, 1 min, 2 min, ... at most 6 h."""
    return min(BACKOFF_BASE * 2 ** max(attempts - 1, 0), BACKOFF_CAP)


def due_deliveries(now=None):
    """Pending deliveries to active endpoints whose next attempt is due, oldest first."""
    now = now or timezone.now()
    return WebhookDelivery.objects.filter(
        status=WebhookDelivery.Status.PENDING, next_attempt_at__lte=now, endpoint__active=True
    ).order_by("next_attempt_at", "pk")


def claim(delivery_id, now):
    """Take a due delivery for one attempt; False if another sender has it or it is not due."""
    claimed = due_deliveries(now).filter(pk=delivery_id).values("pk")
    return WebhookDelivery.objects.filter(pk__in=claimed).update(next_attempt_at=now + CLAIM_LEASE) == 1


def attempt(delivery_id, session=None):
    """Send one delivery if it is due and nobody else is sending it. Returns it, or None if not sent."""
    if not claim(delivery_id, timezone.now()):
        return None
    delivery = WebhookDelivery.objects.select_related("endpoint").get(pk=delivery_id)
    endpoint = delivery.endpoint
    body = encode_body(delivery.payload)
    timestamp = int(time.time())
    headers = {
        "Content-Type": "application/json",
        "User-Agent": USER_AGENT,
        "X-Verity-Event": delivery.event,
        "X-Verity-Delivery": str(delivery.pk),
        "X-Verity-Timestamp": str(timestamp),
        "X-Verity-Signature": sign(endpoint.secret, timestamp, body),
    }
    try:
        if session is None:
            with webhook_session() as own_session:
                response = post(own_session, endpoint.url, body, headers)
        else:
            response = post(session, endpoint.url, body, headers)
    except RefusedTarget as error:
        record_failure(delivery, None, f"Refused: {error}", final=True)
    except Exception as error:  # refused, timed out, bad URL...: an attempt that failed, like a 500
        record_failure(delivery, None, f"{type(error).__name__}: {error}")
    else:
        if 200 <= response.status_code < 300:
            record_success(delivery, response.status_code)
        elif response.is_redirect:
            location = response.headers.get("Location", "")
            record_failure(
                delivery, response.status_code, f"HTTP {response.status_code}: redirect to {location} not followed"
            )
        else:
            record_failure(delivery, response.status_code, f"HTTP {response.status_code}: {response.text[:500]}")
    return delivery


def post(session, url, body, headers):
    return session.post(url, data=body, headers=headers, timeout=TIMEOUT_SECONDS, allow_redirects=False)


def record_success(delivery, status_code):
    now = timezone.now()
    delivery.attempts += 1
    delivery.status = WebhookDelivery.Status.DELIVERED
    delivery.last_status_code = status_code
    delivery.last_error = ""
    delivery.delivered_at = now
    delivery.next_attempt_at = now
    delivery.save(
        update_fields=["attempts", "status", "last_status_code", "last_error", "delivered_at", "next_attempt_at"]
    )


def record_failure(delivery, status_code, error, final=False):
    """Count a failed attempt; `final` (a refused target) gives up at once instead of retrying."""
    delivery.attempts += 1
    delivery.last_status_code = status_code
    delivery.last_error = error[:2000]
    delivery.next_attempt_at = timezone.now() + backoff(delivery.attempts)
    if final or delivery.attempts >= MAX_ATTEMPTS:
        delivery.status = WebhookDelivery.Status.FAILED
    delivery.save(update_fields=["attempts", "status", "last_status_code", "last_error", "next_attempt_at"])
    logger.warning(
        "Webhook delivery %s to %s failed (attempt %s): %s",
        delivery.pk,
        delivery.endpoint.url,
        delivery.attempts,
        delivery.last_error,
    )


def deliver_due(limit=None):
    """Send every due delivery once (the worker's `deliver_webhooks`). Returns the deliveries attempted."""
    ids = list(due_deliveries().values_list("pk", flat=True)[:limit])
    sent = []
    with webhook_session() as session:
        for delivery_id in ids:
            delivery = attempt(delivery_id, session=session)
            if delivery is not None:
                sent.append(delivery)
    return sent


def retry(delivery):
    """Send a failed (or waiting) delivery again at once, with a fresh set of attempts (the admin's Retry)."""
    delivery.status = WebhookDelivery.Status.PENDING
    delivery.attempts = 0
    delivery.next_attempt_at = timezone.now()
    delivery.save(update_fields=["status", "attempts", "next_attempt_at"])


@task()
def deliver_webhook(delivery_id):
    delivery = attempt(delivery_id)
    return delivery.status if delivery else None


def enqueue_deliveries(delivery_ids):
    """Hand new deliveries to the task backend. Called after the transaction that wrote them commits;
    if the backend is down they stay pending, and the worker's `deliver_webhooks` sends them.
    In production the task backend is a database queue worked by the `tasks` service, so sending never
    happens in the publishing request.
    """
    for delivery_id in delivery_ids:
        try:
            deliver_webhook.enqueue(delivery_id)
        except Exception:
            logger.exception("Could not enqueue webhook delivery %s; the worker will send it", delivery_id)
