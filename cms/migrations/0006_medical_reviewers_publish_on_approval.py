from django.db import migrations


def reset_roles(apps, schema_editor):
    from cms.roles import ensure_roles

    ensure_roles(apps)


class Migration(migrations.Migration):
    dependencies = [("cms", "0005_roles_and_review_workflow")]

    operations = [migrations.RunPython(reset_roles, migrations.RunPython.noop)]
