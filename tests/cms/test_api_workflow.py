"""The editorial workflow over HTTP, with bearer tokens: Wagtail's page endpoints write drafts, Verity's
workflow endpoints (cms/api/workflow.py) submit, approve, reject and verify claims.

The API refuses whatever the admin refuses (tests/cms/test_permission_matrix.py), action by action, with a
JSON problem whose `detail` says why; a refusal is checked by the state after the request.
"""

import json
import uuid
from dataclasses import dataclass

import pytest
from django.contrib.auth.models import User
from wagtail.models import APIToken, Page, PageLogEntry, Revision, TaskState, WorkflowState

from blog.models import BlogPostPage
from cms.models import ClaimVerification
from cms.review.actions import record_verdict
from cms.review.claims import claims_in
from cms.review.publishing_rules import REFUSAL

from .. import factories
from .workflow_helpers import make_team

API = "/api/v3"
PROBLEM = "application/problem+json"


# --- Calling the API ---------------------------------------------------------------------------------------------


def call(client, method, path, token=None, data=None):
    """A request as an HTTP client sends it: a JSON body, or none at all."""
    headers = {"HTTP_AUTHORIZATION": f"Bearer {token}"} if token else {}
    if data is None:
        return client.generic(method.upper(), API + path, **headers)
    return getattr(client, method)(API + path, data=json.dumps(data), content_type="application/json", **headers)


def problem(response, status):
    """The refusal's message, after checking it is a JSON problem with this status."""
    assert response.status_code == status, response.content.decode()[:2000]
    assert response["Content-Type"].startswith(PROBLEM)
    body = response.json()
    assert body["status"] == status and body["detail"], body
    return body["detail"]


def claim(statement, sources, block_id=None):
    return {"type": "claim", "value": {"statement": statement, "sources": [s.pk for s in sources]}, "id": block_id}


def new_post(blog, blocks, action=None, slug="tears-after-sex"):
    meta = {"type": "blog.BlogPostPage", "parent_id": blog.pk}
    if action:
        meta["action"] = action
    return {"meta": meta, "title": "Tears after sex", "slug": slug, "dek": "Why it happens", "body": blocks}


@pytest.fixture
def team(db):
    return make_team()


@pytest.fixture
def tokens(team):
    return {role: APIToken.create_token(user=user, name=f"{role}'s integration")[1] for role, user in team.items()}


def reload(page):
    return type(page).objects.get(pk=page.pk)


# --- The whole flow ---------------------------------------------------------------------------------------------------


