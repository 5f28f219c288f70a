"""Who may publish, unpublish and delete what, beyond Wagtail's page permissions.

Registered as Wagtail hooks; imported by cms/wagtail_hooks.py.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from wagtail import hooks

from blog.models import BlogPostPage

from .roles import MEDICAL_REVIEWERS


@hooks.register("before_edit_page")
def refuse_direct_publishing_of_posts(request, page):
    """Blog posts go live only through the review workflow: no one but a superuser publishes them directly."""
    publishing = request.method == "POST" and "action-publish" in request.POST
    if publishing and isinstance(page.specific, BlogPostPage) and not request.user.is_superuser:
        messages.error(request, "Blog posts are published through editorial and medical review. Submit it instead.")
        return redirect("wagtailadmin_pages:edit", page.pk)
    return None


@hooks.register("before_create_page")
def refuse_direct_publishing_of_new_posts(request, parent_page, page_class):
    publishing = request.method == "POST" and "action-publish" in request.POST
    if publishing and issubclass(page_class, BlogPostPage) and not request.user.is_superuser:
        messages.error(request, "Blog posts are published through editorial and medical review. Submit it instead.")
        meta = page_class._meta
        return redirect("wagtailadmin_pages:add", meta.app_label, meta.model_name, parent_page.pk)
    return None


@hooks.register("before_unpublish_page")
def refuse_unpublishing_by_medical_reviewers(request, page):
    """Medical reviewers publish only by approving a review; they never unpublish."""
    user = request.user
    if not user.is_superuser and not user.groups.exclude(name=MEDICAL_REVIEWERS).exists():
        raise PermissionDenied("Medical reviewers cannot unpublish pages.")


@hooks.register("construct_page_action_menu")
def hide_publish_on_posts(menu_items, request, context):
    page = context.get("page")
    if page is not None and isinstance(page.specific, BlogPostPage) and not request.user.is_superuser:
        menu_items[:] = [item for item in menu_items if item.name != "action-publish"]
