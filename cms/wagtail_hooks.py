from django.urls import path, reverse
from wagtail import hooks
from wagtail.admin.views.home import WorkflowObjectsToModeratePanel
from wagtail.models import TaskState
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from . import editing  # noqa: F401 - registers its hooks
from .caching import failed_purges  # noqa: F401 - registers its report
from .dashboard import DashboardPanel
from .models import Expert, HelpResource, MedicalReviewTask, Source
from .review import credentials_admin, outside_admin, publishing_rules  # noqa: F401 - register their hooks
from .review.actions import CLAIM_FLAGGED_ACTION, CLAIM_VERIFIED_ACTION, SIGN_OFF_ACTION
from .review.reports import MedicalReviewsDueView
from .review.status import annotate_review_due
from .review.views import medical_review, post_in_medical_review, reads_only, refuse_edit
from .webhooks.views import WebhooksViewSetGroup


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


class HelpResourceViewSet(SnippetViewSet):
    """Crisis lines and support services per country, which the posts' "get help" blocks list."""

    model = HelpResource
    icon = "help"
    menu_label = "Help resources"
    list_display = ["name", "country", "phone", "hours"]
    list_filter = ["country"]
    search_fields = ["name", "description"]


register_snippet(ExpertViewSet)
register_snippet(SourceViewSet)
register_snippet(HelpResourceViewSet)


@hooks.register("register_admin_urls")
def register_medical_review_urls():
    return [
        path("medical-review/<int:page_id>/", medical_review, name="verity_medical_review"),
    ]


MedicalReviewsDueView.register()


class MedicalReviewQueuePanel(DashboardPanel):
    """On a medical reviewer's dashboard: the posts waiting for them, oldest first, and for how long."""

    name = "medical_review_queue"
    order = 50
    template_name = "cms/admin/medical_review_queue.html"


@hooks.register("construct_homepage_panels")
def add_medical_review_queue(request, panels):
    # Which medical tasks this user reviews, asked once per task rather than once per waiting post.
    tasks = [task for task in MedicalReviewTask.objects.all() if task.user_is_reviewer(request.user)]
    task_states = (
        TaskState.objects.filter(status=TaskState.STATUS_IN_PROGRESS, task__in=tasks)
        .select_related("revision", "workflow_state")
        .order_by("started_at")
    )
    if tasks and task_states:
        panels.append(MedicalReviewQueuePanel(task_states=task_states))


@hooks.register("register_log_actions")
def register_claim_review_actions(actions):
    def claim_message(verb):
        def message(log_entry):
            return f"{verb} claim: “{log_entry.data.get('claim', '')}”"

        return message

    actions.register_action(CLAIM_VERIFIED_ACTION, "Verify claim", claim_message("Verified"))
    actions.register_action(CLAIM_FLAGGED_ACTION, "Flag claim", claim_message("Flagged for changes"))
    actions.register_action(SIGN_OFF_ACTION, "Medical sign-off", lambda entry: "Signed off the medical review")


@hooks.register("construct_explorer_page_queryset")
def mark_reviews_due_in_listings(parent_page, pages, request):
    return annotate_review_due(pages, request)


@hooks.register("register_admin_viewset")
def register_webhook_viewsets():
    return WebhooksViewSetGroup()


class AwaitingReviewPanel(WorkflowObjectsToModeratePanel):
    """Wagtail's "Awaiting your review" panel, with Approve and Request changes as buttons on each row."""

    template_name = "cms/admin/awaiting_review.html"

    def get_context_data(self, parent_context):
        context = super().get_context_data(parent_context)
        for state in context["states"]:
            state["buttons"], state["more_actions"] = [], []
            if isinstance(state["task_state"].task.specific, MedicalReviewTask):
                # Its approval is the reviewer's sign-off, given on the medical review screen.
                state["medical_review_url"] = reverse("verity_medical_review", args=[state["obj"].pk])
                continue
            # The first action of each name is a button (Approve, Request changes); the rest
            # ("Approve with comment") stay in the "…" menu.
            for name, label, modal in sorted(state["actions"], key=lambda action: action[0] != "approve"):
                shown = any(button["name"] == name for button in state["buttons"])
                (state["more_actions"] if shown else state["buttons"]).append(
                    {"name": name, "label": label, "modal": modal}
                )
        return context


@hooks.register("construct_homepage_panels")
def dashboard_review_actions(request, panels):
    panels[:] = [
        AwaitingReviewPanel() if isinstance(panel, WorkflowObjectsToModeratePanel) else panel for panel in panels
    ]


# Runs before the publishing rules' hook, so a reviewer's refused save is told the reason that applies.
@hooks.register("before_edit_page", order=-10)
def reviewers_read_posts_in_medical_review(request, page):
    """A post waiting for medical review is read-only to its reviewers: a summary pointing to the review
    screen instead of an editor whose fields look editable, and a save refused with a message."""
    if not reads_only(page, request.user):
        return None
    if request.method == "POST":
        return refuse_edit(request, page)
    return post_in_medical_review(request, page)
