"""The editorial roles and the default review workflow were made here, by today's cms/roles.py and
cms/review_workflow.py; cms/post_migrate.py now makes them after every migrate. Kept for the graph."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("cms", "0004_medical_review"),
        ("blog", "0001_initial"),
        ("wagtailadmin", "0001_create_admin_access_permissions"),
        ("wagtailimages", "0027_image_description"),
    ]

    operations = []
