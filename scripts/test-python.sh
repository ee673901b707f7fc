#!/usr/bin/env bash
# The Python binding's suite: sets up bindings-python/.venv (idempotent; PyPI only), builds the
# extension into it once with maturin, then runs pytest (vectors from $PAYSEAL_VECTORS, default
# ../shared/vectors, fixtures from $PAYSEAL_FIXTURES, default ../shared/fixtures: missing ones
# fail; FastAPI/Flask endpoints; a smoke run of bench/compare.py), mypy --strict (the
# package as Python 3.9; examples, tests and bench as 3.10, which FastAPI's dependencies need),
# stubtest (the .pyi stubs against the built module) and the conformance module.
# Usage: scripts/test-python.sh [VECTORS_DIR]        Python: $PYTHON, else python3 (>= 3.9)
# scripts/conformance-python.sh sources this file for python_setup.
set -euo pipefail

PAYSEAL_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
BINDING="$PAYSEAL_ROOT/bindings-python"
VENV="$BINDING/.venv"
# shellcheck source=scripts/lib.sh
source "$PAYSEAL_ROOT/scripts/lib.sh"

# Creates the venv if it is missing or broken (Debian's python3 needs python3-venv for ensurepip).
python_venv() {
  if [ -x "$VENV/bin/python" ] && "$VENV/bin/python" -c 'import sys' 2>/dev/null; then return 0; fi
  local py="${PYTHON:-python3}"
  "$py" -c 'import sys; sys.exit(sys.version_info < (3, 9))' || { echo "$py: Python >= 3.9 required" >&2; return 1; }
  rm -rf "$VENV"
  if ! "$py" -m venv "$VENV" 2>/dev/null; then
    rm -rf "$VENV"
    apt_install python3-venv
    "$py" -m venv "$VENV"
  fi
}

# Installs the development tools when requirements-dev.txt (or the interpreter) changed.
python_tools() {
  local stamp="$VENV/.payseal-requirements" want
  want="$(cat "$BINDING/requirements-dev.txt"; "$VENV/bin/python" -VV)"
  if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ]; then return 0; fi
  "$VENV/bin/python" -m pip install -q --disable-pip-version-check -r "$BINDING/requirements-dev.txt"
  printf '%s' "$want" >"$stamp"
}

# Builds the extension (release, reusing the workspace's cargo target) into the venv.
python_build() {
  (cd "$BINDING" && VIRTUAL_ENV="$VENV" PATH="$VENV/bin:$PATH" "$VENV/bin/maturin" develop --release --locked)
}

python_setup() {
  step "python: venv and tools ($VENV)"
  python_venv
  python_tools
  step "python: build the extension (maturin develop --release)"
  python_build
}

main() {
  export PAYSEAL_VECTORS="${1:-${PAYSEAL_VECTORS:-$(cd "$PAYSEAL_ROOT/.." && pwd)/shared/vectors}}"
  export PAYSEAL_FIXTURES="${PAYSEAL_FIXTURES:-$(cd "$PAYSEAL_ROOT/.." && pwd)/shared/fixtures}"
  python_setup
  cd "$BINDING"
  step "python: pytest (vectors: $PAYSEAL_VECTORS)"
  "$VENV/bin/python" -m pytest -p no:cacheprovider tests
  step "python: mypy --strict (package; examples, tests, bench) and stubtest"
  "$VENV/bin/python" -m mypy --strict --cache-dir "$VENV/.mypy_cache" python/payseal
  "$VENV/bin/python" -m mypy --strict --python-version 3.10 --cache-dir "$VENV/.mypy_cache" examples tests bench
  "$VENV/bin/python" -m mypy.stubtest --mypy-config-file pyproject.toml --allowlist stubtest-allowlist.txt payseal._native
  step "python: conformance on $PAYSEAL_VECTORS"
  "$VENV/bin/python" -m payseal.conformance "$PAYSEAL_VECTORS"
}

if [[ "${BASH_SOURCE[0]}" == "$0" ]]; then
  main "$@"
fi
