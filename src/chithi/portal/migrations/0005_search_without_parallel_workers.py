"""PostgreSQL only: no parallel workers for scans of the public search index. Its queries read a window of the
newest entries or the few entries a GIN index finds; the planner, misled by a prefix query's estimate (100,000
rows for "4242:*", which 11 entries hold), started workers for them, and starting them cost 70–90 ms of a 106 ms
query on a busy machine. A storage parameter of the table, so no query has to SET anything."""

from typing import Any

from django.db import migrations


def forwards(apps: Any, schema_editor: Any) -> None:
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("ALTER TABLE portal_publicdocument SET (parallel_workers = 0)")


def backwards(apps: Any, schema_editor: Any) -> None:
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("ALTER TABLE portal_publicdocument RESET (parallel_workers)")


class Migration(migrations.Migration):
    dependencies = [("portal", "0004_slug_labels")]

    operations = [migrations.RunPython(forwards, backwards, elidable=False)]
