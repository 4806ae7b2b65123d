"""Benchmarks behind gunicorn (3 workers): public intake against the bare single-INSERT view, and the issue
lookup page by code against a static file served by the same server."""

from __future__ import annotations

import json
import os
import random
import statistics
import time
from typing import Any

import psycopg
from harness import BenchContext, Figure, benchmark
from serving import LIMIT_RUN_AFTER, db_worker, drain, get_times, gunicorn, load


def intake_body(number: int) -> bytes:
    return json.dumps({"category": "trat-tu-do-thi", "description": f"Vỉa hè trước chợ bị lấn chiếm (lượt {number})",
                       "address": "Kiệt 12 Lê Lợi", "consent_to_publish": True}).encode()


NOTICE_TASK = "chithi.dialogues.tasks.notify_new_issue"


def _scalar(conn: psycopg.Connection[Any], sql: str, params: Any = ()) -> Any:
    row = conn.execute(sql, params).fetchone()  # type: ignore[arg-type]
    assert row is not None
    return row[0]


def _analyse_queue_without_autovacuum(dsn: str) -> None:
    """Where autovacuum is off (CI's PostgreSQL on this machine runs without it), analyse the queue table as
    autovacuum would have (core 0005: after 1,000 changed rows). Left as the generator saw it (empty), the
    worker's pick sorted the whole backlog: 27 ms a task, a drain of 16 notices/s instead of 150."""
    with psycopg.connect(dsn, autocommit=True) as conn:
        if _scalar(conn, "SHOW autovacuum") == "off":
            conn.execute("ANALYZE django_tasks_database_dbtaskresult")
            print("   autovacuum is off on this server: the task queue's table was analysed as it would have done")


def _queued_notices(dsn: str) -> int:
    with psycopg.connect(dsn) as conn:
        return _scalar(conn, "SELECT count(*) FROM django_tasks_database_dbtaskresult WHERE task_path = %s"
                            " AND status = 'READY'", (NOTICE_TASK,))


