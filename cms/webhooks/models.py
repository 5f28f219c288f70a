"""Webhooks: the endpoints an admin registers, and the outbox of deliveries to them.

A delivery row is written in the same transaction as the change that causes it (cms/webhooks/events.py), so
it survives a receiver or a worker that is down; cms/webhooks/delivery.py sends it, signed, and retries
it with backoff until the receiver answers 2xx or the attempts run out.
"""

from django.db import models
from django.utils import timezone


class WebhookEvent(models.TextChoices):
    PUBLISHED = "published", "Published"
    UNPUBLISHED = "unpublished", "Unpublished"
    SUBMITTED = "submitted", "Submitted for review"
    APPROVED = "approved", "Approved (a review step)"
    REJECTED = "rejected", "Changes requested"
    REVIEW_DUE = "review_due", "Medical review due"
    CLAIM_VERIFIED = "claim_verified", "A claim verified (medical review)"
    CLAIM_FLAGGED = "claim_flagged", "A claim flagged as needing changes (medical review)"
    SIGNED_OFF = "signed_off", "Medically signed off"


class WebhookEndpoint(models.Model):
    name = models.CharField(max_length=100, help_text="Who receives these events, e.g. “Frontend cache”.")
    url = models.URLField("URL", max_length=500, help_text="Verity POSTs each event here as JSON.")
    # Kept as given: the HMAC needs it. Never listed or shown again after it is set.
    secret = models.CharField(max_length=200)
    events = models.JSONField(default=list, help_text="The events this endpoint receives.")
    active = models.BooleanField(default=True, help_text="Inactive endpoints get no new events; pending ones wait.")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name", "pk"]
        verbose_name = "webhook endpoint"

    def __str__(self):
        return self.name

    def subscribes_to(self, event):
        return event in (self.events or [])

    def events_display(self):
        labels = dict(WebhookEvent.choices)
        return ", ".join(str(labels.get(event, event)) for event in self.events or [])

    events_display.short_description = "Events"


class WebhookDelivery(models.Model):
    """One event for one endpoint: the outbox row, and the log of its attempts."""

    class Status(models.TextChoices):
        PENDING = "pending", "Pending"
        DELIVERED = "delivered", "Delivered"
        FAILED = "failed", "Failed"

    endpoint = models.ForeignKey(WebhookEndpoint, on_delete=models.CASCADE, related_name="deliveries")
    event = models.CharField(max_length=32, choices=WebhookEvent.choices)
    payload = models.JSONField()
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveIntegerField(default=0)
    next_attempt_at = models.DateTimeField(default=timezone.now)
    last_status_code = models.PositiveSmallIntegerField(null=True, blank=True)
    last_error = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    delivered_at = models.DateTimeField(null=True, blank=True)
    # Set for events that must go out once only (a review falling due); unique per endpoint.
    dedupe_key = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = "webhook delivery"
        verbose_name_plural = "webhook deliveries"
        indexes = [models.Index(fields=["status", "next_attempt_at"], name="webhookdelivery_due_idx")]
        constraints = [
            models.UniqueConstraint(
                fields=["endpoint", "dedupe_key"],
                condition=~models.Q(dedupe_key=""),
                name="webhookdelivery_once_per_key",
            )
        ]

    def __str__(self):
        return f"{self.get_event_display()} → {self.endpoint}"

    def object_title(self):
        return (self.payload.get("object") or {}).get("title", "")

    object_title.short_description = "Object"

    def last_error_summary(self):
        return self.last_error[:120]

    last_error_summary.short_description = "Last error"
