"""The editorial workflow over HTTP, under the admin's rules: submit, approve or request changes, and the
medical review of a revision's claims.

Drafts are written with Wagtail's own page endpoints (POST and PATCH /api/v3/pages/), whose actions carry
the publishing rules of cms/review/publishing_rules.py. These endpoints move a page through its workflow with
Wagtail's own workflow objects and Verity's medical review functions (cms/review/status.py), the same
calls the admin's views make, so they log the same history: `wagtail.workflow.*` entries, each claim's
`verity.claim_verified` or `verity.claim_needs_changes`, and the `wagtail.publish` of the last approval.

Every endpoint needs a bearer token (`manage.py api_tokens`) and acts as its user. A refusal is an RFC 7807
problem with a `detail` that says why: 401 without a valid token, 403 when the user may not do it, 404 for
an unknown page or claim, 409 when the page is not in the state the action needs, 400 for invalid input or
a draft that the admin would not let its user submit (422 when the body does not match its schema, as
everywhere in Wagtail's API).
"""

from datetime import datetime

from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.text import get_text_list
from ninja import Body, Field, Path, Router, Schema
from ninja.errors import AuthenticationError, HttpError
from wagtail.api.v3.auth import BearerTokenAuth
from wagtail.api.v3.errors import ProblemDetail, problem_response
from wagtail.api.v3.urls import api
from wagtail.fields import StreamField
from wagtail.models import Page, WorkflowState

from cms.models import ClaimVerification, MedicalReviewTask
from cms.review.actions import (
    ClaimsNotVerified,
    ReviewRefused,
    UnknownClaim,
    approve_medical_review,
    give_verdict,
    request_changes,
)
from cms.review.status import previous_texts, review_claims, unverified
from cms.review.task import NotAMedicalReviewer, NotInMedicalReview, reviewers_of, waiting_for_medical_review

MAX_ID = 2**63 - 1  # a bigint; larger ids cannot exist, and SQLite refuses to compare with them
VERDICTS = ClaimVerification.Status.values


class TokenAuth(BearerTokenAuth):
    """Wagtail's bearer tokens (wagtail.models.APIToken), refusing with a message that says what is wrong."""

    def __call__(self, request):
        header = request.headers.get("Authorization", "")
        scheme, _, token = header.partition(" ")
        if scheme.lower() != "bearer" or not token.strip():
            request.user = AnonymousUser()  # never a session's user
            raise AuthenticationError(message='Authentication required: send "Authorization: Bearer <API token>".')
        api_token = self.authenticate(request, token.strip())
        if api_token is None:
            raise AuthenticationError(message="The API token is unknown or revoked, or its user is inactive.")
        return api_token


class Refused(HttpError):
    """A refusal, with the items it concerns (for example the unverified claims) as the problem's `errors`."""

    def __init__(self, status, message, errors=None):
        super().__init__(status, message)
        self.errors = errors


def refused_response(request, exc):
    return problem_response(status=exc.status_code, detail=exc.message, errors=exc.errors)


api.add_exception_handler(Refused, refused_response)

router = Router(tags=["workflow"], auth=TokenAuth())

PROBLEM = {"content": {"application/problem+json": {"schema": ProblemDetail.model_json_schema()}}}
ERROR_MEANINGS = {
    400: "Invalid input.",
    401: "No API token, or an unknown or revoked one.",
    403: "The token's user may not do this.",
    404: "No such page, or no such claim in the revision under review.",
    409: "The page is not in the state this action needs.",
    422: "The body does not match its schema.",
}


def operation(method, path, schema, name, summary, errors):
    """An operation answering `schema`, and RFC 7807 problem details for the error statuses it may return."""
    responses = {status: {"description": ERROR_MEANINGS[status], **PROBLEM} for status in errors}
    return getattr(router, method)(
        path,
        response={200: schema, **dict.fromkeys(errors)},
        url_name=name,
        operation_id=name,
        summary=summary,
        openapi_extra={"responses": responses},
    )


# --- Schemas ------------------------------------------------------------------------------------------------