@benchmark("intake", order=20)
def intake(ctx: BenchContext) -> list[Figure]:
    """Intake queues each new issue's notice for the task worker (core.outbox). Measured twice: with the
    worker on another host (the deployment of docs/deployment.md), and with a worker on this same 2-core
    machine telling the handlers while the citizens submit; then the backlog is drained and timed."""
    with psycopg.connect(ctx.dsn) as conn:
        since = _scalar(conn, "SELECT now()")
    with gunicorn(ctx.port_base, ctx.database_url, workers=int(os.environ.get("BENCH_WORKERS", "3"))) as url:
        # Warm-up, not counted: a fresh worker's first requests import and connect (cold, the bare view ran
        # about 30 % slower than a few seconds later, which flattered the share).
        load(url, "/bench/bare-insert/", seconds=3, body_of=intake_body)
        bare = load(url, "/bench/bare-insert/", seconds=ctx.seconds / 2, body_of=intake_body)
        rows = load(url, "/bench/bare-intake-rows/", seconds=ctx.seconds / 2, body_of=intake_body)
        real = load(url, "/gop-y/api/", seconds=ctx.seconds, body_of=intake_body)
        _analyse_queue_without_autovacuum(ctx.dsn)
        with db_worker(ctx.database_url):
            shared = load(url, "/gop-y/api/", seconds=ctx.seconds, body_of=intake_body)
    with psycopg.connect(ctx.dsn, autocommit=True) as conn:  # the four-row limit's tasks are no notices to tell
        conn.execute("DELETE FROM django_tasks_database_dbtaskresult WHERE run_after = %s", (LIMIT_RUN_AFTER,))
    backlog = _queued_notices(ctx.dsn)
    _analyse_queue_without_autovacuum(ctx.dsn)
    started = time.monotonic()
    # The worker was stopped mid-batch: what it held goes back to the queue, as cron's requeue does.
    drain(ctx.database_url, requeue=True)
    drained = time.monotonic() - started
    left = _queued_notices(ctx.dsn)
    with psycopg.connect(ctx.dsn) as conn:
        codes = [c.replace("-", "") for c in real.codes + shared.codes]
        stored = _scalar(conn, "SELECT count(*) FROM dialogues_issue WHERE tracking_code = ANY(%s)",
                              (codes,))
        # Each stored issue's notice ran to the end once (whether its unit has handlers is the data's business).
        told: dict[str, int] = dict(conn.execute(  # type: ignore[arg-type]
            "SELECT t.status, count(*) FROM dialogues_issue i JOIN django_tasks_database_dbtaskresult t"
            " ON t.task_path = %s AND t.enqueued_at >= %s AND t.args_kwargs -> 'args' ->> 0 = i.id::text"
            " WHERE i.tracking_code = ANY(%s) GROUP BY t.status", (NOTICE_TASK, since, codes)).fetchall())
    print(f"   client {real.client}; bare: {bare.rate:.0f}/s {bare.statuses}; the four rows in SQL: {rows.rate:.0f}/s "
          f"{rows.statuses}; intake: {real.rate:.0f}/s "
          f"{real.statuses}; with a worker here: {shared.rate:.0f}/s {shared.statuses}")
    print(f"   {len(codes)} codes returned, {stored} in the database, notice tasks {told}; "
          f"backlog of {backlog} notices drained in {drained:.1f} s, {left} left")
    if stored != len(codes):
        raise AssertionError("a submission answered with a tracking code is missing from the database")
    if told != {"SUCCESSFUL": len(codes)} or left:
        raise AssertionError(f"not every stored issue's notice ran once and succeeded: {told}, {left} left")
    for name, limit in (("bare INSERT", bare), ("four-row SQL", rows)):
        if set(limit.statuses) != {201}:  # a failing baseline (refused by a new NOT NULL column) is no limit
            raise AssertionError(f"the {name} view did not answer 201 every time: {limit.statuses}")
    share = real.rate / bare.rate if bare.rate else 0
    return [
        Figure("submissions per second", real.rate, "/s", ">= 300", real.rate >= 300, bare.rate, "bare INSERT view",
               higher_is_better=True),
        Figure("share of the bare view's rate", share * 100, "%", ">= 70%", share >= 0.7),
        # Where the distance goes: the database's part (the three other rows) and Python's (form, checks, ORM).
        Figure("the same four rows in hand-written SQL, per second", rows.rate, "/s", limit=bare.rate,
               limit_label="bare INSERT view", higher_is_better=True),
        Figure("share of the four-row SQL's rate", real.rate / rows.rate * 100 if rows.rate else 0, "%"),
        Figure("latency p99", real.ms(99), "ms", "< 250 ms", real.ms(99) < 250, bare.ms(99), "bare INSERT view"),
        Figure("latency p50", real.ms(50), "ms", limit=bare.ms(50), limit_label="bare INSERT view"),
        Figure("submissions per second, worker on this machine", shared.rate, "/s", limit=bare.rate,
               limit_label="bare INSERT view", higher_is_better=True),
        Figure("latency p99, worker on this machine", shared.ms(99), "ms", limit=bare.ms(99),
               limit_label="bare INSERT view"),
        Figure("notices told per second (worker draining the backlog)", backlog / drained if drained else 0, "/s",
               higher_is_better=True),
    ]


@benchmark("lookup", order=30)
def lookup(ctx: BenchContext) -> list[Figure]:
    with psycopg.connect(ctx.dsn) as conn:
        total = conn.execute("SELECT count(*), max(id) FROM dialogues_issue").fetchone()
        ids = random.Random(7).sample(range(1, total[1] + 1), min(400, total[1]))
        codes = [r[0] for r in conn.execute("SELECT tracking_code FROM dialogues_issue WHERE id = ANY(%s)", (ids,))]
    paths = [f"/tra-cuu/{c[:5]}-{c[5:]}/" for c in codes]
    with gunicorn(ctx.port_base + 1, ctx.database_url, workers=2) as url:
        get_times(url, paths[:20])  # warm-up
        page = statistics.median(get_times(url, paths))
        static = statistics.median(get_times(url, ["/static/chithi/chithi.css"] * len(paths)))
    return [Figure(f"lookup by code median ({total[0]:,} issues)", page, "ms", "< 20 ms", page < 20, static,
                   "static file, same server")]