def test_editor_writes_and_submits_lead_approves_reviewer_verifies_and_the_post_goes_live(client, blog, team, tokens):
    source = factories.make_source(title="A survey of tears")

    # The editor creates a draft with Wagtail's page endpoint, then updates it: a second claim, a new wording.
    first_id = str(uuid.uuid4())
    response = call(
        client,
        "post",
        "/pages/",
        tokens["editor"],
        new_post(blog, [claim("Crying after sex is common.", [source], first_id)]),
    )
    assert response.status_code == 201, response.content.decode()[:2000]
    post = BlogPostPage.objects.get(pk=response.json()["id"])
    assert not post.live and post.owner == team["editor"]

    blocks = [
        claim("Crying after sex is common, a 2019 survey found.", [source], first_id),
        claim("It usually passes.", [source]),
    ]
    response = call(client, "patch", f"/pages/{post.pk}/", tokens["editor"], {"body": blocks})
    assert response.status_code == 200, response.content.decode()[:2000]
    draft = reload(post).get_latest_revision_as_object()
    assert [c.text for c in claims_in(draft.body)] == [b["value"]["statement"] for b in blocks]
    assert claims_in(draft.body)[0].block_id == first_id
    assert not reload(post).live

    # The editor submits: the post waits for editorial review.
    response = call(client, "post", f"/workflow/pages/{post.pk}/submit/", tokens["editor"])
    assert response.status_code == 200, response.content.decode()
    assert response.json()["current_step"] == "Editorial review"
    assert response.json()["status"] == "in editorial review"

    # The lead approves: medical review.
    response = call(client, "post", f"/workflow/pages/{post.pk}/approve/", tokens["lead"], {"comment": "Reads well."})
    assert response.status_code == 200, response.content.decode()
    assert response.json()["current_step"] == "Medical review"
    assert not reload(post).live

    # The reviewer lists the claims of the revision under review.
    response = call(client, "get", f"/workflow/pages/{post.pk}/claims/", tokens["reviewer"])
    assert response.status_code == 200, response.content.decode()
    listed = response.json()
    assert listed["revision_id"] == reload(post).current_workflow_task_state.revision_id
    assert [(c["text"], c["status"]) for c in listed["claims"]] == [
        ("Crying after sex is common, a 2019 survey found.", "new"),
        ("It usually passes.", "new"),
    ]
    assert listed["claims"][0]["sources"] == [
        {"id": source.pk, "title": "A survey of tears", "year": 2020, "url": "", "live": True}
    ]
    assert listed["unverified"] == [c["block_id"] for c in listed["claims"]]

    # Approval is refused while a claim is unverified; the refusal names it.
    response = call(client, "post", f"/workflow/pages/{post.pk}/approve/", tokens["reviewer"], {})
    detail = problem(response, 409)
    assert "Approval refused: 2 claim(s) not verified" in detail and "It usually passes." in detail
    assert [e["block_id"] for e in response.json()["errors"]] == listed["unverified"]
    post = reload(post)
    assert not post.live and post.current_workflow_task.name == "Medical review"

    # The reviewer verifies one claim: still refused, naming the other one only.
    first, second = listed["claims"]
    response = call(
        client,
        "post",
        f"/workflow/pages/{post.pk}/claims/{first['block_id']}/verify/",
        tokens["reviewer"],
        {"status": "verified", "note": "Matches the survey."},
    )
    assert response.status_code == 200, response.content.decode()
    assert response.json()["status"] == "verified"
    assert response.json()["verdict"]["note"] == "Matches the survey."
    detail = problem(call(client, "post", f"/workflow/pages/{post.pk}/approve/", tokens["reviewer"], {}), 409)
    assert "1 claim(s) not verified" in detail and "It usually passes." in detail and "2019" not in detail

    # Verifies the other, approves: the post is live, with the review line.
    path = f"/workflow/pages/{post.pk}/claims/{second['block_id']}/verify/"
    assert call(client, "post", path, tokens["reviewer"], {"status": "verified"}).status_code == 200
    response = call(client, "post", f"/workflow/pages/{post.pk}/approve/", tokens["reviewer"], {"comment": "Sound."})
    assert response.status_code == 200, response.content.decode()
    assert response.json()["live"] is True and response.json()["workflow"] == "approved"
    post = reload(post)
    assert post.live and [c.text for c in claims_in(post.body)][0].startswith("Crying after sex is common, a 2019")

    page = client.get(post.url).content.decode()
    assert "Medically reviewed by" in page and "Dr. Ana Reyes" in page
    assert '"@type": "MedicalWebPage"' in page

    # The same history as the admin's flow (tests/cms/test_review_flow.py).
    def logged(action):
        return PageLogEntry.objects.filter(page=post, action=action)

    assert logged("verity.claim_verified").count() == 2
    assert {entry.user for entry in logged("verity.claim_verified")} == {team["reviewer"]}
    assert logged("wagtail.workflow.start").get().user == team["editor"]
    assert [entry.user for entry in logged("wagtail.workflow.approve").order_by("timestamp", "pk")] == [
        team["lead"],
        team["reviewer"],
    ]
    assert logged("wagtail.publish").count() == 1
    assert logged("wagtail.create").count() == 1 and logged("wagtail.edit").count() == 2


