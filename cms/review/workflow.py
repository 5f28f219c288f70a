"""The default workflow, "Editorial and medical review": editorial leads approve, then medical reviewers
verify every claim, then the post goes live. Every blog section gets it: `ensure_review_workflow()` after
every `migrate`, `assign_review_workflow` when a section is made.

Experts and sources run "Expert and source review": an expert's name and credentials are what the public
trust line says, and a source is what a verified claim rests on, so a change to either is live only once a
medical reviewer approves it (`ensure_people_review_workflow()`, after every `migrate`)."""

from django.apps import apps as django_apps

from .roles import EDITORIAL_LEADS, MEDICAL_REVIEWERS

WORKFLOW_NAME = "Editorial and medical review"
EDITORIAL_TASK_NAME = "Editorial review"
MEDICAL_TASK_NAME = "Medical review"
PEOPLE_WORKFLOW_NAME = "Expert and source review"
PEOPLE_TASK_NAME = "Credentials and sources check"
PEOPLE_MODELS = ("cms.Expert", "cms.Source")


def ensure_review_workflow():
    """Create the workflow and its two tasks if missing, and assign it to every blog index.

    Runs after every `migrate` (cms/review/post_migrate.py), after `ensure_roles()`. What exists is kept as an
    admin left it, except that the workflow's tasks keep their role's group among their reviewers: a
    group deleted and made again by `ensure_roles()` is a new row, which the task would not know.
    """
    from django.contrib.auth.models import Group
    from wagtail.models import GroupApprovalTask, Workflow, WorkflowPage, WorkflowTask

    tasks = {  # name: (task model, the role that reviews it), in the workflow's order
        EDITORIAL_TASK_NAME: (GroupApprovalTask, EDITORIAL_LEADS),
        MEDICAL_TASK_NAME: (django_apps.get_model("cms", "MedicalReviewTask"), MEDICAL_REVIEWERS),
    }
    workflow, created = Workflow.objects.get_or_create(name=WORKFLOW_NAME, defaults={"active": True})
    if not WorkflowTask.objects.filter(workflow=workflow).exists():
        for sort_order, (name, (model, _)) in enumerate(tasks.items()):
            task = model.objects.filter(name=name).first() or model.objects.create(name=name, active=True)
            WorkflowTask.objects.create(workflow=workflow, task=task, sort_order=sort_order)
    for name, (model, group_name) in tasks.items():
        for task in model.objects.filter(name=name, workflow_tasks__workflow=workflow):
            task.groups.add(Group.objects.get(name=group_name))
    for blog_index_id in django_apps.get_model("blog", "BlogIndexPage").objects.values_list("pk", flat=True):
        WorkflowPage.objects.get_or_create(page_id=blog_index_id, defaults={"workflow": workflow})
    if created:
        # Wagtail's starter "Moderators approval" would send every other page through a group we do not
        # use. Only on install: an admin who turns it back on later is not overruled by the next migrate.
        Workflow.objects.filter(name="Moderators approval").update(active=False)
        WorkflowPage.objects.filter(workflow__name="Moderators approval").delete()
    return workflow


def ensure_people_review_workflow():
    """Create "Expert and source review" (one GroupApprovalTask for the medical reviewers) if missing, and
    assign it to the Expert and Source snippets.

    Runs after every `migrate`, after `ensure_roles()`. As with the post workflow, what exists is kept as an
    admin left it (a model an admin moved to another workflow stays there), except that the task keeps the
    medical reviewers' group among its reviewers. The last approval publishes what it approved
    (`publish_approved_revision`), so the reviewers need no publish permission on experts or sources.
    """
    from django.contrib.auth.models import Group
    from django.contrib.contenttypes.models import ContentType
    from wagtail.models import GroupApprovalTask, Workflow, WorkflowContentType, WorkflowTask

    workflow, _ = Workflow.objects.get_or_create(name=PEOPLE_WORKFLOW_NAME, defaults={"active": True})
    if not WorkflowTask.objects.filter(workflow=workflow).exists():
        task = GroupApprovalTask.objects.filter(name=PEOPLE_TASK_NAME).first()
        task = task or GroupApprovalTask.objects.create(name=PEOPLE_TASK_NAME, active=True)
        WorkflowTask.objects.create(workflow=workflow, task=task, sort_order=0)
    for task in GroupApprovalTask.objects.filter(name=PEOPLE_TASK_NAME, workflow_tasks__workflow=workflow):
        task.groups.add(Group.objects.get(name=MEDICAL_REVIEWERS))
    for label in PEOPLE_MODELS:
        content_type = ContentType.objects.get_for_model(django_apps.get_model(label), for_concrete_model=False)
        WorkflowContentType.objects.get_or_create(content_type=content_type, defaults={"workflow": workflow})
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
