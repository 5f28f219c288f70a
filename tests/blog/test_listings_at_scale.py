"""The listings at scale: their query counts do not grow with the number of posts, and a deep page, read by
ids first (BlogPostQuerySet.ids and in_order), shows the same posts in the same order as the listing."""

import io

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from blog.models import POSTS_PER_PAGE, BlogPostPage, BlogPostTag

from .. import factories

URLS = {
    "blog index": "/blog/",
    "blog index, page 3": "/blog/?page=3",
    "tag filter": "/blog/?tag=sex",
    "tag filter, page 2": "/blog/?tag=sex&page=2",
    "search": "/search/?q=sex",
    "search, page 2": "/search/?q=sex&page=2",
    "RSS feed": "/blog/feed/",
    "API posts": "/api/v3/posts/",
    "API posts, deep": "/api/v3/posts/?offset=30",
    "API posts by tag": "/api/v3/posts/?tag=sex",
    "sitemap section": "/sitemap-pages.xml",
}


def queries_of(client, url):
    assert client.get(url).status_code == 200  # renditions are made on a first request
    cache.clear()
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


@pytest.fixture
def content(blog, shop):
    for _ in range(2):
        factories.make_expert()
        factories.make_source()
    factories.make_product(shop)
    return blog


def test_the_listings_query_counts_do_not_grow_with_the_number_of_posts(client, content):
    counts = {}
    for size in (40, 100):
        call_command("generate_posts", size - BlogPostPage.objects.count(), stdout=io.StringIO())
        counts[size] = {name: queries_of(client, url) for name, url in URLS.items()}
    grew = {name: (counts[40][name], counts[100][name]) for name in URLS if counts[40][name] != counts[100][name]}
    assert grew == {}, f"query counts grew with the number of posts: {grew}"
    print(counts[100])


def test_a_deep_page_shows_the_listing_s_posts_in_its_order(client, content):
    call_command("generate_posts", 40, stdout=io.StringIO())
    expected = list(
        BlogPostPage.objects.listing().values_list("title", flat=True)[2 * POSTS_PER_PAGE :][:POSTS_PER_PAGE]
    )
    response = client.get("/blog/?page=3")
    assert [post.title for post in response.context["posts"]] == expected
    assert response.context["posts"].paginator.count == 40

    tagged = BlogPostPage.objects.listing().filter(
        pk__in=BlogPostTag.objects.filter(tag__slug="sex").values("content_object_id")
    )
    response = client.get("/blog/?tag=sex&page=2")
    assert [post.pk for post in response.context["posts"]] == list(tagged.values_list("pk", flat=True)[12:24])

    api = client.get("/api/v3/posts/?offset=25&limit=10").json()
    assert api["count"] == 40
    assert [item["id"] for item in api["items"]] == list(
        BlogPostPage.objects.listing().values_list("pk", flat=True)[25:35]
    )
