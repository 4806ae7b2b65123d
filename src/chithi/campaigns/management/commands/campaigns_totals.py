"""Check the roll-up totals against a recount from scratch, repair them, or move their clock to today.

    manage.py campaigns_totals             # report drift; exit status 1 when there is any
    manage.py campaigns_totals --fix       # rewrite every row from the tasks (after a bulk load or an upgrade)
    manage.py campaigns_totals --advance   # nightly: count the tasks fallen due since the last run as overdue
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser


class Command(BaseCommand):
    help = "Recount the roll-up totals from scratch and report any drift (--fix repairs, --advance moves the clock)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--fix", action="store_true", help="Rewrite the totals from the tasks.")
        parser.add_argument("--advance", action="store_true", help="Move the overdue clock to today.")
        parser.add_argument("--show", type=int, default=10, help="How many drifting rows to print.")

    def handle(self, *args: Any, **options: Any) -> None:
        from chithi.campaigns import totals

        if options["advance"]:
            self.stdout.write(f"clock moved to today; {totals.advance()} plans recounted")
            return
        drift = totals.compare()
        self.stdout.write(f"drift: {len(drift.plans)} plans, {len(drift.units)} unit rows")
        for plan_id, stored, expected in drift.plans[: options["show"]]:
            self.stdout.write(f"  plan {plan_id}: stored {stored}, recounted {expected}")
        for key, stored, expected in drift.units[: options["show"]]:
            self.stdout.write(f"  unit {key[0]} theme {key[1]}: stored {stored}, recounted {expected}")
        if options["fix"]:
            totals.rebuild()
            self.stdout.write(f"rewritten; drift now {totals.compare().count}")
        elif drift.count:
            raise CommandError(f"{drift.count} rows drift from a recount; run with --fix to repair them")
