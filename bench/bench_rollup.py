"""Benchmark: the progress roll-up (/tien-do/ and /api/rollup/) over the generated tree, for the central leader,
against one hand-written SQL query giving the same figures (the limit)."""

from __future__ import annotations

import datetime as dt
import statistics

from campaigns_rollup import HAND_SQL
from django.db import connection
from django.test import Client
from harness import BenchContext, Figure, benchmark, timed

from chithi.campaigns import selectors
from chithi.core.models import User
from chithi.orgs.models import PATH_STEP, Organisation

TARGET_MS = 300.0


@benchmark("roll-up", order=10)
def rollup(ctx: BenchContext) -> list[Figure]:
    year = dt.date.today().year
    today = dt.date.today()
    user = User.objects.get(username="bench.central")
    top = Organisation.objects.get(depth=0)

    def hand() -> dict[int, tuple[int, float | None, int, int, int]]:
        with connection.cursor() as cursor:
            cursor.execute(HAND_SQL, {"today": today, "year": year, "root": top.path + "%", "step": PATH_STEP + 1})
            return {r[0]: (r[1], None if r[2] is None else float(r[2]), r[3], r[4], r[5]) for r in cursor.fetchall()}

    nodes = {node.org_id: node for node in selectors.rollup(user=user, year=year, today=today).flatten()}
    expected = hand()
    agree = set(nodes) == set(expected) and all(
        (nodes[k].plans, nodes[k].tasks, nodes[k].done, nodes[k].overdue) == v[:1] + v[2:]
        and (v[1] is None or abs((nodes[k].progress or 0) - v[1]) < 1e-6) for k, v in expected.items())
    print(f"   {len(nodes):,} units; selector and SQL agree: {agree}")
    if not agree:
        raise AssertionError("the roll-up selector and the hand-written SQL disagree")
    client = Client()
    client.force_login(user)
    runs = 5 if len(nodes) > 20_000 else 15

    def page() -> None:
        assert client.get("/tien-do/", {"year": year}).status_code == 200

    def api() -> None:
        assert client.get("/api/rollup/", {"year": year}).status_code == 200

    sql = statistics.median(timed(hand, runs))
    figures = []
    for label, call in (("page /tien-do/ median", page), ("API /api/rollup/ median", api),
                        ("selector rollup() median", lambda: selectors.rollup(user=user, year=year, today=today))):
        median = statistics.median(timed(call, runs))
        print(f"   {label}: {median:.1f} ms (SQL {sql:.1f} ms)")
        figures.append(Figure(f"{label} ({len(nodes):,} units)", median, "ms", f"< {TARGET_MS:.0f} ms",
                              median < TARGET_MS if "selector" not in label else None, sql, "hand SQL"))
    return figures
