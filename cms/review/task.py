"""The medical step of the editorial workflow, as a Wagtail Task.

Like Wagtail's group approval task, its group's members act on it; unlike it, "Approve" is offered
and accepted only once every claim of the revision under review is verified, approval records the
reviewer's sign-off of the whole article, and nobody edits the page while it waits for medical
review. The claim-by-claim review happens on the medical review screen (cms/review/views.py); whether a
page waits for a given reviewer is `waiting_for_medical_review`, asked by that screen and the API.
"""

from django.utils.text import get_text_list
from django.utils.translation import gettext_lazy as _
from wagtail.models import AbstractGroupApprovalTask

from .actions import ClaimsNotVerified, ReviewRefused, sign_off
from .credentials import check_credentials
from .status import review_claims, unverified


class MedicalReviewTask(AbstractGroupApprovalTask):
    def user_is_reviewer(self, user):
        return user.is_superuser or self._user_in_groups(user)

    def revision_under_review(self, obj):
        task_state = obj.current_workflow_task_state
        return task_state.revision if task_state else None

    def unverified_claims(self, obj):
        revision = self.revision_under_review(obj)
        return self.unverified_claims_of(revision) if revision else []

    def unverified_claims_of(self, revision):
        reviewed = revision.as_object()
        return unverified(review_claims(reviewed, reviewed.body))

    def on_action(self, task_state, user, action_name, **kwargs):
        # Every way to approve comes through here: the review screen, the outside reviewer's link, the API
        # and Wagtail's own views.
        as_expert = kwargs.pop("as_expert", None)
        if action_name == "approve":
            pending = self.unverified_claims_of(task_state.revision)
            if pending:
                raise ClaimsNotVerified(pending)
            check_credentials(user, expert=as_expert)
            sign_off(task_state.revision, user, kwargs.get("comment", ""), expert=as_expert)
        super().on_action(task_state, user, action_name, **kwargs)

    def get_actions(self, obj, user):
        if not self.user_is_reviewer(user):
            return []
        actions = [("reject", _("Request changes"), True)]
        if not self.unverified_claims(obj):
            actions += [("approve", _("Approve"), False), ("approve", _("Approve with comment"), True)]
        return actions

    def locked_for_user(self, obj, user):
        # Reviewers verify and comment; they do not edit what they verify.
        return not user.is_superuser

    @classmethod
    def get_description(cls):
        return _("Medical reviewers verify every medical claim; approval needs every claim verified")

    class Meta:
        verbose_name = _("Medical review task")
        verbose_name_plural = _("Medical review tasks")


class NotInMedicalReview(ReviewRefused):
    """The page has no medical review step, or is not at it now."""


class NotAMedicalReviewer(ReviewRefused):
    """The user does not review the page's medical step."""


def reviewers_of(task):
    groups = getattr(task, "groups", None)
    names = [group.name for group in groups.all()] if groups is not None else []
    return get_text_list(names, "and") if names else "its reviewers"


def waiting_for_medical_review(page, user):
    """The task state of `page`'s medical review, when it waits for it and `user` is one of its reviewers;
    the review screen and the API both ask this, and a refusal says why."""
    title = f"“{page.get_admin_display_title()}”"
    task_state = page.current_workflow_task_state
    task = task_state.task.specific if task_state else None
    if not isinstance(task, MedicalReviewTask):
        state = page.current_workflow_state
        workflow = state.workflow if state else page.get_workflow()
        steps = MedicalReviewTask.objects.filter(workflow_tasks__workflow=workflow, active=True) if workflow else []
        task, task_state = next(iter(steps), None), None
    if task is None:
        raise NotInMedicalReview(f"{title} has no medical review step.")
    if not task.user_is_reviewer(user):
        raise NotAMedicalReviewer(f"Only {reviewers_of(task)} review the claims of {title}.")
    if task_state is None:
        step = page.current_workflow_task
        where = f"it is in {step.name.lower()}" if step else f"it is {page.status_string}"
        raise NotInMedicalReview(f"{title} is not waiting for medical review: {where}.")
    return task_state
