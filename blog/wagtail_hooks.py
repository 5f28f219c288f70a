"""The blog's admin: its posts' views, the "New blog post" shortcut and the frontend preview button."""

from django.urls import path, reverse
from wagtail import hooks
from wagtail.admin.widgets import Button

from cms.dashboard import DashboardPanel
from cms.editing import PageViewSet
from cms.review.outcome import ReportingWorkflowActionView
from cms.site.listings import POST_LISTING_HOOK

from .frontend_preview import frontend_preview
from .models import BlogIndexPage, BlogPostPage


class BlogPostPageViewSet(PageViewSet):
    """Verity's page views for blog posts (cms/editing.py: new posts are not autosaved), and a workflow
    action says what it did (cms/review/outcome.py)."""

    model = BlogPostPage
    name = "blog_posts"
    workflow_action_view_class = ReportingWorkflowActionView
    # Leave the blog index's listing in the explorer to Wagtail.
    parent_models = ()


@hooks.register("register_admin_viewset")
def register_blog_post_viewset():
    return BlogPostPageViewSet()


class NewPostPanel(DashboardPanel):
    """A "New blog post" button at the top of the dashboard, for each blog the user may add posts to."""

    name = "new_post"
    order = 10
    template_name = "blog/admin/new_post.html"


def blogs_open_to(user):
    return [
        blog
        for blog in BlogIndexPage.objects.order_by("path")
        if BlogPostPage.can_create_at(blog) and blog.permissions_for_user(user).can_add_subpage()
    ]


@hooks.register("construct_homepage_panels")
def new_post_shortcut(request, panels):
    if blogs := blogs_open_to(request.user):
        links = [
            (reverse("wagtailadmin_pages:add", args=["blog", "blogpostpage", blog.pk]), blog.title) for blog in blogs
        ]
        panels.append(NewPostPanel(links=links))


@hooks.register("register_page_header_buttons")
def frontend_preview_button(page, user, view_name, next_url=None):
    """On a post's edit screen: open its latest revision on the headless frontend, by preview token."""
    if (
        view_name == "edit"
        and isinstance(page.specific_deferred, BlogPostPage)
        and page.permissions_for_user(user).can_edit()
    ):
        yield Button(
            "Preview on the frontend",
            reverse("verity_frontend_preview", args=[page.pk]),
            icon_name="view",
            attrs={"target": "_blank", "rel": "noopener"},
            priority=90,
        )


@hooks.register("register_admin_urls")
def register_frontend_preview_url():
    return [path("frontend-preview/<int:page_id>/", frontend_preview, name="verity_frontend_preview")]


@hooks.register(POST_LISTING_HOOK)
def post_listing():
    """For the home page and expert profiles (cms/site/listings.py): live posts, newest first, as cards show them."""
    return BlogPostPage.objects.listing()
