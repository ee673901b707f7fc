#!/usr/bin/env bash
# Paylands differential test against real PHP: installs php-cli if missing, then checks that
# payseal's validation_hash equals PHP's hash('sha256', json_encode($data) . $sig) on 2000
# generated notifications, in both modes and with both flag sets (core/tests/paylands_php_differential.rs).
# Usage: scripts/test-paylands-php.sh        (PAYSEAL_DIFF_CASES / PAYSEAL_DIFF_SEED to vary)
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib.sh

command -v php >/dev/null 2>&1 || apt_install php-cli
php --version | head -n 1
PAYSEAL_REQUIRE_PHP=1 cargo test -q --locked -p payseal --test paylands_php_differential -- --nocapture
