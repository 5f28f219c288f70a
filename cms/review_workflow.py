"""The default workflow, "Editorial and medical review": editorial leads approve, then medical reviewers
verify every claim, then the post goes live. Every blog section gets it."""

from django.apps import apps as django_apps

from .roles import EDITORIAL_LEADS, MEDICAL_REVIEWERS

WORKFLOW_NAME = "Editorial and medical review"
EDITORIAL_TASK_NAME = "Editorial review"
MEDICAL_TASK_NAME = "Medical review"


def ensure_review_workflow(apps=django_apps):
    """Create the workflow and its two tasks if missing, and assign it to every blog index."""
    ContentType = apps.get_model("contenttypes", "ContentType")
    Group = apps.get_model("auth", "Group")
    Workflow = apps.get_model("wagtailcore", "Workflow")
    WorkflowTask = apps.get_model("wagtailcore", "WorkflowTask")
    WorkflowPage = apps.get_model("wagtailcore", "WorkflowPage")
    GroupApprovalTask = apps.get_model("wagtailcore", "GroupApprovalTask")
    MedicalReviewTask = apps.get_model("cms", "MedicalReviewTask")
    BlogIndexPage = apps.get_model("blog", "BlogIndexPage")

    def task(model, app_label, name, group_name):
        content_type, _ = ContentType.objects.get_or_create(app_label=app_label, model=model._meta.model_name)
        instance = model.objects.filter(name=name).first()
        if instance is None:
            instance = model.objects.create(name=name, content_type=content_type, active=True)
            instance.groups.set([Group.objects.get(name=group_name)])
        return instance

    workflow, _ = Workflow.objects.get_or_create(name=WORKFLOW_NAME, defaults={"active": True})
    if not WorkflowTask.objects.filter(workflow=workflow).exists():
        editorial = task(GroupApprovalTask, "wagtailcore", EDITORIAL_TASK_NAME, EDITORIAL_LEADS)
        medical = task(MedicalReviewTask, "cms", MEDICAL_TASK_NAME, MEDICAL_REVIEWERS)
        WorkflowTask.objects.create(workflow=workflow, task=editorial, sort_order=0)
        WorkflowTask.objects.create(workflow=workflow, task=medical, sort_order=1)
    for blog_index in BlogIndexPage.objects.all():
        WorkflowPage.objects.get_or_create(page_id=blog_index.pk, defaults={"workflow": workflow})
    # Wagtail's starter "Moderators approval" would send every other page through a group we do not use.
    Workflow.objects.filter(name="Moderators approval").update(active=False)
    WorkflowPage.objects.filter(workflow__name="Moderators approval").delete()
    return workflow


def publish_approved_revision(workflow_state, user=None):
    """The workflow's last approval publishes what it approved (WAGTAIL_FINISH_WORKFLOW_ACTION).

    Passing every step is the authority to publish, not the last approver's own page permissions:
    Wagtail's default, `wagtail.workflows.publish_workflow_state`, would need every medical reviewer to
    hold "publish" on the whole tree, which would also let them publish, unschedule or restrict any page.
    A workflow that finishes with no step approving this revision (all its tasks inactive) publishes only
    if the user may. Wagtail imports this while it loads its models, so this module imports none at the top.
    """
    from wagtail.models import TaskState

    revision = workflow_state.content_object.get_latest_revision()
    approved = workflow_state.task_states.filter(status=TaskState.STATUS_APPROVED, revision=revision).exists()
    revision.publish(user=user, skip_permission_checks=approved)


def assign_review_workflow(sender, instance, created, raw=False, **kwargs):
    """A new blog section gets the review workflow (post_save of BlogIndexPage)."""
    if created and not raw:
        from wagtail.models import Workflow, WorkflowPage

        workflow = Workflow.objects.filter(name=WORKFLOW_NAME, active=True).first()
        if workflow:
            WorkflowPage.objects.get_or_create(page_id=instance.pk, defaults={"workflow": workflow})
