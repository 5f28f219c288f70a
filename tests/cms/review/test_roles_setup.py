"""The roles and the default review workflow are set up after every `migrate` (cms/review/post_migrate.py), by
today's cms/review/roles.py and cms/review/workflow.py, not by data migrations that would import them.

The test database was made by `migrate`, so what it holds is what any fresh install holds; the tests that
run `migrate` again do it through the real command.
"""

import ast
import io
from pathlib import Path

import pytest
from django.apps import apps
from django.conf import settings
from django.contrib.auth.models import Group, Permission
from django.core.management import call_command
from wagtail.models import (
    Collection,
    GroupApprovalTask,
    GroupCollectionPermission,
    GroupPagePermission,
    Page,
    Task,
    Workflow,
    WorkflowPage,
    WorkflowTask,
)

from blog.models import BlogIndexPage
from cms.models import MedicalReviewTask
from cms.review import roles
from cms.review.post_migrate import last_app_signalled, set_up_roles_and_workflow
from cms.review.workflow import EDITORIAL_TASK_NAME, MEDICAL_TASK_NAME, WORKFLOW_NAME

from ...factories import add_page

pytestmark = pytest.mark.django_db


def migrate():
    call_command("migrate", verbosity=0, interactive=False, stdout=io.StringIO())


def grants(group):
    """What a group holds, as names: model permissions, page permissions by page, image permissions."""
    return {
        "model": {f"{p.content_type.app_label}.{p.codename}" for p in group.permissions.all()},
        "page": {(g.page_id, g.permission.codename) for g in GroupPagePermission.objects.filter(group=group)},
        "collection": {
            (g.collection_id, g.permission.codename) for g in GroupCollectionPermission.objects.filter(group=group)
        },
    }


def expected_grants(name, shop_sections=()):
    root_page, root_collection = Page.objects.get(depth=1).pk, Collection.objects.get(depth=1).pk
    page = {(root_page, f"{t}_page") for t in roles.PAGE_PERMISSIONS[name]}
    page |= {(pk, f"{t}_page") for t in roles.SHOP_PAGE_PERMISSIONS.get(name, []) for pk in shop_sections}
    return {
        "model": {"wagtailadmin.access_admin", *roles.MODEL_PERMISSIONS[name]},
        "page": page,
        "collection": {(root_collection, codename) for codename in roles.IMAGE_PERMISSIONS[name]},
    }


def snapshot():
    """Every row the set-up writes, with its primary key: equal snapshots mean nothing was remade."""
    return {
        "groups": sorted(Group.objects.values_list("pk", "name")),
        "group permissions": sorted(Group.permissions.through.objects.values_list("pk", "group_id", "permission_id")),
        "permissions": sorted(Permission.objects.values_list("pk", "codename")),
        "page grants": sorted(GroupPagePermission.objects.values_list("pk", "group_id", "page_id", "permission_id")),
        "collection grants": sorted(
            GroupCollectionPermission.objects.values_list("pk", "group_id", "collection_id", "permission_id")
        ),
        "workflows": sorted(Workflow.objects.values_list("pk", "name", "active")),
        "tasks": sorted(Task.objects.values_list("pk", "name", "active", "content_type_id")),
        "task groups": sorted(
            [
                *GroupApprovalTask.groups.through.objects.values_list("pk", "groupapprovaltask_id", "group_id"),
                *MedicalReviewTask.groups.through.objects.values_list("pk", "medicalreviewtask_id", "group_id"),
            ]
        ),
        "workflow tasks": sorted(WorkflowTask.objects.values_list("pk", "workflow_id", "task_id", "sort_order")),
        "workflow pages": sorted(WorkflowPage.objects.values_list("page_id", "workflow_id")),
    }


def test_after_migrate_every_role_holds_exactly_its_permissions():
    for name in roles.PAGE_PERMISSIONS:
        assert grants(Group.objects.get(name=name)) == expected_grants(name), name
    # What the table means, spelled out for the two roles whose limits matter most.
    root = Page.objects.get(depth=1).pk
    assert (root, "publish_page") not in grants(Group.objects.get(name=roles.EDITORS))["page"]
    assert not grants(Group.objects.get(name=roles.SHOP_MANAGERS))["page"]


def test_after_migrate_the_review_workflow_has_its_two_steps_and_replaces_wagtails_starter():
    workflow = Workflow.objects.get(name=WORKFLOW_NAME, active=True)
    steps = [(t.task.specific_class, t.task.name) for t in workflow.workflow_tasks.order_by("sort_order")]
    assert steps == [(GroupApprovalTask, EDITORIAL_TASK_NAME), (MedicalReviewTask, MEDICAL_TASK_NAME)]
    editorial, medical = (t.task.specific for t in workflow.workflow_tasks.order_by("sort_order"))
    assert [g.name for g in editorial.groups.all()] == [roles.EDITORIAL_LEADS]
    assert [g.name for g in medical.groups.all()] == [roles.MEDICAL_REVIEWERS]
    assert not Workflow.objects.filter(name="Moderators approval", active=True).exists()
    assert not WorkflowPage.objects.filter(workflow__name="Moderators approval").exists()


