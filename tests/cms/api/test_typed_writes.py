"""Typed writes (cms/api/stream_inputs.py): POST and PATCH /api/v3/pages/ take a post's body and Shop The Story
as typed blocks, one schema per block type, derived from the blocks; a block without a field it needs, with
a choice the block does not have, or with a field it does not have is a 422 naming it, and nothing is saved."""

import json

import pytest
from wagtail.models import APIToken

from blog.models import BlogPostPage

from ... import factories
from ..workflow_helpers import make_team

API = "/api/v3"


@pytest.fixture
def editor_token(db):
    team = make_team()
    return APIToken.create_token(user=team["editor"], name="typed writes")[1]


def send(client, method, path, token, data):
    return getattr(client, method)(
        API + path, data=json.dumps(data), content_type="application/json", HTTP_AUTHORIZATION=f"Bearer {token}"
    )


def every_block(expert, source, image, product):
    """One block of every body type, in Wagtail's stored shape, as docs/api.md shows them."""
    return [
        {"type": "heading", "value": {"text": "Why it happens", "level": "h2"}},
        {"type": "paragraph", "value": "<p>Postcoital dysphoria is common.</p>"},
        {"type": "list", "value": {"style": "ul", "items": ["Sadness", "Tearfulness"]}},
        {
            "type": "image",
            "value": {"image": {"image": image.pk, "alt_text": "Two hands", "decorative": False}, "caption": "Care"},
        },
        {"type": "expert_quote", "value": {"expert": expert.pk, "quote": "It is normal.", "sources": [source.pk]}},
        {"type": "quote", "value": {"quote": "I cried.", "attribution": "A respondent", "source": source.pk}},
        {
            "type": "statistic",
            "value": {
                "figure": "41",
                "unit": "percent",
                "statement": "41% of men have felt it.",
                "population": "men",
                "sample_size": 1208,
                "year": 2019,
                "sources": [source.pk],
            },
        },
        {"type": "claim", "value": {"statement": "It usually passes.", "sources": [source.pk]}},
        {"type": "callout", "value": {"tone": "tip", "title": "Aftercare", "text": "<p>Talk about it.</p>"}},
        {"type": "products", "value": {"heading": "Shop Now", "products": [product.pk]}},
    ]


def test_a_draft_with_every_block_type_is_written_and_read_back(client, blog, shop, editor_token):
    expert, source = factories.make_expert(name="Marie Tudor"), factories.make_source(title="A survey")
    image, product = factories.make_image("Hands"), factories.make_product(shop, title="Massage oil")
    blocks = every_block(expert, source, image, product)
    data = {
        "meta": {"type": "blog.BlogPostPage", "parent_id": blog.pk},
        "title": "Tears after sex",
        "slug": "tears-after-sex",
        "dek": "Why it happens",
        "body": blocks,
        "shop_the_story": [{"type": "product", "value": product.pk}],
    }
    response = send(client, "post", "/pages/", editor_token, data)
    assert response.status_code == 201, response.content.decode()[:3000]
    draft = BlogPostPage.objects.get(pk=response.json()["id"]).get_latest_revision_as_object()
    assert [block.block_type for block in draft.body] == [block["type"] for block in blocks]
    statistic = draft.body[6].value
    assert statistic["sample_size"] == 1208 and [s.pk for s in statistic["sources"]] == [source.pk]
    assert draft.body[4].value["expert"].pk == expert.pk
    assert draft.shop_the_story[0].value.pk == product.pk

    # An update keeps a block's id, and so its identity.
    block_id = draft.body[7].id
    changed = {"type": "claim", "id": block_id, "value": {"statement": "It passes.", "sources": [source.pk]}}
    response = send(client, "patch", f"/pages/{draft.pk}/", editor_token, {"body": [changed]})
    assert response.status_code == 200, response.content.decode()[:3000]
    draft = BlogPostPage.objects.get(pk=draft.pk).get_latest_revision_as_object()
    assert [(b.id, b.value["statement"]) for b in draft.body] == [(block_id, "It passes.")]


def test_a_draft_may_leave_a_claims_sources_and_a_quotes_expert_unchosen(client, blog, editor_token):
    body = [
        {"type": "claim", "value": {"statement": "Unfinished.", "sources": []}},
        {"type": "expert_quote", "value": {"expert": None, "quote": "Who said it?"}},
    ]
    data = {"meta": {"type": "blog.BlogPostPage", "parent_id": blog.pk}, "title": "Draft", "body": body}
    response = send(client, "post", "/pages/", editor_token, data)
    assert response.status_code == 201, response.content.decode()[:3000]


@pytest.mark.parametrize(
    ("block", "location", "error"),
    [
        ({"type": "claim", "value": {"sources": []}}, ["body", 0, "claim", "value", "statement"], "missing"),
        ({"type": "heading", "value": {"text": "A", "level": "h5"}}, ["body", 0, "heading", "value", "level"], None),
        ({"type": "claim", "value": {"statement": "x", "source": 1}}, ["body", 0, "claim", "value", "source"], None),
        ({"type": "statistic", "value": {"figure": "41", "statement": "x", "sample_size": "many"}}, None, None),
        ({"type": "claim", "statement": "read shape"}, ["body", 0, "claim", "value"], "missing"),
        ({"type": "no_such_block", "value": {}}, ["body", 0], None),
    ],
)
def test_a_block_of_the_wrong_shape_is_a_422_naming_its_field(client, blog, editor_token, block, location, error):
    data = {"meta": {"type": "blog.BlogPostPage", "parent_id": blog.pk}, "title": "Bad", "body": [block]}
    response = send(client, "post", "/pages/", editor_token, data)
    assert response.status_code == 422, response.content.decode()[:3000]
    assert response["Content-Type"].startswith("application/problem+json")
    errors = response.json()["errors"]
    locations = [error["loc"][-len(location) :] if location else error["loc"] for error in errors]
    if location:
        assert location in locations, errors
    if error:
        assert any(e["type"] == error for e in errors), errors
    assert not BlogPostPage.objects.exists()


def test_the_write_schema_describes_every_block_from_the_blocks(client, db):
    schemas = client.get(f"{API}/openapi.json").json()["components"]["schemas"]
    body = schemas["BlogPostPageCreateSchema"]["properties"]["body"]["items"]
    stream_block = BlogPostPage._meta.get_field("body").stream_block
    assert body["discriminator"]["propertyName"] == "type"
    assert set(body["discriminator"]["mapping"]) == set(stream_block.child_blocks)
    heading = schemas["BlogPostPageBodyHeadingValue"]["properties"]["level"]
    choices = [value for value, _label in stream_block.child_blocks["heading"].child_blocks["level"].field.choices]
    assert heading["anyOf"][0]["enum"] == [*(c for c in choices if c), ""]  # blank: an unfinished draft
    assert schemas["BlogPostPageBodyClaimValue"]["required"] == ["statement"]
    patch_body = schemas["BlogPostPagePatchSchema"]["properties"]["body"]
    assert patch_body["items"] == body
