"""The cms app's models: the site's own here, one concept per module; the medical review's from its package."""

from cms.review.credential_reminders import CredentialReminder
from cms.review.credentials import ReviewerCredential
from cms.review.invitations import ReviewInvitation
from cms.review.models import ClaimVerification, MedicalReviewSettings, MedicalSignOff
from cms.review.task import MedicalReviewTask
from cms.webhooks.models import WebhookDelivery, WebhookEndpoint, WebhookEvent

from .editorial_standards import EditorialStandardsSettings
from .experts import Expert
from .help_resources import HelpResource
from .home import HomePage
from .sources import Source

__all__ = [
    "ClaimVerification",
    "CredentialReminder",
    "EditorialStandardsSettings",
    "Expert",
    "HelpResource",
    "HomePage",
    "MedicalReviewSettings",
    "MedicalSignOff",
    "MedicalReviewTask",
    "ReviewerCredential",
    "ReviewInvitation",
    "Source",
    "WebhookDelivery",
    "WebhookEndpoint",
    "WebhookEvent",
]
