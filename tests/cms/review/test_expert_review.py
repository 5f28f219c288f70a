"""Experts and sources go live through "Expert and source review", through Wagtail's own snippet views.

An expert's typed credentials are what their public profile and their quotes say ("Dr. Ana Reyes, MD, ..."),
so an edit of them waits, unpublished, until a medical reviewer approves it (the trust line itself prints only
the reviewer's verified credential records: tests/cms/review/test_credentials.py); nobody but a superuser publishes
an expert or a source directly (cms/review/roles.py, cms/review/workflow.py). The seed post of the demo is
the trust line to watch. tests/cms/test_permission_matrix.py holds the same rules for every role.
"""

import pytest
from bs4 import BeautifulSoup
from django.contrib.auth.models import Group, User
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.urls import reverse
from wagtail.models import GroupApprovalTask, WorkflowContentType, WorkflowState

from cms.models import Expert, Source
from cms.review.roles import EDITORIAL_LEADS, EDITORS, MEDICAL_REVIEWERS, MODEL_PERMISSIONS, SHOP_MANAGERS
from cms.review.workflow import PEOPLE_TASK_NAME, PEOPLE_WORKFLOW_NAME

from ...admin_forms import assert_saved, form_data
from ..workflow_helpers import make_user

PUBLISH = "Publish"
SUBMIT = f"Submit to {PEOPLE_WORKFLOW_NAME}"
LIVE_CREDENTIALS = "MD, OB-GYN (demo)"
NEW_CREDENTIALS = "MD, PhD, OB-GYN (demo)"


def edit_url(model, instance):
    return reverse(f"wagtailsnippets_cms_{model}:edit", args=[instance.pk])


def action_url(model, instance, action):
    task_state = type(instance).objects.get(pk=instance.pk).current_workflow_task_state
    return reverse(f"wagtailsnippets_cms_{model}:workflow_action", args=[instance.pk, action, task_state.pk])


def trust_line(client):
    """Dr. Reyes's name and typed credentials on her public profile, as a reader sees them."""
    client.logout()
    soup = BeautifulSoup(client.get(reverse("expert_detail", args=["ana-reyes"])).content, "html.parser")
    return " ".join(f"{soup.h1.get_text()}, {soup.select_one('.credentials').get_text()}".split())


@pytest.fixture
def demo(shared_demo):
    """The demo, loaded once for this module: every test here reads it."""
    return shared_demo


@pytest.fixture
def ana(demo):
    return Expert.objects.get(slug="ana-reyes")


@pytest.fixture
def second_reviewer(demo):
    """A medical reviewer other than Dr. Reyes, who vouches for a change to her profile."""
    return make_user("reviewer2", MEDICAL_REVIEWERS)


def users(*names):
    return [User.objects.get(username=name) for name in names]


def test_the_demo_loads_experts_and_sources_live(demo):
    assert Expert.objects.exists() and not Expert.objects.filter(live=False).exists()
    assert Source.objects.exists() and not Source.objects.filter(live=False).exists()
    assert not WorkflowState.objects.filter(base_content_type__app_label="cms").exists()


def test_a_lead_edits_credentials_submits_and_a_medical_reviewer_approves_them_live(client, ana, second_reviewer):
    [lead] = users("lead")
    before = trust_line(client)
    assert f"Dr. Ana Reyes, {LIVE_CREDENTIALS}" in before

    # The lead's edit form offers no Publish; a forged publish only saves a draft.
    client.force_login(lead)
    form = client.get(edit_url("expert", ana))
    with pytest.raises(AssertionError, match="no form with a 'Publish' button"):
        form_data(form, PUBLISH)
    data = form_data(form, SUBMIT) | {"credentials": NEW_CREDENTIALS}
    forged = {key: value for key, value in data.items() if key != "action-submit"} | {"action-publish": "1"}
    client.post(edit_url("expert", ana), forged)
    ana.refresh_from_db()
    assert ana.credentials == LIVE_CREDENTIALS and ana.has_unpublished_changes and not ana.workflow_in_progress
    assert trust_line(client) == before

    # The lead submits the change: it waits for the medical reviewers, still not live.
    client.force_login(lead)
    response = client.post(edit_url("expert", ana), form_data(client.get(edit_url("expert", ana)), SUBMIT))
    assert_saved(response, "Expert 'Dr. Ana Reyes' has been submitted for moderation.")
    ana.refresh_from_db()
    assert ana.workflow_in_progress and ana.current_workflow_task.name == PEOPLE_TASK_NAME
    assert ana.credentials == LIVE_CREDENTIALS and ana.get_latest_revision_as_object().credentials == NEW_CREDENTIALS
    assert trust_line(client) == before

    # The lead cannot approve their own submission.
    client.force_login(lead)
    client.post(action_url("expert", ana, "approve"))
    ana.refresh_from_db()
    assert ana.workflow_in_progress and ana.credentials == LIVE_CREDENTIALS

    # A medical reviewer approves through Wagtail's workflow action view: the change is live.
    client.force_login(second_reviewer)
    assert client.post(action_url("expert", ana, "approve")).status_code == 302
    ana.refresh_from_db()
    assert ana.credentials == NEW_CREDENTIALS and not ana.has_unpublished_changes and not ana.workflow_in_progress
    assert f"Dr. Ana Reyes, {NEW_CREDENTIALS}" in trust_line(client)


