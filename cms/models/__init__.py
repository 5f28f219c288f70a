"""The editorial core's models, one concept per module."""

from cms.workflows import MedicalReviewTask

from .claim_verifications import ClaimVerification
from .experts import Expert
from .home import HomePage
from .medical_sign_offs import MedicalSignOff
from .review_settings import MedicalReviewSettings
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
