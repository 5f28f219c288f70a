"""Blog posts through the Wagtail admin's own add and edit views, as the editor works.

Every body block type and Shop The Story is posted as the editor's browser posts it: the rest of the
form is read from the rendered page (tests/admin_forms.py), the new blocks are Wagtail's form-data
helpers. A valid post saves a revision; each bad value comes back on its block and field with nothing
saved. What is merely missing (a source, an attribution, a chosen item that no longer exists) may wait
in a draft, as Wagtail defers required fields when saving drafts, and is refused on its field when the
editor submits the post for review.
"""

import json
import re
from decimal import Decimal
from types import SimpleNamespace

import pytest
from django.contrib.auth.models import User
from django.urls import reverse
from django.utils import timezone
from wagtail.models import Revision, WorkflowState
from wagtail.test.utils.form_data import rich_text, streamfield

from blog.models import BlogPostPage
from cms.blocks import RICH_TEXT_FEATURES
from cms.review.claims import claims_in
from cms.review.roles import EDITORS, SHOP_MANAGERS

from .. import factories
from ..admin_forms import assert_form_refused, assert_saved, block_errors, form_data, listblock, replace
from ..cms.workflow_helpers import make_user

SAVE_DRAFT = "Save draft"
SUBMIT = "Submit to Editorial and medical review"
THIS_YEAR = timezone.now().year
REQUIRED = "This field is required."
# What Draftail posts for an empty editor (Wagtail's rich_text("") helper posts an empty paragraph instead).
EMPTY_RICH_TEXT = "null"
MISSING_ID = str(10**6)


@pytest.fixture
def editor(db):
    return make_user("editor", EDITORS)


@pytest.fixture
def as_editor(client, editor):
    client.force_login(editor)
    return client


@pytest.fixture
def chosen(blog, shop):
    """What the editor's choosers pick: an expert, a source, an image, a product (vetted, as a post's products
    must be before it is submitted) and a collection."""
    product = factories.make_product(
        shop, title="Silk Touch Lubricant", vetted_by=make_user("shop", SHOP_MANAGERS), vetted_on=timezone.localdate()
    )
    return SimpleNamespace(
        expert=factories.make_expert(name="Marie Tudor", photo=False),
        source=factories.make_source(title="Postcoital Dysphoria Among Males", year=2019),
        image=factories.make_image("Two people resting"),
        product=product,
        collection=factories.make_collection(shop, [product], title="The Sex Collection"),
    )


@pytest.fixture
def draft(blog, editor):
    """A post the editor saved earlier, to open in the edit view."""
    return factories.make_post(blog, live=False, title="A draft", slug="a-draft", owner=editor)


def add_url(blog):
    return reverse("wagtailadmin_pages:add", args=["blog", "blogpostpage", blog.pk])


def edit_url(post):
    return reverse("wagtailadmin_pages:edit", args=[post.pk])


# --- What the editor types into each block, as the admin form posts it -------------------------------------


def html(text):
    return rich_text(text, features=RICH_TEXT_FEATURES)


def ids(*objects):
    return listblock([str(obj.pk) for obj in objects])


def block_values(chosen):
    """A valid value of every body block type."""
    return {
        "heading": {"text": "Why it happens", "level": "h2"},
        "paragraph": html("<p>Crying after sex is more common than you think.</p>"),
        "list": {"style": "ul", "items": listblock(["Depression", "Crying", "Anxiety"])},
        "image": {"image": {"image": str(chosen.image.pk), "alt_text": "Two people resting"}, "caption": "Rest."},
        "expert_quote": {
            "expert": str(chosen.expert.pk),
            "quote": "For some people, that can involve crying.",
            "sources": ids(chosen.source),
        },
        "quote": {"quote": "When it feels good, I cry.", "attribution": "A survey respondent", "source": ""},
        "statistic": {
            "figure": "41",
            "unit": "percent",
            "statement": "41% of men had experienced postcoital dysphoria.",
            "population": "men",
            "sample_size": "1208",
            "year": "2019",
            "sources": ids(chosen.source),
        },
        "claim": {"statement": "Postcoital dysphoria is sadness after sex.", "sources": ids(chosen.source)},
        "callout": {"tone": "warning", "title": "When to get help", "text": html("<p>Talk to a professional.</p>")},
        "products": {"heading": "Shop Now", "products": ids(chosen.product)},
    }


