"""Benchmark: the practices room's own script (bench/practices_bench.py: registry ranked by spread, showcase
search, replication tree) on a fresh SQLite file, its medians collected into the table. It builds its own
data (~15,000 practices), independent of --scale."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import tempfile
from pathlib import Path

from harness import BenchContext, Figure, benchmark

LINE = re.compile(r"^\s+(?P<label>.+?)\s+median\s+(?P<median>[\d.]+) ms")


@benchmark("practices", order=50)
def practices(ctx: BenchContext) -> list[Figure]:
    with tempfile.TemporaryDirectory() as folder:
        env = {**os.environ, "DATABASE_URL": f"sqlite:///{Path(folder) / 'practices.sqlite3'}"}
        result = subprocess.run([sys.executable, str(Path(__file__).with_name("practices_bench.py"))], env=env,
                                capture_output=True, text=True, timeout=1800, check=False)
    if result.returncode != 0:
        raise RuntimeError(result.stderr[-2000:])
    print("\n".join(f"   {line.strip()}" for line in result.stdout.splitlines()))
    return [Figure(m["label"], float(m["median"]), "ms")
            for m in (LINE.match(line) for line in result.stdout.splitlines()) if m]
