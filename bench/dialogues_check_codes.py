"""Count how many tracking codes from a wrk run (one per line) are in the database."""

from __future__ import annotations

import sys

import psycopg

with open(sys.argv[1], encoding="utf-8") as handle:
    codes = [line.strip().replace("-", "") for line in handle if line.strip()]
dsn = sys.argv[2] if len(sys.argv) > 2 else "postgresql://root@127.0.0.1:5432/bench_dialogues"
with psycopg.connect(dsn) as conn:
    stored = conn.execute("SELECT count(*) FROM dialogues_issue WHERE tracking_code = ANY(%s)", (codes,)).fetchone()
print(f"tracking codes       {len(codes)} returned, {stored[0] if stored else 0} found in the database")
