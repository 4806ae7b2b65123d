"""Benchmark of the progress roll-up on a province-sized tree (PostgreSQL).

Generates (once) about 3,000 organisations and 30,000 plan tasks in the database `bench_campaigns`, then times
the roll-up page (/tien-do/, through Django's test Client, logged in as a province-level user) and the API
roll-up (/api/rollup/, the whole tree), both through the real selectors; prints median, p95 and the query
count; then runs the same roll-up as one hand-written SQL query, checks it gives the same figures, and prints
the ratio.

    createdb -h 127.0.0.1 bench_campaigns
    .venv/bin/python bench/campaigns_rollup.py [--runs 30] [--regenerate]
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import statistics
import sys
import time
from decimal import Decimal
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))
os.environ.setdefault("DATABASE_URL", "postgres://root@127.0.0.1:5432/bench_campaigns")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "chithi.settings")
os.environ.setdefault("LOG_LEVEL", "WARNING")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from chithi.campaigns import selectors, totals  # noqa: E402
from chithi.campaigns.models import Directive, Plan, PlanTask, TaskStatus, Theme  # noqa: E402
from chithi.core.models import User  # noqa: E402
from chithi.core.permissions import Role  # noqa: E402
from chithi.core.text import fold, vi_sort_key  # noqa: E402
from chithi.orgs.models import PATH_STEP, Organisation, OrgKind, RoleAssignment  # noqa: E402

YEAR = 2026
TODAY = dt.date.today()
SHAPE = [(OrgKind.PARTY_COMMITTEE, 1), (OrgKind.PARTY_COMMITTEE, 10), (OrgKind.WARD_COMMITTEE, 15),
         (OrgKind.PARTY_CELL, 19)]  # 1 + 10 + 150 + 2,850 = 3,011 organisations
TASKS_PER_PLAN = 10


def _level(parents: list[Organisation], kind: str, per_parent: int, depth: int) -> list[Organisation]:
    """Bulk-create one level: insert with placeholder paths, then write the real paths from the new keys."""
    rows: list[Organisation] = []
    for parent in parents or [None]:  # type: ignore[list-item]
        for number in range(per_parent):
            name = ("Tỉnh ủy Thử nghiệm" if depth == 0 else
                    f"{'Huyện ủy' if depth == 1 else 'Đảng ủy xã' if depth == 2 else 'Chi bộ thôn'} {number + 1}"
                    f"{'' if parent is None or depth == 1 else ' — ' + parent.name.split(' ')[-1]}")
            rows.append(Organisation(name=name, kind=kind, parent=parent, depth=depth,
                                     path=f"tmp-{depth}-{len(rows)}", search_text=fold(name),
                                     sort_key=vi_sort_key(name), established_on=dt.date(2010, 1, 1)))
    created = Organisation.objects.bulk_create(rows, batch_size=2000)
    for org in created:
        prefix = org.parent.path if org.parent else ""
        org.path = f"{prefix}{org.pk:0{PATH_STEP}d}/"
    Organisation.objects.bulk_update(created, ["path"], batch_size=2000)
    return created


@transaction.atomic
def generate() -> User:
    rng = random.Random(5)
    started = time.monotonic()
    PlanTask.objects.all().delete()
    Plan.objects.all().delete()
    Theme.objects.all().delete()
    Directive.objects.all().delete()
    RoleAssignment.objects.all().delete()
    Organisation.objects.update(parent=None, successor=None)
    Organisation.objects.all().delete()
    levels: list[list[Organisation]] = []
    parents: list[Organisation] = []
    for depth, (kind, per_parent) in enumerate(SHAPE):
        parents = _level(parents, kind, per_parent, depth)
        levels.append(parents)
    province = levels[0][0]
    directive = Directive.objects.create(organisation=province, number="05-CT/TW", issued_on=dt.date(2016, 5, 15),
                                         issuer="Bộ Chính trị", title="Chỉ thị 05", search_text="05-ct/tw")
    theme = Theme.objects.create(organisation=province, year=YEAR, directive=directive, text="Chủ đề năm thử nghiệm",
                                 search_text="chu de nam thu nghiem")
    plan_of: dict[int, Plan] = {}
    for level in levels:
        batch = [Plan(organisation=org, theme=theme, year=YEAR, title=f"Kế hoạch {YEAR} — {org.name}",
                      parent=plan_of.get(org.parent_id) if org.parent_id else None,
                      starts_on=dt.date(YEAR, 1, 1), ends_on=dt.date(YEAR, 12, 31)) for org in level]
        for plan in Plan.objects.bulk_create(batch, batch_size=2000):
            plan_of[plan.organisation_id] = plan
    tasks: list[PlanTask] = []
    for plan in plan_of.values():
        for number in range(TASKS_PER_PLAN):
            deadline = dt.date(YEAR, 1, 15) + dt.timedelta(days=rng.randint(0, 340))
            roll = rng.random()
            if roll < 0.05:
                status, progress = TaskStatus.CANCELLED, 0
            elif deadline < TODAY and roll < 0.75:
                status, progress = TaskStatus.DONE, 100
            elif roll < 0.85:
                status, progress = TaskStatus.IN_PROGRESS, rng.choice([10, 25, 40, 60, 80])
            else:
                status, progress = TaskStatus.PLANNED, 0
            tasks.append(PlanTask(plan=plan, title=f"Nhiệm vụ {number + 1}", deadline=deadline,
                                  weight=Decimal(rng.choice([1, 1, 2, 3])), status=status, progress=progress,
                                  cancel_reason="Thử nghiệm" if status == TaskStatus.CANCELLED else "",
                                  required=plan.parent_id is not None, search_text=f"nhiem vu {number + 1}"))
    PlanTask.objects.bulk_create(tasks, batch_size=5000)
    totals.rebuild()  # bulk_create bypasses the services that keep the roll-up totals
    user, _created = User.objects.get_or_create(username="bench.province", defaults={"first_name": "Tỉnh ủy"})
    RoleAssignment.objects.create(user=user, organisation=province, role=Role.LEADER)
    print(f"generated {Organisation.objects.count():,} organisations, {Plan.objects.count():,} plans, "
          f"{PlanTask.objects.count():,} tasks in {time.monotonic() - started:.1f} s")
    return user


HAND_SQL = """
WITH plan_progress AS (
    SELECT p.id, o.path,
           COUNT(t.id) FILTER (WHERE t.status <> 'cancelled') AS n,
           COUNT(t.id) FILTER (WHERE t.status = 'done') AS done,
           COUNT(t.id) FILTER (WHERE t.status IN ('planned', 'in_progress') AND t.deadline < %(today)s) AS overdue,
           CASE
             WHEN COUNT(t.id) FILTER (WHERE t.status <> 'cancelled') = 0 THEN 0
             WHEN SUM(t.weight) FILTER (WHERE t.status <> 'cancelled') > 0
               THEN SUM(t.weight * t.progress) FILTER (WHERE t.status <> 'cancelled')
                    / SUM(t.weight) FILTER (WHERE t.status <> 'cancelled')
             ELSE AVG(t.progress) FILTER (WHERE t.status <> 'cancelled')
           END AS progress
    FROM campaigns_plan p
    JOIN orgs_organisation o ON o.id = p.organisation_id
    LEFT JOIN campaigns_plantask t ON t.plan_id = p.id
    WHERE p.year = %(year)s AND o.path LIKE %(root)s
    GROUP BY p.id, o.path
), climbed AS (
    SELECT substr(pp.path, 1, %(step)s * k) AS ancestor, pp.progress, pp.n, pp.done, pp.overdue
    -- A constant series (the tree is at most 12 levels deep) keeps the planner's row estimate honest.
    FROM plan_progress pp CROSS JOIN generate_series(1, 12) AS k
    WHERE k <= length(pp.path) / %(step)s
)
SELECT o.id, COUNT(c.ancestor) AS plans, AVG(c.progress) AS progress, COALESCE(SUM(c.n), 0) AS tasks,
       COALESCE(SUM(c.done), 0) AS done, COALESCE(SUM(c.overdue), 0) AS overdue