def with_changes(value, changes):
    """A block value with some fields replaced; the image's own fields merge into it."""
    if not isinstance(value, dict):
        return changes
    merged = dict(value)
    for name, change in changes.items():
        merges = name == "image" and isinstance(change, dict)
        merged[name] = {**value[name], **change} if merges else change
    return merged


def one_block(chosen, block_type, changes=None):
    """A body of one block; `changes` is a dict, or a function of what the choosers pick."""
    value = block_values(chosen)[block_type]
    if callable(changes):
        changes = changes(chosen)
    return streamfield([(block_type, value if changes is None else with_changes(value, changes))])


def every_block(chosen):
    return streamfield(list(block_values(chosen).items()))


def new_post(response, body, shop_the_story=None, button=SAVE_DRAFT):
    """The rendered add form, filled in as an editor does, then `button` clicked."""
    fields = {"title": "What It Means If You Cry After Sex", "slug": "tears-after-sex", "dek": "Normal.", "body": body}
    if shop_the_story is not None:
        fields["shop_the_story"] = shop_the_story
    return replace(form_data(response, button), **fields)


def filled(view, response, body, button, shop_the_story=None):
    """The rendered add or edit form with a new body (and Shop The Story), then `button` clicked."""
    if view == "add":
        return new_post(response, body, shop_the_story, button=button)
    fields = {"body": body} if shop_the_story is None else {"body": body, "shop_the_story": shop_the_story}
    return replace(form_data(response, button), **fields)


def open_form(client, view, blog, draft):
    url = add_url(blog) if view == "add" else edit_url(draft)
    return url, client.get(url)


# --- What the editor sees back ---------------------------------------------------------------------------------


def errors_on(index, *path, messages):
    """The error JSON Wagtail renders for a StreamField whose block `index` has `messages` at `path`."""
    error = {"messages": messages}
    for name in reversed(path):
        error = {"blockErrors": {str(name): error}}
    return {"blockErrors": {str(index): error}}


def assert_refused(response, field, errors):
    """The form again, with the error on exactly that block and field, as the editor's page shows it."""
    assert_form_refused(response)
    assert set(response.context["form"].errors) == {field}, response.context["form"].errors
    assert block_errors(response, field) == errors


def saved_body(post):
    return BlogPostPage.objects.get(pk=post.pk).get_latest_revision_as_object().body


# --- Valid posts save ------------------------------------------------------------------------------------------

EXPECTED = {
    "heading": lambda value, chosen: value["text"] == "Why it happens" and value["level"] == "h2",
    "paragraph": lambda value, chosen: "Crying after sex is more common" in value.source,
    "list": lambda value, chosen: list(value["items"]) == ["Depression", "Crying", "Anxiety"],
    "image": lambda value, chosen: (
        value["image"].pk == chosen.image.pk
        and value["image"].contextual_alt_text == "Two people resting"
        and value["caption"] == "Rest."
    ),
    "expert_quote": lambda value, chosen: (
        value["expert"] == chosen.expert and list(value["sources"]) == [chosen.source]
    ),
    "quote": lambda value, chosen: value["attribution"] == "A survey respondent" and value["source"] is None,
    "statistic": lambda value, chosen: (
        (value["figure"], value["sample_size"], value["year"]) == (Decimal("41"), 1208, 2019)
        and list(value["sources"]) == [chosen.source]
    ),
    "claim": lambda value, chosen: list(value["sources"]) == [chosen.source],
    "callout": lambda value, chosen: value["tone"] == "warning" and "Talk to a professional." in value["text"].source,
    "products": lambda value, chosen: list(value["products"]) == [chosen.product],
}


