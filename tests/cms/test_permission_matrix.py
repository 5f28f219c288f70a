"""Who may do what, through the admin's real URLs: every role against every editorial action.

Each row of MATRIX is an action, each column a role: Y, the admin lets that role do it; N, it refuses.
A refusal is checked by the state after the request, not by its status code: the action's effect is
absent, and no page, publication, schedule, workflow step, claim verification or snippet was created or
changed (`snapshot`). Where Wagtail turns a "publish" by someone without publish permission into an
ordinary save, a draft revision may appear (`saves_draft_when_refused`), and still nothing goes live or
is scheduled. Anonymous requests are also sent to the login page.

The rules (issue 3): editors add and edit posts, experts, sources and shop content and submit posts; they
never publish, schedule, unpublish or delete live pages. Editorial leads own the editorial step and may
publish and schedule, but blog posts go live only through the workflow, which always includes the medical
step; leads publish other pages directly. Medical reviewers own the medical step: they see the draft under
review and verify its claims, and cannot edit it, publish, unpublish or delete. Shop managers manage the
shop and nothing else. Admins (superusers) may do everything.
"""

import datetime
from dataclasses import dataclass
from decimal import Decimal

import pytest
from django.contrib.auth.models import User
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone
from wagtail.models import (
    GroupPagePermission,
    ModelLogEntry,
    Page,
    PageLogEntry,
    Revision,
    TaskState,
    WorkflowState,
)
from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text

from blog.models import BlogIndexPage, BlogPostPage
from cms.models import ClaimVerification, Expert, HomePage, Source
from cms.review.actions import record_verdict
from cms.review.claims import claims_in
from cms.review.roles import MEDICAL_REVIEWERS, SHOP_MANAGERS, ensure_roles
from shop.models import CollectionItem, CollectionPage, ProductImage, ProductPage, ShopIndexPage

from .. import factories
from ..module_db import rolled_back_after_module
from .workflow_helpers import claim_block, make_team, post_form

Y, N = True, False
ROLES = ("anonymous", "editor", "lead", "reviewer", "shop", "admin")

# fmt: off
MATRIX = {
    #                              anonymous editor lead reviewer shop admin
    "create_post":                  (N,      Y,     Y,   N,       N,   Y),
    "create_and_publish_post":      (N,      N,     N,   N,       N,   Y),
    "edit_draft_post":              (N,      Y,     Y,   N,       N,   Y),
    "submit_post":                  (N,      Y,     Y,   N,       N,   Y),
    "approve_editorial_step":       (N,      N,     Y,   N,       N,   Y),
    "reject_editorial_step":        (N,      N,     Y,   N,       N,   Y),
    "view_draft_in_medical_review": (N,      Y,     Y,   Y,       N,   Y),
    "edit_post_in_medical_review":  (N,      N,     N,   N,       N,   Y),
    "verify_claim":                 (N,      N,     N,   Y,       N,   Y),
    "approve_medical_step":         (N,      N,     N,   Y,       N,   Y),
    "reject_medical_step":          (N,      N,     N,   Y,       N,   Y),
    "publish_post":                 (N,      N,     N,   N,       N,   Y),
    "bulk_publish_post":            (N,      N,     N,   N,       N,   Y),
    "copy_and_publish_post":        (N,      N,     N,   N,       N,   Y),
    "schedule_post":                (N,      N,     N,   N,       N,   Y),
    "date_post_in_review":          (N,      N,     Y,   N,       N,   Y),
    "unpublish_post":               (N,      N,     Y,   N,       N,   Y),
    "delete_draft_post":            (N,      Y,     Y,   N,       N,   Y),
    "delete_live_post":             (N,      N,     Y,   N,       N,   Y),
    "create_product":               (N,      Y,     Y,   N,       Y,   Y),
    "edit_product":                 (N,      Y,     Y,   N,       Y,   Y),
    "edit_collection":              (N,      Y,     Y,   N,       Y,   Y),
    "publish_product":              (N,      N,     Y,   N,       Y,   Y),
    "bulk_publish_product":         (N,      N,     Y,   N,       Y,   Y),
    "schedule_product":             (N,      N,     Y,   N,       Y,   Y),
    "unpublish_product":            (N,      N,     Y,   N,       Y,   Y),
    "delete_live_product":          (N,      N,     Y,   N,       Y,   Y),
    "create_expert":                (N,      Y,     Y,   N,       N,   Y),
    "edit_expert":                  (N,      Y,     Y,   N,       N,   Y),
    "publish_expert":               (N,      N,     N,   N,       N,   Y),
    "submit_expert":                (N,      Y,     Y,   N,       N,   Y),
    "approve_expert_change":        (N,      N,     N,   Y,       N,   Y),
    "create_source":                (N,      Y,     Y,   N,       N,   Y),
    "publish_source":               (N,      N,     N,   N,       N,   Y),
}
# fmt: on
# view_draft_in_medical_review opens the draft under review in the page editor; edit_post_in_medical_review
# saves a change to it (the medical step locks the post for everyone but admins). bulk_publish_* is the page
# listing's bulk "Publish"; copy_and_publish_post copies a live post with "Publish copies". schedule_* is
# "Publish" with a go-live date; date_post_in_review saves a go-live date on a post in editorial review, which
# the workflow's last approval turns into a schedule. delete_draft_post deletes a draft someone else wrote.
# Experts and sources go live only through "Expert and source review" (issue 11): submit_expert submits an
# edit to it, approve_expert_change approves a submitted change of credentials through the snippet's workflow
# action view, after which it is live (tests/cms/review/test_expert_review.py follows the whole flow).

