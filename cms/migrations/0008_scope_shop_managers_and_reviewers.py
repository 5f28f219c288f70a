"""Shop managers hold page permissions on the shop sections only, not on the whole tree; medical reviewers
hold none, since the workflow's last approval publishes (WAGTAIL_FINISH_WORKFLOW_ACTION)."""

from django.db import migrations


def reset_roles(apps, schema_editor):
    from cms.roles import ensure_roles

    ensure_roles(apps)


class Migration(migrations.Migration):
    dependencies = [
        ("cms", "0007_medical_review_settings"),
        ("shop", "0002_inline_item_order"),
    ]

    operations = [migrations.RunPython(reset_roles, migrations.RunPython.noop)]
