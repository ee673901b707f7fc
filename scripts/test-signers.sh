#!/usr/bin/env bash
# Differential test of the webhook signers: `payseal webhook sign` produces deliveries for
# random bodies (COUNT per scheme, default 300) and the providers' own libraries verify them:
# PyPI stripe, standardwebhooks, Adyen (is_valid_hmac_notification), cryptography (OPPWA's
# AES-256-GCM), npm @octokit/webhooks-methods, stripe, standardwebhooks; the documented
# constructions for EU Pay, Shopify, Checkout.com and Spreedly. Any rejection fails, and so
# does a package that cannot be installed (nothing is skipped).
#
# The packages go to target/signers-venv and target/signers-node (reused on later runs).
# usage: scripts/test-signers.sh [COUNT]
set -euo pipefail
cd "$(dirname "$0")/.."
count="${1:-300}"
start=$SECONDS

cargo build -q -p payseal-cli
cli="$PWD/target/debug/payseal"

venv=target/signers-venv
if [ ! -x "$venv/bin/python" ]; then
    python3 -m venv "$venv"
fi
"$venv/bin/pip" install -q --disable-pip-version-check stripe standardwebhooks Adyen cryptography \
    || { echo "FAIL: cannot install the Python packages" >&2; exit 1; }

nodedir=target/signers-node
mkdir -p "$nodedir"
(cd "$nodedir" && npm install --silent --no-audit --no-fund @octokit/webhooks-methods stripe standardwebhooks) \
    || { echo "FAIL: cannot install the npm packages" >&2; exit 1; }
cp scripts/signers/verify.mjs "$nodedir/verify.mjs"

echo "payseal webhook sign, verified by the providers' libraries:"
"$venv/bin/python" scripts/signers/differential.py --cli "$cli" --count "$count" --node-out "$nodedir/deliveries.jsonl"
(cd "$nodedir" && node verify.mjs deliveries.jsonl "$count")
echo "signers: ok ($((SECONDS - start)) s)"
