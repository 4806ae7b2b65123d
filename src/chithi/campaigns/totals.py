"""Roll-up totals that do not grow with the tree (issue 15): per-plan figures and per-unit subtree sums, kept up to
date by the services that write plans and tasks, and read by the roll-up (selectors.rollup).

- `PlanTotals`: one row a plan — its progress (progress.py's rule, in millionths of a percent so that sums are
  exact integers on every engine), live tasks, done tasks, and open tasks due before the clock's day — and the
  unit and theme it was counted under.
- `UnitTotals`: one row a (unit, theme) — the sums over the unit's own plans and every plan below it.
- `RollupClock`: the day the stored overdue counts are counted against; the roll-up adds the tasks that fell due
  between that day and its own `today` (one indexed query, empty once the nightly `--advance` has run).

`refresh(plan_ids)` recomputes the named plans from their tasks (a plan has tens of tasks, not thousands), and
moves the difference from what was recorded up the materialised path: a handful of statements whatever the size
of the tree. `unit_moved` re-bases a moved subtree's sums. `compare()` recomputes everything from scratch for the
`campaigns_totals` check command, which reports (and with --fix repairs) any drift.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import ROUND_HALF_EVEN, Decimal
from typing import Any

from django.db import connection, transaction
from django.db.models import Count, Q

from chithi.orgs.models import PATH_STEP, Organisation

from .models import OPEN_STATUSES, Plan, PlanTotals, RollupClock, TaskStatus, UnitTotals
from .progress import progress_sums

E6 = 1_000_000
SUBTREE = ("plans", "progress_e6", "tasks", "done", "overdue")
OWN = ("own_plans", "own_progress_e6")
FIELDS = SUBTREE + OWN


def progress_e6(*, progress_weighted: Any, progress_weights: Any, progress_total: Any, progress_tasks: Any) -> int:
    """progress.py's rule in exact decimal arithmetic, in millionths of a percent (the float rule rounded)."""
    if not progress_tasks:
        return 0
    weights = Decimal(str(progress_weights or 0))
    if weights:
        value = Decimal(str(progress_weighted or 0)) / weights
    else:
        value = Decimal(int(progress_total or 0)) / Decimal(int(progress_tasks))
    return int((value * E6).to_integral_value(ROUND_HALF_EVEN))


def path_ids(path: str) -> list[int]:
    """The unit ids along a materialised path, top first (each segment is the unit's zero-padded id)."""
    step = PATH_STEP + 1
    return [int(path[i: i + PATH_STEP]) for i in range(0, len(path), step)]


def as_of(*, lock: bool = False) -> dt.date:
    """The clock's day. With `lock`, a share lock on PostgreSQL: `advance` waits for the writers in flight, and a
    writer never counts against a day that is being moved under it (SQLite serialises writers anyway)."""
    if lock and connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT as_of FROM campaigns_rollupclock WHERE id = 1 FOR SHARE")
            row = cursor.fetchone()
        day = row[0] if row else None
    else:
        day = RollupClock.objects.filter(pk=1).values_list("as_of", flat=True).first()
    if day is None:  # a flushed test database, or a database migrated before the row existed
        day = RollupClock.objects.get_or_create(pk=1, defaults={"as_of": dt.date.today()})[0].as_of
    return day


@dataclass
class Contribution:
    organisation_id: int
    theme_id: int
    year: int
    progress_e6: int
    tasks: int
    done: int
    overdue: int


def plan_contributions(plans: Any, day: dt.date) -> dict[int, Contribution]:
    """What each plan of the queryset adds, computed from its tasks: one grouped query."""
    rows = plans.values("id", "organisation_id", "theme_id", "year").annotate(
        **progress_sums(),
        done=Count("tasks", filter=Q(tasks__status=TaskStatus.DONE)),
        overdue=Count("tasks", filter=Q(tasks__status__in=OPEN_STATUSES, tasks__deadline__lt=day)),
    ).order_by()
    return {row["id"]: Contribution(row["organisation_id"], row["theme_id"], row["year"], progress_e6(
        progress_weighted=row["progress_weighted"], progress_weights=row["progress_weights"],
        progress_total=row["progress_total"], progress_tasks=row["progress_tasks"]),
        row["progress_tasks"] or 0, row["done"], row["overdue"]) for row in rows}


Deltas = dict[tuple[int, int], list[int]]