@pytest.mark.parametrize("block_type", list(EXPECTED))
def test_each_body_block_type_saves_from_the_add_form(as_editor, blog, chosen, block_type):
    response = as_editor.post(add_url(blog), new_post(as_editor.get(add_url(blog)), one_block(chosen, block_type)))

    assert_saved(response, "Page 'What It Means If You Cry After Sex' created.")
    post = BlogPostPage.objects.get(slug="tears-after-sex")
    assert response["Location"] == edit_url(post)
    assert post.revisions.count() == 1 and not post.live
    [block] = saved_body(post)
    assert block.block_type == block_type
    assert EXPECTED[block_type](block.value, chosen), block.value


VALID_VARIANTS = [
    pytest.param("statistic", {"year": ""}, lambda value: value["year"] is None, id="statistic-blank-year-is-optional"),
    pytest.param(
        "statistic",
        {"population": "", "sample_size": ""},
        lambda value: value["population"] == "" and value["sample_size"] is None,
        id="statistic-blank-population-and-sample-size",
    ),
    pytest.param(
        "statistic",
        {"unit": "count", "figure": "1208"},
        lambda value: value["figure"] == Decimal("1208"),
        id="statistic-count-above-100",
    ),
    pytest.param(
        "statistic",
        {"figure": "100", "year": str(THIS_YEAR)},
        lambda value: value["figure"] == Decimal("100") and value["year"] == THIS_YEAR,
        id="statistic-100-percent-from-this-years-study",
    ),
    pytest.param(
        "statistic", {"figure": "20.2"}, lambda value: value["figure"] == Decimal("20.2"), id="statistic-decimal-figure"
    ),
    pytest.param(
        "image",
        {"image": {"alt_text": "", "decorative": "on"}},
        lambda value: value["image"].decorative and value["image"].contextual_alt_text == "",
        id="image-decorative-needs-no-alt-text",
    ),
    pytest.param(
        "expert_quote",
        {"sources": listblock([])},
        lambda value: list(value["sources"]) == [],
        id="expert-quote-sources-are-optional",
    ),
    pytest.param(
        "quote",
        lambda chosen: {"source": str(chosen.source.pk)},
        lambda value: value["source"] is not None,
        id="quote-with-its-source",
    ),
]


@pytest.mark.parametrize("block_type, changes, check", VALID_VARIANTS)
def test_optional_and_edge_values_are_accepted_on_submission(as_editor, blog, chosen, block_type, changes, check):
    data = new_post(as_editor.get(add_url(blog)), one_block(chosen, block_type, changes), button=SUBMIT)

    response = as_editor.post(add_url(blog), data)

    assert_saved(response, "Page 'What It Means If You Cry After Sex' created and submitted for moderation.")
    post = BlogPostPage.objects.get(slug="tears-after-sex")
    assert post.revisions.count() == 1
    assert check(saved_body(post)[0].value)


def test_a_post_with_every_block_type_and_shop_the_story_is_submitted_for_review(as_editor, blog, chosen):
    shop_the_story = streamfield([("product", str(chosen.product.pk)), ("collection", str(chosen.collection.pk))])
    data = new_post(as_editor.get(add_url(blog)), every_block(chosen), shop_the_story, button=SUBMIT)

    response = as_editor.post(add_url(blog), data)

    assert_saved(response, "Page 'What It Means If You Cry After Sex' created and submitted for moderation.")
    post = BlogPostPage.objects.get(slug="tears-after-sex")
    assert post.revisions.count() == 1 and not post.live
    assert post.current_workflow_task.name == "Editorial review"
    revision = post.get_latest_revision_as_object()
    assert [block.block_type for block in revision.body] == list(EXPECTED)
    assert [(block.block_type, block.value) for block in revision.shop_the_story] == [
        ("product", chosen.product),
        ("collection", chosen.collection),
    ]
    assert [claim.block_type for claim in claims_in(revision.body)] == ["expert_quote", "statistic", "claim"]


