"""The national data generator: all of Vietnam in PostgreSQL with COPY, deterministic by seed.

At --scale 1: 34 provinces and 3,321 wards and communes (vietnam-provinces), ~60,000 party cells, 5 million
people with their memberships, 600,000 plan tasks, 10 million citizens' issues over five years, plus the
practices. --scale 0.01 is about a province, 0.001 a city. Each room adds its rows with a `bench/gen_*.py`
file (see harness.py). Refuses a database that holds data unless --scratch (then it is emptied).

    createdb chithi_national
    DATABASE_URL=postgres:///chithi_national .venv/bin/python bench/generate.py --scale 0.01 [--scratch]
"""

from __future__ import annotations

import argparse
import concurrent.futures
import contextlib
import os
import sys
import time
from pathlib import Path
from typing import Any

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH.parent / "src"))
sys.path.insert(0, str(BENCH))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "chithi.settings")
os.environ.setdefault("LOG_LEVEL", "WARNING")

import django  # noqa: E402

django.setup()

import psycopg  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from harness import GenContext, load_modules, ordered_steps  # noqa: E402

from chithi.core.backup import has_data  # noqa: E402


class Refused(SystemExit):
    pass


def psycopg_connect() -> Any:
    s = connection.settings_dict
    params = {"dbname": s["NAME"], "host": s.get("HOST") or None, "port": s.get("PORT") or None,
              "user": s.get("USER") or None, "password": s.get("PASSWORD") or None}
    return psycopg.connect(**{k: v for k, v in params.items() if v})


def prepare(*, scratch: bool) -> None:
    """Migrate an empty database; refuse one with data unless it is declared a scratch one, which is then
    rebuilt from an empty schema (so nothing of an earlier run, not even a dropped index, survives)."""
    if connection.vendor != "postgresql":
        raise Refused("the generator writes with PostgreSQL's COPY: set DATABASE_URL to a PostgreSQL database")
    call_command("migrate", verbosity=0)
    if has_data(connection) and not scratch:
        raise Refused(f"the database {connection.settings_dict['NAME']} already holds data; the generator "
                      "fills scratch databases only. Pass --scratch if this is one (its data will be deleted).")
    if scratch:
        with connection.cursor() as cursor:
            cursor.execute("DROP SCHEMA public CASCADE; CREATE SCHEMA public")
        call_command("migrate", verbosity=0)


def _drop_secondary(conn: Any) -> tuple[dict[str, list[str]], list[str]]:
    """Drop foreign keys, unique constraints and indexes other than primary keys: COPY into bare tables and one
    build per index afterwards is several times faster than maintaining them row by row. Returns the DDL that
    puts them back: the indexes by table, and the constraints (unique ones before foreign keys)."""
    constraints = conn.execute("""
        SELECT c.conrelid::regclass::text, c.conname, pg_get_constraintdef(c.oid) FROM pg_constraint c
        JOIN pg_namespace n ON n.oid = c.connamespace
        WHERE n.nspname = 'public' AND c.contype IN ('f', 'u') ORDER BY c.contype DESC, c.conname""").fetchall()
    indexes = conn.execute("""
        SELECT t.relname, i.indexrelid::regclass::text, pg_get_indexdef(i.indexrelid) FROM pg_index i
        JOIN pg_class t ON t.oid = i.indrelid JOIN pg_namespace n ON n.oid = t.relnamespace
        WHERE n.nspname = 'public' AND NOT i.indisprimary
          AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid)
          AND t.relname NOT IN ('django_migrations', 'django_content_type', 'auth_permission')""").fetchall()
    for table, name, _definition in constraints:
        conn.execute(f'ALTER TABLE {table} DROP CONSTRAINT "{name}"')
    by_table: dict[str, list[str]] = {}
    for table, name, definition in indexes:
        conn.execute(f"DROP INDEX {name}")
        by_table.setdefault(table, []).append(definition)
    conn.commit()
    ordered = sorted(constraints, key=lambda r: "FOREIGN" in r[2])
    return by_table, [f'ALTER TABLE {t} ADD CONSTRAINT "{n}" {d}' for t, n, d in ordered]


class IndexBuilder:
    """Builds indexes on two connections at once (CREATE INDEX takes a SHARE lock, so builds never block each
    other), the longest (the trigram GIN indexes) first."""

    def __init__(self) -> None:
        self.pool = concurrent.futures.ThreadPoolExecutor(max_workers=2)
        self.futures: list[concurrent.futures.Future[tuple[float, str]]] = []

    def submit(self, statements: list[str]) -> None:
        for statement in sorted(statements, key=lambda d: "gin" not in d):
            self.futures.append(self.pool.submit(self._build, statement))

    @staticmethod
    def _build(statement: str) -> tuple[float, str]:
        with psycopg_connect() as conn:
            conn.execute("SET maintenance_work_mem = '1GB'")
            started = time.monotonic()
            conn.execute(statement)
            conn.commit()
            return time.monotonic() - started, statement

    def finish(self) -> list[tuple[float, str]]:
        done = [future.result() for future in self.futures]  # re-raises a failed build
        self.pool.shutdown()
        return done


