"""One search function over the folded `search_text` column that every searchable model carries.

On PostgreSQL the column has a pg_trgm GIN index so `LIKE '%token%'` is indexed; on SQLite the
column is scanned, which is fast at the size of one city (see docs/decisions.md).
"""

from __future__ import annotations

from typing import Any

from django.db import models

from .text import search_tokens


def search[Q: models.QuerySet[Any]](queryset: Q, query: str | None, *, field: str = "search_text") -> Q:
    """Every word of the query must begin a word of the text, with or without diacritics, in any case.

    Word starts rather than substrings: "dong ha" finds "Đông Hà" but not "Đông Thanh".
    """
    for token in search_tokens(query):
        queryset = queryset.filter(
            models.Q(**{f"{field}__startswith": token}) | models.Q(**{f"{field}__contains": f" {token}"})
        )
    return queryset


def trigram_index_sql(table: str, column: str = "search_text") -> tuple[str, str]:
    """SQL for a migration: (create, drop) a trigram index; applied only on PostgreSQL."""
    name = f"{table}_{column}_trgm"
    return (
        f"CREATE INDEX IF NOT EXISTS {name} ON {table} USING gin ({column} gin_trgm_ops)",
        f"DROP INDEX IF EXISTS {name}",
    )


def trigram_index_operation(table: str, column: str = "search_text") -> object:
    """A migration operation adding the trigram index on PostgreSQL and doing nothing elsewhere."""
    from django.db import migrations

    create, drop = trigram_index_sql(table, column)

    def forwards(apps: object, schema_editor: object) -> None:
        if schema_editor.connection.vendor == "postgresql":  # type: ignore[attr-defined]
            schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")  # type: ignore[attr-defined]
            schema_editor.execute(create)  # type: ignore[attr-defined]

    def backwards(apps: object, schema_editor: object) -> None:
        if schema_editor.connection.vendor == "postgresql":  # type: ignore[attr-defined]
            schema_editor.execute(drop)  # type: ignore[attr-defined]

    return migrations.RunPython(forwards, backwards, elidable=False)
