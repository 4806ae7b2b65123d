"""Background tasks of the campaigns room (django.tasks; run by `manage.py db_worker`)."""

from __future__ import annotations

from django.tasks import task

from chithi.core.context import request_context

from .reminders import DEFAULT_DAYS_AHEAD, send_reminders


@task()
def send_task_reminders(days_ahead: int = DEFAULT_DAYS_AHEAD) -> dict[str, int]:
    """Daily: remind owners and secretaries of tasks due soon and of overdue tasks (once per task per stage)."""
    with request_context():
        return send_reminders(days_ahead=days_ahead)
