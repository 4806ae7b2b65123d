#!/usr/bin/env bash
# Make .venv with a Python >= 3.12 and install chithi with its development tools.
set -euo pipefail
cd "$(dirname "$0")/.."

VENV=.venv
STAMP="$VENV/.installed"
HASH=$( (cat pyproject.toml scripts/bootstrap.sh) | sha256sum | cut -c1-16)

if [ -f "$STAMP" ] && [ "$(cat "$STAMP")" = "$HASH" ] && [ -x "$VENV/bin/python" ]; then
  exit 0
fi

is_ok() { "$1" -c 'import sys; sys.exit(0 if sys.version_info >= (3, 12) else 1)' 2>/dev/null; }

find_python() {
  local candidates=()
  [ -n "${PYTHON:-}" ] && candidates+=("$PYTHON")
  candidates+=(python3.13 python3.12 /usr/bin/python3.13 /usr/bin/python3.12 /usr/local/bin/python3.13 /usr/local/bin/python3.12)
  local root
  if command -v pyenv >/dev/null 2>&1; then root=$(pyenv root); else root="${PYENV_ROOT:-$HOME/.pyenv}"; fi
  for dir in $(ls -d "$root"/versions/3.13* "$root"/versions/3.12* 2>/dev/null | sort -rV); do
    candidates+=("$dir/bin/python")
  done
  candidates+=(python3)
  for candidate in "${candidates[@]}"; do
    if command -v "$candidate" >/dev/null 2>&1 && is_ok "$candidate"; then
      command -v "$candidate"; return 0
    fi
  done
  return 1
}

if [ ! -x "$VENV/bin/python" ] || ! is_ok "$VENV/bin/python"; then
  if ! PY=$(find_python); then
    echo "chithi needs Python 3.12 or newer, and none was found." >&2
    echo "Install one, e.g. 'apt-get install python3.13 python3.13-venv' (Debian 13) or 'pyenv install 3.13'," >&2
    echo "or point PYTHON=/path/to/python3.12 at it, then run make again." >&2
    exit 1
  fi
  echo "Using $PY ($("$PY" --version))"
  rm -rf "$VENV"
  "$PY" -m venv "$VENV"
fi

# The machine's pip configuration may name local indexes that are absent; their warnings are noise.
pip_quiet() { "$VENV/bin/python" -m pip --disable-pip-version-check -q "$@" 2>&1 | { grep -v "is ignored: it is neither" || true; }; }
PIP=pip_quiet
$PIP install -U pip
# XStatic-Bootstrap ships only an sdist whose setup imports pkg_resources, which setuptools 81
# removed: build it against an older setuptools without isolation (docs/decisions.md).
$PIP install "setuptools<81" wheel
$PIP install --no-build-isolation "XStatic-Bootstrap>=5.3,<6"
$PIP install -e ".[dev]"
echo "$HASH" > "$STAMP"
