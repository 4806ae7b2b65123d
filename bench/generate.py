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
import threading
import time
from dataclasses import dataclass, field
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


def psycopg_connect(autocommit: bool = False) -> Any:
    s = connection.settings_dict
    params = {"dbname": s["NAME"], "host": s.get("HOST") or None, "port": s.get("PORT") or None,
              "user": s.get("USER") or None, "password": s.get("PASSWORD") or None}
    return psycopg.connect(**{k: v for k, v in params.items() if v}, autocommit=autocommit)


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


@dataclass
class Secondary:
    """What _drop_secondary took off, to be put back: per table the index builds (unique constraints as their
    unique index, attached afterwards), the attachments, and the foreign keys by referencing table."""

    indexes: dict[str, list[str]] = field(default_factory=dict)
    attach: list[str] = field(default_factory=list)
    foreign: dict[str, list[tuple[str, str]]] = field(default_factory=dict)  # table → [(name, definition)]

    def all_ddl(self) -> list[str]:
        """Everything, in an order that works on one connection (used to repair after a failed step)."""
        return ([d for statements in self.indexes.values() for d in statements] + self.attach
                + [f'ALTER TABLE {t} ADD CONSTRAINT "{n}" {d}' for t, fks in self.foreign.items() for n, d in fks])


def _drop_secondary(conn: Any) -> Secondary:
    """Drop foreign keys, unique constraints and indexes other than primary keys: COPY into bare tables and one
    build per index afterwards is several times faster than maintaining them row by row."""
    constraints = conn.execute("""
        SELECT c.conrelid::regclass::text, c.conname, pg_get_constraintdef(c.oid), c.contype,
               pg_get_indexdef(c.conindid) FROM pg_constraint c
        JOIN pg_namespace n ON n.oid = c.connamespace
        WHERE n.nspname = 'public' AND c.contype IN ('f', 'u') ORDER BY c.contype, c.conname""").fetchall()
    indexes = conn.execute("""
        SELECT t.relname, i.indexrelid::regclass::text, pg_get_indexdef(i.indexrelid) FROM pg_index i
        JOIN pg_class t ON t.oid = i.indrelid JOIN pg_namespace n ON n.oid = t.relnamespace
        WHERE n.nspname = 'public' AND NOT i.indisprimary
          AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid)
          AND t.relname NOT IN ('django_migrations', 'django_content_type', 'auth_permission')""").fetchall()
    dropped = Secondary()
    for table, name, definition, kind, index_definition in constraints:  # foreign keys first ('f' < 'u')
        conn.execute(f'ALTER TABLE {table} DROP CONSTRAINT "{name}"')
        if kind == "f":
            dropped.foreign.setdefault(table, []).append((name, definition))
        else:  # built like any index (in parallel), then attached as the constraint in an instant
            dropped.indexes.setdefault(table, []).append(index_definition)
            dropped.attach.append(f'ALTER TABLE {table} ADD CONSTRAINT "{name}" UNIQUE USING INDEX "{name}"')
    for table, name, definition in indexes:
        conn.execute(f"DROP INDEX {name}")
        dropped.indexes.setdefault(table, []).append(definition)
    conn.commit()
    return dropped


class IndexBuilder:
    """Runs DDL on two connections at once: a table's index builds as soon as the step that filled it is done
    (CREATE INDEX takes a SHARE lock, which blocks neither the other builds nor the COPY into other tables), the
    longest (the trigram GIN indexes) first; at the end the foreign keys' validation, one referencing table a task."""

    def __init__(self) -> None:
        self.pool = concurrent.futures.ThreadPoolExecutor(max_workers=2)
        self.futures: list[concurrent.futures.Future[list[tuple[float, str]]]] = []
        self.local = threading.local()  # one connection a worker thread, kept: hundreds of small builds
        self.conns: list[Any] = []

    def submit(self, statements: list[str]) -> None:
        for statement in sorted(statements, key=lambda d: "gin" not in d):
            self.futures.append(self.pool.submit(self._run, [statement]))

    def submit_group(self, statements: list[str]) -> None:
        """Statements that must run one after the other (they lock the same table against each other)."""
        self.futures.append(self.pool.submit(self._run, statements))

    def _run(self, statements: list[str]) -> list[tuple[float, str]]:
        conn = getattr(self.local, "conn", None)
        if conn is None:
            conn = self.local.conn = psycopg_connect(autocommit=True)
            self.conns.append(conn)
        done = []
        for statement in statements:
            # A GIN build keeps its entries in memory up to this and merges far less with more of it.
            conn.execute(f"SET maintenance_work_mem = '{'4GB' if ' gin ' in statement else '1GB'}'")
            started = time.monotonic()
            conn.execute(statement)
            done.append((time.monotonic() - started, statement))
        return done

    def finish(self) -> list[tuple[float, str]]:
        done = [t for future in self.futures for t in future.result()]  # re-raises a failed build
        self.futures = []
        return done

    def close(self) -> None:
        self.pool.shutdown()
        for conn in self.conns:
            conn.close()


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
    dropped = Secondary()
    restored = False
    loaded = started
    builder = IndexBuilder()
    try:
        conn = ctx.conn
        dropped = _drop_secondary(conn)
        for step in steps:
            ctx._step = step.name
            before = sum(ctx.rows.values())
            t0 = time.monotonic()
            tables_before = set(ctx.rows)
            step.run(ctx)
            ctx.commit()
            made = sum(ctx.rows.values()) - before
            seconds = time.monotonic() - t0
            say(f"  step {step.name:<12} {made:>12,} rows  {seconds:7.1f} s  "
                f"{made / max(seconds, 1e-9):>10,.0f} rows/s")
            # The tables this step filled: their indexes are built now, beside the next steps' COPY (the generator
            # is one Python thread; the second core is otherwise half idle). Should a later step write one of them
            # again, its COPY waits for the build and then maintains the index: slower, still right.
            for table in sorted(set(ctx.rows) - tables_before):
                builder.submit(dropped.indexes.pop(table, []))
        loaded = time.monotonic()
        builder.submit([d for statements in dropped.indexes.values() for d in statements])  # tables no step wrote
        dropped.indexes = {}
        timings = builder.finish()
        for statement in dropped.attach:
            conn.execute(statement)
        # Foreign keys: added NOT VALID (no scan, an instant), then validated — a scan of the referencing table —
        # on two connections, one referencing table a task (a validation locks its table against another one).
        for table, fks in dropped.foreign.items():
            for name, definition in fks:
                conn.execute(f'ALTER TABLE {table} ADD CONSTRAINT "{name}" {definition} NOT VALID')
        conn.commit()
        restored = True
        for table, fks in sorted(dropped.foreign.items(), key=lambda item: -ctx.rows.get(item[0], 0)):
            builder.submit_group([f'ALTER TABLE {table} VALIDATE CONSTRAINT "{name}"' for name, _d in fks])
        timings += builder.finish()
        builder.close()
        for seconds_taken, ddl in sorted(timings, reverse=True)[:5]:
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
            builder.close()
            with psycopg_connect() as repair:
                for ddl in dropped.all_ddl():
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