def test_a_new_blog_index_runs_the_review_workflow(home):
    blog = add_page(home, BlogIndexPage(title="Blog", slug="blog"))
    assert blog.get_workflow().name == WORKFLOW_NAME


def test_a_blog_index_without_the_workflow_gets_it_on_the_next_migrate(home):
    blog = add_page(home, BlogIndexPage(title="Blog", slug="blog"))
    WorkflowPage.objects.filter(page=blog).delete()
    migrate()
    assert blog.get_workflow().name == WORKFLOW_NAME


def test_migrating_again_changes_nothing(home, shop):
    add_page(home, BlogIndexPage(title="Blog", slug="blog"))
    migrate()
    before = snapshot()
    migrate()
    migrate()
    assert snapshot() == before
    assert Group.objects.filter(name__in=roles.PAGE_PERMISSIONS).count() == len(roles.PAGE_PERMISSIONS)
    assert Workflow.objects.filter(name=WORKFLOW_NAME).count() == 1
    assert Task.objects.filter(name__in=[EDITORIAL_TASK_NAME, MEDICAL_TASK_NAME]).count() == 2
    assert grants(Group.objects.get(name=roles.SHOP_MANAGERS)) == expected_grants(roles.SHOP_MANAGERS, [shop.pk])


def test_the_set_up_runs_once_per_migrate(monkeypatch):
    calls = []
    ensure_roles = roles.ensure_roles
    monkeypatch.setattr(roles, "ensure_roles", lambda: calls.append(1) or ensure_roles())
    migrate()
    assert calls == [1]


def test_a_deleted_role_comes_back_on_the_next_migrate_and_reviews_its_step_again():
    Group.objects.get(name=roles.MEDICAL_REVIEWERS).delete()
    migrate()
    group = Group.objects.get(name=roles.MEDICAL_REVIEWERS)
    assert grants(group) == expected_grants(roles.MEDICAL_REVIEWERS)
    medical = Workflow.objects.get(name=WORKFLOW_NAME).workflow_tasks.get(task__name=MEDICAL_TASK_NAME).task.specific
    assert list(medical.groups.all()) == [group]


def test_a_role_edited_by_hand_is_reset_on_the_next_migrate():
    editors = Group.objects.get(name=roles.EDITORS)
    editors.permissions.add(Permission.objects.get(codename="delete_expert"))
    editors.permissions.remove(Permission.objects.get(codename="add_source"))
    GroupPagePermission.objects.create(
        group=editors, page=Page.objects.get(depth=1), permission=Permission.objects.get(codename="publish_page")
    )
    migrate()
    assert grants(editors) == expected_grants(roles.EDITORS)


def test_the_set_up_skips_quietly_when_there_is_no_page_tree():
    """As after `flush`, which sends post_migrate over empty tables."""
    Page.objects.get(depth=1).delete()
    before = snapshot()
    set_up_roles_and_workflow(sender=last_app_signalled(), using="default", verbosity=0)
    assert snapshot() == before


def test_the_set_up_acts_only_on_the_last_apps_signal():
    Group.objects.filter(name__in=roles.PAGE_PERMISSIONS).delete()
    set_up_roles_and_workflow(sender=apps.get_app_config("cms"), using="default", verbosity=0)
    assert not Group.objects.filter(name__in=roles.PAGE_PERMISSIONS).exists()


def project_migrations():
    base = Path(settings.BASE_DIR).resolve()
    for config in apps.get_app_configs():
        path = Path(config.path).resolve()
        if path.is_relative_to(base) and ".venv" not in path.relative_to(base).parts:
            yield from sorted((path / "migrations").glob("*.py"))


def imported_modules(tree):
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            yield node.module
            yield from (f"{node.module}.{alias.name}" for alias in node.names)


def test_no_migration_imports_the_code_that_sets_up_roles_or_the_site():
    """A migration that imports live code changes whenever that code does; these set up data."""
    forbidden = ("cms.review.roles", "cms.review.workflow", "cms.review.post_migrate", "cms.site.address")
    migrations = list(project_migrations())
    assert any(path.parts[-3:-1] == ("cms", "migrations") for path in migrations)
    for path in migrations:
        for module in imported_modules(ast.parse(path.read_text())):
            assert not module.startswith(forbidden), f"{path} imports {module}"