def test_a_request_for_changes_goes_back_to_the_author_with_the_notes(client, blog, team, tokens):
    source = factories.make_source()
    post = factories.make_post(blog, body=[factories.claim([source], "Crying is rare.")], live=False)
    post.get_workflow().start(post, team["editor"])
    reload(post).current_workflow_task_state.approve(user=team["lead"])
    block_id = claims_in(post.body)[0].block_id

    path = f"/workflow/pages/{post.pk}/claims/{block_id}/verify/"
    detail = problem(call(client, "post", path, tokens["reviewer"], {"status": "needs_changes"}), 400)
    assert detail == "Say what needs to change in a note."
    assert not ClaimVerification.objects.exists()
    flagged = {"status": "needs_changes", "note": "The survey says 46%."}
    assert call(client, "post", path, tokens["reviewer"], flagged).json()["status"] == "needs_changes"
    assert PageLogEntry.objects.filter(page=post, action="verity.claim_needs_changes").count() == 1

    response = call(client, "post", f"/workflow/pages/{post.pk}/reject/", tokens["reviewer"], {"comment": "See notes."})
    assert response.status_code == 200, response.content.decode()
    assert response.json()["workflow"] == "needs_changes" and response.json()["status"] == "changes requested"
    rejected = TaskState.objects.get(status=TaskState.STATUS_REJECTED)
    assert rejected.comment == "See notes.\nClaim “Crying is rare.”: The survey says 46%."
    assert PageLogEntry.objects.filter(page=post, action="wagtail.workflow.reject").get().user == team["reviewer"]

    # The author fixes the claim and submits again: the workflow resumes at the step that sent it back.
    body = [claim("Crying is common.", [source], block_id)]
    assert call(client, "patch", f"/pages/{post.pk}/", tokens["editor"], {"body": body}).status_code == 200
    response = call(client, "post", f"/workflow/pages/{post.pk}/submit/", tokens["editor"])
    assert response.status_code == 200, response.content.decode()
    assert response.json()["workflow"] == "in_progress" and response.json()["current_step"] == "Medical review"
    listed = call(client, "get", f"/workflow/pages/{post.pk}/claims/", tokens["reviewer"]).json()
    assert [(c["text"], c["status"], c["previous_text"]) for c in listed["claims"]] == [
        ("Crying is common.", "changed", "Crying is rare.")
    ]


def test_a_draft_the_admin_would_not_submit_is_refused(client, blog, team, tokens):
    """Drafts save with required fields deferred, as the admin's "Save draft"; submitting needs them all."""
    response = call(client, "post", "/pages/", tokens["editor"], {**new_post(blog, []), "body": []})
    assert response.status_code == 201, response.content.decode()
    post = BlogPostPage.objects.get(pk=response.json()["id"])
    detail = problem(call(client, "post", f"/workflow/pages/{post.pk}/submit/", tokens["editor"]), 400)
    assert detail == "“Tears after sex” is not ready for review: body: This field is required."

    source = factories.make_source()
    blocks = [claim("", [source])]
    assert call(client, "patch", f"/pages/{post.pk}/", tokens["editor"], {"body": blocks}).status_code == 200
    response = call(client, "post", f"/workflow/pages/{post.pk}/submit/", tokens["editor"])
    problem(response, 400)
    assert response.json()["errors"] == [{"loc": ["body", 0, "statement"], "msg": "This field is required."}]
    assert not WorkflowState.objects.exists()


# --- No publishing around the workflow -------------------------------------------------------------------------------


def test_an_editor_cannot_publish_a_post_through_the_api(client, blog, team, tokens):
    source = factories.make_source()
    detail = problem(
        call(client, "post", "/pages/", tokens["editor"], new_post(blog, [claim("A.", [source])], "publish")), 403
    )
    assert "publish" in detail
    assert not BlogPostPage.objects.exists()

    post = factories.make_post(blog, body=[factories.claim([source])], live=False)
    problem(call(client, "patch", f"/pages/{post.pk}/", tokens["editor"], {"meta": {"action": "publish"}}), 403)
    problem(call(client, "post", f"/pages/{post.pk}/actions/publish/", tokens["editor"]), 403)
    post = reload(post)
    assert not post.live and post.live_revision is None
    assert not PageLogEntry.objects.filter(page=post, action="wagtail.publish").exists()


