#!/usr/bin/env bash
# Differential test of the webhook signers: `payseal webhook sign`, the Python binding's
# `sign_webhook` and the Node binding's `signWebhookSync` each produce deliveries for random
# bodies (COUNT per scheme and signer, default 150) and the providers' own libraries verify them:
# PyPI stripe, standardwebhooks, Adyen (is_valid_hmac_notification), cryptography (OPPWA's
# AES-256-GCM), npm @octokit/webhooks-methods, stripe, standardwebhooks; the documented
# constructions for EU Pay, Shopify, Checkout.com and Spreedly. Any rejection fails, and so
# does a package that cannot be installed (nothing is skipped).
#
# The packages go to target/signers-venv and target/signers-node (reused on later runs). The
# bindings are built (idempotently) as scripts/test-python.sh and scripts/test-node.sh build
# them; PAYSEAL_SIGNERS (default "cli python node") picks the signers.
# usage: scripts/test-signers.sh [COUNT]
set -euo pipefail
cd "$(dirname "$0")/.."
count="${1:-150}"
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

signers="${PAYSEAL_SIGNERS:-cli python node}"
if [[ " $signers " == *" python "* ]]; then
    # shellcheck source=scripts/test-python.sh
    (source scripts/test-python.sh && python_setup)
fi
if [[ " $signers " == *" node "* ]]; then
    (cd bindings-node && { [ -d node_modules ] || npm ci --no-audit --no-fund --loglevel=error; } && node build.mjs)
fi

for signer in $signers; do
    echo "$signer: deliveries verified by the providers' libraries:"
    out="$PWD/$nodedir/deliveries-$signer.jsonl"
    # The Python binding is imported from its package folder (an abi3 module: any CPython >= 3.9).
    PYTHONPATH="$PWD/bindings-python/python" "$venv/bin/python" scripts/signers/differential.py \
        --signer "$signer" --cli "$cli" --node-module "$PWD/bindings-node" --count "$count" --node-out "$out"
    (cd "$nodedir" && node verify.mjs "$out" "$count")
done
echo "signers: ok ($((SECONDS - start)) s)"
