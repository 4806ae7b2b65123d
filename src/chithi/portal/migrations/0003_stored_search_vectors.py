"""PostgreSQL only: the public search's word vectors as stored generated columns with GIN indexes, instead of
expression indexes. With an expression index, a query the planner runs as a scan (a common word) computes the
vector of every row it reads — 87 s for "đèn đường" over 2.4 million rows in bench/portal_bench.py; a stored
vector is read, not computed."""

from typing import Any

from django.db import migrations

COLUMNS = [
    ("title_tsv", "to_tsvector('simple'::regconfig, title_words)"),
    ("all_tsv", "to_tsvector('simple'::regconfig, title_words || ' ' || body_words)"),
]


def forwards(apps: Any, schema_editor: Any) -> None:
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("DROP INDEX IF EXISTS portal_doc_title_fts")
    schema_editor.execute("DROP INDEX IF EXISTS portal_doc_all_fts")
    for column, expression in COLUMNS:
        schema_editor.execute(f"ALTER TABLE portal_publicdocument ADD COLUMN IF NOT EXISTS {column} tsvector "
                              f"GENERATED ALWAYS AS ({expression}) STORED")
        schema_editor.execute(f"CREATE INDEX IF NOT EXISTS portal_doc_{column} ON portal_publicdocument "
                              f"USING gin ({column})")


def backwards(apps: Any, schema_editor: Any) -> None:
    if schema_editor.connection.vendor != "postgresql":
        return
    for column, _expression in COLUMNS:
        schema_editor.execute(f"ALTER TABLE portal_publicdocument DROP COLUMN IF EXISTS {column}")


class Migration(migrations.Migration):
    dependencies = [("portal", "0002_search_indexes")]

    operations = [migrations.RunPython(forwards, backwards, elidable=False)]