def test_no_one_but_a_superuser_publishes_a_post_around_the_workflow(client, blog, shop, team, tokens):
    """As in the admin (cms/review/publishing_rules.py): not by saving, creating, copying or aliasing; leads neither."""
    source = factories.make_source()
    draft = factories.make_post(blog, body=[factories.claim([source])], live=False)
    live = factories.make_post(blog, body=[factories.claim([source])])
    lead = tokens["lead"]
    refusals = [
        call(client, "post", "/pages/", lead, new_post(blog, [claim("A.", [source])], "publish", slug="new")),
        call(client, "patch", f"/pages/{draft.pk}/", lead, {"title": "Retitled", "meta": {"action": "publish"}}),
        call(client, "post", f"/pages/{draft.pk}/actions/publish/", lead),
        call(client, "post", f"/pages/{live.pk}/actions/copy/", lead, {"slug": "a-copy"}),
        call(client, "post", f"/pages/{live.pk}/actions/copy/", lead, {"slug": "a-copy", "keep_live": True}),
        call(client, "post", f"/pages/{live.pk}/actions/create_alias/", lead, {"slug": "an-alias"}),
    ]
    for response in refusals:
        assert problem(response, 403) == REFUSAL
    assert not BlogPostPage.objects.filter(slug__in=["new", "a-copy", "an-alias"]).exists()
    assert set(BlogPostPage.objects.values_list("pk", "live", "title")) == {
        (draft.pk, False, draft.title),
        (live.pk, True, live.title),
    }
    assert reload(draft).get_latest_revision_as_object().title == draft.title
    assert not PageLogEntry.objects.filter(page=draft, action="wagtail.publish").exists()

    # A copy kept as a draft is no publication; a lead publishes what is not a post; a superuser publishes a post.
    response = call(
        client, "post", f"/pages/{live.pk}/actions/copy/", lead, {"slug": "a-draft-copy", "keep_live": False}
    )
    assert response.status_code == 201 and not BlogPostPage.objects.get(slug="a-draft-copy").live
    product = factories.make_product(shop, live=False)
    assert call(client, "post", f"/pages/{product.pk}/actions/publish/", lead).status_code == 200
    assert reload(product).live
    assert call(client, "post", f"/pages/{draft.pk}/actions/publish/", tokens["admin"]).status_code == 200
    assert reload(draft).live


# --- The permission matrix, over HTTP ------------------------------------------------------------------------------

Y, N = True, False
ROLES = ("anonymous", "editor", "lead", "reviewer", "shop", "admin")

# The rows of tests/cms/test_permission_matrix.py that the API serves, with the same answers. publish_post is
# POST .../actions/publish/; save_and_publish_post is PATCH with meta.action "publish".
# fmt: off
MATRIX = {
    #                              anonymous editor lead reviewer shop admin
    "create_post":                  (N,      Y,     Y,   N,       N,   Y),
    "create_and_publish_post":      (N,      N,     N,   N,       N,   Y),
    "edit_draft_post":              (N,      Y,     Y,   N,       N,   Y),
    "submit_post":                  (N,      Y,     Y,   N,       N,   Y),
    "approve_editorial_step":       (N,      N,     Y,   N,       N,   Y),
    "reject_editorial_step":        (N,      N,     Y,   N,       N,   Y),
    "edit_post_in_medical_review":  (N,      N,     N,   N,       N,   Y),
    "list_claims":                  (N,      N,     N,   Y,       N,   Y),
    "verify_claim":                 (N,      N,     N,   Y,       N,   Y),
    "flag_claim":                   (N,      N,     N,   Y,       N,   Y),
    "approve_medical_step":         (N,      N,     N,   Y,       N,   Y),
    "reject_medical_step":          (N,      N,     N,   Y,       N,   Y),
    "publish_post":                 (N,      N,     N,   N,       N,   Y),
    "save_and_publish_post":        (N,      N,     N,   N,       N,   Y),
    "copy_and_publish_post":        (N,      N,     N,   N,       N,   Y),
    "unpublish_post":               (N,      N,     Y,   N,       N,   Y),
    "delete_draft_post":            (N,      Y,     Y,   N,       N,   Y),
    "delete_live_post":             (N,      N,     Y,   N,       N,   Y),
}
# fmt: on

CASES = [
    pytest.param(role, action, allowed, id=f"{action}-{role}-{'allowed' if allowed else 'refused'}")
    for action, row in MATRIX.items()
    for role, allowed in zip(ROLES, row, strict=True)
]

NEW_TITLE = "Retitled by this request"
NEW_SLUG = "written-in-this-request"


