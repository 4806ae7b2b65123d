"""Put tasks whose worker died (left RUNNING by a kill or a crash) back in the queue of the database backend."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.tasks import TaskResultStatus
from django.utils import timezone
from django_tasks_db.models import DBTaskResult


class Command(BaseCommand):
    help = ("Re-queue tasks left RUNNING longer than --stale-after-minutes by a worker that died. Our tasks are "
            "idempotent (notices carry a dedupe key), so running one again sends only what the dead worker had not.")

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--stale-after-minutes", type=float, default=30,
                            help="longer than any batch takes (default 30)")

    def handle(self, *args: Any, **options: Any) -> None:
        cutoff = timezone.now() - dt.timedelta(minutes=options["stale_after_minutes"])
        stale = DBTaskResult.objects.filter(status=TaskResultStatus.RUNNING, started_at__lt=cutoff)
        count = stale.update(status=TaskResultStatus.READY, started_at=None)
        self.stdout.write(f"{count} stale task(s) re-queued")
