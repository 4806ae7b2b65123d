#!/usr/bin/env bash
# Set up (first time) and serve chithi with the Đông Hà demo data on SQLite, with the task worker.
set -euo pipefail
cd "$(dirname "$0")/.."
PORT="${PORT:-8000}"
PY=.venv/bin/python
bash scripts/bootstrap.sh
unset DATABASE_URL
export DJANGO_DEBUG="${DJANGO_DEBUG:-0}"
# Notifications' e-mails land as files in var/mail (no relay in a demo).
export EMAIL_BACKEND="${EMAIL_BACKEND:-django.core.mail.backends.filebased.EmailBackend}"
$PY manage.py migrate --noinput -v0
$PY manage.py load_demo
$PY manage.py collectstatic --noinput -v0
$PY manage.py db_worker --queue-name '*' >var/worker.log 2>&1 &
WORKER=$!
trap 'kill $WORKER 2>/dev/null || true' EXIT INT TERM
# Queue today's periodic work for the worker (cron does this daily in production; both are
# idempotent: a notice goes out once per task or issue and stage).
$PY manage.py campaigns_reminders >/dev/null
$PY manage.py escalate_issues --enqueue >/dev/null
echo
echo "chithi: http://127.0.0.1:${PORT}/  (task worker pid $WORKER, log var/worker.log; Ctrl-C stops both)"
$PY manage.py runserver "127.0.0.1:${PORT}" --noreload --skip-checks