def _add(deltas: Deltas, path: str, c: Contribution, sign: int) -> None:
    """The plan counts once in its own unit's row and in every ancestor's subtree sums."""
    ids = path_ids(path)
    values = (sign, sign * c.progress_e6, sign * c.tasks, sign * c.done, sign * c.overdue)
    for unit in ids:
        row = deltas.setdefault((unit, c.theme_id), [0] * len(FIELDS))
        for i, value in enumerate(values):
            row[i] += value
    own = deltas[(ids[-1], c.theme_id)]
    own[5] += sign
    own[6] += sign * c.progress_e6


def _apply(deltas: Deltas, years: dict[int, int]) -> None:
    """Add the differences to the unit rows: insert the missing ones, lock them in one order, update in bulk."""
    keys = sorted(key for key, values in deltas.items() if any(values))
    if not keys:
        return
    UnitTotals.objects.bulk_create([UnitTotals(organisation_id=unit, theme_id=theme, year=years[theme])
                                    for unit, theme in keys], ignore_conflicts=True, batch_size=1000)
    wanted = set(keys)
    rows = [row for row in UnitTotals.objects.select_for_update().filter(
        organisation_id__in={unit for unit, _theme in keys}, theme_id__in={theme for _unit, theme in keys},
    ).order_by("organisation_id", "theme_id") if (row.organisation_id, row.theme_id) in wanted]
    for row in rows:
        for name, value in zip(FIELDS, deltas[(row.organisation_id, row.theme_id)], strict=True):
            setattr(row, name, getattr(row, name) + value)
    UnitTotals.objects.bulk_update(rows, list(FIELDS), batch_size=500)


@transaction.atomic
def refresh(plan_ids: Iterable[int]) -> None:
    """Recount the named plans from their tasks and move the difference up the tree. Called by every service that
    writes a plan or a task, inside its transaction."""
    ids = sorted(set(plan_ids))
    if not ids:
        return
    day = as_of(lock=True)
    old = {t.plan_id: t for t in PlanTotals.objects.select_for_update().filter(plan_id__in=ids).order_by("plan_id")}
    new = plan_contributions(Plan.objects.filter(pk__in=ids), day)
    paths = dict(Organisation.objects.filter(
        pk__in={c.organisation_id for c in new.values()} | {t.organisation_id for t in old.values()},
    ).values_list("pk", "path"))
    deltas: Deltas = {}
    years: dict[int, int] = {}
    created: list[PlanTotals] = []
    changed: list[PlanTotals] = []
    for plan_id in ids:
        before = old.get(plan_id)
        after = new.get(plan_id)
        if before is not None:
            previous = Contribution(before.organisation_id, before.theme_id, 0, before.progress_e6, before.tasks,
                                    before.done, before.overdue)
            if after is not None and previous == Contribution(after.organisation_id, after.theme_id, 0,
                                                              after.progress_e6, after.tasks, after.done,
                                                              after.overdue):
                continue
            _add(deltas, paths[before.organisation_id], previous, -1)
        if after is None:  # the plan is gone (its PlanTotals row went with it)
            continue
        years[after.theme_id] = after.year
        _add(deltas, paths[after.organisation_id], after, +1)
        values = {"organisation_id": after.organisation_id, "theme_id": after.theme_id,
                  "progress_e6": after.progress_e6, "tasks": after.tasks, "done": after.done,
                  "overdue": after.overdue}
        if before is None:
            created.append(PlanTotals(plan_id=plan_id, **values))
        else:
            for name, value in values.items():
                setattr(before, name, value)
            changed.append(before)
    if created:
        PlanTotals.objects.bulk_create(created, batch_size=1000)
    if changed:
        PlanTotals.objects.bulk_update(changed, ["organisation_id", "theme_id", "progress_e6", "tasks", "done",
                                                 "overdue"], batch_size=500)
    # Rows of themes only being subtracted from exist already; their year is read back for the insert's sake.
    missing = {theme for _unit, theme in deltas} - set(years)
    if missing:
        years.update(UnitTotals.objects.filter(theme_id__in=missing).values_list("theme_id", "year").distinct())
    _apply(deltas, years)


@transaction.atomic
def unit_moved(*, org: Organisation, old_path: str, **_kwargs: Any) -> None:
    """A unit moved with its subtree: its sums (unchanged) leave the old ancestors and join the new ones."""
    as_of(lock=True)
    old_above = path_ids(old_path)[:-1]
    new_above = path_ids(org.path)[:-1]
    deltas: Deltas = {}
    years: dict[int, int] = {}
    for row in UnitTotals.objects.filter(organisation=org):
        years[row.theme_id] = row.year
        values = [getattr(row, name) for name in SUBTREE]
        for units, sign in ((old_above, -1), (new_above, +1)):
            for unit in units:
                target = deltas.setdefault((unit, row.theme_id), [0] * len(FIELDS))
                for i, value in enumerate(values):
                    target[i] += sign * value
    _apply(deltas, years)


