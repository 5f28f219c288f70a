"""Bad input at the API's edges gets a problem document (cms/api/limits.py), and changes nothing.

Every request goes through the test client at the real URLs, with the state checked after each refusal.
"""

import json

import pytest
from wagtail.models import APIToken, Revision

from blog.models import BlogPostPage

from .. import factories
from .workflow_helpers import make_user

API = "/api/v3"
PROBLEM = "application/problem+json"
BIG = 2**63


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
    post.revisions_before = Revision.page_revisions.filter(object_id=str(post.pk)).count()
    return post


@pytest.fixture
def admin_token(db):
    return APIToken.create_token(user=make_user("admin", superuser=True), name="edges")[1]


def patch(client, post, token, body, **headers):
    return client.patch(
        f"{API}/pages/{post.pk}/",
        data=body,
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {token}",
        **headers,
    )


def unchanged(post):
    """The post, its draft and its revisions as they were."""
    fresh = BlogPostPage.objects.get(pk=post.pk)
    assert fresh.latest_revision_id == post.latest_revision_id
    assert Revision.page_revisions.filter(object_id=str(post.pk)).count() == post.revisions_before
    assert fresh.get_latest_revision_as_object().title == post.title


# --- Bodies --------------------------------------------------------------------------------------------------------


def test_a_body_over_the_limit_is_a_413_problem_and_writes_nothing(client, post, admin_token, settings):
    settings.VERITY_API_MAX_BODY_BYTES = 1000
    body = json.dumps({"title": "Changed", "dek": "x" * 2000})
    body = problem(patch(client, post, admin_token, body), 413)
    assert "1000 bytes" in body["detail"]
    unchanged(post)

    # Under the limit, the same write goes through.
    assert patch(client, post, admin_token, json.dumps({"title": "Changed"})).status_code == 200


def test_a_ten_megabyte_body_is_a_413_problem_with_the_default_limit(client, post, admin_token, settings):
    assert settings.VERITY_API_MAX_BODY_BYTES == 1024 * 1024
    body = json.dumps({"title": "Changed", "dek": "x" * (10 * 1024 * 1024)})
    problem(patch(client, post, admin_token, body), 413)
    unchanged(post)
    # Without a token too: the size is judged before anything reads the body.
    problem(client.post(f"{API}/pages/", data=body, content_type="application/json"), 413)


def test_djangos_own_upload_limit_is_a_413_problem_too(client, post, admin_token, settings):
    settings.VERITY_API_MAX_BODY_BYTES = 10 * 1024 * 1024
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 500
    problem(patch(client, post, admin_token, json.dumps({"title": "Changed", "dek": "x" * 1000})), 413)
    unchanged(post)


def test_request_data_too_big_raised_by_a_view_is_a_413_problem(rf, settings):
    from django.core.exceptions import RequestDataTooBig

    from cms.api.limits import ApiEdgeMiddleware

    middleware = ApiEdgeMiddleware(lambda request: None)
    response = middleware.process_exception(rf.post("/api/v3/pages/"), RequestDataTooBig("too big"))
    problem(response, 413)
    assert middleware.process_exception(rf.post("/blog/"), RequestDataTooBig("too big")) is None


def test_a_content_length_that_is_no_number_is_a_400_problem(client, post, admin_token):
    response = patch(client, post, admin_token, json.dumps({"title": "Changed"}), CONTENT_LENGTH="many")
    problem(response, 400)
    unchanged(post)


@pytest.mark.parametrize("body", ["{bad json", '{"title": "Changed"', "\x00\x01", "[1, 2"])
def test_a_malformed_json_body_is_a_400_problem_and_writes_nothing(client, post, admin_token, body):
    problem(patch(client, post, admin_token, body), 400)
    unchanged(post)


def test_a_malformed_body_to_verity_endpoints_is_a_400_problem(client, post, admin_token):
    response = client.post(
        f"{API}/workflow/pages/{post.pk}/approve/",
        data="{bad",
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {admin_token}",
    )
    problem(response, 400)
    assert not BlogPostPage.objects.get(pk=post.pk).workflow_states.exists()


# --- Pagination -----------------------------------------------------------------------------------------------------

LISTS = ["/pages/", "/posts/", "/experts/", "/sources/", "/products/", "/collections/", "/sites/"]


@pytest.mark.parametrize("path", LISTS)
@pytest.mark.parametrize(
    "query",
    [f"offset={BIG}", f"offset={2**64}", "offset=-1", "offset=x", "offset=1.5", f"limit={BIG}", "limit=-1",
     "limit=0", "limit=x", f"offset=0&offset={BIG}"],
)  # fmt: skip
def test_out_of_range_or_malformed_limit_and_offset_are_refused_on_every_list(client, post, admin_token, path, query):
    response = client.get(f"{API}{path}?{query}", HTTP_AUTHORIZATION=f"Bearer {admin_token}")
    assert response.status_code in (400, 422), (path, query, response.content[:300])
    problem(response, response.status_code)


def test_wagtails_page_revisions_list_refuses_a_huge_offset(client, post, admin_token):
    response = client.get(f"{API}/pages/{post.pk}/revisions/?offset={BIG}", HTTP_AUTHORIZATION=f"Bearer {admin_token}")
    body = problem(response, 422)
    assert body["errors"][0]["loc"] == ["query", "offset"]


def test_an_offset_in_range_still_works(client, post):
    response = client.get(f"{API}/pages/?offset=1000000000")
    assert response.status_code == 200 and response.json()["items"] == []
    assert client.get(f"{API}/posts/?offset=1&limit=1").status_code == 200


# --- Unknown paths and methods --------------------------------------------------------------------------------------


def test_an_unknown_path_under_the_api_is_a_404_problem(client, db):
    problem(client.get(f"{API}/no-such-endpoint/"), 404)
    problem(client.get("/api/v2/pages/"), 404)
    problem(client.get(f"{API}/pages/{2**64}/"), 404)


def test_the_site_keeps_its_html_404(client, home):
    response = client.get("/no-such-page/")
    assert response.status_code == 404 and response["Content-Type"].startswith("text/html")


def test_a_method_an_endpoint_does_not_take_is_a_405_problem_with_allow(client, post):
    response = client.delete(f"{API}/posts/")
    problem(response, 405)
    assert "GET" in response["Allow"]
    response = client.put(f"{API}/pages/{post.pk}/", data="{}", content_type="application/json")
    problem(response, 405)
    unchanged(post)


def test_a_non_json_error_under_the_api_becomes_a_problem_document():
    from django.http import HttpResponse, HttpResponseNotAllowed

    from cms.api.limits import as_problem

    body = problem(as_problem(HttpResponse("<h1>Server Error (500)</h1>", status=500)), 500)
    assert body["title"] == "Internal Server Error"
    response = as_problem(HttpResponseNotAllowed(["GET"]))
    assert response["Allow"] == "GET"
    ok = HttpResponse("fine")
    assert as_problem(ok) is ok
