"""Reset the roles once medical reviewers no longer held publish; cms/post_migrate.py now resets them after
every migrate. Kept for the graph."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("cms", "0005_roles_and_review_workflow")]

    operations = []
