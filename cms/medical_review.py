"""The medical review of a page's claims: what each claim's status is, recording verdicts, and the
public "Medically reviewed by" line, which is derived from verifications, never typed by hand."""

from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.utils import timezone

from .claims import claims_in
from .models import ClaimVerification

CLAIM_VERIFIED_ACTION = "verity.claim_verified"
CLAIM_FLAGGED_ACTION = "verity.claim_needs_changes"


@dataclass(frozen=True)
class ClaimReview:
    """A claim of the revision under review, with the verdict that holds for its exact fingerprint."""

    claim: object
    verification: ClaimVerification | None  # for this exact fingerprint
    previous: ClaimVerification | None  # for an earlier wording of the same block

    @property
    def status(self):
        if self.verification:
            return self.verification.status
        return "changed" if self.previous else "new"

    @property
    def is_verified(self):
        return self.verification is not None and self.verification.is_verified


def review_claims(page, stream):
    """Every claim of `stream` (a revision's body) with its verdicts on this page, in two queries."""
    verdicts = ClaimVerification.objects.latest_by_claim(page)
    latest_by_block = {}
    for (block_id, _fingerprint), verification in verdicts.items():
        latest_by_block[block_id] = verification  # verdicts are in time order, so the last wins
    reviews = []
    for claim in claims_in(stream):
        verification = verdicts.get((claim.block_id, claim.fingerprint))
        previous = None
        if verification is None:
            earlier = latest_by_block.get(claim.block_id)
            previous = earlier if earlier and earlier.fingerprint != claim.fingerprint else None
        reviews.append(ClaimReview(claim=claim, verification=verification, previous=previous))
    return reviews


def unverified(reviews):
    return [review for review in reviews if not review.is_verified]


def record_verdict(page, revision, claim, reviewer, status, note=""):
    """Store a reviewer's verdict on one claim and write it to the page's history."""
    from wagtail.log_actions import log

    verification = ClaimVerification.objects.create(
        page=page,
        revision=revision,
        block_id=claim.block_id,
        fingerprint=claim.fingerprint,
        status=status,
        note=note,
        reviewer=reviewer,
    )
    action = CLAIM_VERIFIED_ACTION if status == ClaimVerification.Status.VERIFIED else CLAIM_FLAGGED_ACTION
    log(
        instance=page,
        action=action,
        user=reviewer,
        revision=revision,
        data={"block_id": claim.block_id, "claim": claim.text[:200], "note": note},
    )
    return verification


@dataclass(frozen=True)
class MedicalReviewLine:
    reviewer: object  # the reviewer's cms.Expert profile
    reviewed_at: object

    @property
    def is_due(self):
        return self.reviewed_at < timezone.now() - timedelta(days=settings.VERITY_MEDICAL_REVIEW_CADENCE_DAYS)


def medical_review_line(page):
    """Who reviewed the live page, and when: only when every claim of its body holds a verification.

    The reviewer is the one of the newest verification, shown through their published expert profile.
    """
    reviews = review_claims(page, page.body)
    if not reviews or unverified(reviews):
        return None
    newest = max((review.verification for review in reviews), key=lambda verification: verification.created_at)
    expert = getattr(newest.reviewer, "expert_profile", None)
    if expert is None or not expert.live:
        return None
    return MedicalReviewLine(reviewer=expert, reviewed_at=newest.created_at)
