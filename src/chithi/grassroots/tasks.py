"""Background tasks of the grassroots room (django.tasks; run by `manage.py db_worker`)."""

from __future__ import annotations

from django.tasks import task

from chithi.core.context import request_context

from .services import send_due_notices


@task()
def send_meeting_notices() -> int:
    """Daily: announce the cell meetings starting within the notice period that were not announced yet."""
    with request_context():
        return send_due_notices()
