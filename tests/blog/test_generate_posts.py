"""generate_posts: real, live, browsable posts in bulk, in a valid page tree."""

import io

import pytest
from django.core.management import CommandError, call_command
from wagtail.models import Page, ReferenceIndex

from blog.models import BlogPostPage, BlogPostTag
from cms.models import Expert

from .. import factories


@pytest.fixture
def site_content(blog, shop):
    """What the generator draws on: experts, sources and products, as the demo has them."""
    experts = [factories.make_expert() for _ in range(3)]
    sources = [factories.make_source() for _ in range(3)]
    products = [factories.make_product(shop) for _ in range(2)]
    return experts, sources, products


def generate(count, *args):
    out = io.StringIO()
    call_command("generate_posts", count, *args, stdout=out)
    return out.getvalue()


def test_it_adds_live_posts_with_revisions_under_the_blog_in_a_valid_tree(blog, site_content):
    factories.make_post(blog, title="Written by hand")
    assert f"Added 30 live posts under {blog.url_path}" in generate(30, "--batch-size", "12")

    posts = BlogPostPage.objects.child_of(blog).exclude(title="Written by hand")
    assert posts.count() == 30 and posts.live().count() == 30
    # treebeard's own check (what `manage.py fixtree` runs) finds nothing wrong.
    assert all(problems == [] for problems in Page.find_problems())
    blog.refresh_from_db()
    assert blog.numchild == 31
    assert len({post.slug for post in posts}) == 30

    years = {post.first_published_at.year for post in posts}
    assert len(years) > 1
    for post in posts.select_related("live_revision"):
        assert post.live_revision_id == post.latest_revision_id is not None
        assert post.url_path == f"{blog.url_path}{post.slug}/"
        assert post.last_published_at == post.first_published_at
        revision_post = post.live_revision.as_object()
        a, b = list(revision_post.body.raw_data), list(post.body.raw_data)
        assert (revision_post.title, a) == (post.title, b)
        assert post.tags.exists()
    block_types = {block.block_type for post in posts for block in post.body}
    assert {"heading", "paragraph"} <= block_types and len(block_types) >= 5


def test_the_posts_are_browsable_searchable_and_referenced(client, blog, site_content):
    generate(30)
    post = BlogPostPage.objects.child_of(blog).live().order_by("pk").last()

    response = client.get(post.url)
    assert response.status_code == 200 and post.title in response.content.decode()
    index = client.get("/blog/").content.decode()
    assert index.count('class="card post-card"') == 12
    tag = post.tags.first()
    tagged = client.get(f"/blog/?tag={tag.slug}").content.decode()
    assert tagged.count('class="card post-card"') == min(12, BlogPostTag.objects.filter(tag=tag).count())

    search = client.get("/search/", {"q": post.title}).content.decode()
    assert post.url in search

    # Experts' profiles list the posts that quote or credit them, through the reference index.
    quoting = ReferenceIndex.get_references_to(Expert.objects.first()).count()
    assert quoting > 0


def test_the_same_seed_makes_the_same_posts(blog, site_content):
    generate(5, "--seed", "7")
    first = list(BlogPostPage.objects.child_of(blog).order_by("path").values_list("title", "dek"))
    BlogPostPage.objects.child_of(blog).delete()
    generate(5, "--seed", "7")
    again = list(BlogPostPage.objects.child_of(blog).order_by("path").values_list("title", "dek"))
    assert first == again


def test_without_a_blog_it_says_to_load_the_demo(home):
    with pytest.raises(CommandError, match="load_demo"):
        generate(3)