CASES = [
    pytest.param(role, action, allowed, id=f"{action}-{role}-{'allowed' if allowed else 'refused'}")
    for action, row in MATRIX.items()
    for role, allowed in zip(ROLES, row, strict=True)
]

NEW_TITLE = "Retitled by this request"
DRAFT_MARKER = "Only the draft under review says this."


# --- The people and sections, made once for the module and rolled back after it -----------------------


@pytest.fixture(scope="module")
def module_media(tmp_path_factory):
    with override_settings(MEDIA_ROOT=tmp_path_factory.mktemp("permission-matrix-media")):
        yield


@pytest.fixture(autouse=True)
def media_in_tmp(module_media):
    """Overrides the suite's per-test media folder: the module's images outlive a single test."""


@pytest.fixture(scope="module")
def world_ids(django_db_setup, django_db_blocker, module_media):
    with rolled_back_after_module(django_db_blocker), django_db_blocker.unblock():
        home = HomePage.objects.get()
        team = make_team()
        yield {
            "users": {role: user.pk for role, user in team.items()},
            "blog": factories.add_page(home, BlogIndexPage(title="Blog", slug="blog")).pk,
            "shop": factories.add_page(home, ShopIndexPage(title="Shop", slug="shop")).pk,
            "source": factories.make_source(title="A survey of tears").pk,
            "image": factories.make_image("Product photo").pk,
        }


@dataclass
class World:
    """This test's fresh copies of the module's people and sections (Wagtail caches permissions on users)."""

    users: dict
    blog: BlogIndexPage
    shop: ShopIndexPage
    source: Source
    image_id: int
    response: object = None

    def user(self, role):
        return None if role == "anonymous" else self.users[role]


@pytest.fixture
def world(world_ids, db):
    return World(
        users={role: User.objects.get(pk=pk) for role, pk in world_ids["users"].items()},
        blog=BlogIndexPage.objects.get(pk=world_ids["blog"]),
        shop=ShopIndexPage.objects.get(pk=world_ids["shop"]),
        source=Source.objects.get(pk=world_ids["source"]),
        image_id=world_ids["image"],
    )


# --- What a refused request must leave as it was --------------------------------------------------------


def snapshot():
    """Everything a request could create, publish or change, in parts; DRAFT_PARTS are the draft ones."""
    return {
        "tree": set(Page.objects.values_list("pk", "path", "live", "live_revision_id", "expired", "locked")),
        "schedules": set(Revision.objects.exclude(approved_go_live_at=None).values_list("pk", "approved_go_live_at")),
        "workflows": set(WorkflowState.objects.values_list("pk", "status", "current_task_state_id")),
        "task_states": set(TaskState.objects.values_list("pk", "status")),
        "verifications": set(ClaimVerification.objects.values_list("pk", flat=True)),
        "snippets": set(Expert.objects.values_list("pk", "name", "live", "live_revision_id"))
        | set(Source.objects.values_list("pk", "title", "live", "live_revision_id")),
        "drafts": set(Page.objects.values_list("pk", "title", "latest_revision_id", "go_live_at"))
        | set(Expert.objects.values_list("pk", "latest_revision_id"))
        | set(Source.objects.values_list("pk", "latest_revision_id")),
        "revisions": Revision.objects.count(),
        "history": PageLogEntry.objects.count() + ModelLogEntry.objects.count(),
    }


