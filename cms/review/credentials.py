"""A reviewer's credentials as records an administrator verifies: licence or board certification, its
number, issuing body and country, when it was verified, by whom, and when it expires.

A credential is *in good standing* on a day when it was verified no longer ago than the re-verification
period (a setting) and has not expired; its *lapse date* is the earlier of the two ends. Only credentials
in good standing let their reviewer approve the medical step (MedicalReviewTask.on_action) and appear on
the public trust line and in the JSON-LD (`Expert.verified_credentials`). Every verification and every
edit is written to Wagtail's audit log (the record's history in the admin).
"""

from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.db import models
from django.utils import timezone

from .actions import ReviewRefused

CREDENTIAL_VERIFIED_ACTION = "verity.credential_verified"
CREDENTIAL_UNVERIFIED_ACTION = "verity.credential_unverified"

# The fields a verification vouches for: changing any of them needs a new verification.
VERIFIED_FIELDS = ("kind", "title", "number", "issuing_body", "country", "expires_on", "expert_id")


def today():
    return timezone.localdate()


def reverification_days():
    from .models import MedicalReviewSettings, cached_setting

    return cached_setting(MedicalReviewSettings).credential_reverification_days


class CredentialQuerySet(models.QuerySet):
    def in_good_standing(self, on=None, period_days=None):
        """Verified within the re-verification period and unexpired on the day `on` (today)."""
        on = on or today()
        period_days = reverification_days() if period_days is None else period_days
        return self.filter(
            verified_on__isnull=False,
            verified_on__gt=on - timedelta(days=period_days),
            expires_on__gte=on,
        )


class ReviewerCredential(models.Model):
    """One licence or board certification of an expert, as an administrator checked it."""

    class Kind(models.TextChoices):
        LICENCE = "licence", "Licence to practise"
        BOARD = "board", "Board certification"

    expert = models.ForeignKey("cms.Expert", on_delete=models.CASCADE, related_name="credential_records")
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.LICENCE)
    title = models.CharField(
        max_length=120, help_text='What readers see after the name, for example "MD" or "Board-certified OB-GYN".'
    )
    number = models.CharField("licence or certificate number", max_length=80)
    issuing_body = models.CharField(max_length=200, help_text='For example "Medical Board of California".')
    country = models.CharField(max_length=2, help_text="ISO 3166 code, for example US.")
    expires_on = models.DateField()
    verified_on = models.DateField(null=True, blank=True, editable=False)
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", editable=False
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = CredentialQuerySet.as_manager()

    class Meta:
        ordering = ["expires_on", "pk"]
        verbose_name = "reviewer credential"

    def __str__(self):
        return f"{self.title} — {self.get_kind_display().lower()} {self.number} ({self.issuing_body}, {self.country})"

    def save(self, *args, **kwargs):
        self.country = (self.country or "").upper()
        super().save(*args, **kwargs)

    def reverify_by(self, period_days=None):
        """The day its verification runs out (the re-verification period after it was verified)."""
        if self.verified_on is None:
            return None
        return self.verified_on + timedelta(days=reverification_days() if period_days is None else period_days)

    def standing(self, on=None, period_days=None):
        """Why it does not count on `on`, in words, or None when it is in good standing."""
        on = on or today()
        if self.verified_on is None:
            return "is not verified"
        if self.expires_on < on:
            return f"expired on {self.expires_on:%-d %B %Y}"
        if self.reverify_by(period_days) <= on:
            return f"was verified on {self.verified_on:%-d %B %Y} and is due for re-verification"
        return None

    def is_in_good_standing(self, on=None, period_days=None):
        return self.standing(on, period_days) is None

    def verify(self, user, on=None):
        self.verified_on = on or today()
        self.verified_by = user


def verification_changed(before, after):
    """Whether an edit changed what the verification vouched for."""
    return any(getattr(before, name) != getattr(after, name) for name in VERIFIED_FIELDS)


class CredentialRefused(ReviewRefused):
    """The approving reviewer holds no credential in good standing; the message names the credential."""


def credential_refusal(user, on=None, expert=None):
    """Why `user` (acting as `expert`, by default their linked profile) may not approve a medical review for
    want of a credential, or None when they may."""
    expert = expert or (getattr(user, "expert_profile", None) if user else None)
    if expert is None and user is not None and user.is_superuser:
        # A superuser may publish a post directly anyway; approving as no expert, they put no name on it (the
        # trust line needs an expert profile), so there is no credential to vouch for.
        return None
    if expert is None:
        return (
            "Approval refused: your account is not linked to an expert profile with a verified credential. "
            "An administrator links it and verifies a licence or board certification first."
        )
    records = list(expert.credential_records.all())
    period = reverification_days()
    if any(record.is_in_good_standing(on, period) for record in records):
        return None
    if not records:
        return (
            f"Approval refused: {expert.full_name} has no licence or board certification on record. "
            "An administrator adds and verifies one under Reviewer credentials."
        )
    reasons = "; ".join(f"{record} {record.standing(on, period)}" for record in records)
    return f"Approval refused: no credential of {expert.full_name} is verified and current: {reasons}."


def check_credentials(user, on=None, expert=None):
    refusal = credential_refusal(user, on, expert)
    if refusal:
        raise CredentialRefused(refusal)


@dataclass(frozen=True)
class ExpiringCredential:
    credential: ReviewerCredential
    lapses_on: object
    reason: str  # "expires" or "re-verification due"

    @property
    def expert(self):
        return self.credential.expert

    @property
    def days_left(self):
        return (self.lapses_on - today()).days


def expiring_credentials(within_days=None, on=None):
    """Credentials in good standing that lapse within `within_days` (the setting's warning window) of `on`,
    soonest first, in one query."""
    from .models import MedicalReviewSettings

    settings_ = MedicalReviewSettings.load()
    within_days = settings_.credential_warning_days if within_days is None else within_days
    on = on or today()
    period = settings_.credential_reverification_days
    rows = []
    credentials = ReviewerCredential.objects.in_good_standing(on, period).select_related("expert", "verified_by")
    for credential in credentials:
        reverify_by = credential.verified_on + timedelta(days=period)
        expires = credential.expires_on + timedelta(days=1)
        lapses_on, reason = (expires, "expires") if expires <= reverify_by else (reverify_by, "re-verification due")
        if (lapses_on - on).days <= within_days:
            rows.append(ExpiringCredential(credential, lapses_on, reason))
    return sorted(rows, key=lambda row: (row.lapses_on, row.credential.pk))
