"""Where a page's medical review stands: each claim's verdict, the sign-off that covers the article,
the public "Medically reviewed by" line derived from both (never typed by hand), and which live posts
are due for review again."""

import hashlib
import json
from collections import defaultdict
from dataclasses import dataclass
from datetime import timedelta

from django.utils import timezone
from wagtail.models import Revision

from .claims import canonical_data, claims_in
from .models import ClaimVerification, MedicalReviewSettings, MedicalSignOff, cached_setting

# What a sign-off covers when a page type does not say (its `medical_review_fields`).
DEFAULT_REVIEWED_FIELDS = ("title", "body")


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


def review_claims(page, stream, verdicts=None):
    """Every claim of `stream` (a revision's body) with its verdicts on this page.

    `verdicts` maps (block id, fingerprint) to the newest verification, in time order; it is read
    from the database when not given.
    """
    if verdicts is None:
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


def previous_claims(reviews):
    """The earlier wording of each changed claim, as a Claim read from the revision its last verdict was
    given on, by block id; a fixed number of queries however many claims changed."""
    changed = [review for review in reviews if review.previous and review.previous.revision_id]
    ids = {review.previous.revision_id for review in changed}
    found = Revision.objects.filter(pk__in=ids).prefetch_related("content_object")
    revisions = {revision.pk: revision for revision in found}
    claims_by_revision = {}
    earlier = {}
    for review in changed:
        revision = revisions.get(review.previous.revision_id)
        if revision is None:
            continue
        if revision.pk not in claims_by_revision:
            claims_by_revision[revision.pk] = {claim.block_id: claim for claim in claims_in(revision.as_object().body)}
        if review.claim.block_id in claims_by_revision[revision.pk]:
            earlier[review.claim.block_id] = claims_by_revision[revision.pk][review.claim.block_id]
    return earlier


def previous_texts(reviews):
    """The earlier text of each changed claim, by block id."""
    return {block_id: claim.text for block_id, claim in previous_claims(reviews).items()}


def article_fingerprint(page):
    """A stable digest of the content a medical sign-off covers: the page type's reviewed fields."""
    content = {}
    for name in getattr(page, "medical_review_fields", DEFAULT_REVIEWED_FIELDS):
        value = getattr(page, name, None)
        content[name] = canonical_data(list(value.raw_data) if hasattr(value, "raw_data") else value)
    return hashlib.sha256(json.dumps(content, sort_keys=True).encode()).hexdigest()


def claims_fingerprint(page):
    """A digest of the claims a sign-off covers (each block id and fingerprint), whatever their order."""
    claims = sorted((claim.block_id or "", claim.fingerprint) for claim in claims_in(page.body))
    return hashlib.sha256(json.dumps(claims).encode()).hexdigest()


def reviewed_on(sign_offs, covering, cadence_days):
    """When the claims the covering sign-off vouches for were last reviewed: the sign-off that began its run of
    sign-offs over the same claims, so that an edit changing no claim keeps "Reviewed on"; a sign-off given a
    cadence or more after its run began is a fresh review. `sign_offs` are newest first."""
    start = None
    for signed in reversed(sign_offs):  # oldest first
        if (
            start is None
            or not signed.claims_fingerprint
            or signed.claims_fingerprint != start.claims_fingerprint
            or signed.created_at - start.created_at >= timedelta(days=cadence_days)
        ):
            start = signed
        if signed.pk == covering.pk:
            return start.created_at
    return covering.created_at


def covering_sign_off(page, sign_offs):
    """The newest of `sign_offs` (newest first) that covers the page's content as it is now."""
    fingerprint = article_fingerprint(page)
    return next((signed for signed in sign_offs if signed.content_fingerprint == fingerprint), None)


@dataclass(frozen=True)
class MedicalReviewLine:
    reviewer: object  # the reviewer's cms.Expert profile
    reviewed_at: object  # when the claims as they stand were reviewed ("Reviewed on")
    signed_at: object  # the covering sign-off's own date
    credentials: tuple = ()  # the reviewer's credentials in good standing, never the typed text
    outside: bool = False  # signed off by an invited outside reviewer (cms/review/invitations.py)

    @property
    def credentials_display(self):
        return ", ".join(dict.fromkeys(credential.title for credential in self.credentials))