@transaction.atomic
def advance(to: dt.date | None = None) -> int:
    """Move the clock to `to` (today): the plans with open tasks falling due in between are recounted. Returns
    how many. Run nightly (`campaigns_totals --advance`); the roll-up is right in between all the same."""
    to = to or dt.date.today()
    RollupClock.objects.get_or_create(pk=1, defaults={"as_of": to})
    clock = RollupClock.objects.select_for_update().get(pk=1)
    if clock.as_of == to:
        return 0
    low, high = sorted((clock.as_of, to))
    plans = set(Plan.objects.filter(tasks__status__in=OPEN_STATUSES, tasks__deadline__gte=low,
                                    tasks__deadline__lt=high).values_list("pk", flat=True).distinct())
    clock.as_of = to
    clock.save(update_fields=["as_of"])
    refresh(plans)
    return len(plans)


# --- from scratch: the check command and bulk loads --------------------------------------------------------------


@dataclass
class Drift:
    plans: list[tuple[int, Any, Any]]  # (plan id, stored, expected)
    units: list[tuple[tuple[int, int], Any, Any]]  # ((unit id, theme id), stored, expected)

    @property
    def count(self) -> int:
        return len(self.plans) + len(self.units)


def expected() -> tuple[dict[int, Contribution], dict[tuple[int, int], list[int]], dict[int, int]]:
    """Every plan's figures and every unit's sums recomputed from the tasks (one grouped query over them all)."""
    day = as_of()
    plans = plan_contributions(Plan.objects.all(), day)
    paths = dict(Organisation.objects.values_list("pk", "path"))
    units: Deltas = defaultdict(lambda: [0] * len(FIELDS))
    years: dict[int, int] = {}
    for contribution in plans.values():
        years[contribution.theme_id] = contribution.year
        _add(units, paths[contribution.organisation_id], contribution, +1)
    return plans, dict(units), years


def compare() -> Drift:
    """What is stored against what the tasks say. Unit rows left at zero count as absent."""
    plans, units, _years = expected()
    drift = Drift([], [])
    stored_plans = {t.plan_id: t for t in PlanTotals.objects.all()}
    for plan_id in sorted(set(plans) | set(stored_plans)):
        stored = stored_plans.get(plan_id)
        want = plans.get(plan_id)
        have = None if stored is None else (stored.organisation_id, stored.theme_id, stored.progress_e6,
                                            stored.tasks, stored.done, stored.overdue)
        expect = None if want is None else (want.organisation_id, want.theme_id, want.progress_e6, want.tasks,
                                            want.done, want.overdue)
        if have != expect:
            drift.plans.append((plan_id, have, expect))
    stored_units = {(r[0], r[1]): list(r[2:]) for r in UnitTotals.objects.values_list(
        "organisation_id", "theme_id", *FIELDS)}
    zero = [0] * len(FIELDS)
    for key in sorted(set(units) | set(stored_units)):
        have_row = stored_units.get(key, zero)
        want_row = units.get(key, zero)
        if have_row != want_row:
            drift.units.append((key, dict(zip(FIELDS, have_row, strict=True)),
                                dict(zip(FIELDS, want_row, strict=True))))
    return drift


@transaction.atomic
def rebuild() -> None:
    """Write every row from scratch (after a bulk load, or to repair drift)."""
    RollupClock.objects.get_or_create(pk=1, defaults={"as_of": dt.date.today()})
    RollupClock.objects.select_for_update().get(pk=1)
    plans, units, years = expected()
    PlanTotals.objects.all().delete()
    UnitTotals.objects.all().delete()
    PlanTotals.objects.bulk_create([PlanTotals(plan_id=pk, organisation_id=c.organisation_id, theme_id=c.theme_id,
                                               progress_e6=c.progress_e6, tasks=c.tasks, done=c.done,
                                               overdue=c.overdue) for pk, c in plans.items()], batch_size=5000)
    UnitTotals.objects.bulk_create([UnitTotals(organisation_id=unit, theme_id=theme, year=years[theme],
                                               **dict(zip(FIELDS, values, strict=True)))
                                    for (unit, theme), values in units.items()], batch_size=5000)
