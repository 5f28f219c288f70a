"""The cms app's models: the site's own here, one concept per module; the medical review's from its package."""

from cms.review.models import ClaimVerification, MedicalReviewSettings, MedicalSignOff
from cms.review.task import MedicalReviewTask
from cms.webhooks.models import WebhookDelivery, WebhookEndpoint, WebhookEvent

from .experts import Expert
from .home import HomePage
from .sources import Source

__all__ = [
    "ClaimVerification",
    "Expert",
    "HomePage",
    "MedicalReviewSettings",
    "MedicalSignOff",
    "MedicalReviewTask",
    "Source",
    "WebhookDelivery",
    "WebhookEndpoint",
    "WebhookEvent",
]
