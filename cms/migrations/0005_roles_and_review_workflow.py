"""The editorial roles and the default review workflow exist on every install, not only in the demo."""

from django.contrib.auth.management import create_permissions
from django.db import migrations


def create_roles_and_workflow(apps, schema_editor):
    from cms.review_workflow import ensure_review_workflow
    from cms.roles import ensure_roles

    # Permissions are normally created after all migrations; the groups need them now.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    ensure_roles(apps)
    ensure_review_workflow(apps)


class Migration(migrations.Migration):
    dependencies = [
        ("cms", "0004_medical_review"),
        ("blog", "0001_initial"),
        ("wagtailadmin", "0001_create_admin_access_permissions"),
        ("wagtailimages", "0027_image_description"),
    ]

    operations = [migrations.RunPython(create_roles_and_workflow, migrations.RunPython.noop)]