class WorkflowStatus(Schema):
    page_id: int
    title: str = Field(description="The title of the page's latest revision.")
    live: bool
    status: str = Field(
        description='The page\'s state in the admin\'s words: "draft", "in editorial review", "in medical review", '
        '"changes requested", "scheduled", "live", "live + draft"...'
    )
    workflow: str | None = Field(
        description="The status of its latest workflow: in_progress, needs_changes, approved or cancelled; "
        "null if it was never submitted."
    )
    current_step: str | None = Field(description='The step it waits for, for example "Medical review".')
    revision_id: int | None = Field(description="The revision under review, else the latest revision.")
    scheduled_for: datetime | None = Field(description="When an approved revision goes live, if scheduled.")


class DecisionIn(Schema):
    comment: str = Field("", description="For the author; on a request for changes, with each flagged claim's note.")


class VerdictIn(Schema):
    status: str = Field(description="The verdict.", json_schema_extra={"enum": VERDICTS})
    note: str = Field("", description="Why; required when the claim needs changes.")


class ClaimExpert(Schema):
    id: int
    name: str = Field(description="Name with honorific and credentials.")
    live: bool


class ClaimSource(Schema):
    id: int
    title: str
    year: int | None
    url: str = Field(description="Its DOI, else PubMed, else its URL.")
    live: bool


class Verdict(Schema):
    status: str = Field(json_schema_extra={"enum": VERDICTS})
    note: str
    reviewer: str
    revision_id: int | None
    created_at: datetime


class ClaimReviewOut(Schema):
    block_id: str = Field(description="The StreamField block id.")
    type: str = Field(description="statistic, claim or expert_quote.")
    label: str
    text: str
    status: str = Field(
        description="verified or needs_changes (the verdict on this exact wording and sources), new, or changed "
        "(a verdict was given on an earlier wording)."
    )
    previous_text: str | None = Field(description="The earlier wording of a changed claim.")
    expert: ClaimExpert | None
    sources: list[ClaimSource]
    verdict: Verdict | None = Field(description="The verdict on this wording, if any.")


class ClaimsOut(Schema):
    page_id: int
    revision_id: int = Field(description="The revision under medical review.")
    claims: list[ClaimReviewOut]
    unverified: list[str] = Field(description="Block ids of the claims not verified yet: approval needs none.")


# --- What the endpoints share ---------------------------------------------------------------------------------


PageId = Path(..., ge=1, le=MAX_ID, description="The page's id.")


def get_page(page_id, lock=False):
    """The specific page; with `lock`, its row stays locked until the transaction ends, so that two requests
    do not move the same page through its workflow at once."""
    pages = Page.objects.select_for_update() if lock else Page.objects
    page = pages.filter(pk=page_id).first()
    if page is None:
        raise Refused(404, f"No page with id {page_id}.")
    return page.specific


def title_of(page):
    return f"“{page.get_admin_display_title()}”"


def workflow_status(page):
    page = Page.objects.get(pk=page.pk).specific  # what the action left
    state = WorkflowState.objects.for_instance(page).order_by("-created_at", "-pk").first()
    task_state = page.current_workflow_task_state
    latest = page.get_latest_revision()
    return WorkflowStatus(
        page_id=page.pk,
        title=page.get_admin_display_title(),
        live=page.live,
        status=str(page.status_string),
        workflow=state.status if state else None,
        current_step=task_state.task.name if task_state else None,
        revision_id=(task_state.revision_id if task_state else latest.pk if latest else None),
        scheduled_for=page.revisions.exclude(approved_go_live_at=None)
        .values_list("approved_go_live_at", flat=True)
        .first(),
    )


def not_in_review(page):
    state = page.current_workflow_state
    if state and state.status == WorkflowState.STATUS_NEEDS_CHANGES:
        return Refused(409, f"Changes were requested on {title_of(page)}: it waits for its author to submit it again.")
    return Refused(409, f"{title_of(page)} is not in review: submit it first.")


def medical_step(page, user):
    """The medical review task state of `page` that `user` may act on; refused (403, 409) otherwise."""
    try:
        return waiting_for_medical_review(page, user)
    except NotAMedicalReviewer as refusal:
        raise Refused(403, str(refusal)) from refusal
    except NotInMedicalReview as refusal:
        raise Refused(409, str(refusal)) from refusal


def claims_of(task_state, page):
    return review_claims(page, task_state.revision.as_object().body)