@dataclass
class World:
    blog: object
    source: object
    users: dict
    tokens: dict
    response: object = None

    def token(self, role):
        return self.tokens.get(role)


@pytest.fixture
def world(blog, team, tokens):
    return World(blog=blog, source=factories.make_source(title="A survey of tears"), users=team, tokens=tokens)


def snapshot():
    """Everything a request could create, publish or change."""
    return {
        "tree": set(Page.objects.values_list("pk", "path", "live", "live_revision_id", "expired", "locked")),
        "drafts": set(Page.objects.values_list("pk", "title", "latest_revision_id")),
        "schedules": set(Revision.objects.exclude(approved_go_live_at=None).values_list("pk", "approved_go_live_at")),
        "workflows": set(WorkflowState.objects.values_list("pk", "status", "current_task_state_id")),
        "task_states": set(TaskState.objects.values_list("pk", "status")),
        "verifications": set(ClaimVerification.objects.values_list("pk", flat=True)),
        "revisions": Revision.objects.count(),
        "history": PageLogEntry.objects.count(),
    }


# Content in each state


def draft_post(world, statement="A medical statement.", live=False):
    return factories.make_post(
        world.blog, body=[factories.claim([world.source], statement)], live=live, hero_image=None
    )


def live_post(world):
    return draft_post(world, live=True)


def post_in_editorial_review(world):
    post = draft_post(world)
    post.get_workflow().start(post, world.users["editor"])
    return reload(post)


def post_in_medical_review(world, verified=False):
    post = post_in_editorial_review(world)
    post.current_workflow_task_state.approve(user=world.users["lead"])
    post = reload(post)
    if verified:
        revision = post.current_workflow_task_state.revision
        for found in claims_in(revision.as_object().body):
            record_verdict(post, revision, found, world.users["reviewer"], ClaimVerification.Status.VERIFIED)
    return post


def nothing(world):
    return None


# Requests


def body_of(post, statement):
    """The post's body with its claim reworded."""
    found = claims_in(post.get_latest_revision_as_object().body)[0]
    return [
        {"type": "claim", "id": found.block_id, "value": {"statement": statement, "sources": list(found.source_ids)}}
    ]


def workflow_path(post, action):
    return f"/workflow/pages/{post.pk}/{action}/"


def verdict_path(post):
    return f"/workflow/pages/{post.pk}/claims/{claims_in(post.body)[0].block_id}/verify/"


# Effects


def is_live(world, page):
    return Page.objects.get(pk=page.pk).live


def is_gone(world, page):
    return not Page.objects.filter(pk=page.pk).exists()


def is_retitled(world, page):
    return Page.objects.get(pk=page.pk).get_latest_revision().as_object().title == NEW_TITLE


def is_sent_back(world, post):
    return WorkflowState.objects.for_instance(post).filter(status=WorkflowState.STATUS_NEEDS_CHANGES).exists()


def has_verdict(status):
    return lambda world, post: ClaimVerification.objects.filter(page=post, status=status).exists()


def post_exists(**lookups):
    return lambda world, _: BlogPostPage.objects.filter(**lookups).exists()


@dataclass(frozen=True)
class Action:
    prepare: object  # world -> target
    send: object  # (client, token, world, target) -> response
    happened: object  # (world, target) -> bool


