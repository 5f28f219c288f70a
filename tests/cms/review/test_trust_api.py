"""The trust layer over the API: the post JSON carries the verified credentials, the disclosure, the safety
blocks and the review history; the API's submit refuses what the admin's refuses; the OpenAPI document names
the new fields."""

import json

import pytest
from wagtail.models import APIToken, WorkflowState

from blog.models import BlogPostPage
from cms.models import ReviewerCredential

from ... import factories
from ..workflow_helpers import make_team

API = "/api/v3"


@pytest.fixture
def team(db):
    return make_team()


def test_the_post_json_carries_credentials_disclosure_safety_blocks_and_history(client, blog, shop, team):
    expert = team["reviewer"].expert_profile
    factories.make_credential(expert, title="PhD (unverified)", verified=False)
    factories.make_help_resource("US", name="988 Lifeline", phone="988")
    product = factories.make_product(shop)
    body = [
        factories.claim([factories.make_source()], "A claim."),
        {"type": "heading", "value": {"text": "Shop", "level": "h2"}},
        factories.products_block([product]),
        factories.get_help("US"),
        {"type": "not_medical_advice", "value": {"text": ""}},
    ]
    post = factories.make_post(blog, body=body)
    factories.review_medically(post, team["reviewer"])

    data = client.get(f"{API}/posts/by-slug/{post.slug}/").json()
    review = data["medical_review"]
    assert review["status"] == "reviewed" and review["reviewer"]["credentials"] == "MD"
    assert [c["title"] for c in review["credentials"]] == ["MD"]
    assert review["credentials"][0]["issuing_body"] == "Medical Board of Testing"
    assert review["outside_reviewer"] is False and review["updated_at"]
    assert [entry["kind"] for entry in review["history"]] == ["published", "medically_reviewed"]
    assert (
        data["commercial_disclosure"]
        and data["commercial_disclosure"] == BlogPostPage.objects.get(pk=post.pk).commercial_disclosure
    )
    blocks = {block["type"]: block for block in data["body"]}
    assert blocks["get_help"]["resources"][0]["name"] == "988 Lifeline"
    assert "not medical advice" in blocks["not_medical_advice"]["text"]

    # The JSON-LD's reviewer carries the verified credentials only.
    reviewed_by = data["json_ld"] if "reviewedBy" in data["json_ld"] else {}
    assert "PhD" not in json.dumps(reviewed_by)

    # No credential in good standing: none listed.
    ReviewerCredential.objects.filter(expert=expert).update(verified_on=None)
    data = client.get(f"{API}/posts/by-slug/{post.slug}/").json()
    assert data["medical_review"]["credentials"] == [] and data["medical_review"]["reviewer"]["credentials"] == ""


def test_the_api_submit_refuses_a_sensitive_post_without_a_get_help_block(client, blog, team):
    post = factories.make_post(blog, tags=["Emotional health"], live=False)
    token = APIToken.create_token(user=team["editor"], name="integration")[1]
    response = client.post(
        f"{API}/workflow/pages/{post.pk}/submit/", content_type="application/json", HTTP_AUTHORIZATION=f"Bearer {token}"
    )
    assert response.status_code == 400, response.content.decode()
    assert "Get help" in response.json()["detail"]
    assert not WorkflowState.objects.for_instance(post).exists()


def test_the_openapi_document_names_the_trust_fields(client, db):
    schema = json.dumps(client.get(f"{API}/openapi.json").json())
    for name in ("commercial_disclosure", "outside_reviewer", "GetHelpBlock", "NotMedicalAdviceBlock", "HistoryEntry"):
        assert name in schema, name