def test_the_edit_form_saves_every_block_type_and_shop_the_story(as_editor, draft, chosen):
    shop_the_story = streamfield([("collection", str(chosen.collection.pk)), ("product", str(chosen.product.pk))])
    data = replace(form_data(as_editor.get(edit_url(draft))), body=every_block(chosen), shop_the_story=shop_the_story)

    response = as_editor.post(edit_url(draft), data)

    assert_saved(response, "Page 'A draft' has been updated.")
    assert draft.revisions.count() == 2
    revision = BlogPostPage.objects.get(pk=draft.pk).get_latest_revision_as_object()
    assert [block.block_type for block in revision.body] == list(EXPECTED)
    for block in revision.body:
        assert EXPECTED[block.block_type](block.value, chosen), block
    assert [block.value for block in revision.shop_the_story] == [chosen.collection, chosen.product]


def stored_blocks(post):
    return json.loads(BlogPostPage.objects.get(pk=post.pk).get_latest_revision().content["body"])


def test_an_edit_to_one_block_in_the_rendered_form_changes_that_block_only(as_editor, draft, chosen):
    as_editor.post(edit_url(draft), replace(form_data(as_editor.get(edit_url(draft))), body=every_block(chosen)))
    before = stored_blocks(draft)
    data = form_data(as_editor.get(edit_url(draft)))
    [figure] = [name for name in data if name.endswith("-value-figure")]
    data[figure] = "42"

    response = as_editor.post(edit_url(draft), data)

    assert_saved(response, "Page 'A draft' has been updated.")
    after = stored_blocks(draft)
    assert [block["id"] for block in after] == [block["id"] for block in before]
    changed = [new["type"] for old, new in zip(before, after, strict=True) if old != new]
    assert changed == ["statistic"]
    assert saved_body(draft)[6].value["figure"] == Decimal("42")


# --- Bad values are refused on their field, on drafts and submissions alike ---------------------------------------

BAD_VALUES = [
    pytest.param(
        "statistic", {"figure": "150"}, ("figure",), "A percentage lies between 0 and 100.", id="percent-over-100"
    ),
    pytest.param(
        "statistic", {"figure": "-3"}, ("figure",), "A percentage lies between 0 and 100.", id="percent-below-0"
    ),
    pytest.param(
        "statistic",
        {"year": str(THIS_YEAR + 1)},
        ("year",),
        "A study's year cannot be in the future.",
        id="future-year",
    ),
    pytest.param("statistic", {"figure": "forty-one"}, ("figure",), "Enter a number.", id="figure-not-a-number"),
    pytest.param(
        "statistic",
        {"figure": "41.125"},
        ("figure",),
        "Ensure that there are no more than 2 decimal places.",
        id="figure-too-precise",
    ),
    pytest.param(
        "statistic", {"sample_size": "1,208"}, ("sample_size",), "Enter a whole number.", id="sample-size-with-a-comma"
    ),
    pytest.param(
        "statistic",
        {"sample_size": "0"},
        ("sample_size",),
        "Ensure this value is greater than or equal to 1.",
        id="sample-size-zero",
    ),
    pytest.param("statistic", {"year": "2019a"}, ("year",), "Enter a whole number.", id="year-not-a-number"),
    pytest.param(
        "statistic",
        {"unit": "fraction"},
        ("unit",),
        "Select a valid choice. fraction is not one of the available choices.",
        id="unknown-unit",
    ),
    pytest.param(
        "heading",
        {"text": "x" * 161},
        ("text",),
        "Ensure this value has at most 160 characters (it has 161).",
        id="heading-too-long",
    ),
    pytest.param(
        "heading",
        {"level": "h1"},
        ("level",),
        "Select a valid choice. h1 is not one of the available choices.",
        id="heading-level-h1",
    ),
]