def claim_out(review, previous_text=None):
    claim, value = review.claim, review.claim.value
    expert = value.get("expert")
    verification = review.verification
    return ClaimReviewOut(
        block_id=claim.block_id,
        type=claim.block_type,
        label=claim.label,
        text=claim.text,
        status=review.status,
        previous_text=previous_text,
        expert=ClaimExpert(id=expert.pk, name=expert.name_with_credentials, live=expert.live) if expert else None,
        sources=[
            ClaimSource(id=source.pk, title=source.title, year=source.year, url=source.link or "", live=source.live)
            for source in value.get("sources") or []
            if source is not None
        ],
        verdict=Verdict(
            status=verification.status,
            note=verification.note,
            reviewer=verification.reviewer.get_full_name() or verification.reviewer.get_username(),
            revision_id=verification.revision_id,
            created_at=verification.created_at,
        )
        if verification
        else None,
    )


def pending_errors(pending):
    return [
        {"block_id": r.claim.block_id, "label": r.claim.label, "text": r.claim.text, "status": r.status}
        for r in pending
    ]


def submission_errors(page):
    """What the admin's form refuses when its user submits the latest revision (the API saves drafts as the
    admin's "Save draft" does, with required fields deferred): each as {"loc": [...], "msg": ...}."""
    draft = page.get_latest_revision_as_object()
    errors = []
    try:
        draft.full_clean()
    except ValidationError as error:
        errors += [{"loc": [name], "msg": msg} for name, msgs in error.message_dict.items() for msg in msgs]
    for field in draft._meta.get_fields():
        if isinstance(field, StreamField):
            try:
                field.stream_block.clean(getattr(draft, field.name))
            except ValidationError as error:
                errors += [{"loc": loc, "msg": msg} for loc, msg in block_errors(error.as_json_data(), [field.name])]
    # A page type's own submit rules (blog posts: vetted products, a "get help" block on sensitive topics).
    if problems := getattr(draft, "submission_problems", None):
        errors += [{"loc": [field], "msg": msg} for field, msg in problems()]
    return errors


def block_errors(data, loc):
    """(location, message) of each error of a StreamField's validation, as `as_json_data()` nests them."""
    for message in data.get("messages", []):
        yield loc, message
    children = data.get("blockErrors") or {}
    for key, child in children.items() if isinstance(children, dict) else enumerate(children):
        if child:
            yield from block_errors(child, [*loc, key])


def text_input(value, name):
    if "\x00" in value:
        raise Refused(400, f"The {name} may not contain NUL characters.")
    return value.strip()


# --- Endpoints ------------------------------------------------------------------------------------------------------


@operation(
    "post",
    "/pages/{page_id}/submit/",
    WorkflowStatus,
    "workflow_submit",
    "Submit the page's latest revision for review",
    errors=(400, 401, 403, 404, 409, 422),
)
def submit(request, page_id: int = PageId):
    """Starts the page's workflow on its latest revision, or, after a request for changes, resumes it. A draft
    the admin would not submit (a required field empty, an invalid block) is refused with 400, listing why."""
    with transaction.atomic():
        page = get_page(page_id, lock=True)
        permissions = page.permissions_for_user(request.user)
        if not permissions.can_edit():
            raise Refused(403, f"You may not edit {title_of(page)}, so you may not submit it for review.")
        workflow = page.get_workflow()
        state = page.current_workflow_state
        if workflow is None and state is None:
            raise Refused(409, f"{title_of(page)} has no review workflow to submit it to.")
        if page.workflow_in_progress:
            step = page.current_workflow_task
            raise Refused(409, f"{title_of(page)} is already in review{f': {step.name.lower()}' if step else ''}.")
        if permissions.page_locked():
            raise Refused(409, f"{title_of(page)} is locked.")
        if page.get_latest_revision() is None:
            raise Refused(409, f"{title_of(page)} has no revision to submit.")
        if errors := submission_errors(page):
            problems = "; ".join(f"{'.'.join(map(str, e['loc']))}: {e['msg']}" for e in errors)
            raise Refused(400, f"{title_of(page)} is not ready for review: {problems}", errors)
        if state and state.status == WorkflowState.STATUS_NEEDS_CHANGES:
            state.resume(request.user)
        else:
            workflow.start(page, request.user)
    return workflow_status(page)


