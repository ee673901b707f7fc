#!/usr/bin/env bash
# Runs the Python binding's conformance module on a vector folder, after the same idempotent
# set-up and build as scripts/test-python.sh (set-up output goes to stderr). The runner's lines
# go to stdout, and a last line `python: N passed, M failed`; the exit code is the runner's.
# Usage: scripts/conformance-python.sh [DIR]      (default $PAYSEAL_VECTORS, else ../shared/vectors)
set -euo pipefail
# shellcheck source=scripts/test-python.sh
source "$(dirname "${BASH_SOURCE[0]}")/test-python.sh"

dir="${1:-${PAYSEAL_VECTORS:-$(cd "$PAYSEAL_ROOT/.." && pwd)/shared/vectors}}"
python_setup >&2
out="$(mktemp)"
trap 'rm -f "$out"' EXIT
status=0
"$VENV/bin/python" -m payseal.conformance "$dir" | tee "$out" || status=$?
last="$(tail -n 1 "$out")"
[[ "$last" =~ ^[0-9]+\ passed,\ [0-9]+\ failed$ ]] || last="0 passed, 1 failed"
echo "python: $last"
exit "$status"
