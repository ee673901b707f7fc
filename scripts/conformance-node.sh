#!/usr/bin/env bash
# Builds the Node addon and runs the Node binding's conformance runner on a vector folder; the
# last line is `node: N passed, M failed`, and the exit status is non-zero if anything failed.
# Usage: scripts/conformance-node.sh [DIR]   (default $PAYSEAL_VECTORS, then ../shared/vectors)
set -euo pipefail
dir="${1:-${PAYSEAL_VECTORS:-}}"
case "$dir" in "" | /*) ;; *) dir="$PWD/$dir" ;; esac
cd "$(dirname "$0")/.."
dir="${dir:-$(cd .. && pwd)/shared/vectors}"

(cd bindings-node && node build.mjs) >&2

status=0
report="$(node bindings-node/conformance.mjs "$dir")" || status=$?
printf '%s\n' "$report" | sed '$d'
printf 'node: %s\n' "$(printf '%s\n' "$report" | tail -n 1)"
exit "$status"
