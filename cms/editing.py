"""New pages are saved when the editor saves them, never by autosave; edits of existing pages still autosave.

Wagtail 8's create view autosaves like the edit view, and its first autosave creates the page: an abandoned
new-post form left a draft behind whose slug then refused the editor's next try at the same title. Here:

- `refuse_autosave_of_new_pages` (a `before_create_page` hook, so it holds for every page type and viewset)
  refuses the create view's JSON (autosave) posts, so no page exists until the editor chooses Save draft,
  Submit or Publish;
- `CreatePageView` renders the create form without Wagtail's autosave controller, so the browser never
  sends those posts; `PageViewSet` uses it, and is the viewset of every page type without one of its own;
- `offer_own_draft`: when a new page's slug is that of a draft the same editor started and never
  submitted or published (a stray draft from before this), the slug error comes with a link to resume it.

The edit view keeps Wagtail's autosave (WAGTAIL_AUTOSAVE_INTERVAL).
"""

from django.http import JsonResponse
from django.urls import reverse
from wagtail import hooks
from wagtail.admin import messages
from wagtail.admin.views.pages.create import CreateView
from wagtail.admin.viewsets.pages import PageViewSet as WagtailPageViewSet
from wagtail.models import WorkflowState

NEW_PAGES_ARE_NOT_AUTOSAVED = "New pages are not autosaved: choose Save draft to keep this one."


class CreatePageView(CreateView):
    """Wagtail's create view, without autosave (which would create the page on the editor's first keystroke)."""

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["autosave_enabled"] = False
        return context


class PageViewSet(WagtailPageViewSet):
    """Wagtail's page views, with the create view above. A page type's own viewset should subclass this."""

    add_view_class = CreatePageView


@hooks.register("register_admin_viewset")
def register_page_viewset():
    # Registered for Page, it replaces Wagtail's default for every page type without a viewset of its own.
    return PageViewSet(name="verity_pages")


def is_autosave(request):
    # Wagtail's autosave posts the form asking for JSON; a Save draft, Submit or Publish asks for HTML.
    return request.method == "POST" and not request.accepts("text/html")


@hooks.register("before_create_page")
def refuse_autosave_of_new_pages(request, parent_page, page_class):
    if is_autosave(request):
        # "validation_error" is one of the codes whose message Wagtail's autosave shows the editor.
        return JsonResponse(
            {"success": False, "error_code": "validation_error", "error_message": NEW_PAGES_ARE_NOT_AUTOSAVED},
            status=400,
        )
    return None


def own_unsubmitted_draft(user, parent_page, slug):
    """The draft under parent_page at slug that user started and never published or submitted, if any."""
    if not slug:
        return None
    page = parent_page.get_children().filter(slug=slug, owner=user, live=False, first_published_at=None).first()
    if page is None or WorkflowState.objects.for_instance(page).exists():
        return None
    return page


@hooks.register("before_create_page")
def offer_own_draft(request, parent_page, page_class):
    if request.method != "POST" or is_autosave(request):
        return None
    draft = own_unsubmitted_draft(request.user, parent_page, request.POST.get("slug"))
    if draft is not None and draft.permissions_for_user(request.user).can_edit():
        # The form refuses the slug; the message, shown with that error, leads to the draft instead.
        messages.warning(
            request,
            f"You already have a draft at this address, “{draft.get_admin_display_title()}”: "
            "resume it, or give this page another slug.",
            buttons=[messages.button(reverse("wagtailadmin_pages:edit", args=[draft.pk]), "Resume your draft")],
        )
    return None
