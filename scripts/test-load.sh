#!/usr/bin/env bash
# Load and soak through real servers, short (issue #17): scripts/load with 2 s rounds, without
# writing README.md. Fails on any wrong answer (a valid delivery not 200, a tampered one not
# 4xx), any other status or socket error, or RSS growth over the bound (benches/load/run.py);
# prints each server's req/s payseal vs baseline and the ratio, which it does not assert (too
# noisy on a shared machine: `scripts/load` with the default 20 s rounds gives the README's).
# About 2 minutes on 2 cores once the set-up is done.
set -euo pipefail
cd "$(dirname "$0")/.."
# --pin (wrk on its own core) as the README's figures are made, where there are 2 cores or more.
pin=()
[ "$(nproc)" -ge 2 ] && pin=(--pin)
exec scripts/load --duration 2 --rounds 3 --warmup 3 --no-readme "${pin[@]}"
