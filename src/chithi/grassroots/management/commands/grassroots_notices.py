"""Enqueue (or run at once) the daily notices of coming cell meetings; schedule it daily with cron or a timer."""

from __future__ import annotations

from chithi.core.management.task_command import TaskCommand


class Command(TaskCommand):
    help = "Announce the cell meetings starting soon that were not announced (--now runs it in this process)."
    task = "chithi.grassroots.tasks.send_meeting_notices"

    def report(self, result: int) -> str:
        return f"notified: {result}"
