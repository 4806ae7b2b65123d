"""Enqueue (or run at once) the daily reminders of late reports; schedule it daily with cron or a timer."""

from __future__ import annotations

from chithi.core.management.task_command import TaskCommand


class Command(TaskCommand):
    help = "Remind the sub-units whose report is late (--now runs it in this process)."
    task = "chithi.reports.tasks.remind_late_reports"

    def report(self, result: int) -> str:
        return f"reminded: {result}"
