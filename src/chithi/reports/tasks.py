"""Background tasks of the reports room (django.tasks; run by `manage.py db_worker`)."""

from __future__ import annotations

from django.tasks import task

from chithi.core.context import request_context

from .services import send_reminders


@task()
def remind_late_reports() -> int:
    """Daily: remind the secretaries of the sub-units whose report is late (once a day per report)."""
    with request_context():
        return send_reminders()
