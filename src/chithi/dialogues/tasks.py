"""Background work for issues, run by the task worker (`manage.py db_worker`).

Periodic runs are enqueued by `manage.py escalate_issues --enqueue` from cron (hourly is plenty:
deadlines are whole working days); `manage.py escalate_issues` runs the same work in-process.
"""

from __future__ import annotations

from typing import Any

from django.tasks import task

from chithi.core.context import request_context


@task()
def escalate_overdue_issues() -> dict[str, Any]:
    """Escalate overdue issues (once per stage, with notifications) and close answered issues whose
    reopening window has passed."""
    from . import services

    with request_context():
        escalated = services.escalate_overdue()
        closed = services.close_answered_after_window()
    return {"escalated": escalated, "closed": closed}


@task()
def notify_new_issue(issue_id: int) -> int:
    """Tell the handlers that a citizen's issue has arrived; queued by public intake in the issue's own
    transaction (core.outbox), so a stored issue is never left untold. Safe to run twice (dedupe key)."""
    from .services.intake import notify_received

    with request_context():
        return notify_received(issue_id)
