"""Daily: overdue remedial work goes up to the inspecting unit and the level above (once per item)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from chithi.oversight.services import escalate_overdue


class Command(BaseCommand):
    help = "Escalate overdue remedial work of inspection cases."

    def handle(self, *args: Any, **options: Any) -> None:
        self.stdout.write(f"{escalate_overdue()} escalated")
