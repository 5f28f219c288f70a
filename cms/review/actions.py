"""A medical reviewer's actions, shared by the medical review screen, the API and the Task: verdicts
on claims, the approval that signs the article off, and a request for changes."""

from django.core.exceptions import PermissionDenied
from django.dispatch import Signal
from wagtail.log_actions import log

from .models import ClaimVerification, MedicalSignOff
from .status import article_fingerprint, claims_fingerprint

CLAIM_VERIFIED_ACTION = "verity.claim_verified"

CLAIM_FLAGGED_ACTION = "verity.claim_needs_changes"

SIGN_OFF_ACTION = "verity.medical_sign_off"

# Sent once a verdict or a sign-off is recorded, in its transaction (cms/webhooks/events.py makes them events).
claim_verdict_recorded = Signal()  # verification, claim, page, revision
signed_off = Signal()  # sign_off


class ReviewRefused(PermissionDenied):
    """A reviewer's action that the medical review refuses; the message says why."""


class UnknownClaim(ReviewRefused):
    def __init__(self):
        super().__init__("That claim is not part of the revision under review.")


class InvalidVerdict(ReviewRefused):
    pass


class ClaimsNotVerified(ReviewRefused):
    def __init__(self, pending):
        self.pending = pending
        names = "; ".join(f"{r.claim.label} “{r.claim.text[:60]}”" for r in pending)
        super().__init__(f"Approval refused: {len(pending)} claim(s) not verified: {names}")


def give_verdict(page, revision, reviews, block_id, reviewer, status, note=""):
    """Verify or flag one claim of the revision under review; a flag needs a note saying what to change."""
    review = next((r for r in reviews if r.claim.block_id == block_id), None)
    if review is None:
        raise UnknownClaim()
    if status not in ClaimVerification.Status.values:
        choices = " or ".join(ClaimVerification.Status.values)
        raise InvalidVerdict(f"A verdict is {choices}.")
    if status == ClaimVerification.Status.NEEDS_CHANGES and not note:
        raise InvalidVerdict("Say what needs to change in a note.")
    return record_verdict(page, revision, review.claim, reviewer, status, note)


def approve_medical_review(task_state, reviewer, comment="", as_expert=None):
    """Pass the medical step, which signs the article off and publishes it. The Task refuses it while
    any claim of the revision is not verified, or the reviewer (or `as_expert`, an outside reviewer's
    profile) holds no credential in good standing (MedicalReviewTask.on_action)."""
    kwargs = {"as_expert": as_expert} if as_expert else {}
    task_state.task.specific.on_action(task_state, reviewer, "approve", comment=comment, **kwargs)


def request_changes(task_state, reviewer, reviews, note=""):
    """Send the post back to its author, with the note and the notes of every flagged claim."""
    flagged = [r for r in reviews if r.verification and not r.is_verified]
    notes = [f"{r.claim.label} “{r.claim.text[:60]}”: {r.verification.note}" for r in flagged]
    comment = "\n".join(filter(None, [note, *notes])) or "Changes requested in medical review."
    task_state.reject(user=reviewer, comment=comment)


def record_verdict(page, revision, claim, reviewer, status, note=""):
    """Store a reviewer's verdict on one claim and write it to the page's history."""

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
    claim_verdict_recorded.send(ClaimVerification, verification=verification, claim=claim, page=page, revision=revision)
    return verification


def sign_off(revision, reviewer, comment="", expert=None):
    """Record the reviewer's sign-off of a whole revision: the one under medical review, given as `expert`
    (by default the reviewer's own profile)."""
    reviewed = revision.as_object()
    expert = expert or getattr(reviewer, "expert_profile", None)
    signed = MedicalSignOff.objects.create(
        page_id=revision.object_id,
        revision=revision,
        content_fingerprint=article_fingerprint(reviewed),
        claims_fingerprint=claims_fingerprint(reviewed),
        reviewer=reviewer,
        expert=expert,
        comment=comment,
    )
    # In the page's history, which the public "How we reviewed this article" panel reads.
    log(instance=reviewed, action=SIGN_OFF_ACTION, user=reviewer, revision=revision, data={"sign_off": signed.pk})
    signed_off.send(MedicalSignOff, sign_off=signed)
    return signed
