"""Cursor pagination of GET /api/v3/posts/ (`?after=`, blog/api/cursors.py): every post once, in order, however
many are published while a client pages; a fixed number of queries at any depth; bad cursors refused."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from ... import factories

API = "/api/v3/posts/"


def make_posts(blog, n):
    return [factories.make_post(blog, hero_image=None, title=f"Post {i}") for i in range(n)]


def pages(client, query="limit=2"):
    """Every page of the list, following `next`."""
    url, seen = f"{API}?{query}", []
    while url:
        body = client.get(url).json()
        seen.append(body)
        url = f"{API}?{query}&after={body['next']}" if body["next"] else None
    return seen


@pytest.mark.parametrize(("order", "newest_first"), [("newest", True), ("oldest", False)])
def test_following_next_lists_every_post_once_in_order(client, blog, order, newest_first):
    posts = make_posts(blog, 5)
    walked = pages(client, f"order={order}&limit=2")
    assert [len(page["items"]) for page in walked] == [2, 2, 1]
    assert all(page["count"] == 5 for page in walked)
    ids = [item["id"] for page in walked for item in page["items"]]
    expected = [post.pk for post in posts]
    assert ids == (expected[::-1] if newest_first else expected)
    assert walked[-1]["next"] is None


def test_posts_published_while_paging_never_shift_the_pages_to_come(client, blog):
    posts = make_posts(blog, 4)
    first = client.get(f"{API}?limit=2").json()
    assert [item["id"] for item in first["items"]] == [posts[3].pk, posts[2].pk]
    make_posts(blog, 3)  # three newer posts go live meanwhile
    second = client.get(f"{API}?limit=2&after={first['next']}").json()
    assert [item["id"] for item in second["items"]] == [posts[1].pk, posts[0].pk]
    assert second["next"] is None
    # An offset would have shown the page-one posts again.
    shifted = client.get(f"{API}?limit=2&offset=2").json()
    assert [item["id"] for item in shifted["items"]] != [posts[1].pk, posts[0].pk]


def test_a_cursor_page_costs_the_same_whatever_the_depth(client, blog):
    make_posts(blog, 24)
    shallow = client.get(f"{API}?limit=3").json()
    deep = client.get(f"{API}?limit=20").json()

    def queries(url):
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        return len(captured)

    near = queries(f"{API}?limit=3&after={shallow['next']}")
    far = queries(f"{API}?limit=3&after={deep['next']}")
    assert near == far, (near, far)
    assert near <= 8


@pytest.mark.parametrize(
    "query",
    ["after=not-a-cursor", "after=MjAyNnwx&search=tears", "after=MjAyNnwx&order=title", "after=MjAyNnwx&offset=2"],
)
def test_a_cursor_that_cannot_be_followed_is_a_400(client, blog, query):
    make_posts(blog, 1)
    response = client.get(f"{API}?{query}")
    assert response.status_code == 400, response.content.decode()
    assert response["Content-Type"].startswith("application/problem+json")
    assert "after" in response.json()["detail"]


def test_an_offset_page_gives_a_cursor_too(client, blog):
    posts = make_posts(blog, 3)
    page = client.get(f"{API}?limit=1&offset=1").json()
    assert [item["id"] for item in page["items"]] == [posts[1].pk]
    rest = client.get(f"{API}?limit=5&after={page['next']}").json()
    assert [item["id"] for item in rest["items"]] == [posts[0].pk]
