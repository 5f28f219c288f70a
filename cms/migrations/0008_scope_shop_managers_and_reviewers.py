"""Shop managers hold page permissions on the shop sections only, not on the whole tree; medical reviewers
hold none, since the workflow's last approval publishes (WAGTAIL_FINISH_WORKFLOW_ACTION).

The roles were reset here; cms/post_migrate.py now resets them after every migrate. Kept for the graph.
"""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("cms", "0007_medical_review_settings"),
        ("shop", "0002_inline_item_order"),
    ]

    operations = []