@pytest.mark.parametrize("view, button", [("add", SAVE_DRAFT), ("add", SUBMIT), ("edit", SAVE_DRAFT), ("edit", SUBMIT)])
@pytest.mark.parametrize("block_type, changes, path, message", BAD_VALUES)
def test_a_bad_value_is_refused_on_its_field(
    as_editor, blog, draft, chosen, view, button, block_type, changes, path, message
):
    url, form = open_form(as_editor, view, blog, draft)
    pages, revisions = BlogPostPage.objects.count(), Revision.objects.count()

    response = as_editor.post(url, filled(view, form, one_block(chosen, block_type, changes), button))

    assert_refused(response, "body", errors_on(0, *path, messages=[message]))
    assert (BlogPostPage.objects.count(), Revision.objects.count()) == (pages, revisions)
    assert BlogPostPage.objects.get(pk=draft.pk).latest_revision_id == draft.latest_revision_id
    assert not WorkflowState.objects.exists()


def test_every_bad_field_of_a_block_is_named_at_once(as_editor, blog, chosen):
    changes = {"figure": "150", "year": str(THIS_YEAR + 1), "sample_size": "1,208", "unit": "percent"}
    data = new_post(as_editor.get(add_url(blog)), one_block(chosen, "statistic", changes))

    response = as_editor.post(add_url(blog), data)

    assert response.status_code == 200
    assert block_errors(response, "body")["blockErrors"]["0"]["blockErrors"] == {
        "figure": {"messages": ["A percentage lies between 0 and 100."]},
        "year": {"messages": ["A study's year cannot be in the future."]},
        "sample_size": {"messages": ["Enter a whole number."]},
    }
    assert not BlogPostPage.objects.exists()


def test_the_bad_block_is_named_by_its_position_among_good_ones(as_editor, blog, chosen):
    values = block_values(chosen)
    body = streamfield(
        [
            ("paragraph", values["paragraph"]),
            ("statistic", with_changes(values["statistic"], {"figure": "150"})),
            ("claim", values["claim"]),
        ]
    )

    response = as_editor.post(add_url(blog), new_post(as_editor.get(add_url(blog)), body))

    assert_refused(response, "body", errors_on(1, "figure", messages=["A percentage lies between 0 and 100."]))
    assert not BlogPostPage.objects.exists()


# --- What is missing may wait in a draft; submitting the post names it on its field ---------------------------------

MISSING = [
    pytest.param(
        "statistic",
        {"sources": listblock([])},
        ("sources",),
        "A statistic needs at least one source.",
        id="statistic-without-source",
    ),
    pytest.param("statistic", {"figure": ""}, ("figure",), REQUIRED, id="statistic-without-figure"),
    pytest.param("statistic", {"statement": ""}, ("statement",), REQUIRED, id="statistic-without-statement"),
    pytest.param(
        "statistic",
        {"sources": listblock([MISSING_ID])},
        ("sources", 0),
        REQUIRED,
        id="statistic-source-that-no-longer-exists",
    ),
    pytest.param(
        "expert_quote",
        {"expert": ""},
        ("expert",),
        "Choose the expert who said this.",
        id="expert-quote-without-expert",
    ),
    pytest.param(
        "expert_quote",
        {"expert": MISSING_ID},
        ("expert",),
        "Choose the expert who said this.",
        id="expert-quote-expert-that-no-longer-exists",
    ),
    pytest.param(
        "expert_quote", {"quote": ""}, ("quote",), "Enter what the expert said.", id="expert-quote-without-quote"
    ),
    pytest.param(
        "expert_quote", {"quote": "  \n "}, ("quote",), "Enter what the expert said.", id="expert-quote-blank-quote"
    ),
    pytest.param(
        "claim",
        {"sources": listblock([])},
        ("sources",),
        "Add at least one source for this claim.",
        id="claim-without-source",
    ),
    pytest.param("claim", {"statement": ""}, ("statement",), REQUIRED, id="claim-without-statement"),
    pytest.param("quote", {"attribution": ""}, ("attribution",), REQUIRED, id="quote-without-attribution"),
    pytest.param("quote", {"quote": ""}, ("quote",), REQUIRED, id="quote-without-quote"),
    pytest.param(
        "products",
        {"products": listblock([])},
        ("products",),
        "The minimum number of items is 1",
        id="products-without-product",
    ),
    pytest.param("products", {"products": listblock([""])}, ("products", 0), REQUIRED, id="products-empty-chooser"),
    pytest.param(
        "products",
        lambda chosen: {"products": ids(chosen.collection)},
        ("products", 0),
        REQUIRED,
        id="products-a-collection-is-no-product",
    ),
    pytest.param(
        "image", {"image": {"image": "", "alt_text": ""}}, ("image", "image"), REQUIRED, id="image-without-image"
    ),
    pytest.param(
        "image",
        {"image": {"alt_text": ""}},
        ("image", "alt_text"),
        "Please add some alt text for your image or mark it as decorative",
        id="image-without-alt-text",
    ),
    pytest.param("heading", {"text": ""}, ("text",), REQUIRED, id="heading-without-text"),
    pytest.param(
        "list", {"items": listblock([])}, ("items",), "The minimum number of items is 1", id="list-without-items"
    ),
    pytest.param("callout", {"text": EMPTY_RICH_TEXT}, ("text",), REQUIRED, id="callout-without-text"),
    pytest.param("paragraph", EMPTY_RICH_TEXT, (), REQUIRED, id="empty-paragraph"),
]


