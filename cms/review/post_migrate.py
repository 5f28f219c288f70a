"""After every `migrate`, the editorial roles and the review workflows (posts; experts and sources) exist,
as today's code says.

They are made here rather than in data migrations, which would run today's cms/review/roles.py against an old
schema and change whenever it does. `migrate` sends post_migrate once per app, in INSTALLED_APPS order;
cms comes first there (its templates override Wagtail's), before the apps whose post_migrate handlers
make the permissions the roles hold (contrib.auth for every app, Wagtail snippets for publish and lock).
So this runs on the signal for the last app, once per migrate, after theirs (the last app's own,
sessions', run after this, and the roles hold none of its permissions).
"""

import sys

from django.apps import apps
from django.db import DEFAULT_DB_ALIAS, connections, transaction
from django.db.migrations.executor import MigrationExecutor


def set_up_roles_and_workflow(sender, using=DEFAULT_DB_ALIAS, verbosity=1, stdout=None, **kwargs):
    if sender is not last_app_signalled() or not apps.is_installed("cms"):
        return
    if using != DEFAULT_DB_ALIAS:  # the models write to the default database
        return
    reason = not_ready(connections[using])
    if reason:
        if verbosity >= 2:
            (stdout or sys.stdout).write(f"Roles and review workflow not set up: {reason}.\n")
        return
    from .roles import ensure_roles
    from .workflow import ensure_people_review_workflow, ensure_review_workflow

    with transaction.atomic(using=using):
        ensure_roles()
        ensure_review_workflow()
        ensure_people_review_workflow()


def last_app_signalled():
    """The app config post_migrate is sent for last (django.core.management.sql.emit_post_migrate_signal)."""
    return [config for config in apps.get_app_configs() if config.models_module is not None][-1]


def not_ready(connection):
    """Why the roles cannot be set up on this database yet, or None.

    A partial migrate (`migrate cms 0001`) leaves tables or columns the real models need missing; a
    flush leaves no page tree to grant permissions on. Either way there is nothing to do until later.
    """
    executor = MigrationExecutor(connection)
    if executor.migration_plan(executor.loader.graph.leaf_nodes()):
        return "migrations are not all applied"
    from wagtail.models import Collection, Page

    if not (Page.objects.filter(depth=1).exists() and Collection.objects.filter(depth=1).exists()):
        return "there is no page tree or collection root"
    return None
