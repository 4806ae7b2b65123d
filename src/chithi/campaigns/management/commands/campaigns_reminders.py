"""Enqueue (or run at once) the daily task reminders; schedule it once a day with cron or a systemd timer."""

from __future__ import annotations

from typing import Any

from django.core.management.base import CommandParser

from chithi.core.management.task_command import TaskCommand


class Command(TaskCommand):
    help = "Enqueue the reminders for plan tasks due soon and overdue (--now runs them in this process)."
    task = "chithi.campaigns.tasks.send_task_reminders"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--days-ahead", type=int, default=3, help="Working days before the deadline.")
        super().add_arguments(parser)

    def task_kwargs(self, options: dict[str, Any]) -> dict[str, Any]:
        return {"days_ahead": options["days_ahead"]}

    def report(self, result: dict[str, int]) -> str:
        return f"due: {result['due']}, overdue: {result['overdue']}"
