"""Who may publish, unpublish and delete what, beyond Wagtail's page permissions (cms/review/roles.py).

Blog posts go live only through the review workflow: no one but a superuser publishes them directly,
whether from the editor, in bulk, or by publishing a copy or an alias. The workflow's last approval
publishes on its own authority (cms.review.workflow.publish_approved_revision), so the medical reviewers
who give it hold no publish permission of their own.

The same rules hold in Wagtail's API v3 (cms/api/): its page endpoints act through Wagtail's action
registry, where `register_publishing_rules` puts actions that refuse what the admin's hooks refuse.

Registered as Wagtail hooks; imported by cms/wagtail_hooks.py.
"""

from django.contrib import messages
from django.shortcuts import redirect
from wagtail import hooks
from wagtail.actions.copy_page import CopyPageAction, CopyPagePermissionError
from wagtail.actions.create import CreatePermissionError
from wagtail.actions.create_alias import CreatePageAliasAction, CreatePageAliasPermissionError
from wagtail.actions.create_page import CreatePageAction
from wagtail.actions.edit import EditPermissionError
from wagtail.actions.edit_page import EditPageAction
from wagtail.actions.publish_page_revision import PublishPagePermissionError, PublishPageRevisionAction
from wagtail.models import Page

from .pages import is_reviewed, reviewed_page_models

REFUSAL = "Blog posts are published through editorial and medical review. Submit it instead."


def is_post(page):
    return isinstance(page, Page) and is_reviewed(page)


def reviewed_descendants(page):
    return Page.objects.descendant_of(page).type(*reviewed_page_models())


def may_publish_directly(user, page_class):
    """Whether `user` may make a page of this class live outside the review workflow: blog posts, only superusers."""
    return user.is_superuser or not is_reviewed(page_class)


def may_publish_copies(user, page, with_subpages):
    """Whether `user` may copy or alias `page` (and its subpages) as live pages.

    A live copy or an alias of a post would be a post that went live without review.
    """
    if user.is_superuser:
        return True
    return not is_post(page) and not (with_subpages and reviewed_descendants(page).live().exists())


@hooks.register("before_edit_page")
def refuse_direct_publishing_of_posts(request, page):
    """Blog posts go live only through the review workflow: no one but a superuser publishes them directly."""
    publishing = request.method == "POST" and "action-publish" in request.POST
    if publishing and not may_publish_directly(request.user, page.specific_class):
        messages.error(request, REFUSAL)
        return redirect("wagtailadmin_pages:edit", page.pk)
    return None


@hooks.register("before_create_page")
def refuse_direct_publishing_of_new_posts(request, parent_page, page_class):
    publishing = request.method == "POST" and "action-publish" in request.POST
    if publishing and not may_publish_directly(request.user, page_class):
        messages.error(request, REFUSAL)
        meta = page_class._meta
        return redirect("wagtailadmin_pages:add", meta.app_label, meta.model_name, parent_page.pk)
    return None


@hooks.register("before_bulk_action")
def refuse_bulk_publishing_of_posts(request, action_type, objects, action_class_instance):
    """Publishing selected pages in bulk, with their draft descendants if asked, publishes no blog post."""
    if action_type != "publish" or request.user.is_superuser:
        return None
    with_descendants = action_class_instance.cleaned_form.cleaned_data.get("include_descendants")
    for page in objects:
        if is_post(page) or (with_descendants and reviewed_descendants(page).not_live().exists()):
            messages.error(request, REFUSAL)
            return redirect(action_class_instance.next_url)
    return None


@hooks.register("before_copy_page")
def refuse_publishing_copies_of_posts(request, page):
    """A live copy or an alias of a post would be a post that went live without review."""
    publishing = request.method == "POST" and (request.POST.get("publish_copies") or request.POST.get("alias"))
    if publishing and not may_publish_copies(request.user, page, bool(request.POST.get("copy_subpages"))):
        messages.error(request, REFUSAL)
        return redirect("wagtailadmin_pages:copy", page.pk)
    return None


@hooks.register("construct_page_action_menu")
def hide_publish_on_posts(menu_items, request, context):
    page = context.get("page")
    if page is not None and is_reviewed(page) and not request.user.is_superuser:
        menu_items[:] = [item for item in menu_items if item.name != "action-publish"]


# --- The same rules for Wagtail's actions, which the API v3 page endpoints run ----------------------------


class CreatePostAction(CreatePageAction):
    """Creating a blog post with `publish` (POST /api/v3/pages/ with meta.action "publish")."""

    def check_publish(self):
        if self.user and self.publish and not may_publish_directly(self.user, type(self.instance)):
            raise CreatePermissionError(REFUSAL)
        super().check_publish()


class EditPostAction(EditPageAction):
    """Saving a blog post with `publish` (PATCH /api/v3/pages/{id}/ with meta.action "publish")."""

    def check_publish(self):
        if self.user and self.publish and not may_publish_directly(self.user, type(self.instance)):
            raise EditPermissionError(REFUSAL)
        super().check_publish()


class PublishPageAction(PublishPageRevisionAction):
    """Publishing a page's latest revision (POST /api/v3/pages/{id}/actions/publish/).

    The workflow's last approval does not come this way: it publishes through the revision
    (cms.review.workflow.publish_approved_revision), as scheduled publishing does.
    """

    def check(self, skip_permission_checks=False):
        if self.user and not skip_permission_checks and not may_publish_directly(self.user, self.object.specific_class):
            raise PublishPagePermissionError(REFUSAL)
        super().check(skip_permission_checks)


class CopyPageKeepingRulesAction(CopyPageAction):
    """Copying a page with `keep_live` (POST /api/v3/pages/{id}/actions/copy/) publishes no copy of a post."""

    def check(self, skip_permission_checks=False):
        super().check(skip_permission_checks)
        if (
            self.user
            and not skip_permission_checks
            and self.keep_live
            and not may_publish_copies(self.user, self.page, self.recursive)
        ):
            raise CopyPagePermissionError(REFUSAL)


class CreateAliasKeepingRulesAction(CreatePageAliasAction):
    """An alias is live as soon as it is made (POST /api/v3/pages/{id}/actions/create_alias/)."""

    def check(self, skip_permission_checks=False):
        super().check(skip_permission_checks)
        if self.user and not skip_permission_checks and not may_publish_copies(self.user, self.page, self.recursive):
            raise CreatePageAliasPermissionError(REFUSAL)


@hooks.register("register_actions")
def register_publishing_rules(registry):
    for model in reviewed_page_models():
        registry.register(model, CreatePostAction)
        registry.register(model, EditPostAction)
    # The API looks these up for Page, whatever the page's type.
    registry.register(Page, PublishPageAction)
    registry.register(Page, CopyPageKeepingRulesAction)
    registry.register(Page, CreateAliasKeepingRulesAction)
