"""core.management.task_command: a cron command enqueues its task for the worker unless told --now."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command
from django_tasks_db.models import DBTaskResult


@pytest.mark.django_db
@pytest.mark.parametrize(("command", "task"), [
    ("grassroots_notices", "chithi.grassroots.tasks.send_meeting_notices"),
    ("reports_reminders", "chithi.reports.tasks.remind_late_reports"),
    ("campaigns_reminders", "chithi.campaigns.tasks.send_task_reminders"),
])
def test_a_cron_command_without_now_leaves_its_task_to_the_worker(command, task):
    out = StringIO()
    call_command(command, stdout=out)
    queued = DBTaskResult.objects.get()
    assert out.getvalue().strip() == f"enqueued {queued.id}"
    assert queued.task_path == task
