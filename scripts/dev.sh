#!/usr/bin/env bash
# viscarbon: one command to set up and run, one to set up and test.
#   bash scripts/dev.sh serve [viscarbon serve options]   set up, then open the dashboard (demo data)
#   bash scripts/dev.sh test  [pytest options]            set up (incl. Chromium + CJK fonts), lint, type-check, test
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
VENV="${VISCARBON_VENV:-$ROOT/.venv}"
PY="$VENV/bin/python"

log() { printf '\033[1m==> %s\033[0m\n' "$*" >&2; }

setup_python() {
  local extra="$1"
  if [ ! -x "$PY" ]; then
    log "creating virtual environment $VENV"
    python3 -m venv "$VENV"
  fi
  local stamp="$VENV/.viscarbon-$extra-$(sha256sum pyproject.toml | cut -c1-16)"
  if [ ! -f "$stamp" ]; then
    log "installing viscarbon and its dependencies ($extra)"
    "$PY" -m pip install --quiet --upgrade pip
    if [ "$extra" = test ]; then
      "$PY" -m pip install --quiet -e ".[test]"
    else
      "$PY" -m pip install --quiet -e .
    fi
    touch "$stamp"
  fi
}

# pyam (IAMC files must load in it) pins pandas < 3, so it gets its own environment, made
# once (stamp like setup_python); the sqlalchemy cap keeps the ixmp4 it imports working.
PYAM_VENV="${VISCARBON_PYAM_VENV:-$ROOT/.venv-pyam}"
PYAM_REQ="pyam-iamc sqlalchemy<2.1"
setup_pyam() {
  local stamp="$PYAM_VENV/.viscarbon-pyam-$(echo "$PYAM_REQ" | sha256sum | cut -c1-16)"
  if [ ! -f "$stamp" ]; then
    log "creating the pyam environment $PYAM_VENV ($PYAM_REQ)"
    [ -x "$PYAM_VENV/bin/python" ] || python3 -m venv "$PYAM_VENV"
    # shellcheck disable=SC2086
    "$PYAM_VENV/bin/python" -m pip install --quiet $PYAM_REQ
    touch "$stamp"
  fi
  export VISCARBON_PYAM_PYTHON="$PYAM_VENV/bin/python"
  # iam-units (imported by pyam) caches pint's parsed unit files under ~/.cache with the
  # paths of the environment that first built it: a removed or moved environment elsewhere
  # then breaks pyam here. Each pyam environment keeps its own cache.
  export IAM_UNITS_CACHE="$PYAM_VENV/.cache/iam-units"
}

setup_frontend() {
  log "building the front end (npm registry packages, bundled into the package)"
  "$PY" scripts/build_frontend.py
}

setup_system() {
  # Browser tests need Debian's Chromium (no browser download) and CJK fonts.
  local need=()
  command -v chromium >/dev/null 2>&1 || need+=(chromium)
  fc-list 2>/dev/null | grep -qi "Noto Sans CJK" || need+=(fonts-noto-cjk)
  if [ ${#need[@]} -gt 0 ]; then
    log "installing system packages: ${need[*]}"
    local SUDO=""
    [ "$(id -u)" -eq 0 ] || SUDO="sudo"
    $SUDO apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${need[@]}" fontconfig >/dev/null
  fi
}

cmd="${1:-serve}"
shift || true
case "$cmd" in
  serve)
    setup_python run
    setup_frontend
    log "viscarbon datasets"
    "$VENV/bin/viscarbon" datasets
    exec "$VENV/bin/viscarbon" serve "$@"
    ;;
  test)
    setup_system
    setup_python test
    setup_pyam
    setup_frontend
    log "ruff"
    "$VENV/bin/ruff" check src tests bench scripts
    log "mypy"
    "$VENV/bin/mypy"
    log "import-linter (layers of DESIGN.md)"
    "$VENV/bin/lint-imports"
    log "pytest"
    export OPENBLAS_NUM_THREADS="${OPENBLAS_NUM_THREADS:-1}"
    set +e
    "$VENV/bin/python" -m pytest -n 2 --dist loadgroup "$@"
    rc=$?
    set -e
    [ $rc -eq 5 ] && { echo "pytest collected no tests" >&2; exit 1; }
    exit $rc
    ;;
  *)
    echo "usage: bash scripts/dev.sh serve|test [options]" >&2
    exit 2
    ;;
esac
