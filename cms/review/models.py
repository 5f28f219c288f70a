"""What the medical review records: a verdict per claim, the reviewer's sign-off of a whole article,
and how often a live post's review falls due again."""

from django.conf import settings
from django.core.cache import cache
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models.signals import post_save
from wagtail.admin.panels import FieldPanel
from wagtail.contrib.settings.models import BaseGenericSetting, register_setting


class ClaimVerificationQuerySet(models.QuerySet):
    def latest_by_claim(self, page):
        """The newest verdict for each (block id, fingerprint) of a page."""
        verdicts = {}
        for verification in (
            self.filter(page=page).order_by("created_at", "pk").select_related("reviewer__expert_profile")
        ):
            verdicts[(verification.block_id, verification.fingerprint)] = verification
        return verdicts


class ClaimVerification(models.Model):
    """A medical reviewer's verdict on one claim, pinned to the claim's exact text and sources."""

    class Status(models.TextChoices):
        VERIFIED = "verified", "Verified"
        NEEDS_CHANGES = "needs_changes", "Needs changes"

    page = models.ForeignKey("wagtailcore.Page", on_delete=models.CASCADE, related_name="claim_verifications")
    revision = models.ForeignKey(
        "wagtailcore.Revision", on_delete=models.SET_NULL, null=True, related_name="claim_verifications"
    )
    block_id = models.CharField(max_length=64)
    fingerprint = models.CharField(max_length=64)
    status = models.CharField(max_length=20, choices=Status.choices)
    note = models.TextField(blank=True)
    reviewer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ClaimVerificationQuerySet.as_manager()

    class Meta:
        indexes = [models.Index(fields=["page", "block_id", "fingerprint"])]
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.get_status_display()} claim {self.block_id} on page {self.page_id}"

    @property
    def is_verified(self):
        return self.status == self.Status.VERIFIED


class MedicalSignOff(models.Model):
    """A medical reviewer's approval of a whole article: the revision it covers and a fingerprint of
    that revision's reviewed content, so the sign-off holds for that exact content and no later edit."""

    page = models.ForeignKey("wagtailcore.Page", on_delete=models.CASCADE, related_name="medical_sign_offs")
    revision = models.ForeignKey("wagtailcore.Revision", on_delete=models.SET_NULL, null=True, related_name="+")
    content_fingerprint = models.CharField(max_length=64)
    # The claims it covers (block ids and fingerprints): an edit that changes none keeps "Reviewed on".
    claims_fingerprint = models.CharField(max_length=64, blank=True)
    reviewer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    # The expert profile it was given as: the reviewer's own, or an outside reviewer's (cms/review/invitations.py).
    expert = models.ForeignKey("cms.Expert", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    comment = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        indexes = [models.Index(fields=["page", "-created_at"])]
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return f"Medical sign-off of page {self.page_id}, revision {self.revision_id}"


@register_setting(icon="time")
class MedicalReviewSettings(BaseGenericSetting):
    """How often a live post's medical review falls due again, how long a reviewer's credential
    verification holds, and how long an outside reviewer's link lives."""

    cadence_days = models.PositiveIntegerField(
        "review cadence (days)",
        default=365,
        validators=[MinValueValidator(1)],
        help_text="A medical review older than this is due again.",
    )
    credential_reverification_days = models.PositiveIntegerField(
        "credential re-verification period (days)",
        default=730,
        validators=[MinValueValidator(1)],
        help_text="A credential verified longer ago than this no longer counts until it is verified again "
        "(365 to re-verify every year, 730 every two years).",
    )
    credential_warning_days = models.PositiveIntegerField(
        "credential expiry warning (days)",
        default=60,
        validators=[MinValueValidator(1)],
        help_text="Credentials that lapse within this many days are listed on the dashboard and in the report.",
    )
    outside_review_link_days = models.PositiveIntegerField(
        "outside reviewer link lifetime (days)",
        default=7,
        validators=[MinValueValidator(1)],
        help_text="How long a link inviting an outside reviewer stays valid.",
    )

    panels = [
        FieldPanel("cadence_days"),
        FieldPanel("credential_reverification_days"),
        FieldPanel("credential_warning_days"),
        FieldPanel("outside_review_link_days"),
    ]

    class Meta:
        verbose_name = "Medical review"


def cached_setting(model):
    """A generic setting read once and then from the cache (emptied when it is saved), so that a page asking for it
    in several places reads it once: the trust line, each reviewer's credentials, the disclosure."""
    key = f"verity:setting:{model._meta.label_lower}"
    found = cache.get(key)
    if found is None:
        found = model.load()
        cache.set(key, found, 3600)
    return found


def forget_cached_setting(sender, instance, **kwargs):
    cache.delete(f"verity:setting:{sender._meta.label_lower}")


post_save.connect(forget_cached_setting, sender=MedicalReviewSettings, dispatch_uid="verity_forget_review_settings")