ACTIONS = {
    "create_post": Action(
        prepare=nothing,
        send=lambda client, token, world, _: call(
            client, "post", "/pages/", token, new_post(world.blog, [claim("A claim.", [world.source])], slug=NEW_SLUG)
        ),
        happened=post_exists(slug=NEW_SLUG),
    ),
    "create_and_publish_post": Action(
        prepare=nothing,
        send=lambda client, token, world, _: call(
            client, "post", "/pages/", token, new_post(world.blog, [claim("A.", [world.source])], "publish", NEW_SLUG)
        ),
        happened=post_exists(slug=NEW_SLUG, live=True),
    ),
    "edit_draft_post": Action(
        prepare=draft_post,
        send=lambda client, token, world, post: call(
            client, "patch", f"/pages/{post.pk}/", token, {"title": NEW_TITLE}
        ),
        happened=is_retitled,
    ),
    "submit_post": Action(
        prepare=draft_post,
        send=lambda client, token, world, post: call(client, "post", workflow_path(post, "submit"), token),
        happened=lambda world, post: reload(post).workflow_in_progress,
    ),
    "approve_editorial_step": Action(
        prepare=post_in_editorial_review,
        send=lambda client, token, world, post: call(client, "post", workflow_path(post, "approve"), token, {}),
        happened=lambda world, post: reload(post).current_workflow_task.name == "Medical review",
    ),
    "reject_editorial_step": Action(
        prepare=post_in_editorial_review,
        send=lambda client, token, world, post: call(
            client, "post", workflow_path(post, "reject"), token, {"comment": "Redo it"}
        ),
        happened=is_sent_back,
    ),
    "edit_post_in_medical_review": Action(
        prepare=post_in_medical_review,
        send=lambda client, token, world, post: call(
            client, "patch", f"/pages/{post.pk}/", token, {"title": NEW_TITLE, "body": body_of(post, "Changed.")}
        ),
        happened=is_retitled,
    ),
    "list_claims": Action(
        prepare=post_in_medical_review,
        send=lambda client, token, world, post: call(client, "get", workflow_path(post, "claims"), token),
        happened=lambda world, post: world.response.status_code == 200 and len(world.response.json()["claims"]) == 1,
    ),
    "verify_claim": Action(
        prepare=post_in_medical_review,
        send=lambda client, token, world, post: call(
            client, "post", verdict_path(post), token, {"status": "verified", "note": "Checked"}
        ),
        happened=has_verdict("verified"),
    ),
    "flag_claim": Action(
        prepare=post_in_medical_review,
        send=lambda client, token, world, post: call(
            client, "post", verdict_path(post), token, {"status": "needs_changes", "note": "Cite the 2019 survey."}
        ),
        happened=has_verdict("needs_changes"),
    ),
    "approve_medical_step": Action(
        prepare=lambda world: post_in_medical_review(world, verified=True),
        send=lambda client, token, world, post: call(client, "post", workflow_path(post, "approve"), token, {}),
        happened=is_live,
    ),
    "reject_medical_step": Action(
        prepare=post_in_medical_review,
        send=lambda client, token, world, post: call(
            client, "post", workflow_path(post, "reject"), token, {"comment": "No"}
        ),
        happened=is_sent_back,
    ),
    "publish_post": Action(
        prepare=draft_post,
        send=lambda client, token, world, post: call(client, "post", f"/pages/{post.pk}/actions/publish/", token),
        happened=is_live,
    ),
    "save_and_publish_post": Action(
        prepare=draft_post,
        send=lambda client, token, world, post: call(
            client, "patch", f"/pages/{post.pk}/", token, {"title": NEW_TITLE, "meta": {"action": "publish"}}
        ),
        happened=is_live,
    ),
    "copy_and_publish_post": Action(
        prepare=live_post,
        send=lambda client, token, world, post: call(
            client, "post", f"/pages/{post.pk}/actions/copy/", token, {"slug": "a-copy", "keep_live": True}
        ),
        happened=post_exists(slug="a-copy"),
    ),
    "unpublish_post": Action(
        prepare=live_post,
        send=lambda client, token, world, post: call(client, "post", f"/pages/{post.pk}/actions/unpublish/", token, {}),
        happened=lambda world, post: not is_live(world, post),
    ),
    "delete_draft_post": Action(
        prepare=draft_post,
        send=lambda client, token, world, post: call(client, "delete", f"/pages/{post.pk}/", token),
        happened=is_gone,
    ),
    "delete_live_post": Action(
        prepare=live_post,
        send=lambda client, token, world, post: call(client, "delete", f"/pages/{post.pk}/", token),
        happened=is_gone,
    ),
}


def test_every_row_of_the_matrix_has_a_request():
    assert set(MATRIX) == set(ACTIONS)