DRAFT_PARTS = {"drafts", "revisions", "history"}


# --- Content in each state -------------------------------------------------------------------------------


def reload(page):
    return type(page).objects.get(pk=page.pk)


def draft_post(world, statement="A medical statement.", live=False):
    body = [factories.claim([world.source], statement)]
    return factories.make_post(world.blog, body=body, live=live, hero_image=None)


def live_post(world):
    return draft_post(world, live=True)


def post_in_editorial_review(world):
    post = draft_post(world)
    post.get_workflow().start(post, world.users["editor"])
    return reload(post)


def post_in_medical_review(world, verified=False):
    post = draft_post(world, DRAFT_MARKER)
    post.get_workflow().start(post, world.users["editor"])
    reload(post).current_workflow_task_state.approve(user=world.users["lead"])
    post = reload(post)
    if verified:
        revision = post.current_workflow_task_state.revision
        for claim in claims_in(revision.as_object().body):
            record_verdict(post, revision, claim, world.users["reviewer"], ClaimVerification.Status.VERIFIED)
    return post


def unsaved_product(n):
    return ProductPage(
        title=f"Product {n}",
        slug=f"product-{n}",
        sku=f"SKU-{n}",
        price=Decimal("20.00"),
        currency="USD",
        buy_url=f"https://shop.example.com/{n}",
    )


def product(world, live=False):
    page = unsaved_product(next(factories.counter))
    page.images = [ProductImage(image_id=world.image_id, sort_order=0)]
    return factories.add_page(world.shop, page, live=live)


def live_product(world):
    return product(world, live=True)


def draft_collection(world):
    n = next(factories.counter)
    collection = CollectionPage(title=f"Collection {n}", slug=f"collection-{n}")
    collection.items = [CollectionItem(product=live_product(world), sort_order=0)]
    return factories.add_page(world.shop, collection, live=False)


def expert(world):
    return factories.make_expert(photo=False)


def expert_change_in_review(world):
    """A live expert with a change of credentials an editor submitted to "Expert and source review"."""
    instance = factories.make_expert(photo=False)
    instance.credentials = "MD, PhD"
    instance.save_revision(user=world.users["editor"])
    Expert.get_default_workflow().start(instance, world.users["editor"])
    return instance


def approve_expert_change(client, world, instance):
    task_state = Expert.objects.get(pk=instance.pk).current_workflow_task_state
    return client.post(
        reverse("wagtailsnippets_cms_expert:workflow_action", args=[instance.pk, "approve", task_state.pk])
    )


# --- Admin form data ---------------------------------------------------------------------------------------


def page_fields(page, **fields):
    """What every page's admin form posts besides its own fields."""
    return {
        "title": page.title,
        "slug": page.slug,
        "seo_title": "",
        "search_description": "",
        "go_live_at": "",
        "expire_at": "",
        "comments": inline_formset([]),
        **fields,
    }


def with_action(data, action):
    if action:
        data[action] = "1"
    return data


def existing_post_form(post, action=None, **fields):
    claims = claims_in(post.get_latest_revision_as_object().body)
    blocks = [claim_block(c.text, Source.objects.filter(pk__in=c.source_ids), c.block_id) for c in claims]
    data = post_form(fields.pop("title", post.title), post.slug, blocks, action)
    return {**data, **fields}


def product_form(world, page, action=None, **fields):
    data = page_fields(
        page,
        summary="",
        sku=page.sku,
        currency=page.currency,
        price=str(page.price),
        compare_at_price="",
        availability=page.availability,
        buy_url=page.buy_url,
        description=rich_text(""),
        images=inline_formset([{"image": world.image_id}]),
    )
    return with_action(nested_form_data({**data, **fields}), action)


def collection_form(collection, **fields):
    items = [{"id": item.pk, "product": item.product_id} for item in collection.items.all()]
    data = page_fields(
        collection, intro="", bundle_price="", bundle_buy_url="", items=inline_formset(items, initial=len(items))
    )
    return nested_form_data({**data, **fields})


def expert_form(instance=None, action=None, **fields):
    data = {
        "honorific": "Dr.",
        "name": instance.name if instance else "New Expert",
        "credentials": "PhD",
        "slug": instance.slug if instance else "new-expert",
        "specialty": "",
        "affiliation": "",
        "photo": "",
        "bio": rich_text(""),
        "user": "",
        "go_live_at": "",
        "expire_at": "",
    }
    return with_action({**data, **fields}, action)


