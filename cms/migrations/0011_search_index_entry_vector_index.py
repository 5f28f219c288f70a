"""A GIN index on the search index's whole document, as the PostgreSQL search backend queries it.

Wagtail's database search backend on PostgreSQL matches `(title || body) @@ query`; its own GIN indexes are
on `title` and `body` apart, which that expression cannot use, so every search read and concatenated every
entry's vectors (about 100 ms of a search at 10,000 posts). On other databases there is nothing to do.
"""

from django.db import migrations

INDEX = "verity_indexentry_document_gin"


def create_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {INDEX} ON wagtailsearch_indexentry USING gin ((title || body))"
        )


def drop_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")


class Migration(migrations.Migration):
    dependencies = [
        ("cms", "0010_medical_sign_off"),
        ("wagtailsearch", "0010_add_text_fields"),
    ]

    operations = [migrations.RunPython(create_index, drop_index, elidable=False)]
