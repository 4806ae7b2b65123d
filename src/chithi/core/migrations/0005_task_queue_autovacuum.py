"""The task queue's table (django-tasks-db) is analysed and vacuumed by the row count, not by a share of the table.

A worker picks its next task with one ordered query (priority, run_after, enqueued_at; LIMIT 1 FOR UPDATE SKIP
LOCKED). Public intake queues a task for each new issue, so the table can grow from a few rows to tens of
thousands within a minute. PostgreSQL's default re-analyses a table only after a tenth of it has changed, so the
planner kept the estimate of an almost empty queue (one row). It then sorted the whole backlog on disk for every
task: 67 ms a pick with 26,000 tasks waiting, against 0.4 ms after ANALYZE, and the worker fell further behind the
longer the backlog. A queue table is re-written all day (each task is updated twice), so it also wants vacuuming
by the row count. PostgreSQL only: SQLite has no such settings (and its planner keeps no statistics to go stale).
"""

from __future__ import annotations

from typing import Any

from django.db import migrations

TABLE = "django_tasks_database_dbtaskresult"
SETTINGS = ("autovacuum_analyze_scale_factor", "autovacuum_analyze_threshold", "autovacuum_vacuum_scale_factor",
            "autovacuum_vacuum_threshold")


def _tune(apps: Any, schema_editor: Any) -> None:
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"ALTER TABLE {TABLE} SET (autovacuum_analyze_scale_factor = 0,"
                              " autovacuum_analyze_threshold = 1000, autovacuum_vacuum_scale_factor = 0,"
                              " autovacuum_vacuum_threshold = 5000)")


def _untune(apps: Any, schema_editor: Any) -> None:
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"ALTER TABLE {TABLE} RESET ({', '.join(SETTINGS)})")


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0004_must_change_password"),
        ("django_tasks_database", "0021_conditional_partial_index_ordering"),
    ]

    operations = [migrations.RunPython(_tune, _untune)]
