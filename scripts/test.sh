#!/usr/bin/env bash
# Every check: lint, types, migrations, the suite on SQLite (with the browser tests), then on
# PostgreSQL. With CI=true the PostgreSQL run and the browser tests are required, never skipped.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/bootstrap.sh
PY=.venv/bin/python
CI="${CI:-}"
export PYTHONDONTWRITEBYTECODE=1
mkdir -p var/test-artifacts

step() { printf '\n== %s\n' "$*"; }

step "ruff"
.venv/bin/ruff check src bench
step "mypy"
.venv/bin/mypy src
step "migrations are complete"
DATABASE_URL= $PY manage.py makemigrations --check --dry-run -v1
step "translation catalogues compiled and complete"
$PY manage.py compilemessages_py --check

# Browser tests need Debian's Chromium; never let a tool download its own browser.
if [ ! -x /usr/bin/chromium ]; then
  if [ -n "$CI" ] && [ "$(id -u)" = 0 ]; then
    step "installing Debian's chromium for the browser tests"
    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null) || true
  fi
fi
# The reports room renders DOCX to PDF with Debian's LibreOffice and checks the pages with poppler-utils.
if ! command -v soffice >/dev/null 2>&1 || ! command -v pdftoppm >/dev/null 2>&1; then
  if [ -n "$CI" ] && [ "$(id -u)" = 0 ]; then
    step "installing Debian's libreoffice-writer-nogui and poppler-utils for the report rendering tests"
    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
      libreoffice-writer-nogui poppler-utils >/dev/null) || true
  fi
fi
if [ -n "$CI" ] && ! command -v soffice >/dev/null 2>&1; then
  echo "CI=true but LibreOffice (soffice) is missing and could not be installed: the PDF tests are required." >&2
  exit 1
fi
if [ -x /usr/bin/chromium ]; then
  export CHITHI_BROWSER=/usr/bin/chromium
elif [ -n "$CI" ]; then
  echo "CI=true but /usr/bin/chromium is missing and could not be installed: browser tests are required." >&2
  exit 1
else
  echo "(no /usr/bin/chromium: browser tests will be skipped with a reason; 'apt-get install chromium' to run them)"
fi

# axe-core (accessibility checks injected into the browser tests) from the npm registry, pinned by
# tools/axe/package-lock.json. Required with CI=true; otherwise installed when node is present.
if [ -x "$(command -v npm)" ] && [ ! -f tools/axe/node_modules/axe-core/axe.min.js ]; then
  step "axe-core for the accessibility checks"
  npm ci --prefix tools/axe --no-audit --no-fund --silent || [ -z "$CI" ] || exit 1
elif [ -n "$CI" ] && [ ! -f tools/axe/node_modules/axe-core/axe.min.js ]; then
  echo "CI=true but npm is missing: the accessibility checks need axe-core (apt-get install npm)." >&2
  exit 1
fi

step "pytest on SQLite"
# The fault tests start their own PostgreSQL and run once, in the PostgreSQL pass.
DATABASE_URL= .venv/bin/pytest -n 2 --dist loadfile -q -rs -m "not faults and not cluster" "$@"

# PostgreSQL: DATABASE_URL if given, else the local server (socket, then 127.0.0.1).
PG_URL="${DATABASE_URL:-}"
if [ -z "$PG_URL" ]; then
  for candidate in "postgres:///test" "postgres://postgres@127.0.0.1:5432/test" "postgres://$(id -un)@127.0.0.1:5432/test"; do
    if $PY - "$candidate" <<'PYEOF' 2>/dev/null; then PG_URL="$candidate"; break; fi
import sys, psycopg
psycopg.connect(sys.argv[1].replace("postgres://", "postgresql://", 1), connect_timeout=3).close()
PYEOF
  done
fi
if [ -z "$PG_URL" ]; then
  if [ -n "$CI" ]; then
    echo "CI=true but no PostgreSQL server is reachable (set DATABASE_URL): the PostgreSQL run is required." >&2
    exit 1
  fi
  echo "(no PostgreSQL reachable: skipping the PostgreSQL run; set DATABASE_URL to include it)"
  exit 0
fi
step "pytest on PostgreSQL ($PG_URL)"
DATABASE_URL="$PG_URL" .venv/bin/pytest -n 2 --dist loadfile -q -rs -m "not browser and not cluster" "$@"

# Several hosts on one machine: required in CI, on demand elsewhere (make cluster-test).
if [ -n "$CI" ]; then
  step "several hosts on one machine (scripts/cluster_test.sh)"
  bash scripts/cluster_test.sh
fi