def test_the_matrix_agrees_with_the_admins():
    from .test_permission_matrix import MATRIX as ADMIN_MATRIX

    shared = set(MATRIX) & set(ADMIN_MATRIX)
    assert len(shared) >= 14
    assert {row: MATRIX[row] for row in shared} == {row: ADMIN_MATRIX[row] for row in shared}
    assert MATRIX["save_and_publish_post"] == MATRIX["publish_post"] == ADMIN_MATRIX["publish_post"]
    assert MATRIX["flag_claim"] == MATRIX["list_claims"] == ADMIN_MATRIX["verify_claim"]


@pytest.mark.parametrize("role, action, allowed", CASES)
def test_permission_matrix(client, world, role, action, allowed):
    step = ACTIONS[action]
    target = step.prepare(world)
    before = snapshot()

    world.response = response = step.send(client, world.token(role), world, target)

    assert response.status_code < 500, response.content.decode()[:2000]
    if allowed:
        assert response.status_code < 300, response.content.decode()[:2000]
        assert step.happened(world, target), f"{role} could not {action} ({response.status_code})"
        return
    problem(response, 401 if role == "anonymous" else 403)
    assert not step.happened(world, target), f"{role} could {action}"
    after = snapshot()
    for part in before:
        assert after[part] == before[part], f"{role} changed {part} by trying to {action}"


# --- Refusals: who, what state, what input --------------------------------------------------------------------


def test_an_unknown_revoked_or_malformed_token_is_refused(client, world):
    post = post_in_medical_review(world, verified=True)
    revoked, revoked_token = APIToken.create_token(user=world.users["reviewer"], name="old")
    revoked.revoke()
    inactive = User.objects.create_user("gone", "gone@example.com", "pw", is_active=False)
    inactive.groups.set(world.users["reviewer"].groups.all())
    inactive_token = APIToken.create_token(user=inactive, name="gone")[1]
    before = snapshot()
    for token in ("wagtail_notarealtoken", revoked_token, inactive_token):
        detail = problem(call(client, "post", workflow_path(post, "approve"), token, {}), 401)
        assert detail == "The API token is unknown or revoked, or its user is inactive."
        problem(call(client, "patch", f"/pages/{post.pk}/", token, {"title": NEW_TITLE}), 401)
    detail = problem(call(client, "post", workflow_path(post, "approve"), None, {}), 401)
    assert detail.startswith("Authentication required")
    response = client.post(
        f"{API}{workflow_path(post, 'approve')}", HTTP_AUTHORIZATION=f"Token {world.token('reviewer')}"
    )
    problem(response, 401)
    # A session is no credential for the API.
    client.force_login(world.users["reviewer"])
    problem(client.post(f"{API}{workflow_path(post, 'approve')}"), 401)
    assert snapshot() == before


def test_an_unknown_page_or_claim_is_404(client, world):
    reviewer = world.token("reviewer")
    for method, path in [
        ("post", "/workflow/pages/999999/submit/"),
        ("post", "/workflow/pages/999999/approve/"),
        ("post", "/workflow/pages/999999/reject/"),
        ("get", "/workflow/pages/999999/claims/"),
        ("post", "/workflow/pages/999999/claims/abc/verify/"),
    ]:
        data = {"status": "verified"} if path.endswith("verify/") else None
        assert problem(call(client, method, path, reviewer, data), 404) == "No page with id 999999."
    post = post_in_medical_review(world)
    path = f"/workflow/pages/{post.pk}/claims/not-a-claim/verify/"
    detail = problem(call(client, "post", path, reviewer, {"status": "verified"}), 404)
    assert detail == "No claim not-a-claim in the revision under review."
    assert not ClaimVerification.objects.exists()


def test_an_action_out_of_its_step_is_409(client, world):
    draft = draft_post(world)
    in_editorial = post_in_editorial_review(world)
    in_medical = post_in_medical_review(world)
    before = snapshot()

    detail = problem(call(client, "post", workflow_path(in_editorial, "submit"), world.token("editor")), 409)
    assert detail == f"“{in_editorial.title}” is already in review: editorial review."
    detail = problem(call(client, "post", workflow_path(draft, "approve"), world.token("lead"), {}), 409)
    assert detail == f"“{draft.title}” is not in review: submit it first."
    detail = problem(call(client, "get", workflow_path(in_editorial, "claims"), world.token("reviewer")), 409)
    assert detail == f"“{in_editorial.title}” is not waiting for medical review: it is in editorial review."
    detail = problem(
        call(client, "post", verdict_path(in_editorial), world.token("reviewer"), {"status": "verified"}), 409
    )
    assert "not waiting for medical review" in detail
    problem(call(client, "post", verdict_path(draft), world.token("reviewer"), {"status": "verified"}), 409)
    detail = problem(call(client, "post", workflow_path(in_medical, "approve"), world.token("reviewer"), {}), 409)
    assert detail.startswith("Approval refused: 1 claim(s) not verified: Claim “A medical statement.”")
    assert snapshot() == before