FROM orgs_organisation o
LEFT JOIN climbed c ON c.ancestor = o.path
WHERE o.path LIKE %(root)s
GROUP BY o.id
"""


def hand_rollup(root: Organisation) -> dict[int, tuple[int, float | None, int, int, int]]:
    with connection.cursor() as cursor:
        cursor.execute(HAND_SQL, {"today": TODAY, "year": YEAR, "root": root.path + "%", "step": PATH_STEP + 1})
        return {row[0]: (row[1], None if row[2] is None else float(row[2]), row[3], row[4], row[5])
                for row in cursor.fetchall()}


def measure(label: str, runs: int, call: Any) -> dict[str, float]:
    call()  # warm-up: templates compiled, connection open
    timings: list[float] = []
    queries = 0
    for _ in range(runs):
        with CaptureQueriesContext(connection) as captured:
            started = time.perf_counter()
            call()
            timings.append((time.perf_counter() - started) * 1000)
        queries = len(captured.captured_queries)
    timings.sort()
    median = statistics.median(timings)
    p95 = timings[min(len(timings) - 1, round(0.95 * (len(timings) - 1)))]
    print(f"{label:<44} median {median:8.1f} ms   p95 {p95:8.1f} ms   queries {queries}")
    return {"median": median, "p95": p95, "queries": queries}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--regenerate", action="store_true")
    args = parser.parse_args()
    if connection.vendor != "postgresql":
        sys.exit("This benchmark needs PostgreSQL (DATABASE_URL).")
    call_command("migrate", verbosity=0)
    user = User.objects.filter(username="bench.province").first()
    if args.regenerate or user is None or PlanTask.objects.count() < 25_000:
        user = generate()
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    province = Organisation.objects.get(depth=0)
    print(f"data: {Organisation.objects.count():,} organisations, {Plan.objects.count():,} plans, "
          f"{PlanTask.objects.count():,} tasks; PostgreSQL {connection.pg_version}; {args.runs} runs each")

    # The selector and the hand-written SQL must agree before their times are compared.
    result = selectors.rollup(user=user, year=YEAR, today=TODAY)
    nodes = {node.org_id: node for node in result.flatten()}
    hand = hand_rollup(province)
    assert set(nodes) == set(hand), "the two roll-ups cover different units"
    for org_id, (plans, progress, tasks, done, overdue) in hand.items():
        node = nodes[org_id]
        assert (node.plans, node.tasks, node.done, node.overdue) == (plans, tasks, done, overdue), org_id
        assert progress is None or abs((node.progress or 0) - progress) < 1e-6, org_id
    root = nodes[province.pk]
    print(f"check: selector and SQL agree on {len(hand):,} units; province progress {root.progress:.1f}%, "
          f"{root.overdue:,} overdue tasks")

    client = Client()
    client.force_login(user)

    def page() -> None:
        response = client.get("/tien-do/", {"year": YEAR})
        assert response.status_code == 200

    def api() -> None:
        response = client.get("/api/rollup/", {"year": YEAR})
        assert response.status_code == 200 and len(response.json()["results"]) == len(hand)

    page_figures = measure("roll-up page  /tien-do/ (whole tree)", args.runs, page)
    api_figures = measure("API roll-up   /api/rollup/ (all units)", args.runs, api)
    selector_figures = measure("selector only (rollup(), no HTTP)", args.runs,
                               lambda: selectors.rollup(user=user, year=YEAR, today=TODAY))
    sql_figures = measure("one hand-written SQL query", args.runs, lambda: hand_rollup(province))
    print(f"ratio page / SQL      {page_figures['median'] / sql_figures['median']:.2f}")
    print(f"ratio API / SQL       {api_figures['median'] / sql_figures['median']:.2f}")
    print(f"ratio selector / SQL  {selector_figures['median'] / sql_figures['median']:.2f}")
    target = 300.0
    for label, figures in (("page", page_figures), ("API", api_figures)):
        verdict = "meets" if figures["median"] < target else "MISSES"
        print(f"{label}: median {figures['median']:.1f} ms {verdict} the {target:.0f} ms target")


if __name__ == "__main__":
    main()
