"""core.outbox: a follow-up task is queued exactly when the write it follows commits: in the same transaction on
the database backend (a transactional outbox), after the commit on a broker outside the database (RQ)."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import transaction
from django.tasks import task_backends
from django.test import override_settings
from django_tasks_db.models import DBTaskResult

from chithi.core.outbox import enqueue_with_transaction
from chithi.dialogues.tasks import notify_new_issue

pytestmark = pytest.mark.django_db

DUMMY = {"default": {"BACKEND": "django.tasks.backends.dummy.DummyBackend"}}


def test_on_the_database_backend_the_task_row_joins_the_transaction() -> None:
    with transaction.atomic():
        enqueue_with_transaction(notify_new_issue, 41)
        assert DBTaskResult.objects.filter(task_path=notify_new_issue.module_path).count() == 1  # already written
    with pytest.raises(RuntimeError), transaction.atomic():
        enqueue_with_transaction(notify_new_issue, 42)
        raise RuntimeError("the write failed")
    assert [row.args_kwargs["args"] for row in DBTaskResult.objects.all()] == [[41]]  # 42 rolled back with it


@override_settings(TASKS=DUMMY)
def test_on_a_broker_outside_the_database_the_task_leaves_after_the_commit(
        django_capture_on_commit_callbacks: Any) -> None:
    backend = task_backends["default"]
    with django_capture_on_commit_callbacks(execute=True) as callbacks, transaction.atomic():
        enqueue_with_transaction(notify_new_issue, 43)
        assert backend.results == []  # a worker must not see work for a row it cannot read yet
    assert len(callbacks) == 1
    assert [result.args for result in backend.results] == [[43]]
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(RuntimeError), transaction.atomic():
        enqueue_with_transaction(notify_new_issue, 44)
        raise RuntimeError("the write failed")
    assert [result.args for result in backend.results] == [[43]]  # nothing queued for a rolled-back write
    assert not DBTaskResult.objects.exists()


def test_the_queue_table_is_analysed_by_the_row_count_on_postgresql() -> None:
    """Migration core 0005: a burst of queued notices must not leave the worker's pick planned for an empty queue."""
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("autovacuum settings are PostgreSQL's; this test runs in the PostgreSQL pass")
    with connection.cursor() as cursor:
        cursor.execute("SELECT reloptions FROM pg_class WHERE relname = 'django_tasks_database_dbtaskresult'")
        options = set(cursor.fetchone()[0] or [])
    assert {"autovacuum_analyze_scale_factor=0", "autovacuum_analyze_threshold=1000"} <= options
