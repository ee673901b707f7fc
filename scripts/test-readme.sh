#!/usr/bin/env bash
# Runs the multi-language examples of README.md as written: every ```python, ```js, ```php
# and ```c block, each in its language's environment as the language suites built it.
# (The ```rust blocks run as doctests in `cargo test`.) Runs after test-ffi/node/python.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib.sh
target="${CARGO_TARGET_DIR:-$PWD/target}"
work="$target/readme-examples"
rm -rf "$work" && mkdir -p "$work"

# Splits README.md into $work/<lang>-<n>.<ext> files.
python3 - "$work" <<'PY'
import pathlib, re, sys
out = pathlib.Path(sys.argv[1])
text = pathlib.Path("README.md").read_text()
ext = {"python": "py", "js": "cjs", "php": "php", "c": "c"}
counts = {}
for lang, body in re.findall(r"^```(\w+)\n(.*?)^```$", text, flags=re.S | re.M):
    if lang in ext:
        counts[lang] = counts.get(lang, 0) + 1
        (out / f"{lang}-{counts[lang]}.{ext[lang]}").write_text(body)
print("README examples:", ", ".join(f"{n} {l}" for l, n in sorted(counts.items())))
PY

run() { echo "-- $1"; shift; "$@"; }
for f in "$work"/python-*.py; do
  run "$f" bindings-python/.venv/bin/python "$f"
done
# `require('payseal')` resolves to the addon built in bindings-node, as an installed package would.
mkdir -p "$work/node_modules" && ln -sfn "$PWD/bindings-node" "$work/node_modules/payseal"
for f in "$work"/js-*.cjs; do
  run "$f" node "$f"
done
for f in "$work"/php-*.php; do
  run "$f" env PAYSEAL_LIB="$target/release/libpayseal_ffi.so" php -d ffi.enable=1 -d zend.assertions=1 -d assert.exception=1 "$f"
done
for f in "$work"/c-*.c; do
  "${CC:-gcc}" -std=c11 -Wall -Wextra -Werror -Iffi-c/include "$f" "$target/release/libpayseal_ffi.a" -lpthread -ldl -lm -o "${f%.c}"
  out=$(run "$f" "${f%.c}")
  echo "$out"
  [ "$(echo "$out" | tail -n 1)" = ok ] || { echo "C example did not print ok" >&2; exit 1; }
done
echo "README examples: all ran"