@pytest.mark.parametrize("block_type, changes, path, message", MISSING)
def test_a_missing_value_is_refused_when_a_new_post_is_submitted(
    as_editor, blog, chosen, block_type, changes, path, message
):
    revisions = Revision.objects.count()
    data = new_post(as_editor.get(add_url(blog)), one_block(chosen, block_type, changes), button=SUBMIT)

    response = as_editor.post(add_url(blog), data)

    assert_refused(response, "body", errors_on(0, *path, messages=[message]))
    assert not BlogPostPage.objects.exists() and Revision.objects.count() == revisions
    assert not WorkflowState.objects.exists()


@pytest.mark.parametrize("block_type, changes, path, message", MISSING)
def test_a_missing_value_waits_in_the_draft_until_the_editor_submits(
    as_editor, blog, chosen, block_type, changes, path, message
):
    """Nothing the editor typed is lost: the draft keeps the unfinished block; the edit form, posted back
    as rendered with "Submit", names what is missing on its field and starts no review."""
    data = new_post(as_editor.get(add_url(blog)), one_block(chosen, block_type, changes))
    assert_saved(as_editor.post(add_url(blog), data), "Page 'What It Means If You Cry After Sex' created.")
    post = BlogPostPage.objects.get(slug="tears-after-sex")
    assert [block.block_type for block in saved_body(post)] == [block_type]

    response = as_editor.post(edit_url(post), form_data(as_editor.get(edit_url(post)), SUBMIT))

    assert_refused(response, "body", errors_on(0, *path, messages=[message]))
    assert post.revisions.count() == 1
    assert not WorkflowState.objects.exists()


# --- Shop The Story ----------------------------------------------------------------------------------------------


@pytest.mark.parametrize("view", ["add", "edit"])
def test_shop_the_story_saves_products_and_collections_in_the_editors_order(as_editor, blog, draft, chosen, view):
    url, form = open_form(as_editor, view, blog, draft)
    shop_the_story = streamfield([("collection", str(chosen.collection.pk)), ("product", str(chosen.product.pk))])

    response = as_editor.post(url, filled(view, form, one_block(chosen, "paragraph"), SUBMIT, shop_the_story))

    assert_saved(response, "Page ")
    post = BlogPostPage.objects.get(slug="tears-after-sex" if view == "add" else draft.slug)
    assert post.current_workflow_task.name == "Editorial review"
    assert [(block.block_type, block.value) for block in post.get_latest_revision_as_object().shop_the_story] == [
        ("collection", chosen.collection),
        ("product", chosen.product),
    ]


