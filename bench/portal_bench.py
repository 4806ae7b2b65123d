"""The public site under load, on the database bench/portal_setup.py filled (100,000 articles, 10 million issues):
the home page and an article page behind gunicorn, from the page cache and without it (requests per second and
latency percentiles, with wrk), the public search (median and 95th percentile over a mix of queries), and the
public figures computed from scratch.

    DATABASE_URL=postgres:///chithi_portal_bench .venv/bin/python bench/portal_bench.py [--port 18710]
        [--workers 4] [--seconds 20] [--redis redis://127.0.0.1:6379/11]

Targets (issue 14): ≥ 500 req/s from the cache, ≥ 100 req/s uncached, p99 < 250 ms; search median < 50 ms.
`--search-only` times the public search alone (a set of common and of rare queries, no server, no wrk) on any
database with a built index: bench/generate.py then `manage.py portal_reindex`, or bench/portal_setup.py.
Prints figures only; nothing here is a test. The machine is shared: the load of other work is printed too.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import statistics
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "chithi.settings")
os.environ.setdefault("LOG_LEVEL", "WARNING")

# Common words match a large share of the index (most answered issues hold "đường"; every article body cites the
# directive), rare ones a handful of entries or none; with and without diacritics.
COMMON = ["chỉ thị", "đường", "duong", "đèn đường", "thu tuc", "trat tu", "giai phong mat bang", "vỉa hè lấn chiếm",
          "doi thoai nhan dan", "sinh hoạt chi bộ"]
RARE = ["chào cờ", "hu gao tinh thuong", "cột điện nở hoa", "bài số 4242", "le loi", "xyz khong co"]
QUERIES = COMMON + RARE


def _server(port: int, workers: int, env: dict[str, str]) -> subprocess.Popen[bytes]:
    command = [str(ROOT / ".venv" / "bin" / "gunicorn"), "chithi.wsgi", "--bind", f"127.0.0.1:{port}",
               "--workers", str(workers), "--worker-class", "sync", "--log-level", "warning",
               "--max-requests", "0", "--timeout", "60"]
    process = subprocess.Popen(command, env={**os.environ, **env, "PYTHONPATH": str(ROOT / "src")}, cwd=ROOT)
    for _attempt in range(100):
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2)
            return process
        except OSError:
            time.sleep(0.3)
    process.terminate()
    raise SystemExit("gunicorn did not start")


def _warm(url: str, times: int) -> float:
    """GET a page several times (each worker fills its caches); the slowest answer in seconds."""
    slowest = 0.0
    for _ in range(times):
        started = time.monotonic()
        with urllib.request.urlopen(url, timeout=120) as response:
            response.read()
        slowest = max(slowest, time.monotonic() - started)
    return slowest


def _wrk(url: str, seconds: int, connections: int) -> dict[str, float]:
    out = subprocess.run(["wrk", "-t2", f"-c{connections}", f"-d{seconds}s", "--latency", url],
                         capture_output=True, text=True, check=True).stdout

    def ms(label: str) -> float:
        found = re.search(rf"^\s+{label}%\s+([\d.]+)(us|ms|s)\s*$", out, re.MULTILINE)
        if not found:
            return float("nan")
        value, unit = float(found.group(1)), found.group(2)
        return value / 1000 if unit == "us" else value * 1000 if unit == "s" else value

    rate = re.search(r"Requests/sec:\s+([\d.]+)", out)
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    return {"rps": float(rate.group(1)) if rate else 0.0, "p50": ms("50"), "p90": ms("90"), "p99": ms("99"),
            "non2xx": float(errors.group(1)) if errors else 0.0}


def _index_size() -> int:
    import psycopg

    with psycopg.connect(os.environ["DATABASE_URL"].replace("postgres://", "postgresql://", 1)) as conn:
        row = conn.execute("SELECT count(*) FROM portal_publicdocument").fetchone()
    return int(row[0]) if row else 0


def _load() -> str:
    return " / ".join(f"{v:.1f}" for v in os.getloadavg())


def serve_and_measure(args: argparse.Namespace, article_path: str) -> list[tuple[str, dict[str, float]]]:
    env = {"DJANGO_DEBUG": "0", "DATABASE_CONN_MAX_AGE": "600", "RATELIMIT_ENABLE": "0", "LOG_LEVEL": "WARNING",
           "REDIS_URL": args.redis, "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost"}
    results = []
    for label, seconds in (("cached", "300"), ("uncached", "0")):
        process = _server(args.port, args.workers, {**env, "PAGE_CACHE_SECONDS": seconds})
        try:
            for path in ("/", article_path):
                url = f"http://127.0.0.1:{args.port}{path}"
                first = _warm(url, args.workers * 3)
                # Sequential requests may all reach one worker: a short burst with the measured concurrency warms
                # every worker, so the percentiles are of a running server, not of workers loading their code.
                _wrk(url, 3, args.connections)
                print(f"  {label:<8} {path[:48]:<48} warm-up slowest {first * 1000:8.0f} ms   load {_load()}",
                      flush=True)
                name = f"{label} {'home' if path == '/' else 'article'}"
                results.append((name, _wrk(url, args.seconds, args.connections)))
                row = results[-1][1]
                print(f"  {name:<18} {row['rps']:>7.0f} req/s  p50 {row['p50']:.1f} ms  p90 {row['p90']:.1f} ms  "
                      f"p99 {row['p99']:.1f} ms  load {_load()}", flush=True)
        finally:
            process.terminate()
            process.wait(timeout=30)
    return results


def search_timings(rounds: int = 3) -> dict[str, list[float]]:
    """Milliseconds per query of `public_search` (first page, highlighting included), in-process against
    DATABASE_URL; one round first to warm the caches, then `rounds`."""
    import django

    django.setup()
    from django.db import connection

    from chithi.portal import search

    connection.ensure_connection()
    timings: dict[str, list[float]] = {query: [] for query in QUERIES}
    for round_number in range(rounds + 1):
        for query in QUERIES:
            started = time.perf_counter()
            found = search.public_search(query, page=1)
            [str(r.title) + str(r.snippet) for r in found.results]  # the highlighting is part of the answer
            if round_number:
                timings[query].append((time.perf_counter() - started) * 1000)
            elif query in COMMON + RARE[:1]:
                print(f"  {query:<22} {'about ' if found.estimated else ''}{found.total:,} results"
                      f"{' (capped)' if found.capped and not found.estimated else ''}", flush=True)
    return timings


def _print_search(timings: dict[str, list[float]]) -> None:
    for query, times in timings.items():
        print(f"  {query:<22} median {statistics.median(times):7.1f} ms  ({'common' if query in COMMON else 'rare'})")
    every = sorted(t for times in timings.values() for t in times)
    common = [t for query in COMMON for t in timings[query]]
    rare = [t for query in RARE for t in timings[query]]
    print(f"{'public search':<18} median {statistics.median(every):.1f} ms (common words "
          f"{statistics.median(common):.1f} ms, rare {statistics.median(rare):.1f} ms), p95 "
          f"{every[max(0, int(len(every) * 0.95) - 1)]:.1f} ms over {len(every)} queries; target median < 50 ms; "
          f"load {_load()}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--port", type=int, default=18710)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--seconds", type=int, default=20)
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--redis", default="redis://127.0.0.1:6379/11")
    parser.add_argument("--figures-counted", action="store_true", help="the figures are already in the cache")
    parser.add_argument("--search-only", action="store_true", help="time the public search, serve nothing")
    args = parser.parse_args()
    if args.search_only:  # no server, no wrk: the query alone
        print(f"search index: {_index_size():,} entries; cores {os.cpu_count()}, load {_load()}")
        _print_search(search_timings())
        return
    if not shutil.which("wrk"):
        raise SystemExit("wrk is needed (apt-get install wrk)")
    subprocess.run([str(ROOT / ".venv" / "bin" / "python"), "manage.py", "collectstatic", "--noinput", "-v0"],
                   cwd=ROOT, check=True)
    import psycopg

    dsn = os.environ["DATABASE_URL"].replace("postgres://", "postgresql://", 1)
    with psycopg.connect(dsn) as conn:
        counts = conn.execute("SELECT (SELECT count(*) FROM portal_article), (SELECT count(*) FROM dialogues_issue),"
                              " (SELECT count(*) FROM portal_publicdocument)").fetchone()
        # An article from the middle of the archive, with reader feedback under it.
        slug = conn.execute("SELECT slug FROM portal_article WHERE status = 'published' AND id % 10 = 0 ORDER BY id "
                            "LIMIT 1 OFFSET (SELECT count(*) / 20 FROM portal_article)").fetchone()
    assert counts is not None and slug is not None
    print(f"database: {counts[0]:,} articles, {counts[1]:,} issues, {counts[2]:,} public search entries")
    print(f"gunicorn: {args.workers} sync workers, wrk 2 threads x {args.connections} connections, "
          f"{args.seconds} s per run; cores {os.cpu_count()}, load before {_load()}")
    # The public figures are counted by cron (manage.py portal_figures) into the shared cache, never by a request.
    started = time.monotonic()
    if not args.figures_counted:
        subprocess.run([str(ROOT / ".venv" / "bin" / "python"), "manage.py", "portal_figures"], cwd=ROOT,
                       check=True, env={**os.environ, "REDIS_URL": args.redis})
    figures_seconds = time.monotonic() - started
    rows = serve_and_measure(args, f"/tin-tuc/{slug[0]}/")
    timings = search_timings()
    print()
    print(f"{'page':<18} {'req/s':>9} {'p50 ms':>8} {'p90 ms':>8} {'p99 ms':>8}  target")
    for name, row in rows:
        target = "≥ 500 req/s" if name.startswith("cached") else "≥ 100 req/s, p99 < 250 ms"
        print(f"{name:<18} {row['rps']:>9.0f} {row['p50']:>8.1f} {row['p90']:>8.1f} {row['p99']:>8.1f}  {target}"
              + (f"  ({row['non2xx']:.0f} non-2xx!)" if row["non2xx"] else ""))
    _print_search(timings)
    print(f"{'public figures':<18} counted by manage.py portal_figures in {figures_seconds:.1f} s (two periods; cron, "
          f"every ten minutes); load after {_load()}")


if __name__ == "__main__":
    main()
