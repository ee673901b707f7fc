#!/usr/bin/env bash
# PHP conformance through the C ABI: builds libpayseal_ffi and runs ffi-c/php/conformance.php
# over every vector file the ABI covers. Prints `php: N passed, M failed` last.
# Usage: scripts/conformance-php.sh [VECTORS_DIR]   (default $PAYSEAL_VECTORS, else ../shared/vectors)
set -euo pipefail
cd "$(dirname "$0")/.."
dir="${1:-${PAYSEAL_VECTORS:-$(cd .. && pwd)/shared/vectors}}"
target="${CARGO_TARGET_DIR:-$PWD/target}"
cargo build -q --release --locked -p payseal-ffi
export PAYSEAL_LIB="${PAYSEAL_LIB:-$target/release/libpayseal_ffi.so}"
rc=0
out="$(php -d ffi.enable=1 ffi-c/php/conformance.php "$dir")" || rc=$?
printf '%s\n' "$out" | sed '$ s/^/php: /'
exit "$rc"
