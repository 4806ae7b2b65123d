#!/usr/bin/env bash
# Several hosts on one machine (make cluster-test; make test runs it when CI=true): two gunicorns behind HAProxy,
# PostgreSQL primary + streaming replica, Redis, two RQ workers, S3 (moto). Installs HAProxy, Redis and the
# PostgreSQL server from Debian when CI=true and they are missing. The test stops everything it started.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/bootstrap.sh
need=()
command -v haproxy >/dev/null 2>&1 || need+=(haproxy)
command -v redis-server >/dev/null 2>&1 || need+=(redis-server)
compgen -G "/usr/lib/postgresql/*/bin/initdb" >/dev/null || need+=(postgresql)
if [ ${#need[@]} -gt 0 ]; then
  if [ -n "${CI:-}" ] && [ "$(id -u)" = 0 ]; then
    echo "installing from Debian: ${need[*]}"
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
  else
    echo "make cluster-test needs: ${need[*]} (apt-get install ${need[*]})" >&2
    exit 1
  fi
fi
DATABASE_URL= .venv/bin/pytest -q -rs -m cluster src/chithi/core/tests/test_cluster.py "$@"