def source_form():
    fields = ("authors", "publisher", "url", "doi", "pmid", "go_live_at", "expire_at")
    return {"title": "A new study", "year": "2021", "kind": "survey", **dict.fromkeys(fields, "")}


def tomorrow():
    return (timezone.now() + datetime.timedelta(days=1)).strftime("%Y-%m-%d %H:%M")


# --- The admin's URLs ------------------------------------------------------------------------------------------


def edit_url(page):
    return reverse("wagtailadmin_pages:edit", args=[page.pk])


def post_add_url(world):
    return reverse("wagtailadmin_pages:add", args=["blog", "blogpostpage", world.blog.pk])


def workflow_action_url(page, action):
    return reverse("wagtailadmin_pages:workflow_action", args=[page.pk, action, page.current_workflow_task_state.pk])


def medical_review_url(page):
    return reverse("verity_medical_review", args=[page.pk])


def unpublish(client, world, page):
    return client.post(reverse("wagtailadmin_pages:unpublish", args=[page.pk]))


def delete(client, world, page):
    return client.post(reverse("wagtailadmin_pages:delete", args=[page.pk]))


def bulk_publish(client, world, page):
    url = reverse("wagtail_bulk_action", args=["wagtailcore", "page", "publish"])
    return client.post(f"{url}?id={page.pk}", {"include_descendants": ""})


def copy_and_publish(client, world, page):
    data = {"new_title": "A copy", "new_slug": "a-copy", "new_parent_page": world.blog.pk, "publish_copies": "on"}
    return client.post(reverse("wagtailadmin_pages:copy", args=[page.pk]), data)


def open_draft(client, world, post):
    """The editor shows the draft under review (read-only while it waits for medical review)."""
    return client.get(edit_url(post))


# --- How each effect shows ---------------------------------------------------------------------------------------


def is_live(world, page):
    return Page.objects.get(pk=page.pk).live


def is_not_live(world, page):
    return not is_live(world, page)


def is_scheduled(world, page):
    page = Page.objects.get(pk=page.pk)
    return not page.live and page.revisions.exclude(approved_go_live_at=None).exists()


def has_go_live_date_in_review(world, post):
    """The revision under review now carries a go-live date: its last approval will schedule it."""
    post = reload(post)
    return post.workflow_in_progress and bool(post.get_latest_revision().content["go_live_at"])


def is_gone(world, page):
    return not Page.objects.filter(pk=page.pk).exists()


def is_retitled(world, page):
    return Page.objects.get(pk=page.pk).get_latest_revision().as_object().title == NEW_TITLE


def is_sent_back(world, post):
    return WorkflowState.objects.for_instance(post).filter(status=WorkflowState.STATUS_NEEDS_CHANGES).exists()


def shows_the_draft(world, post):
    return world.response.status_code == 200 and DRAFT_MARKER in world.response.content.decode()


def expert_is_retitled(world, instance):
    return Expert.objects.get(pk=instance.pk).latest_revision.as_object().name == NEW_TITLE


def page_exists(model, **lookups):
    return lambda world, _: model.objects.filter(**lookups).exists()


# --- The actions: what each prepares, the request it sends, and how its effect shows -------------------------------


@dataclass(frozen=True)
class Action:
    prepare: object  # world -> target
    send: object  # (client, world, target) -> response
    happened: object  # (world, target) -> bool
    saves_draft_when_refused: bool = False


def nothing(world):
    return None


NEW_POST = "written-in-this-request"

