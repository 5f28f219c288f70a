"""Who may publish, unpublish and delete what, beyond Wagtail's page permissions (cms/roles.py).

Blog posts go live only through the review workflow: no one but a superuser publishes them directly,
whether from the editor, in bulk, or by publishing a copy or an alias. The workflow's last approval
publishes on its own authority (cms.review_workflow.publish_approved_revision), so the medical reviewers
who give it hold no publish permission of their own.

Registered as Wagtail hooks; imported by cms/wagtail_hooks.py.
"""

from django.contrib import messages
from django.shortcuts import redirect
from wagtail import hooks
from wagtail.models import Page

from blog.models import BlogPostPage

REFUSAL = "Blog posts are published through editorial and medical review. Submit it instead."


@hooks.register("before_edit_page")
def refuse_direct_publishing_of_posts(request, page):
    """Blog posts go live only through the review workflow: no one but a superuser publishes them directly."""
    publishing = request.method == "POST" and "action-publish" in request.POST
    if publishing and isinstance(page.specific, BlogPostPage) and not request.user.is_superuser:
        messages.error(request, REFUSAL)
        return redirect("wagtailadmin_pages:edit", page.pk)
    return None


@hooks.register("before_create_page")
def refuse_direct_publishing_of_new_posts(request, parent_page, page_class):
    publishing = request.method == "POST" and "action-publish" in request.POST
    if publishing and issubclass(page_class, BlogPostPage) and not request.user.is_superuser:
        messages.error(request, REFUSAL)
        meta = page_class._meta
        return redirect("wagtailadmin_pages:add", meta.app_label, meta.model_name, parent_page.pk)
    return None


def is_post(page):
    return isinstance(page, Page) and issubclass(page.specific_class, BlogPostPage)


@hooks.register("before_bulk_action")
def refuse_bulk_publishing_of_posts(request, action_type, objects, action_class_instance):
    """Publishing selected pages in bulk, with their draft descendants if asked, publishes no blog post."""
    if action_type != "publish" or request.user.is_superuser:
        return None
    with_descendants = action_class_instance.cleaned_form.cleaned_data.get("include_descendants")
    for page in objects:
        if is_post(page) or (with_descendants and BlogPostPage.objects.descendant_of(page).not_live().exists()):
            messages.error(request, REFUSAL)
            return redirect(action_class_instance.next_url)
    return None


@hooks.register("before_copy_page")
def refuse_publishing_copies_of_posts(request, page):
    """A live copy or an alias of a post would be a post that went live without review."""
    publishing = request.method == "POST" and (request.POST.get("publish_copies") or request.POST.get("alias"))
    if not publishing or request.user.is_superuser:
        return None
    with_subpages = request.POST.get("copy_subpages")
    if is_post(page) or (with_subpages and BlogPostPage.objects.descendant_of(page).live().exists()):
        messages.error(request, REFUSAL)
        return redirect("wagtailadmin_pages:copy", page.pk)
    return None


@hooks.register("construct_page_action_menu")
def hide_publish_on_posts(menu_items, request, context):
    page = context.get("page")
    if page is not None and isinstance(page.specific, BlogPostPage) and not request.user.is_superuser:
        menu_items[:] = [item for item in menu_items if item.name != "action-publish"]
