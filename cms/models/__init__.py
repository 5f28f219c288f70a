"""The cms app's models: the site's own here, one concept per module; the medical review's from its package."""

from cms.review.models import ClaimVerification, MedicalReviewSettings, MedicalSignOff
from cms.review.task import MedicalReviewTask

from .experts import Expert
from .home import HomePage
from .sources import Source
from .webhooks import WebhookDelivery, WebhookEndpoint, WebhookEvent

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
