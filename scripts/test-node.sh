#!/usr/bin/env bash
# The Node binding's suite, runnable on a fresh machine (each step is idempotent and quick when
# already done): npm dev dependencies (TypeScript, Express), the addon (cargo, release),
# `tsc --noEmit` on the typed example, `node --test` (vectors, unit tests, README examples, an
# Express server on 127.0.0.1, the error classes against core/codes.json, a worker writing into a
# SharedArrayBuffer, RSS over 100,000-call synchronous loops, a quick bench smoke run), then the
# conformance vectors.
# Usage: scripts/test-node.sh [VECTORS_DIR]   (default $PAYSEAL_VECTORS, then ../shared/vectors)
set -euo pipefail
cd "$(dirname "$0")/.."
export PAYSEAL_VECTORS="${1:-${PAYSEAL_VECTORS:-$(cd .. && pwd)/shared/vectors}}"
source scripts/lib.sh

step "node: toolchain"
command -v node >/dev/null && command -v npm >/dev/null || apt_install nodejs npm
node -e 'const [major] = process.versions.node.split("."); if (+major < 20) { console.error(`payseal needs Node.js >= 20, found ${process.version}`); process.exit(1); }'
echo "node $(node --version), npm $(npm --version 2>/dev/null)"

step "node: npm ci (bindings-node)"
# Reinstall only when package-lock.json changed since the last install.
stamp=bindings-node/node_modules/.payseal-lock
if cmp -s bindings-node/package-lock.json "$stamp" 2>/dev/null; then
  echo "node_modules up to date"
else
  (cd bindings-node && npm ci --no-audit --no-fund --loglevel=error)
  cp bindings-node/package-lock.json "$stamp"
fi

step "node: build the addon (cargo build --release -p payseal-node)"
(cd bindings-node && node build.mjs)

step "node: tsc --noEmit (examples/typed.mts against index.d.ts)"
(cd bindings-node && node_modules/.bin/tsc -p tsconfig.json)

step "node: node --test (vectors from $PAYSEAL_VECTORS)"
# Test files run in parallel processes; bcrypt and batch work also use the libuv pool.
(cd bindings-node && node --test --test-concurrency=2 test/*.test.mjs)

step "node: conformance on $PAYSEAL_VECTORS"
bash scripts/conformance-node.sh "$PAYSEAL_VECTORS"
