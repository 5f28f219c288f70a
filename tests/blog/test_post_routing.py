"""A post is served from its URL, read in one query by the blog index's route (BlogIndexPage.route), and its
page leaves out what a reader may not see: view restrictions hold as in Wagtail, for the post and its related
posts (BlogPostQuerySet.public, a subquery instead of Wagtail's extra query)."""

from django.contrib.auth.models import AnonymousUser
from wagtail.models import Page, PageViewRestriction

from blog.models import BlogPostAuthor, BlogPostPage

from .. import factories


def test_a_post_is_served_at_its_url_with_its_back_link(client, blog):
    post = factories.make_post(blog, title="Routed post", tags=["routing"])
    response = client.get(post.url)
    assert response.status_code == 200
    assert response.context["page"].pk == post.pk and type(response.context["page"]) is BlogPostPage
    assert 'href="/blog/"' in response.content.decode()


def test_unknown_slugs_deeper_paths_and_drafts_are_not_found(client, blog):
    post = factories.make_post(blog)
    draft = factories.make_post(blog, live=False)
    assert client.get("/blog/no-such-post/").status_code == 404
    assert client.get(f"{post.url}extra/").status_code == 404
    assert client.get(draft.url).status_code == 404


def test_the_index_and_its_feed_keep_their_routes(client, blog):
    factories.make_post(blog, title="In the feed")
    assert client.get("/blog/").status_code == 200
    feed = client.get("/blog/feed/")
    assert feed.status_code == 200 and "In the feed" in feed.content.decode()


def test_a_restricted_post_asks_for_its_password_and_is_not_a_related_post(client, blog):
    post = factories.make_post(blog, tags=["shared"])
    private = factories.make_post(blog, title="Private post", tags=["shared"])
    visible = factories.make_post(blog, title="Visible post", tags=["shared"])
    PageViewRestriction.objects.create(page=private, restriction_type="password", password="secret")

    html = client.get(post.url).content.decode()
    assert "Visible post" in html and "Private post" not in html
    assert visible.title in client.get("/blog/").content.decode()
    response = client.get(private.url)
    assert response.status_code == 200 and "password" in response.content.decode().lower()
    assert private.dek not in response.content.decode()


def test_a_restricted_blog_keeps_every_post_behind_its_login(client, blog):
    post = factories.make_post(blog, tags=["shared"])
    factories.make_post(blog, title="Other post", tags=["shared"])
    PageViewRestriction.objects.create(page=blog, restriction_type="login")
    response = client.get(post.url)
    assert response.status_code == 302 and "login" in response["Location"]
    assert not BlogPostPage.objects.live().public().exists()


def test_restrictions_on_the_home_page_and_the_root_hold_for_a_post(client, home, blog):
    post = factories.make_post(blog)
    restriction = PageViewRestriction.objects.create(page=home, restriction_type="login")
    assert client.get(post.url).status_code == 302
    restriction.delete()
    PageViewRestriction.objects.create(page=Page.get_first_root_node(), restriction_type="login")
    assert client.get(post.url).status_code == 302


def test_an_alias_of_a_restricted_post_is_restricted_too(client, blog):
    post = factories.make_post(blog, title="Aliased")
    alias = post.create_alias(update_slug=f"{post.slug}-alias")
    assert client.get(alias.url).status_code == 200
    PageViewRestriction.objects.create(page=post, restriction_type="login")
    assert client.get(alias.url).status_code == 302


def test_a_preview_shows_its_revision_s_tags_and_authors(rf, blog):
    """A preview's tags and authors are its revision's, not the live post's (read_page_content)."""
    post = factories.make_post(blog, tags=["published-tag"], authors=[BlogPostAuthor(expert=factories.make_expert())])
    draft_author = factories.make_expert(name="Draft Author")
    post.tags.set(["draft-tag"])
    post.authors = [BlogPostAuthor(expert=draft_author)]
    revision = post.save_revision()

    request = rf.get("/")
    request.user = AnonymousUser()
    request.is_preview = True
    html = revision.as_object().serve_preview(request, "").render().content.decode()
    assert "draft-tag" in html and "published-tag" not in html
    assert "Draft Author" in html
