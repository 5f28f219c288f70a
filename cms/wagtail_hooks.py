from django.urls import path, reverse
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.ui.components import Component
from wagtail.admin.widgets import Button
from wagtail.models import TaskState
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from blog.models import BlogPostPage

from . import publishing_rules  # noqa: F401 - registers its hooks
from .frontend_preview import frontend_preview
from .medical_review import CLAIM_FLAGGED_ACTION, CLAIM_VERIFIED_ACTION, annotate_review_due
from .medical_review_views import medical_review
from .models import Expert, MedicalReviewTask, Source
from .reports import MedicalReviewsDueView, can_see_reviews_due
from .webhook_views import WebhooksViewSetGroup


class ExpertViewSet(SnippetViewSet):
    model = Expert
    icon = "user"
    menu_label = "Experts"
    menu_order = 200
    add_to_admin_menu = True
    list_display = ["full_name", "credentials", "specialty", "live"]
    list_filter = ["live"]
    search_fields = ["name", "specialty"]


class SourceViewSet(SnippetViewSet):
    model = Source
    icon = "doc-full"
    menu_label = "Sources"
    menu_order = 210
    add_to_admin_menu = True
    list_display = ["title", "publisher", "year", "kind", "live"]
    list_filter = ["kind", "live"]
    search_fields = ["title", "authors", "publisher"]


register_snippet(ExpertViewSet)
register_snippet(SourceViewSet)


@hooks.register("register_admin_urls")
def register_medical_review_urls():
    return [
        path("medical-review/<int:page_id>/", medical_review, name="verity_medical_review"),
        path("frontend-preview/<int:page_id>/", frontend_preview, name="verity_frontend_preview"),
        path("reports/medical-reviews-due/", MedicalReviewsDueView.as_view(), name="verity_reviews_due"),
        path(
            "reports/medical-reviews-due/results/",
            MedicalReviewsDueView.as_view(results_only=True),
            name="verity_reviews_due_results",
        ),
    ]


class ReviewsDueMenuItem(MenuItem):
    def is_shown(self, request):
        return can_see_reviews_due(request.user)


@hooks.register("register_reports_menu_item")
def register_reviews_due_menu_item():
    return ReviewsDueMenuItem("Medical reviews due", reverse("verity_reviews_due"), icon_name="time", order=50)


class MedicalReviewQueuePanel(Component):
    """On a medical reviewer's dashboard: the posts waiting for them, oldest first, and for how long."""

    name = "medical_review_queue"
    order = 50
    template_name = "cms/admin/medical_review_queue.html"

    def __init__(self, task_states):
        self.task_states = task_states

    def get_context_data(self, parent_context):
        return {"task_states": self.task_states}


@hooks.register("construct_homepage_panels")
def add_medical_review_queue(request, panels):
    task_states = [
        task_state
        for task_state in TaskState.objects.filter(
            status=TaskState.STATUS_IN_PROGRESS, task__in=MedicalReviewTask.objects.all()
        )
        .select_related("revision", "workflow_state")
        .order_by("started_at")
        if task_state.task.specific.user_is_reviewer(request.user)
    ]
    if task_states:
        panels.append(MedicalReviewQueuePanel(task_states))


@hooks.register("register_log_actions")
def register_claim_review_actions(actions):
    def claim_message(verb):
        def message(log_entry):
            return f"{verb} claim: “{log_entry.data.get('claim', '')}”"

        return message

    actions.register_action(CLAIM_VERIFIED_ACTION, "Verify claim", claim_message("Verified"))
    actions.register_action(CLAIM_FLAGGED_ACTION, "Flag claim", claim_message("Flagged for changes"))


@hooks.register("construct_explorer_page_queryset")
def mark_reviews_due_in_listings(parent_page, pages, request):
    return annotate_review_due(pages, request)


@hooks.register("register_admin_viewset")
def register_webhook_viewsets():
    return WebhooksViewSetGroup()


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