ACTIONS = {
    "create_post": Action(
        prepare=nothing,
        send=lambda client, world, _: client.post(
            post_add_url(world), post_form("New post", NEW_POST, [claim_block("A claim.", [world.source])])
        ),
        happened=page_exists(BlogPostPage, slug=NEW_POST),
    ),
    "create_and_publish_post": Action(
        prepare=nothing,
        send=lambda client, world, _: client.post(
            post_add_url(world),
            post_form("New post", NEW_POST, [claim_block("A claim.", [world.source])], "action-publish"),
        ),
        happened=page_exists(BlogPostPage, slug=NEW_POST, live=True),
    ),
    "edit_draft_post": Action(
        prepare=draft_post,
        send=lambda client, world, post: client.post(edit_url(post), existing_post_form(post, title=NEW_TITLE)),
        happened=is_retitled,
    ),
    "submit_post": Action(
        prepare=draft_post,
        send=lambda client, world, post: client.post(edit_url(post), existing_post_form(post, "action-submit")),
        happened=lambda world, post: reload(post).workflow_in_progress,
    ),
    "approve_editorial_step": Action(
        prepare=post_in_editorial_review,
        send=lambda client, world, post: client.post(workflow_action_url(post, "approve"), {"comment": ""}),
        happened=lambda world, post: reload(post).current_workflow_task.name == "Medical review",
    ),
    "reject_editorial_step": Action(
        prepare=post_in_editorial_review,
        send=lambda client, world, post: client.post(workflow_action_url(post, "reject"), {"comment": "Redo it"}),
        happened=is_sent_back,
    ),
    "view_draft_in_medical_review": Action(
        prepare=post_in_medical_review,
        send=open_draft,
        happened=shows_the_draft,
    ),
    "edit_post_in_medical_review": Action(
        prepare=post_in_medical_review,
        send=lambda client, world, post: client.post(edit_url(post), existing_post_form(post, title=NEW_TITLE)),
        happened=is_retitled,
    ),
    "verify_claim": Action(
        prepare=post_in_medical_review,
        send=lambda client, world, post: client.post(
            medical_review_url(post),
            {"action": "verify", "block_id": claims_in(post.body)[0].block_id, "note": "Checked"},
        ),
        happened=lambda world, post: ClaimVerification.objects.filter(page=post, status="verified").exists(),
    ),
    "approve_medical_step": Action(
        prepare=lambda world: post_in_medical_review(world, verified=True),
        send=lambda client, world, post: client.post(medical_review_url(post), {"action": "approve"}),
        happened=is_live,
    ),
    "reject_medical_step": Action(
        prepare=post_in_medical_review,
        send=lambda client, world, post: client.post(medical_review_url(post), {"action": "reject", "note": "No"}),
        happened=is_sent_back,
    ),
    "publish_post": Action(
        prepare=draft_post,
        send=lambda client, world, post: client.post(edit_url(post), existing_post_form(post, "action-publish")),
        happened=is_live,
    ),
    "bulk_publish_post": Action(prepare=draft_post, send=bulk_publish, happened=is_live),
    "copy_and_publish_post": Action(
        prepare=live_post, send=copy_and_publish, happened=page_exists(BlogPostPage, slug="a-copy")
    ),
    "schedule_post": Action(
        prepare=draft_post,
        send=lambda client, world, post: client.post(
            edit_url(post), existing_post_form(post, "action-publish", go_live_at=tomorrow())
        ),
        happened=is_scheduled,
    ),
    "date_post_in_review": Action(
        prepare=post_in_editorial_review,
        send=lambda client, world, post: client.post(edit_url(post), existing_post_form(post, go_live_at=tomorrow())),
        happened=has_go_live_date_in_review,
    ),
    "unpublish_post": Action(prepare=live_post, send=unpublish, happened=is_not_live),
    "delete_draft_post": Action(prepare=draft_post, send=delete, happened=is_gone),
    "delete_live_post": Action(prepare=live_post, send=delete, happened=is_gone),
    "create_product": Action(
        prepare=nothing,
        send=lambda client, world, _: client.post(
            reverse("wagtailadmin_pages:add", args=["shop", "productpage", world.shop.pk]),
            product_form(world, unsaved_product("new")),
        ),
        happened=page_exists(ProductPage, slug="product-new"),
    ),
    "edit_product": Action(
        prepare=product,
        send=lambda client, world, page: client.post(edit_url(page), product_form(world, page, title=NEW_TITLE)),
        happened=is_retitled,
    ),
    "edit_collection": Action(
        prepare=draft_collection,
        send=lambda client, world, collection: client.post(
            edit_url(collection), collection_form(reload(collection), title=NEW_TITLE)
        ),
        happened=is_retitled,
    ),
    "publish_product": Action(
        prepare=product,
        send=lambda client, world, page: client.post(edit_url(page), product_form(world, page, "action-publish")),
        happened=is_live,
        saves_draft_when_refused=True,
    ),
    "bulk_publish_product": Action(prepare=product, send=bulk_publish, happened=is_live),
    "schedule_product": Action(
        prepare=product,
        send=lambda client, world, page: client.post(
            edit_url(page), product_form(world, page, "action-publish", go_live_at=tomorrow())
        ),
        happened=is_scheduled,
        saves_draft_when_refused=True,
    ),
    "unpublish_product": Action(prepare=live_product, send=unpublish, happened=is_not_live),
    "delete_live_product": Action(prepare=live_product, send=delete, happened=is_gone),
    "create_expert": Action(
        prepare=nothing,
        send=lambda client, world, _: client.post(reverse("wagtailsnippets_cms_expert:add"), expert_form()),
        happened=lambda world, _: Expert.objects.filter(slug="new-expert").exists(),
    ),
    "edit_expert": Action(
        prepare=expert,
        send=lambda client, world, instance: client.post(
            reverse("wagtailsnippets_cms_expert:edit", args=[instance.pk]), expert_form(instance, name=NEW_TITLE)
        ),
        happened=expert_is_retitled,
    ),
    "publish_expert": Action(
        prepare=expert,
        send=lambda client, world, instance: client.post(
            reverse("wagtailsnippets_cms_expert:edit", args=[instance.pk]),
            expert_form(instance, "action-publish", name=NEW_TITLE),
        ),
        happened=lambda world, instance: Expert.objects.get(pk=instance.pk).name == NEW_TITLE,
        saves_draft_when_refused=True,
    ),
    "submit_expert": Action(
        prepare=expert,
        send=lambda client, world, instance: client.post(
            reverse("wagtailsnippets_cms_expert:edit", args=[instance.pk]),
            expert_form(instance, "action-submit", name=NEW_TITLE),
        ),
        happened=lambda world, instance: Expert.objects.get(pk=instance.pk).workflow_in_progress,
    ),
    "approve_expert_change": Action(
        prepare=expert_change_in_review,
        send=approve_expert_change,
        happened=lambda world, instance: Expert.objects.get(pk=instance.pk).credentials == "MD, PhD",
    ),
    "create_source": Action(
        prepare=nothing,
        send=lambda client, world, _: client.post(reverse("wagtailsnippets_cms_source:add"), source_form()),
        happened=lambda world, _: Source.objects.filter(title="A new study").exists(),
    ),
    "publish_source": Action(
        prepare=lambda world: factories.make_source(title="An old study"),
        send=lambda client, world, instance: client.post(
            reverse("wagtailsnippets_cms_source:edit", args=[instance.pk]), with_action(source_form(), "action-publish")
        ),
        happened=lambda world, instance: Source.objects.get(pk=instance.pk).title == "A new study",
        saves_draft_when_refused=True,
    ),
}


