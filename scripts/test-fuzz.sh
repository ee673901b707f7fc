#!/usr/bin/env bash
# The fuzzing CI step (run by scripts/test): installs cargo-fuzz if missing, seeds the corpora
# from the vectors, builds every target under AddressSanitizer and runs each for 60 s, two at a
# time (CI has 2 cores). Measured from cold on 2 shared cores: cargo-fuzz install ~1 min (skipped
# when `cargo fuzz --version` works), build 85 s, 9 targets = 5 rounds of 60 s; 7 min 20 s in
# all. Each new target adds 30 s: keep the step under 12 minutes.
# Skip locally with PAYSEAL_SKIP_FUZZ=1; PAYSEAL_FUZZ_SECONDS (>= 60) and PAYSEAL_FUZZ_JOBS
# override the defaults.
# Usage: scripts/test-fuzz.sh [VECTORS_DIR]   (default $PAYSEAL_VECTORS, else ../shared/vectors)
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib.sh
export PAYSEAL_VECTORS="${1:-${PAYSEAL_VECTORS:-$(cd .. && pwd)/shared/vectors}}"

if [ "${PAYSEAL_SKIP_FUZZ:-0}" != 0 ]; then
  step "fuzz: skipped (PAYSEAL_SKIP_FUZZ=$PAYSEAL_SKIP_FUZZ)"
  exit 0
fi
started=$SECONDS

step "fuzz: cargo-fuzz"
if ! cargo fuzz --version >/dev/null 2>&1; then
  cargo install --locked --quiet cargo-fuzz
fi
cargo fuzz --version

step "fuzz: rustfmt of the fuzz crate (outside the workspace)"
cargo fmt --manifest-path fuzz/Cargo.toml -- --check

step "fuzz: seed corpora from $PAYSEAL_VECTORS"
scripts/seed-corpora "$PAYSEAL_VECTORS"

seconds="${PAYSEAL_FUZZ_SECONDS:-60}"
jobs="${PAYSEAL_FUZZ_JOBS:-$(nproc 2>/dev/null || echo 2)}"
step "fuzz: every target for $seconds s under AddressSanitizer, $jobs at a time"
scripts/fuzz --asan --seconds "$seconds" --jobs "$jobs"

step "fuzz: step took $((SECONDS - started)) s"
