"""Benchmark: the locust scenario (bench/locustfile.py) behind gunicorn, headless and bounded; throughput and
p50/p95/p99 per page."""

from __future__ import annotations

import csv
import os
import secrets
import subprocess
import sys
import tempfile
from pathlib import Path

from harness import BenchContext, Figure, benchmark
from serving import gunicorn

from chithi.core.models import User
from chithi.core.permissions import Role
from chithi.orgs.models import Organisation, RoleAssignment

BENCH = Path(__file__).resolve().parent


def _staff_user() -> tuple[str, str]:
    """A ward staff login with a password known to this run only (the generated users have none)."""
    password = secrets.token_urlsafe(16)
    user, _created = User.objects.get_or_create(username="bench.staff")
    user.set_password(password)
    user.save()
    ward = Organisation.objects.filter(depth=2).order_by("path").first()
    RoleAssignment.objects.get_or_create(user=user, organisation=ward, role=Role.STAFF)
    return user.username, password


@benchmark("locust", order=40)
def locust(ctx: BenchContext) -> list[Figure]:
    username, password = _staff_user()
    users = int(ctx.options.get("locust_users", 30))
    seconds = max(10, int(ctx.seconds))
    with gunicorn(ctx.port_base + 2, ctx.database_url) as url, tempfile.TemporaryDirectory() as out:
        env = {**os.environ, "BENCH_STAFF_USER": username, "BENCH_STAFF_PASSWORD": password}
        result = subprocess.run(
            [str(Path(sys.executable).parent / "locust"), "-f", str(BENCH / "locustfile.py"), "--headless",
             "-u", str(users), "-r", str(max(1, users // 3)), "-t", f"{seconds}s", "--stop-timeout", "5",
             "--host", url, "--csv", f"{out}/run", "--only-summary", "--loglevel", "WARNING"],
            env=env, capture_output=True, text=True, timeout=seconds + 120, check=False)
        if result.returncode not in (0, 1):  # 1: some requests failed, still a result
            raise RuntimeError(result.stderr[-2000:])
        with open(f"{out}/run_stats.csv", newline="") as handle:
            stats = list(csv.DictReader(handle))
    figures = []
    print(f"   {'page':<44} {'requests':>8} {'fails':>6} {'req/s':>7} {'p50':>6} {'p95':>6} {'p99':>6}  (ms)")
    for row in stats:
        print(f"   {row['Name']:<44} {row['Request Count']:>8} {row['Failure Count']:>6} "
              f"{float(row['Requests/s']):>7.1f} {row['50%']:>6} {row['95%']:>6} {row['99%']:>6}")
        if row["Name"] == "Aggregated":
            figures.append(Figure(f"throughput, {users} users (fails {row['Failure Count']})",
                                  float(row["Requests/s"]), "req/s", higher_is_better=True))
            figures.append(Figure("p95 over all pages", float(row["95%"]), "ms"))
            figures.append(Figure("p99 over all pages", float(row["99%"]), "ms"))
    return figures
