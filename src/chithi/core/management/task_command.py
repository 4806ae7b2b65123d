"""The base of a cron command that hands a task to the worker, or runs it in this process with --now."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.utils.module_loading import import_string


class TaskCommand(BaseCommand):
    """`manage.py <command>` enqueues `task` (a django.tasks Task, by dotted path: it is imported when the
    command runs, not when `manage.py help` lists the commands) and prints the result's id; `--now` runs it here
    and prints `report(result)`. A subclass adds its own arguments and says which become the task's."""

    task: str

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--now", action="store_true", help="Run in this process instead of the worker.")

    def task_kwargs(self, options: dict[str, Any]) -> dict[str, Any]:
        return {}

    def report(self, result: Any) -> str:
        return str(result)

    def handle(self, *args: Any, **options: Any) -> None:
        task = import_string(self.task)
        kwargs = self.task_kwargs(options)
        if options["now"]:
            self.stdout.write(self.report(task.call(**kwargs)))
        else:
            self.stdout.write(f"enqueued {task.enqueue(**kwargs).id}")
