"""The outside reviewer's medical review screen, at the signed link of their invitation, outside the admin.

The same screen as the admin's in substance: each claim of the revision under review beside its sources, to
verify or flag with a note, then approve or request changes. Every action goes through the review actions
(cms/review/actions.py) as the invitation's reviewer, acting as its expert. A refused link (expired, revoked,
tampered, superseded) answers a page saying so and changes nothing. Every answer is `private, no-store`, and
each address may make OUTSIDE_REVIEW_REQUESTS_PER_MINUTE requests a minute (429 beyond).
"""

from django.conf import settings
from django.contrib import messages
from django.core.cache import cache
from django.db import transaction
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from cms.operations.client_address import client_ip

from .actions import ReviewRefused, approve_medical_review, give_verdict, request_changes
from .invitations import LinkRefused, ReviewInvitation, invitation_for
from .models import ClaimVerification
from .status import previous_claims, review_claims, unverified


def throttled(request):
    """Whether this address has used up its requests for the current minute (a fixed window in the cache)."""
    limit = settings.OUTSIDE_REVIEW_REQUESTS_PER_MINUTE
    key = f"verity:outside-review:{client_ip(request)}:{int(timezone.now().timestamp() // 60)}"
    if cache.add(key, 1, timeout=90):
        return limit < 1
    try:
        return cache.incr(key) > limit
    except ValueError:  # expired in between
        cache.add(key, 1, timeout=90)
        return False


def refused(request, title, message, status):
    return TemplateResponse(request, "review/link_refused.html", {"title": title, "message": message}, status=status)


@never_cache
@require_http_methods(["GET", "POST"])
def outside_review(request, token):
    if throttled(request):
        response = refused(request, "Too many requests", "Too many requests from your address: wait a minute.", 429)
        response["Retry-After"] = "60"
        return response
    try:
        invitation = invitation_for(token)
    except LinkRefused as refusal:
        return refused(request, refusal.title, str(refusal), refusal.status)
    page = invitation.page.specific
    task_state = page.current_workflow_task_state
    revision = invitation.revision
    reviews = review_claims(page, revision.as_object().body)
    reviewer = invitation.reviewer
    here = invitation.path

    if request.method == "POST":
        action = request.POST.get("action")
        note = request.POST.get("note", "").strip()
        try:
            # Locked, so two tabs (or a lead revoking the link meanwhile) cannot both act on one state.
            with transaction.atomic():
                locked = ReviewInvitation.objects.select_for_update().get(pk=invitation.pk)
                if refusal := locked.refusal():
                    return refused(request, refusal.title, str(refusal), refusal.status)
                if action in ("verify", "flag"):
                    status = (
                        ClaimVerification.Status.VERIFIED
                        if action == "verify"
                        else ClaimVerification.Status.NEEDS_CHANGES
                    )
                    give_verdict(page, revision, reviews, request.POST.get("block_id"), reviewer, status, note)
                    return redirect(here)
                if action == "approve":
                    approve_medical_review(task_state, reviewer, comment=note, as_expert=invitation.expert)
                    return done(request, invitation, "You approved the medical review. Thank you.")
                if action == "reject":
                    request_changes(task_state, reviewer, reviews, note)
                    return done(request, invitation, "You asked for changes; the post is back with its author.")
        except ReviewRefused as refusal:
            messages.error(request, str(refusal))
            return redirect(here)
        messages.error(request, "Unknown action.")
        return redirect(here)

    ReviewInvitation.objects.filter(pk=invitation.pk).update(last_opened_at=timezone.now())
    earlier = previous_claims(reviews)
    return TemplateResponse(
        request,
        "review/outside_review.html",
        {
            "invitation": invitation,
            "expert": invitation.expert,
            "post": revision.as_object(),
            "revision": revision,
            "reviews": reviews,
            "cards": [(review, earlier.get(review.claim.block_id)) for review in reviews],
            "pending": unverified(reviews),
            "here": here,
        },
    )


def done(request, invitation, message):
    return TemplateResponse(request, "review/outside_done.html", {"invitation": invitation, "message": message})
