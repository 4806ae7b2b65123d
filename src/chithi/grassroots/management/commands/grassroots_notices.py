"""Enqueue (or run at once) the daily notices of coming cell meetings; schedule it daily with cron or a timer."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser


class Command(BaseCommand):
    help = "Announce the cell meetings starting soon that were not announced (--now runs it in this process)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--now", action="store_true", help="Run in this process instead of the worker.")

    def handle(self, *args: Any, **options: Any) -> None:
        from chithi.grassroots.tasks import send_meeting_notices

        if options["now"]:
            self.stdout.write(f"notified: {send_meeting_notices.call()}")
        else:
            self.stdout.write(f"enqueued {send_meeting_notices.enqueue().id}")
