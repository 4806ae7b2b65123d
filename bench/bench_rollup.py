"""Benchmark: the progress roll-up (/tien-do/ and /api/rollup/) over the generated tree, for the central leader,
read from the stored totals (campaigns/totals.py), against hand-written SQL giving the same figures (the limits):
one counting the tasks themselves (what any answer from the raw rows costs), one reading the totals table (the
floor of this design). Then progress reports through the service (what keeping the totals costs a write) and the
drift check, which must find nothing."""

from __future__ import annotations

import datetime as dt
import statistics

from campaigns_rollup import HAND_SQL
from django.db import connection
from django.test import Client
from harness import BenchContext, Figure, benchmark, timed

from chithi.campaigns import selectors, services, totals
from chithi.campaigns.models import OPEN_STATUSES, PlanTask
from chithi.campaigns.views import ROLLUP_LEVELS
from chithi.core.models import User
from chithi.orgs.models import PATH_STEP, Organisation

TARGET_MS = 300.0

# The page's answer from the totals table: the shown units' subtree sums for the year, nothing else.
TOTALS_SQL = """
SELECT o.id, COALESCE(SUM(t.plans), 0), COALESCE(SUM(t.progress_e6), 0), COALESCE(SUM(t.tasks), 0),
       COALESCE(SUM(t.done), 0), COALESCE(SUM(t.overdue), 0)
FROM orgs_organisation o
LEFT JOIN campaigns_unittotals t ON t.organisation_id = o.id AND t.year = %(year)s
WHERE o.path LIKE %(root)s AND o.depth <= %(depth)s
GROUP BY o.id
"""


@benchmark("roll-up", order=10)
def rollup(ctx: BenchContext) -> list[Figure]:
    year = dt.date.today().year
    today = dt.date.today()
    totals.advance(today)  # the nightly move of the overdue clock (a no-op on the day of generation)
    user = User.objects.get(username="bench.central")
    top = Organisation.objects.get(depth=0)
    depth = top.depth + ROLLUP_LEVELS
    params = {"today": today, "year": year, "root": top.path + "%", "step": PATH_STEP + 1}

    def hand(limit_depth: int | None = None) -> dict[int, tuple[int, float | None, int, int, int]]:
        sql = HAND_SQL if limit_depth is None else HAND_SQL.replace(
            "WHERE o.path LIKE %(root)s\nGROUP BY", "WHERE o.path LIKE %(root)s AND o.depth <= %(depth)s\nGROUP BY")
        with connection.cursor() as cursor:
            cursor.execute(sql, {**params, "depth": limit_depth})
            return {r[0]: (r[1], None if r[2] is None else float(r[2]), r[3], r[4], r[5]) for r in cursor.fetchall()}

    def from_totals() -> list[tuple[int, ...]]:
        with connection.cursor() as cursor:
            cursor.execute(TOTALS_SQL, {"year": year, "root": top.path + "%", "depth": depth})
            return cursor.fetchall()

    def agree(nodes: dict[int, selectors.RollupNode], expected: dict[int, tuple[int, float | None, int, int, int]],
              ) -> bool:
        # Units without plans (ceased ones) are left out of the tree by design; the SQL lists them at zero.
        shown = {k: v for k, v in expected.items() if k in nodes or v[0]}
        return set(nodes) == set(shown) and all(
            (nodes[k].plans, nodes[k].tasks, nodes[k].done, nodes[k].overdue) == v[:1] + v[2:]
            and (v[1] is None or abs((nodes[k].progress or 0) - v[1]) < 1e-6) for k, v in shown.items())

    whole = {node.org_id: node for node in selectors.rollup(user=user, year=year, today=today).flatten()}
    page_nodes = {node.org_id: node for node in
                  selectors.rollup(user=user, year=year, today=today, levels=ROLLUP_LEVELS).flatten()}
    whole_ok = agree(whole, hand())
    page_ok = agree(page_nodes, hand(depth))
    print(f"   {len(whole):,} units, {len(page_nodes):,} on the page; selector and SQL agree: "
          f"whole tree {whole_ok}, page {page_ok}")
    if not (whole_ok and page_ok):
        raise AssertionError("the roll-up selector and the hand-written SQL disagree")
    client = Client()
    client.force_login(user)
    runs = 5 if len(whole) > 20_000 else 15

    def page() -> None:
        assert client.get("/tien-do/", {"year": year}).status_code == 200

    def api() -> None:
        assert client.get("/api/rollup/", {"year": year}).status_code == 200

    sql_page = statistics.median(timed(lambda: hand(depth), runs))
    sql_whole = statistics.median(timed(hand, runs))
    sql_totals = statistics.median(timed(from_totals, runs))
    figures = []
    for label, call, limit, shown in (
            ("page /tien-do/ median", page, sql_page, len(page_nodes)),
            ("API /api/rollup/ median (whole tree)", api, sql_whole, len(whole)),
            ("selector rollup() median (page's levels)",
             lambda: selectors.rollup(user=user, year=year, today=today, levels=ROLLUP_LEVELS), sql_page,
             len(page_nodes))):
        median = statistics.median(timed(call, runs))
        print(f"   {label}: {median:.1f} ms (SQL over the tasks {limit:.1f} ms, over the totals {sql_totals:.1f} ms)")
        figures.append(Figure(f"{label} ({shown:,} units)", median, "ms", f"< {TARGET_MS:.0f} ms",
                              median < TARGET_MS if "selector" not in label else None, limit, "hand SQL, tasks"))
    page_median = figures[0].value
    figures.append(Figure(f"page /tien-do/ against the totals read by hand ({len(page_nodes):,} units)", page_median,
                          "ms", limit=sql_totals, limit_label="hand SQL, totals"))
    # What keeping the totals costs a write: progress reports through the service, as the leader's staff make.
    actor = User.objects.get(username="bench.ward")  # the ward secretary reports for the ward and its cells
    ward = Organisation.objects.get(role_assignments__user=actor)
    tasks = list(PlanTask.objects.filter(status__in=OPEN_STATUSES, plan__year=year, plan__closed_on__isnull=True,
                                         plan__organisation__path__startswith=ward.path).order_by("id")[:runs])
    writes = [0.0]

    def report() -> None:
        task = tasks[writes.__len__() % len(tasks)]
        writes.append(0.0)
        services.report_progress(actor=actor, task=task, progress=min(99, task.progress + 1), note="Bench")

    if tasks:
        write_median = statistics.median(timed(report, len(tasks)))
        print(f"   report_progress with the totals kept: {write_median:.1f} ms median over {len(tasks)} tasks")
        figures.append(Figure("report_progress through the service (totals kept)", write_median, "ms"))
    drift = totals.compare()
    print(f"   drift after the benchmark: {len(drift.plans)} plans, {len(drift.units)} unit rows")
    figures.append(Figure("roll-up totals drifting from a recount", drift.count, "rows", "0", drift.count == 0))
    return figures
