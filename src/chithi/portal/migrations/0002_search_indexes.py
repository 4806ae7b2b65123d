"""PostgreSQL only: full-text GIN indexes for the public search (the same expressions as portal.search uses), a
trigram index on the articles' folded search column (core.search), and an index for newest-first per kind."""

from typing import Any

from django.db import migrations

from chithi.core.search import trigram_index_operation

FTS = [
    ("portal_doc_title_fts", "to_tsvector('simple'::regconfig, title_words)"),
    ("portal_doc_all_fts", "to_tsvector('simple'::regconfig, title_words || ' ' || body_words)"),
]


def forwards(apps: Any, schema_editor: Any) -> None:
    if schema_editor.connection.vendor != "postgresql":
        return
    for name, expression in FTS:
        schema_editor.execute(f"CREATE INDEX IF NOT EXISTS {name} ON portal_publicdocument USING gin ({expression})")


def backwards(apps: Any, schema_editor: Any) -> None:
    if schema_editor.connection.vendor != "postgresql":
        return
    for name, _expression in FTS:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [("portal", "0001_initial")]

    operations = [
        migrations.RunPython(forwards, backwards, elidable=False),
        trigram_index_operation("portal_article"),
    ]