def test_a_medical_reviewer_requests_changes_and_nothing_goes_live(client, ana, second_reviewer):
    [editor] = users("editor")
    before = trust_line(client)
    client.force_login(editor)
    data = form_data(client.get(edit_url("expert", ana)), SUBMIT) | {"credentials": NEW_CREDENTIALS}
    client.post(edit_url("expert", ana), data)

    client.force_login(second_reviewer)
    client.post(action_url("expert", ana, "reject"), {"comment": "Which board certified this?"})

    ana.refresh_from_db()
    assert ana.current_workflow_state.status == WorkflowState.STATUS_NEEDS_CHANGES
    assert ana.credentials == LIVE_CREDENTIALS and trust_line(client) == before


@pytest.mark.parametrize("role", ["editor", "lead", "reviewer", "shop"])
def test_no_role_publishes_a_credentials_change_directly(client, ana, role):
    """Each role's publish of an edit, and its approval without a submission in the task, are refused."""
    before, live_revision = trust_line(client), ana.live_revision_id
    [user] = users(role)
    client.force_login(user)
    forged = {"credentials": NEW_CREDENTIALS, "action-publish": "1"}
    admin_form = client.get(edit_url("expert", ana))
    data = form_data(admin_form, "Save draft") | forged if admin_form.status_code == 200 else forged
    client.post(edit_url("expert", ana), data)

    ana.refresh_from_db()
    assert ana.credentials == LIVE_CREDENTIALS and ana.live_revision_id == live_revision
    assert not ana.workflow_in_progress
    assert trust_line(client) == before


@pytest.mark.parametrize("role", ["editor", "lead", "shop"])
def test_only_medical_reviewers_approve_a_submitted_change(client, ana, role):
    [editor, user] = users("editor", role)
    client.force_login(editor)
    data = form_data(client.get(edit_url("expert", ana)), SUBMIT) | {"credentials": NEW_CREDENTIALS}
    client.post(edit_url("expert", ana), data)
    before = trust_line(client)
    ana.refresh_from_db()
    task_state = ana.current_workflow_task_state

    client.force_login(user)
    client.post(action_url("expert", ana, "approve"))

    ana.refresh_from_db()
    assert ana.workflow_in_progress and ana.current_workflow_task_state == task_state
    task_state.refresh_from_db()
    assert task_state.status == task_state.STATUS_IN_PROGRESS
    assert ana.credentials == LIVE_CREDENTIALS and trust_line(client) == before


def test_a_source_edit_goes_live_after_a_medical_reviewer_approves_it(client, demo):
    [editor, reviewer] = users("editor", "reviewer")
    source = Source.objects.filter(year__isnull=False).first()
    title = source.title
    client.force_login(editor)
    data = form_data(client.get(edit_url("source", source)), SUBMIT) | {"title": "A corrected title"}
    client.post(edit_url("source", source), data)
    source.refresh_from_db()
    assert source.workflow_in_progress and source.title == title

    client.force_login(reviewer)
    client.post(action_url("source", source, "approve"))
    source.refresh_from_db()
    assert source.title == "A corrected title" and not source.has_unpublished_changes


def test_after_migrate_experts_and_sources_run_their_review_and_no_role_publishes_them(db):
    call_command("migrate", verbosity=0)
    for model in (Expert, Source):
        content_type = ContentType.objects.get_for_model(model)
        workflow = WorkflowContentType.objects.get(content_type=content_type).workflow
        assert workflow.name == PEOPLE_WORKFLOW_NAME and workflow.active
        [task] = [task.specific for task in workflow.tasks]
        assert isinstance(task, GroupApprovalTask) and task.name == PEOPLE_TASK_NAME
        assert set(task.groups.values_list("name", flat=True)) == {MEDICAL_REVIEWERS}
    for role in (EDITORS, EDITORIAL_LEADS, MEDICAL_REVIEWERS, SHOP_MANAGERS):
        codenames = set(Group.objects.get(name=role).permissions.values_list("codename", flat=True))
        assert not codenames & {"publish_expert", "publish_source"}, role
        assert not {"cms.publish_expert", "cms.publish_source"} & set(MODEL_PERMISSIONS[role])
