"""Enqueue (or run at once) the daily reminders of late reports; schedule it daily with cron or a timer."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser


class Command(BaseCommand):
    help = "Remind the sub-units whose report is late (--now runs it in this process)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--now", action="store_true", help="Run in this process instead of the worker.")

    def handle(self, *args: Any, **options: Any) -> None:
        from chithi.reports.tasks import remind_late_reports

        if options["now"]:
            self.stdout.write(f"reminded: {remind_late_reports.call()}")
        else:
            self.stdout.write(f"enqueued {remind_late_reports.enqueue().id}")
