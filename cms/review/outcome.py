"""What a review action did and where the post went next, said to the person who acted.

Wagtail's workflow action view approves or rejects and redirects without a word, and the dashboard row
simply disappears; `outcome_message` is the confirmation, shared by that view (through
`ReportingWorkflowActionView`) and the medical review screen.
"""

from django.contrib import messages
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.dateformat import format as format_date
from wagtail.admin.utils import get_latest_str, get_user_display_name
from wagtail.admin.views.pages.workflow import WorkflowActionView
from wagtail.models import TaskState, WorkflowState


def outcome_message(task_state):
    """One sentence: the post, the step it passed or failed, and where it is now; None while undecided."""
    task_state = TaskState.objects.select_related("task", "workflow_state").get(pk=task_state.pk)
    workflow_state = task_state.workflow_state
    obj = workflow_state.content_object  # a fresh instance: its live and scheduled state are current
    title = get_latest_str(obj)
    step = task_state.task.name
    if task_state.status == TaskState.STATUS_REJECTED:
        author = workflow_state.requested_by
        back_with = f"its author, {get_user_display_name(author)}" if author else "its author"
        return f"Changes requested on “{title}” in {step}; it is back with {back_with}."
    if task_state.status != TaskState.STATUS_APPROVED:
        return None
    if workflow_state.status == WorkflowState.STATUS_IN_PROGRESS:
        return f"“{title}” passed {step}; it now waits for {workflow_state.current_task_state.task.name}."
    scheduled = getattr(obj, "scheduled_revision", None)
    if scheduled:
        when = format_date(timezone.localtime(scheduled.approved_go_live_at), "j M Y H:i")
        return f"“{title}” passed {step} and is scheduled to go live on {when}."
    if getattr(obj, "live", False):
        return f"“{title}” passed {step} and was published."
    return f"“{title}” passed {step}."


class ReportingWorkflowActionView(WorkflowActionView):
    """Wagtail's page workflow action view (Approve, Request changes, with or without a comment, from the
    dashboard or its modal), plus a success message saying what the action did."""

    def post(self, request, *args, **kwargs):
        from .actions import ReviewRefused

        was_in_progress = self.task_state.status == TaskState.STATUS_IN_PROGRESS
        try:
            response = super().post(request, *args, **kwargs)
        except ReviewRefused as refusal:
            # A refused approval (an unverified claim, a lapsed credential) says why and changes nothing.
            messages.error(request, str(refusal))
            if request.headers.get("x-requested-with") == "XMLHttpRequest":
                return self.render_modal_json(request, {"step": "success", "redirect": self.redirect_url})
            return redirect(self.redirect_url)
        # An invalid modal form is re-rendered with the task still in progress: nothing to report then.
        if was_in_progress and (message := outcome_message(self.task_state)):
            messages.success(request, message)
        return response
