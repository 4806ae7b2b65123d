"""Storage that never keeps a file whose transaction rolled back, and the sweep that removes them.

A service writes the file first (`attachment.file.save(...)`) and its row second, inside one
`transaction.atomic()`. If anything later in that transaction fails, the row disappears and the file
stays: an orphan. Django has no "on rollback" hook, so each file written inside an atomic block is
recorded as pending on the connection and `transaction.on_commit` un-records it. Django drops the
on-commit callbacks of a block (or savepoint) that rolls back, so whatever is still pending once the
connection is outside every atomic block was rolled back, and the sweep deletes it. The sweep runs
when a request finishes and when a task finishes; `manage.py orphan_files` finds anything that
escaped (a crash between the write and the sweep, files from before this mechanism).
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from typing import Any

from django.core.files.storage import FileSystemStorage, Storage
from django.core.signals import request_finished
from django.db import DEFAULT_DB_ALIAS, connections, transaction
from django.tasks.signals import task_finished

logger = logging.getLogger("chithi.storage")

_PENDING = "_chithi_pending_files"


def _pending(alias: str = DEFAULT_DB_ALIAS) -> list[tuple[Storage, str]]:
    connection = connections[alias]
    pending: list[tuple[Storage, str]] | None = getattr(connection, _PENDING, None)
    if pending is None:
        pending = []
        setattr(connection, _PENDING, pending)
    return pending


def stored_names(storage: Storage, directory: str = "") -> Iterator[str]:
    """Every file name in a storage (disk or bucket), walking its folders."""
    dirs, files = storage.listdir(directory)
    for name in files:
        yield f"{directory}/{name}" if directory else name
    for sub in dirs:
        yield from stored_names(storage, f"{directory}/{sub}" if directory else sub)


def track_written(storage: Storage, name: str, *, using: str = DEFAULT_DB_ALIAS) -> None:
    """Remember a file written inside the current transaction until that transaction commits."""
    if not connections[using].in_atomic_block:
        return  # autocommit: nothing will roll back after this point
    pending = _pending(using)
    entry = (storage, name)
    pending.append(entry)

    def committed() -> None:
        if entry in pending:
            pending.remove(entry)

    transaction.on_commit(committed, using=using)


def discard_rolled_back_files(**_: Any) -> int:
    """Delete the files whose transaction rolled back; returns how many. Safe to call at any time."""
    removed = 0
    for connection in connections.all(initialized_only=True):
        pending: list[tuple[Storage, str]] | None = getattr(connection, _PENDING, None)
        if not pending or connection.in_atomic_block:
            continue
        while pending:
            storage, name = pending.pop()
            try:
                storage.delete(name)
                removed += 1
                logger.info("removed %s: its transaction rolled back", name)
            except Exception:  # a failed delete must not fail the request; orphan_files finds it later
                logger.exception("could not remove %s after its transaction rolled back", name)
    return removed


class TransactionalStorageMixin(Storage):
    """Add to a storage class: files saved inside a transaction that rolls back are deleted."""

    def _save(self, name: str, content: Any) -> str:
        discard_rolled_back_files()
        saved: str = super()._save(name, content)  # type: ignore[misc]
        track_written(self, saved)
        return saved


class TransactionalFileSystemStorage(TransactionalStorageMixin, FileSystemStorage):
    """The default storage for uploads on one machine (settings.STORAGES["default"])."""


request_finished.connect(discard_rolled_back_files, dispatch_uid="chithi.storage.request")
task_finished.connect(discard_rolled_back_files, dispatch_uid="chithi.storage.task")
try:  # RQ workers (django-tasks-rq) send the backport's signal instead of Django's
    from django_tasks.signals import task_finished as backport_task_finished
except ImportError:  # pragma: no cover - django-tasks-rq not installed
    pass
else:
    backport_task_finished.connect(discard_rolled_back_files, dispatch_uid="chithi.storage.rq_task")
