"""The API refuses what it cannot serve instead of guessing or failing (cms/api/guards.py): an unknown query
parameter is a 400 naming it, on Verity's endpoints and Wagtail's; a move, copy or alias to a missing or
forbidden destination is a 404 or 403 problem document, never a 500, and changes nothing."""

import json

import pytest
from wagtail.models import APIToken, Page

from blog.models import BlogIndexPage

from .. import factories
from .workflow_helpers import make_team

API = "/api/v3"
PROBLEM = "application/problem+json"


def problem(response, status):
    assert response.status_code == status, response.content.decode()[:1000]
    assert response["Content-Type"].startswith(PROBLEM), response["Content-Type"]
    body = json.loads(response.content)
    assert body["type"] and body["title"] and body["status"] == status and body["detail"], body
    return body


@pytest.fixture
def post(blog):
    post = factories.make_post(blog, title="Tears after sex", dek="Why it happens")
    post.save_revision().publish()
    return post


@pytest.fixture
def tokens(db):
    return {role: APIToken.create_token(user=user, name=role)[1] for role, user in make_team().items()}


def bearer(token):
    return {"HTTP_AUTHORIZATION": f"Bearer {token}"}


# --- Unknown query parameters ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "path",
    [
        "/posts/",
        "/posts/{post}/",
        "/posts/by-slug/{slug}/",
        "/experts/",
        "/sources/",
        "/products/",
        "/collections/",
        "/home/",
        "/pages/{post}/",  # Wagtail's
    ],
)
@pytest.mark.parametrize("query, names", [("bogus=1", ["bogus"]), ("fields=secret", ["fields"])])
def test_an_unknown_query_parameter_is_a_400_naming_it(client, post, path, query, names):
    url = f"{API}{path.format(post=post.pk, slug=post.slug)}"
    body = problem(client.get(f"{url}?{query}"), 400)
    for name in names:
        assert f"`{name}`" in body["detail"]
    assert [error["loc"] for error in body["errors"]] == [["query", name] for name in names]
    assert client.get(url).status_code == 200  # the same request without it is served


def test_every_unknown_parameter_is_named_and_the_known_ones_listed(client, post):
    body = problem(client.get(f"{API}/posts/?tag=sex&tags=sex&limit=2&sort=title"), 400)
    assert body["detail"].startswith("Unknown query parameters `sort`, `tags`; this endpoint takes: ")
    for known in ("tag", "expert", "product", "search", "order", "limit", "offset"):
        assert f"`{known}`" in body["detail"]


def test_declared_parameters_are_served(client, post):
    assert client.get(f"{API}/posts/?tag=sex&limit=2&offset=0&search=tears").status_code == 200
    assert client.get(f"{API}/pages/{post.pk}/?version=live&rich_text_format=html").status_code == 200


def test_wagtail_operations_with_a_token_refuse_them_too(client, post, tokens):
    problem(client.get(f"{API}/sites/?bogus=1", **bearer(tokens["admin"])), 400)
    problem(client.get(f"{API}/pages/{post.pk}/revisions/?bogus=1", **bearer(tokens["editor"])), 400)
    response = client.post(
        f"{API}/workflow/pages/{post.pk}/submit/?bogus=1", content_type="application/json", **bearer(tokens["editor"])
    )
    problem(response, 400)


def test_wagtails_field_filters_on_its_lists_still_work(client, post):
    """Wagtail's lists filter by any API field from the raw query string (?slug=...), which no document can
    list: those endpoints are left as Wagtail has them."""
    response = client.get(f"{API}/pages/?slug={post.slug}")
    assert response.status_code == 200
    assert [item["id"] for item in response.json()["items"]] == [post.pk]


def test_the_openapi_document_lists_the_400(client, db):
    schema = client.get(f"{API}/openapi.json").json()
    responses = schema["paths"]["/api/v3/posts/"]["get"]["responses"]
    assert responses["400"]["description"] and PROBLEM in responses["400"]["content"]
    assert "400" in schema["paths"]["/api/v3/pages/{page_id}/"]["get"]["responses"]


# --- Moves, copies and aliases to a missing or forbidden destination ------------------------------------------


def act(client, post, action, body, token):
    return client.post(
        f"{API}/pages/{post.pk}/actions/{action}/",
        data=json.dumps(body),
        content_type="application/json",
        **bearer(token),
    )


def unmoved(post, parent):
    fresh = Page.objects.get(pk=post.pk)
    assert fresh.get_parent().pk == parent.pk and fresh.url_path == post.url_path and fresh.live
    assert Page.objects.filter(slug=post.slug).count() == 1  # no copy or alias either


@pytest.mark.parametrize("role", ["editor", "lead", "admin"])
@pytest.mark.parametrize("position", [None, "left", "right", "first-sibling", "last-sibling"])
def test_a_move_beside_the_root_is_a_403(client, blog, post, tokens, role, position):
    root = Page.get_first_root_node()
    body = {"destination_id": root.pk} | ({"position": position} if position else {})
    detail = problem(act(client, post, "move", body, tokens[role]), 403)["detail"]
    assert "beside the root" in detail
    unmoved(post, blog)


@pytest.mark.parametrize("role", ["editor", "admin"])
def test_a_move_under_the_root_is_refused(client, blog, post, tokens, role):
    root = Page.get_first_root_node()
    problem(act(client, post, "move", {"destination_id": root.pk, "position": "last-child"}, tokens[role]), 403)
    unmoved(post, blog)


@pytest.mark.parametrize("role", ["editor", "admin"])
@pytest.mark.parametrize(
    "action, field", [("move", "destination_id"), ("copy", "destination_id"), ("create_alias", "destination_id")]
)
def test_a_missing_destination_is_a_404(client, blog, post, tokens, role, action, field):
    response = act(client, post, action, {field: 987654321}, tokens[role])
    problem(response, 404)
    unmoved(post, blog)


@pytest.mark.parametrize("role", ["editor", "admin"])
@pytest.mark.parametrize("action", ["copy", "create_alias"])
def test_a_copy_or_alias_to_the_root_is_refused(client, blog, post, tokens, role, action):
    root = Page.get_first_root_node()
    response = act(client, post, action, {"destination_id": root.pk}, tokens[role])
    assert response.status_code in (403, 422), response.content.decode()[:500]
    problem(response, response.status_code)
    unmoved(post, blog)


@pytest.mark.parametrize("action", ["copy", "create_alias"])
def test_copying_the_root_without_a_destination_is_a_403(client, blog, tokens, action):
    root = Page.get_first_root_node()
    before = Page.objects.count()
    response = client.post(
        f"{API}/pages/{root.pk}/actions/{action}/",
        data="{}",
        content_type="application/json",
        **bearer(tokens["admin"]),
    )
    assert "no parent to copy it into" in problem(response, 403)["detail"]
    assert Page.objects.count() == before


def test_a_move_to_a_real_parent_still_works(client, blog, post, tokens, home):
    other = factories.add_page(home, BlogIndexPage(title="Other", slug="other"))
    response = act(client, post, "move", {"destination_id": other.pk, "position": "last-child"}, tokens["admin"])
    assert response.status_code == 200, response.content.decode()[:500]
    assert Page.objects.get(pk=post.pk).get_parent().pk == other.pk