def medical_review_line(page):
    """Who reviewed the live page, and when: only when a sign-off covers its content and every claim
    of its body holds a verification. The reviewer shows through their published expert profile, with
    only their verified, current credentials."""
    sign_offs = list(
        MedicalSignOff.objects.filter(page=page).select_related("expert").prefetch_related("expert__credential_records")
    )
    signed = covering_sign_off(page, sign_offs)
    if signed is None or unverified(review_claims(page, page.body)):
        return None
    expert = signed.expert
    if expert is None or not expert.live:
        return None
    review_settings = cached_setting(MedicalReviewSettings)
    return MedicalReviewLine(
        reviewer=expert,
        reviewed_at=reviewed_on(sign_offs, signed, review_settings.cadence_days),
        signed_at=signed.created_at,
        credentials=tuple(expert.verified_credentials(period_days=review_settings.credential_reverification_days)),
        outside=signed.reviewer_id != getattr(expert, "user_id", None),
    )


@dataclass(frozen=True)
class DueReview:
    """A live post whose medical review is due, and why."""

    page: object
    reason: str
    last_reviewed_at: object  # None when never fully reviewed
    reviewer: object  # the user of the newest verification, or None

    @property
    def title(self):
        return self.page.title

    @property
    def reviewer_name(self):
        return (self.reviewer.get_full_name() or self.reviewer.get_username()) if self.reviewer else ""


def reviews_due(pages, now=None):
    """Live posts whose medical review is due: never signed off, changed since their sign-off, with a
    claim no longer verified, or signed off longer ago than the cadence.

    Reads the sign-offs and the verifications of all the pages in one query each.
    """
    now = now or timezone.now()
    cadence = timedelta(days=MedicalReviewSettings.load().cadence_days)
    pages = list(pages)
    sign_offs_by_page = defaultdict(list)
    for signed in MedicalSignOff.objects.filter(page__in=pages).select_related("reviewer"):
        sign_offs_by_page[signed.page_id].append(signed)  # newest first
    verdicts_by_page = defaultdict(dict)
    for verification in ClaimVerification.objects.filter(page__in=pages).order_by("created_at", "pk"):
        verdicts_by_page[verification.page_id][(verification.block_id, verification.fingerprint)] = verification
    due = []
    for page in pages:
        sign_offs = sign_offs_by_page[page.pk]
        last = sign_offs[0] if sign_offs else None
        covering = covering_sign_off(page, sign_offs)
        if last is None:
            reason = "Never reviewed"
        elif covering is None:
            reason = "Changed since the last review"
        elif unverified(review_claims(page, page.body, verdicts_by_page[page.pk])):
            reason = "Claims changed since the last review"
        elif covering.created_at < now - cadence:
            reason = f"Reviewed more than {cadence.days} days ago"
        else:
            continue
        due.append(
            DueReview(
                page=page,
                reason=reason,
                last_reviewed_at=last.created_at if last else None,
                reviewer=last.reviewer if last else None,
            )
        )
    return sorted(due, key=lambda row: (row.last_reviewed_at is not None, row.last_reviewed_at or now))


def annotate_review_due(pages, request=None):
    """Mark each page of a queryset `medical_review_due` when it is live and was never signed off or
    its newest sign-off is older than the cadence, in the same query, for the admin's listings."""
    from django.db.models import BooleanField, ExpressionWrapper, OuterRef, Q, Subquery

    cadence = timedelta(days=MedicalReviewSettings.load(request_or_site=request).cadence_days)
    newest = MedicalSignOff.objects.filter(page=OuterRef("pk")).order_by("-created_at").values("created_at")[:1]
    stale = Q(last_medical_review_at__isnull=True) | Q(last_medical_review_at__lt=timezone.now() - cadence)
    return pages.annotate(last_medical_review_at=Subquery(newest)).annotate(
        medical_review_due=ExpressionWrapper(Q(live=True) & stale, output_field=BooleanField())
    )
