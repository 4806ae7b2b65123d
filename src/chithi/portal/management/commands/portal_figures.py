"""Count the public figures on citizens' issues into the cache (cron, every ten minutes, on large installations)."""

from __future__ import annotations

import datetime as dt
import time
from typing import Any

from django.core.management.base import BaseCommand
from django.utils import timezone

from chithi.portal import selectors


class Command(BaseCommand):
    help = ("Count the public figures (the last twelve months and this year) into the cache the public pages read. "
            "Past 200,000 issues the pages never count them themselves: run this from cron every ten minutes.")

    def handle(self, *args: Any, **options: Any) -> None:
        today = timezone.localdate()
        for start in (selectors.period_start(today), dt.date(today.year, 1, 1)):
            started = time.monotonic()
            figures = selectors.public_figures(start, today, refresh=True)
            assert figures is not None
            self.stdout.write(f"{start:%d/%m/%Y}–{today:%d/%m/%Y}: {figures['summary'].received} issues, "
                              f"counted in {time.monotonic() - started:.1f} s")