def test_every_row_of_the_matrix_has_a_request():
    assert set(MATRIX) == set(ACTIONS)


@pytest.mark.parametrize("role, action, allowed", CASES)
def test_permission_matrix(client, world, role, action, allowed):
    step = ACTIONS[action]
    target = step.prepare(world)
    before = snapshot()
    if user := world.user(role):
        client.force_login(user)

    world.response = response = step.send(client, world, target)

    assert response.status_code < 500
    if allowed:
        assert step.happened(world, target), f"{role} could not {action} ({response.status_code})"
        return
    assert not step.happened(world, target), f"{role} could {action}"
    after = snapshot()
    unchecked = DRAFT_PARTS if step.saves_draft_when_refused else set()
    for part in before.keys() - unchecked:
        assert after[part] == before[part], f"{role} changed {part} by trying to {action}"
    if role == "anonymous":
        assert response.status_code == 302 and response.url.startswith(reverse("wagtailadmin_login"))


def test_an_editors_publish_saves_their_draft_and_publishes_nothing(client, world):
    """Wagtail turns a publish by someone without publish permission into a save of their draft."""
    page = product(world)
    client.force_login(world.users["editor"])
    client.post(edit_url(page), product_form(world, page, "action-publish", title=NEW_TITLE))
    assert is_retitled(world, page)
    page = reload(page)
    assert not page.live and page.live_revision is None
    assert not PageLogEntry.objects.filter(page=page, action="wagtail.publish").exists()


def shop_manager_grants():
    granted = GroupPagePermission.objects.filter(group__name=SHOP_MANAGERS)
    return {(permission.page_id, permission.permission.codename) for permission in granted}


def test_shop_managers_hold_page_permissions_on_the_shop_only(world):
    """A new shop section is granted to them; resetting the roles (as every migrate does) keeps it so."""
    expected = {(world.shop.pk, "add_page"), (world.shop.pk, "change_page"), (world.shop.pk, "publish_page")}
    assert shop_manager_grants() == expected
    ensure_roles()
    assert shop_manager_grants() == expected


def test_medical_reviewers_hold_no_page_permissions(world):
    assert not GroupPagePermission.objects.filter(group__name=MEDICAL_REVIEWERS).exists()