SHOP_THE_STORY_ERRORS = [
    pytest.param(
        SAVE_DRAFT,
        [("product", "product")] * 13,
        {"messages": ["The maximum number of items is 12"]},
        id="more-than-12-on-a-draft",
    ),
    pytest.param(SUBMIT, [("product", "")], errors_on(0, messages=[REQUIRED]), id="empty-product-chooser"),
    pytest.param(SUBMIT, [("product", "collection")], errors_on(0, messages=[REQUIRED]), id="a-collection-as-product"),
    pytest.param(SUBMIT, [("collection", "product")], errors_on(0, messages=[REQUIRED]), id="a-product-as-collection"),
]


@pytest.mark.parametrize("view", ["add", "edit"])
@pytest.mark.parametrize("button, items, errors", SHOP_THE_STORY_ERRORS)
def test_shop_the_story_refuses_what_it_cannot_show(as_editor, blog, draft, chosen, view, button, items, errors):
    """A chooser given an id of the wrong kind reads it as no choice (Wagtail's ChooserBlock), so the
    error is that the item is required."""
    chosen_ids = {"product": str(chosen.product.pk), "collection": str(chosen.collection.pk), "": ""}
    shop_the_story = streamfield([(block_type, chosen_ids[kind]) for block_type, kind in items])
    url, form = open_form(as_editor, view, blog, draft)
    pages, revisions = BlogPostPage.objects.count(), Revision.objects.count()

    response = as_editor.post(url, filled(view, form, one_block(chosen, "paragraph"), button, shop_the_story))

    assert_refused(response, "shop_the_story", errors)
    assert (BlogPostPage.objects.count(), Revision.objects.count()) == (pages, revisions)
    assert not WorkflowState.objects.exists()


# --- The seed post, saved unchanged from its edit form --------------------------------------------------------------


def meaning(body):
    """What a body says, without storage details: list items' ids and Draftail's paragraph keys."""

    def plain(value):
        if isinstance(value, str):
            return re.sub(r' data-block-key="[^"]*"', "", value)
        if isinstance(value, dict):
            return {key: plain(item) for key, item in value.items()}
        if isinstance(value, list):
            return [plain(item) for item in value]
        return value

    return [(block.id, block.block_type, plain(block.block.get_api_representation(block.value))) for block in body]


def test_the_seed_post_saves_unchanged_from_its_rendered_edit_form(client, demo):
    """The editor opens the live, reviewed seed post and clicks "Save draft" without changing anything:
    one new draft revision that says the same, with the same claims, and the live page untouched."""
    editor = User.objects.get(username="editor")
    client.force_login(editor)
    post = BlogPostPage.objects.get(slug="what-it-means-if-you-cry-after-sex")
    before = post.get_latest_revision()
    revisions = post.revisions.count()

    data = form_data(client.get(edit_url(post)), SAVE_DRAFT)
    assert not [name for name in data if name.startswith("action-")]
    response = client.post(edit_url(post), data)

    assert_saved(response, f"Page '{post.title}' has been updated.")
    assert response["Location"] == edit_url(post)
    post = BlogPostPage.objects.get(pk=post.pk)
    assert post.revisions.count() == revisions + 1
    after = post.get_latest_revision()
    assert after.user == editor and after.pk != before.pk
    old, new = before.as_object(), after.as_object()
    assert meaning(new.body) == meaning(old.body)
    assert meaning(new.shop_the_story) == meaning(old.shop_the_story)
    for field in ("title", "slug", "dek", "hero_image_id", "hero_image_alt", "seo_title", "search_description"):
        assert getattr(new, field) == getattr(old, field), field
    assert sorted(tag.name for tag in new.tags.all()) == sorted(tag.name for tag in old.tags.all())
    assert [(claim.block_id, claim.fingerprint) for claim in claims_in(new.body)] == [
        (claim.block_id, claim.fingerprint) for claim in claims_in(old.body)
    ]
    assert post.live and post.live_revision_id == before.pk and post.has_unpublished_changes
    assert not WorkflowState.objects.filter(object_id=str(post.pk), status="in_progress").exists()
