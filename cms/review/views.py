"""The medical review screen: every claim of the revision under review beside a preview of the post.

The reviewer verifies or flags each claim with a note, then approves (only when every claim is
verified) or requests changes, which sends the post back to its author with the notes.

While a post waits for medical review its reviewers do not edit it: the page editor shows them a
read-only summary pointing here (`post_in_medical_review`), and refuses a save (`refuse_edit`).
"""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.views.decorators.http import require_http_methods
from wagtail.models import Page

from .actions import ReviewRefused, approve_medical_review, give_verdict, request_changes
from .models import ClaimVerification
from .outcome import outcome_message
from .status import previous_claims, review_claims, unverified
from .task import MedicalReviewTask, waiting_for_medical_review

READ_ONLY_MESSAGE = (
    "This post is in medical review. You verify its claims on the medical review screen; you don't edit it."
)


def reads_only(page, user):
    """Whether `user` is a medical reviewer of the step `page` waits for, which locks it for them."""
    task = page.current_workflow_task
    return isinstance(task, MedicalReviewTask) and task.user_is_reviewer(user) and task.locked_for_user(page, user)


@require_http_methods(["GET", "POST"])
def medical_review(request, page_id):
    page = get_object_or_404(Page, pk=page_id).specific
    task_state = waiting_for_medical_review(page, request.user)  # a refusal is a 403 saying why
    revision = task_state.revision
    reviews = review_claims(page, revision.as_object().body)
    here = reverse("verity_medical_review", args=[page.pk])

    if request.method == "POST":
        action = request.POST.get("action")
        note = request.POST.get("note", "").strip()
        try:
            if action in ("verify", "flag"):
                status = (
                    ClaimVerification.Status.VERIFIED if action == "verify" else ClaimVerification.Status.NEEDS_CHANGES
                )
                verification = give_verdict(
                    page, revision, reviews, request.POST.get("block_id"), request.user, status, note
                )
                return redirect(f"{here}#claim-{verification.block_id}")
            if action == "approve":
                approve_medical_review(task_state, request.user, comment=note)
                messages.success(request, outcome_message(task_state))
                return redirect(reverse("wagtailadmin_home"))
            if action == "reject":
                request_changes(task_state, request.user, reviews, note)
                messages.success(request, outcome_message(task_state))
                return redirect(reverse("wagtailadmin_home"))
        except ReviewRefused as refusal:
            messages.error(request, str(refusal))
            return redirect(here)
        messages.error(request, "Unknown action.")
        return redirect(here)

    earlier = previous_claims(reviews)
    return TemplateResponse(
        request,
        "cms/admin/medical_review.html",
        {
            "page": page,
            "revision": revision,
            "reviews": reviews,
            # Each claim beside its earlier wording, when it changed since its last verdict.
            "cards": [(review, earlier.get(review.claim.block_id)) for review in reviews],
            "pending": unverified(reviews),
            # Every form posts here, never to the address with a #claim-… fragment the verdicts leave,
            # which the browser would carry on to the dashboard after approval.
            "here": here,
            "preview_url": reverse("wagtailadmin_pages:workflow_preview", args=[page.pk, task_state.task_id]),
        },
    )


def post_in_medical_review(request, page):
    """The page editor, for a reviewer of the post's medical step: what is under review, read-only."""
    task_state = page.current_workflow_task_state
    revision = task_state.revision
    draft = revision.as_object()
    return TemplateResponse(
        request,
        "cms/admin/post_in_medical_review.html",
        {
            "page": page,
            "draft": draft,
            "revision": revision,
            "reviews": review_claims(page, draft.body),
            "message": READ_ONLY_MESSAGE,
            "review_url": reverse("verity_medical_review", args=[page.pk]),
            "preview_url": reverse("wagtailadmin_pages:workflow_preview", args=[page.pk, task_state.task_id]),
        },
    )


def refuse_edit(request, page):
    """A save of a post the reviewer only reads: nothing is saved; back to the read-only editor, saying why."""
    messages.error(request, f"Nothing was saved. {READ_ONLY_MESSAGE}")
    return redirect("wagtailadmin_pages:edit", page.pk)
