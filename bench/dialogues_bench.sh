#!/usr/bin/env bash
# Dialogues benchmarks on PostgreSQL behind gunicorn: (1) public intake for 60 s, (2) the lookup
# page by code with 1,000,000 issues. Prints the figures; starts and stops its own server.
#   bash bench/dialogues_bench.sh            # both
#   MODE=form bash bench/dialogues_bench.sh  # intake through the HTML form (Python client)
# The JSON run uses wrk (Debian: apt-get install wrk) when present, else the Python client.
set -euo pipefail
cd "$(dirname "$0")/.."
PORT="${PORT:-8251}"
DB="${DB:-bench_dialogues}"
DSN="postgresql://root@127.0.0.1:5432/$DB"
MODE="${MODE:-json}"
SECONDS_LOAD="${SECONDS_LOAD:-60}"
createdb -h 127.0.0.1 "$DB" 2>/dev/null || true
export DATABASE_URL="postgres://root@127.0.0.1:5432/$DB" DATABASE_CONN_MAX_AGE=60 RATELIMIT_ENABLE=0 \
  DJANGO_DEBUG=0 LOG_LEVEL=WARNING PYTHONPATH=src
.venv/bin/python bench/dialogues_setup.py
.venv/bin/python manage.py collectstatic --noinput -v0
.venv/bin/gunicorn chithi.wsgi -w 3 -b "127.0.0.1:$PORT" --access-logfile /dev/null > var/bench-gunicorn.log 2>&1 &
SERVER=$!
trap 'kill $SERVER 2>/dev/null || true' EXIT
for _ in $(seq 50); do curl -sf "http://127.0.0.1:$PORT/healthz" >/dev/null && break; sleep 0.2; done
echo "== public intake, $SECONDS_LOAD s ($(nproc) cores shared; load average: $(cut -d' ' -f1-3 /proc/loadavg))"
if [ "$MODE" = json ] && command -v wrk >/dev/null; then
  CODES_FILE=var/bench-codes.txt wrk -t2 -c8 -d"${SECONDS_LOAD}s" --timeout 5s -s bench/dialogues_intake.lua \
    "http://127.0.0.1:$PORT" | tail -4
  .venv/bin/python bench/dialogues_check_codes.py var/bench-codes.txt "$DSN"
else
  .venv/bin/python bench/dialogues_intake.py --url "http://127.0.0.1:$PORT" --seconds "$SECONDS_LOAD" \
    --mode "$MODE" --dsn "$DSN"
fi
echo "== lookup page by code"
.venv/bin/python bench/dialogues_lookup.py --url "http://127.0.0.1:$PORT" --dsn "$DSN"
