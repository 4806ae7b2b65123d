"""Benchmarks behind gunicorn (3 workers): public intake against the bare single-INSERT view, and the issue
lookup page by code against a static file served by the same server."""

from __future__ import annotations

import json
import os
import random
import statistics

import psycopg
from harness import BenchContext, Figure, benchmark
from serving import get_times, gunicorn, load


def intake_body(number: int) -> bytes:
    return json.dumps({"category": "trat-tu-do-thi", "description": f"Vỉa hè trước chợ bị lấn chiếm (lượt {number})",
                       "address": "Kiệt 12 Lê Lợi", "consent_to_publish": True}).encode()


@benchmark("intake", order=20)
def intake(ctx: BenchContext) -> list[Figure]:
    with gunicorn(ctx.port_base, ctx.database_url, workers=int(os.environ.get("BENCH_WORKERS", "3"))) as url:
        bare = load(url, "/bench/bare-insert/", seconds=ctx.seconds / 2, body_of=intake_body)
        real = load(url, "/gop-y/api/", seconds=ctx.seconds, body_of=intake_body)
    with psycopg.connect(ctx.dsn) as conn:
        stored = conn.execute("SELECT count(*) FROM dialogues_issue WHERE tracking_code = ANY(%s)",
                              ([c.replace("-", "") for c in real.codes],)).fetchone()[0]
    print(f"   client {real.client}; bare: {bare.rate:.0f}/s {bare.statuses}; intake: {real.rate:.0f}/s "
          f"{real.statuses}; {len(real.codes)} codes returned, {stored} in the database")
    if stored != len(real.codes):
        raise AssertionError("a submission answered with a tracking code is missing from the database")
    if set(bare.statuses) != {201}:  # a failing baseline (every INSERT refused by a new NOT NULL column) is no limit
        raise AssertionError(f"the bare INSERT view did not answer 201 every time: {bare.statuses}")
    share = real.rate / bare.rate if bare.rate else 0
    return [
        Figure("submissions per second", real.rate, "/s", ">= 300", real.rate >= 300, bare.rate, "bare INSERT view",
               higher_is_better=True),
        Figure("share of the bare view's rate", share * 100, "%", ">= 70%", share >= 0.7),
        Figure("latency p99", real.ms(99), "ms", "< 250 ms", real.ms(99) < 250, bare.ms(99), "bare INSERT view"),
        Figure("latency p50", real.ms(50), "ms", limit=bare.ms(50), limit_label="bare INSERT view"),
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
