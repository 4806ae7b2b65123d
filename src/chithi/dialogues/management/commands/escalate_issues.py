"""Escalate overdue issues now, or enqueue the task for the worker (for cron)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from chithi.dialogues.tasks import escalate_overdue_issues


class Command(BaseCommand):
    help = "Escalate overdue issues to the parent unit's queue and notify, once per stage."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--enqueue", action="store_true", help="Hand the work to the task worker.")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["enqueue"]:
            result = escalate_overdue_issues.enqueue()
            self.stdout.write(f"enqueued {result.id}")
            return
        outcome = escalate_overdue_issues.call()
        self.stdout.write(f"escalated {outcome['escalated']}, closed {outcome['closed']}")