def test_refusals_say_who_may(client, world):
    in_editorial = post_in_editorial_review(world)
    in_medical = post_in_medical_review(world)
    detail = problem(call(client, "post", workflow_path(in_editorial, "approve"), world.token("editor"), {}), 403)
    assert detail == f"Only Editorial leads act on the editorial review of “{in_editorial.title}”."
    detail = problem(call(client, "post", workflow_path(in_medical, "approve"), world.token("lead"), {}), 403)
    assert detail == f"Only Medical reviewers act on the medical review of “{in_medical.title}”."
    detail = problem(call(client, "post", verdict_path(in_medical), world.token("lead"), {"status": "verified"}), 403)
    assert detail == f"Only Medical reviewers review the claims of “{in_medical.title}”."
    detail = problem(call(client, "post", workflow_path(in_medical, "submit"), world.token("shop")), 403)
    assert detail == f"You may not edit “{in_medical.title}”, so you may not submit it for review."
    # Editing a post in medical review: it is locked for everyone but superusers.
    detail = problem(call(client, "patch", f"/pages/{in_medical.pk}/", world.token("lead"), {"title": NEW_TITLE}), 403)
    assert "locked" in detail
    assert not ClaimVerification.objects.exists()
    assert reload(in_medical).current_workflow_task.name == "Medical review"


def test_shop_managers_and_reviewers_cannot_edit_a_post(client, world):
    draft = draft_post(world)
    in_medical = post_in_medical_review(world)
    before = snapshot()
    problem(call(client, "patch", f"/pages/{draft.pk}/", world.token("shop"), {"title": NEW_TITLE}), 403)
    body = {"body": body_of(in_medical, "The reviewer rewrote this.")}
    problem(call(client, "patch", f"/pages/{in_medical.pk}/", world.token("reviewer"), body), 403)
    assert snapshot() == before
    assert not is_retitled(world, draft)
    assert claims_in(reload(in_medical).get_latest_revision_as_object().body)[0].text == "A medical statement."


@pytest.mark.parametrize(
    "data, message",
    [
        ({"status": "approved"}, "The status is verified or needs_changes, not “approved”."),
        ({"status": "needs_changes", "note": "   "}, "Say what needs to change in a note."),
        ({"status": "verified", "note": "null \x00 byte"}, "The note may not contain NUL characters."),
    ],
)
def test_invalid_verdicts_are_400(client, world, data, message):
    post = post_in_medical_review(world)
    assert problem(call(client, "post", verdict_path(post), world.token("reviewer"), data), 400) == message
    assert not ClaimVerification.objects.exists()


def test_a_body_that_does_not_match_its_schema_is_422(client, world):
    post = post_in_medical_review(world)
    problem(call(client, "post", verdict_path(post), world.token("reviewer"), {"note": "no status"}), 422)
    response = client.post(
        f"{API}{verdict_path(post)}",
        data="{not json",
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {world.token('reviewer')}",
    )
    assert 400 <= response.status_code < 500
    assert not ClaimVerification.objects.exists()


def test_the_workflow_endpoints_are_in_the_openapi_schema(client, db):
    schema = client.get(f"{API}/openapi.json").json()
    paths = schema["paths"]
    for path in ("submit", "approve", "reject", "claims", "claims/{block_id}/verify"):
        assert f"{API}/workflow/pages/{{page_id}}/{path}/" in paths
    verify = paths[f"{API}/workflow/pages/{{page_id}}/claims/{{block_id}}/verify/"]["post"]
    assert set(verify["responses"]) >= {"200", "400", "401", "403", "404", "409"}
