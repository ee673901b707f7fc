#!/usr/bin/env bash
# The parity check of issue #16: scripts/parity --check introspects the Python, Node and PHP
# bindings as built and fails when README.md's parity table is stale or a capability is missing
# from a language without an allow-list entry (with its reason) in scripts/parity.
# Runs after scripts/test-python.sh and scripts/test-node.sh (which build the extension and the
# addon); builds either only when it is missing. Takes a second once they are built.
# Usage: scripts/test-parity.sh            To refresh the table: scripts/parity
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib.sh

step "parity: toolchains (php-cli, node)"
command -v php >/dev/null || apt_install php-cli
command -v node >/dev/null || apt_install nodejs npm

if ! bindings-python/.venv/bin/python -c 'import payseal' 2>/dev/null; then
  step "parity: building the Python extension (scripts/test-python.sh's set-up)"
  # shellcheck source=scripts/test-python.sh
  source scripts/test-python.sh
  python_setup
fi
if ! node -e "require('./bindings-node')" 2>/dev/null; then
  step "parity: building the Node addon (bindings-node/build.mjs)"
  (cd bindings-node && node build.mjs)
fi

step "parity: scripts/parity --check"
python3 scripts/parity --check
