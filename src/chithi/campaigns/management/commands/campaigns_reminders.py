"""Enqueue (or run at once) the daily task reminders; schedule it once a day with cron or a systemd timer."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser


class Command(BaseCommand):
    help = "Enqueue the reminders for plan tasks due soon and overdue (--now runs them in this process)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--days-ahead", type=int, default=3, help="Working days before the deadline.")
        parser.add_argument("--now", action="store_true", help="Run in this process instead of the worker.")

    def handle(self, *args: Any, **options: Any) -> None:
        from chithi.campaigns.tasks import send_task_reminders

        if options["now"]:
            sent = send_task_reminders.call(days_ahead=options["days_ahead"])
            self.stdout.write(f"due: {sent['due']}, overdue: {sent['overdue']}")
        else:
            result = send_task_reminders.enqueue(days_ahead=options["days_ahead"])
            self.stdout.write(f"enqueued {result.id}")