def decide(request, page_id, action, comment):
    """Approve or reject the page's current step, as its reviewers do in the admin."""
    with transaction.atomic():
        page = get_page(page_id, lock=True)
        task_state = page.current_workflow_task_state
        if task_state is None:
            raise not_in_review(page)
        task = task_state.task.specific
        medical = isinstance(task, MedicalReviewTask)
        actions = {name for name, _label, _modal in task.get_actions(page, request.user)}
        if not (task.user_is_reviewer(request.user) if medical else action in actions):
            raise Refused(403, f"Only {reviewers_of(task)} act on the {task.name.lower()} of {title_of(page)}.")
        comment = text_input(comment, "comment")
        if medical:
            reviews = claims_of(task_state, page)
            try:
                if action == "approve":
                    approve_medical_review(task_state, request.user, comment=comment)
                else:
                    request_changes(task_state, request.user, reviews, comment)
            except ClaimsNotVerified as refusal:
                raise Refused(409, str(refusal), pending_errors(refusal.pending)) from refusal
        else:
            task.on_action(task_state, request.user, action, comment=comment)
    return workflow_status(page)


@operation(
    "post",
    "/pages/{page_id}/approve/",
    WorkflowStatus,
    "workflow_approve",
    "Approve the current review step",
    errors=(400, 401, 403, 404, 409, 422),
)
def approve(request, page_id: int = PageId, data: DecisionIn = Body(DecisionIn())):  # noqa: B008
    """Passes the step the page waits for. The medical step passes only when every claim of the revision under
    review is verified (409 names the others); passing the last step publishes the post, or schedules it."""
    return decide(request, page_id, "approve", data.comment)


@operation(
    "post",
    "/pages/{page_id}/reject/",
    WorkflowStatus,
    "workflow_reject",
    "Request changes at the current review step",
    errors=(400, 401, 403, 404, 409, 422),
)
def reject(request, page_id: int = PageId, data: DecisionIn = Body(DecisionIn())):  # noqa: B008
    """Sends the page back to its author with the comment (in the medical step, with every flagged claim's note)."""
    return decide(request, page_id, "reject", data.comment)


@operation(
    "get",
    "/pages/{page_id}/claims/",
    ClaimsOut,
    "workflow_claims",
    "The claims of the revision under medical review",
    errors=(401, 403, 404, 409, 422),
)
def claims(request, page_id: int = PageId):
    """Every `statistic`, `claim` and `expert_quote` of the revision under medical review, with its expert, its
    sources and its status, as the medical review screen shows them. For the page's medical reviewers."""
    page = get_page(page_id)
    task_state = medical_step(page, request.user)
    reviews = claims_of(task_state, page)
    earlier = previous_texts(reviews)
    return ClaimsOut(
        page_id=page.pk,
        revision_id=task_state.revision_id,
        claims=[claim_out(review, earlier.get(review.claim.block_id)) for review in reviews],
        unverified=[review.claim.block_id for review in unverified(reviews)],
    )


@operation(
    "post",
    "/pages/{page_id}/claims/{block_id}/verify/",
    ClaimReviewOut,
    "workflow_verify_claim",
    "Verify a claim, or flag it as needing changes",
    errors=(400, 401, 403, 404, 409, 422),
)
def verify(
    request,
    data: VerdictIn,
    page_id: int = PageId,
    block_id: str = Path(..., max_length=64, description="The claim's block id."),  # noqa: B008
):
    """Records the reviewer's verdict on this exact wording and these sources, in the page's history. A flag
    (`needs_changes`) needs a note saying what to change."""
    with transaction.atomic():
        page = get_page(page_id, lock=True)
        task_state = medical_step(page, request.user)
        note = text_input(data.note, "note")
        if data.status not in VERDICTS:
            raise Refused(400, f"The status is {get_text_list(VERDICTS, 'or')}, not “{data.status[:40]}”.")
        reviews = claims_of(task_state, page)
        try:
            give_verdict(page, task_state.revision, reviews, block_id, request.user, data.status, note)
        except UnknownClaim as refusal:
            raise Refused(404, f"No claim {block_id[:64]} in the revision under review.") from refusal
        except ReviewRefused as refusal:
            raise Refused(400, str(refusal)) from refusal
    reviews = claims_of(task_state, page)
    review = next(r for r in reviews if r.claim.block_id == block_id)
    return claim_out(review, previous_texts([review]).get(block_id))