def _reset_sequences(conn: Any) -> None:
    rows = conn.execute("""
        SELECT c.table_name, c.column_name FROM information_schema.columns c
        WHERE c.table_schema = 'public' AND (c.column_default LIKE 'nextval%' OR c.is_identity = 'YES')""").fetchall()
    for table, column in rows:
        conn.execute(f"SELECT setval(pg_get_serial_sequence('{table}', '{column}'), "
                     f"COALESCE((SELECT max({column}) FROM {table}), 0) + 1, false)")


def run(*, scale: float, seed: int = 5, scratch: bool = False, quiet: bool = False,
        only: list[str] | None = None) -> dict[str, Any]:
    """Fill the configured database; returns rows, seconds, rows per second and the database size.
    `only` runs those steps and the steps they need (their `after=`), e.g. ["campaigns", "users"]."""
    say = (lambda *a: None) if quiet else print
    prepare(scratch=scratch)
    load_modules("gen_")
    steps = ordered_steps()
    if only:
        wanted = set(only)
        for step in reversed(steps):
            if step.name in wanted:
                wanted.update(step.after)
        steps = [step for step in steps if step.name in wanted]
    started = time.monotonic()
    ctx = GenContext(scale=scale, seed=seed, connect=psycopg_connect)
    indexes: dict[str, list[str]] = {}
    constraints: list[str] = []
    restored = False
    loaded = started
    builder = IndexBuilder()
    try:
        conn = ctx.conn
        indexes, constraints = _drop_secondary(conn)
        for step in steps:
            ctx._step = step.name
            before = sum(ctx.rows.values())
            t0 = time.monotonic()
            step.run(ctx)
            ctx.commit()
            made = sum(ctx.rows.values()) - before
            seconds = time.monotonic() - t0
            say(f"  step {step.name:<12} {made:>12,} rows  {seconds:7.1f} s  "
                f"{made / max(seconds, 1e-9):>10,.0f} rows/s")
        loaded = time.monotonic()
        # Built after the load, not during it: on two cores an index build only slows the COPY down as much.
        builder.submit([d for statements in indexes.values() for d in statements])
        indexes = {}
        timings = builder.finish()
        conn.execute("SET maintenance_work_mem = '1GB'")
        for statement in constraints:
            t1 = time.monotonic()
            conn.execute(statement)
            timings.append((time.monotonic() - t1, statement))
        conn.commit()
        restored = True
        for seconds_taken, ddl in sorted(timings, reverse=True)[:4]:
            say(f"    {seconds_taken:6.1f} s  {ddl[:110]}")
        _reset_sequences(conn)
        conn.commit()
        index_seconds = time.monotonic() - loaded
        conn.autocommit = True
        conn.execute("ANALYZE")
        size, pretty = conn.execute("SELECT pg_database_size(current_database()), "
                                    "pg_size_pretty(pg_database_size(current_database()))").fetchone()
    finally:
        if not restored:  # a failed step: give the tables their indexes back all the same
            ctx.close()
            with contextlib.suppress(Exception):
                builder.finish()
            with psycopg_connect() as repair:
                for ddl in [d for statements in indexes.values() for d in statements] + constraints:
                    try:
                        repair.execute(ddl)
                        repair.commit()
                    except psycopg.Error as exc:
                        repair.rollback()
                        print(f"could not restore: {ddl[:120]} ({exc})", file=sys.stderr)
        ctx.close()
    total = sum(ctx.rows.values())
    seconds = time.monotonic() - started
    say(f"  indexes and constraints finished {index_seconds:.1f} s after the last row was loaded")
    say(f"generated {total:,} rows in {seconds:.1f} s: {total / seconds:,.0f} rows/s; database size {pretty}")
    load_seconds = loaded - started
    say(f"  loading alone (COPY, before the indexes): {total / load_seconds:,.0f} rows/s")
    return {"rows": total, "seconds": seconds, "rows_per_second": total / seconds, "bytes": size,
            "load_rows_per_second": total / load_seconds,
            "size": pretty, "tables": dict(ctx.rows), "steps": [s.name for s in steps]}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=float, default=1.0, help="1 = all of Vietnam; 0.01 a province; 0.001 a city")
    parser.add_argument("--seed", type=int, default=5)
    parser.add_argument("--scratch", action="store_true", help="the database is a scratch one: empty it first")
    parser.add_argument("--steps", default="", help="only these steps (and those they need), e.g. campaigns,users")
    args = parser.parse_args()
    if not 0 < args.scale <= 2:
        sys.exit("--scale must be in (0, 2]")
    try:
        run(scale=args.scale, seed=args.seed, scratch=args.scratch,
            only=[s for s in args.steps.split(",") if s] or None)
    except Refused as refused:
        sys.exit(f"refused: {refused}")


if __name__ == "__main__":
    main()
