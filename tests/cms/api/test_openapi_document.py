"""The live OpenAPI document (/api/v3/openapi.json) is valid OpenAPI 3.1 and says what Redocly's linter asks.

openapi-spec-validator checks the document as served; Redocly's `lint` runs in .ci/api-client, on the same
document, with examples/ts-client/redocly.yaml. The upstream faults corrected here are listed in docs/api.md.
"""

import json

import pytest
from openapi_spec_validator import validate

from cms import blocks as body_blocks
from cms.api.openapi import HTTP_METHODS, references

API = "/api/v3"


def no_duplicate_keys(pairs):
    keys = [key for key, _value in pairs]
    duplicated = sorted({key for key in keys if keys.count(key) > 1})
    assert not duplicated, f"keys written twice in one JSON object: {duplicated}"
    return dict(pairs)


@pytest.fixture
def document(client, db):
    response = client.get(f"{API}/openapi.json")
    assert response.status_code == 200
    return json.loads(response.content, object_pairs_hook=no_duplicate_keys)


def operations(document):
    for path, path_item in document["paths"].items():
        for method, operation in path_item.items():
            if method in HTTP_METHODS:
                yield f"{method.upper()} {path}", operation


def test_the_served_document_is_valid_openapi(document):
    validate(document)  # raises with the first error


def test_servers_name_the_public_address(client, db, settings):
    settings.WAGTAILADMIN_BASE_URL = "https://verity.example.com"
    document = client.get(f"{API}/openapi.json", HTTP_HOST="internal.example").json()
    assert [server["url"] for server in document["servers"]] == ["https://verity.example.com"]


def test_every_operation_declares_its_security(document):
    schemes = document["components"]["securitySchemes"]
    assert schemes == {"BearerTokenAuth": {"type": "http", "scheme": "bearer"}}
    for name, operation in operations(document):
        assert operation.get("security"), name
        for requirement in operation["security"]:
            assert set(requirement) <= set(schemes), name
    by_name = dict(operations(document))
    assert by_name[f"GET {API}/posts/"]["security"] == [{}]  # public
    assert by_name[f"POST {API}/workflow/pages/{{page_id}}/submit/"]["security"] == [{"BearerTokenAuth": []}]
    assert by_name[f"GET {API}/pages/"]["security"] == [{"BearerTokenAuth": []}, {}]  # a token is optional


def test_every_response_is_described_and_every_error_has_its_schema(document):
    for name, operation in operations(document):
        for status, response in operation["responses"].items():
            assert response.get("description"), (name, status)
            if status.startswith(("4", "5")) and status != "429":
                assert response.get("content"), (name, status)


def test_parameter_examples_sit_in_their_schema(document):
    tag = next(p for p in document["paths"][f"{API}/posts/"]["get"]["parameters"] if p["name"] == "tag")
    assert "examples" not in tag
    assert tag["schema"]["examples"] == ["sex"]


def test_every_component_is_used(document):
    used = {ref.rsplit("/", 1)[1] for ref in references(document["paths"])}
    pending = list(used)
    while pending:
        schema = document["components"]["schemas"].get(pending.pop(), {})
        for ref in references(schema):
            name = ref.rsplit("/", 1)[1]
            if name not in used:
                used.add(name)
                pending.append(name)
    assert set(document["components"]["schemas"]) <= used


@pytest.mark.parametrize(
    ("schema", "block", "field"),
    [
        ("HeadingBlock", body_blocks.HeadingBlock, "level"),
        ("ListBlock", body_blocks.ListBlock, "style"),
        ("StatisticBlock", body_blocks.StatisticBlock, "unit"),
        ("CalloutBlock", body_blocks.CalloutBlock, "tone"),
    ],
)
def test_a_blocks_choices_are_the_documented_values(document, schema, block, field):
    """Read from the block, so an editor's new choice is a value the API may send, not a 500."""
    documented = document["components"]["schemas"][schema]["properties"][field]["enum"]
    assert documented == [value for value, _label in block.base_blocks[field].field.choices]
