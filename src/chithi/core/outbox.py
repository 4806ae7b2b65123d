"""Queue background work that must happen if, and only if, the caller's write commits.

With the database task backend (django-tasks-db, the default install) the task row is written inside the
caller's transaction: it commits with the write it follows up, or rolls back with it, and a process killed
just after the commit loses nothing (a transactional outbox). A broker outside the database (RQ on Redis)
cannot share the transaction, so the task is handed to it once the transaction has committed: a worker never
picks up work for a row it cannot see yet, and a rolled-back write queues nothing.
"""

from __future__ import annotations

import logging
from functools import partial
from typing import Any

from django.db import transaction
from django.tasks import Task

logger = logging.getLogger(__name__)


def _in_database(task: Task[Any, Any]) -> bool:
    from django_tasks_db.backend import DatabaseBackend

    # django-tasks-db writes its rows through the default database, the one every service writes to (the
    # replica router sends writes there), so the task row joins the caller's transaction.
    return isinstance(task.get_backend(), DatabaseBackend)


def _enqueue_logged(task: Task[Any, Any], args: tuple[Any, ...], kwargs: dict[str, Any]) -> None:
    try:
        task.enqueue(*args, **kwargs)
    except Exception:  # the write has committed; a broker that is down must not turn it into an error page
        logger.exception("could not queue %s%s: the broker did not answer", task.module_path, args)


def enqueue_with_transaction(task: Task[Any, Any], *args: Any, **kwargs: Any) -> None:
    """Queue `task(*args, **kwargs)` to run only if the current transaction commits (at once outside one)."""
    if _in_database(task):
        task.enqueue(*args, **kwargs)
    else:
        transaction.on_commit(partial(_enqueue_logged, task, args, kwargs))
