"""`make bench`: generate the national data at --scale into a scratch database, run every bench/bench_*.py, print
one table (figure, target, the physical limit measured in the same run, and the ratio).

    make bench SCALE=0.01                      # a province's size; SCALE=1 is all of Vietnam
    BENCH_DATABASE_URL=postgres:///chithi_bench .venv/bin/python bench/run.py --scale 0.01 [--only rollup]

The database named by BENCH_DATABASE_URL (default postgres:///chithi_bench, created when missing) is a scratch
database: its data is replaced.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
import traceback
from pathlib import Path

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH.parent / "src"))
sys.path.insert(0, str(BENCH))
DATABASE_URL = os.environ.get("BENCH_DATABASE_URL", "postgres:///chithi_bench")
os.environ["DATABASE_URL"] = DATABASE_URL
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "chithi.settings")
os.environ.setdefault("LOG_LEVEL", "WARNING")
os.environ["RATELIMIT_ENABLE"] = "0"  # the load tests come from one address


def _ensure_database(url: str) -> None:
    import psycopg

    dsn = url.replace("postgres://", "postgresql://", 1)
    name = dsn.rsplit("/", 1)[1]
    try:
        psycopg.connect(dsn).close()
    except psycopg.OperationalError:
        with psycopg.connect(dsn.rsplit("/", 1)[0] + "/postgres", autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')


def _ports_free(first: int, count: int = 3) -> None:
    """The benchmarks' servers take `first` and the next ports: one already taken would have its health check
    answered by another program's server (seen on a shared machine), so refuse to start."""
    import socket

    for port in range(first, first + count):
        with socket.socket() as probe:
            try:
                probe.bind(("127.0.0.1", port))
            except OSError:
                sys.exit(f"port {port} is in use: choose free ports with --port")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=float, default=0.01)
    parser.add_argument("--seconds", type=float, default=20, help="length of each load test")
    parser.add_argument("--only", default="", help="comma-separated benchmark names (substrings)")
    parser.add_argument("--skip-generate", action="store_true", help="reuse the data already in the database")
    parser.add_argument("--steps", default="", help="generator steps to run (default: all)")
    parser.add_argument("--port", type=int, default=18150,
                        help="first port of the servers the benchmarks start (they take it and the next two)")
    args = parser.parse_args()
    _ports_free(args.port)
    _ensure_database(DATABASE_URL)

    import generate  # django.setup() happens here
    from harness import BENCHMARKS, BenchContext, Figure, load_modules, table

    rows: list[tuple[str, Figure]] = []
    if not args.skip_generate:
        print(f"== generator at scale {args.scale} into {DATABASE_URL}")
        summary = generate.run(scale=args.scale, scratch=True, only=[s for s in args.steps.split(",") if s] or None)
        rows.append(("generator", Figure("rows per second (COPY, indexes, constraints)", summary["rows_per_second"],
                                         "rows/s", ">= 50,000", summary["rows_per_second"] >= 50_000,
                                         higher_is_better=True)))
        rows.append(("generator", Figure("rows per second while loading (COPY only)",
                                         summary["load_rows_per_second"], "rows/s", higher_is_better=True)))
        rows.append(("generator", Figure(f"database size ({summary['rows']:,} rows)", summary["bytes"] / 2**20,
                                         "MiB")))
    load_modules("bench_")
    ctx = BenchContext(scale=args.scale, database_url=DATABASE_URL,
                       dsn=DATABASE_URL.replace("postgres://", "postgresql://", 1), port_base=args.port,
                       seconds=args.seconds)
    wanted = [w for w in args.only.split(",") if w]
    for bench in sorted(BENCHMARKS.values(), key=lambda b: (b.order, b.name)):
        if wanted and not any(w in bench.name for w in wanted):
            continue
        print(f"== {bench.name}")
        started = time.monotonic()
        try:
            for figure in bench.run(ctx):
                rows.append((bench.name, figure))
        except Exception:  # one broken benchmark must not hide the others' figures
            traceback.print_exc()
            rows.append((bench.name, Figure("FAILED (see above)", 0, "")))
        print(f"   ({time.monotonic() - started:.0f} s)")
    print()
    print(f"chithi benchmarks at scale {args.scale} on {os.cpu_count()} cores "
          f"(load average {os.getloadavg()[0]:.1f} at the end)")
    print(table(rows))


if __name__ == "__main__":
    main()
