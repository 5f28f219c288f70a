"""The medical step of the editorial workflow, as a Wagtail Task.

Like Wagtail's group approval task, its group's members act on it; unlike it, "Approve" is offered
only once every claim of the revision under review is verified, and nobody edits the page while it
waits for medical review. The claim-by-claim review happens on the medical review screen
(cms/views/medical_review.py).
"""

from django.utils.translation import gettext_lazy as _
from wagtail.models import AbstractGroupApprovalTask


class MedicalReviewTask(AbstractGroupApprovalTask):
    def user_is_reviewer(self, user):
        return user.is_superuser or self._user_in_groups(user)

    def revision_under_review(self, obj):
        task_state = obj.current_workflow_task_state
        return task_state.revision if task_state else None

    def unverified_claims(self, obj):
        from .medical_review import review_claims, unverified

        revision = self.revision_under_review(obj)
        if revision is None:
            return []
        return unverified(review_claims(obj, revision.as_object().body))

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
