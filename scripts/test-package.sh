#!/usr/bin/env bash
# The install test (run by scripts/test): builds dist/ with scripts/package, checks the artifacts
# (one version everywhere, wheel tag by auditwheel, glibc 2.17, stripped, SONAME and links), then
# copies dist/ to an empty temporary directory and, from there, with no Rust toolchain on PATH,
# a fresh HOME and none of the checkout's variables, installs each artifact as a user would and
# runs a real webhook verification with it (signature made independently by the language's own
# HMAC; a tampered body must be refused):
#   Python  pip install --no-index of the wheel into fresh venvs of CPython 3.9 and the newest found
#   Node    npm install --offline of the two tarballs into an empty project; CJS and ESM
#   PHP     composer install from a path repository (no network) into an empty project; php CLI
#   C       the prefix tarball; a program built with `pkg-config --cflags --libs payseal`,
#           dynamically (through the SONAME link) and statically
# Each check also asserts that the native code it ran was loaded from the installed copy.
# Then the crates: `cargo package --list` (no stray files), `cargo publish --dry-run -p payseal
# -p payseal-ffi` (packaged and built from the packages), and `cargo doc` with warnings as errors.
# Usage: scripts/test-package.sh        Pythons: $PAYSEAL_PYTHONS (space-separated), else found
set -euo pipefail
cd "$(dirname "$0")/.."
root="$PWD"
source scripts/lib.sh
target="${CARGO_TARGET_DIR:-$root/target}"
started=$SECONDS

step "package: set-up (php-cli with FFI, composer, gcc, pkg-config, binutils, node)"
apt_install php-cli composer gcc libc6-dev pkg-config binutils
command -v npm >/dev/null || apt_install nodejs npm

step "package: scripts/package"
PAYSEAL_DIST="$target/dist" bash scripts/package
dist="$target/dist"
version="$(cargo metadata --no-deps --format-version 1 --locked |
  python3 -c 'import json,sys; print({p["name"]: p["version"] for p in json.load(sys.stdin)["packages"]}["payseal"])')"
abi="$(grep -oP '^pub const PAYSEAL_ABI_VERSION: u32 = \K[0-9]+(?=;)' ffi-c/src/lib.rs)"
built=$((SECONDS - started))
echo "workspace version $version, C ABI $abi (dist/ built in $built s)"

step "package: artifacts (names, versions, tags, glibc, stripped)"
fail() { echo "FAIL: $*" >&2; exit 1; }
wheel=("$dist"/python/payseal-"$version"-cp39-abi3-*manylinux_2_17_x86_64*.whl)
[ -f "${wheel[0]}" ] && [ ${#wheel[@]} = 1 ] || fail "no single abi3 manylinux_2_17 wheel for $version in $dist/python"
sdist="$dist/python/payseal-$version.tar.gz"
[ -f "$sdist" ] || fail "no sdist $sdist"
for f in "$dist/node/payseal-$version.tgz" "$dist/node/payseal-linux-x64-gnu-$version.tgz" \
  "$dist/c/payseal-$version-linux-x86_64.tar.gz" "$dist/php/payseal/composer.json"; do
  [ -f "$f" ] || fail "missing $f"
done
"$target/dist-build/tools/bin/auditwheel" show "${wheel[0]}" | tee "$target/dist-build/auditwheel.txt"
tr -s ' \n' ' ' <"$target/dist-build/auditwheel.txt" | grep -q '"manylinux_2_17_x86_64"' ||
  fail "auditwheel does not confirm manylinux_2_17_x86_64"
check_so() { # FILE: glibc symbols <= 2.17, no symbol table, no debug info
  local newest
  newest="$(objdump -T "$1" | grep -o 'GLIBC_[0-9.]*' | sort -uV | tail -n 1)"
  [ "$(printf '%s\nGLIBC_2.17\n' "$newest" | sort -V | tail -n 1)" = GLIBC_2.17 ] || fail "$1 needs $newest"
  ! readelf -S "$1" | grep -qE '\.(symtab|debug_info)\b' || fail "$1 is not stripped"
  echo "$(basename "$1"): $(stat -c %s "$1") bytes, newest glibc symbol $newest, stripped"
}
python3 - "${wheel[0]}" "$sdist" "$version" <<'EOF'
import sys, tarfile, zipfile
wheel, sdist, version = sys.argv[1:]
z = zipfile.ZipFile(wheel)
meta = z.read(f"payseal-{version}.dist-info/METADATA").decode()
assert f"\nVersion: {version}\n" in meta, "wheel METADATA version"
assert "Requires-Python: >=3.9" in meta, "wheel Requires-Python"
so = [n for n in z.namelist() if n.endswith(".so")]
assert so == ["payseal/_native.abi3.so"], so
open("/tmp/payseal-wheel-native.so", "wb").write(z.read(so[0]))
names = tarfile.open(sdist).getnames()
stray = [n for n in names if any(s in n for s in ("/target/", "/.venv/", "node_modules", "__pycache__", ".so", "/tests/", "/bench/", "/examples/"))]
assert not stray, stray
assert f"payseal-{version}/pyproject.toml" in names and any(n.endswith("core/src/lib.rs") for n in names), names
print(f"wheel: {len(z.namelist())} files; sdist: {len(names)} entries, no stray files")
EOF
check_so /tmp/payseal-wheel-native.so
rm -f /tmp/payseal-wheel-native.so

step "package: copy dist/ to an empty directory; no cargo/rustc on PATH, fresh HOME"
work="$(mktemp -d /tmp/payseal-install.XXXXXX)"
trap 'rm -rf "$work"' EXIT
cp -r "$dist" "$work/dist"
clean_path=""
IFS=: read -ra dirs <<<"$PATH"
for d in "${dirs[@]}"; do
  case "$d" in "$root"* | "$HOME/.cargo"* | "$HOME/.rustup"*) continue ;; esac
  [ -x "$d/cargo" ] || [ -x "$d/rustc" ] && continue
  clean_path="${clean_path:+$clean_path:}$d"
done
mkdir -p "$work/home"
# isolated CMD...: runs CMD in $work with only what a clean machine would have.
isolated() {
  (cd "$work" && env -u CARGO_TARGET_DIR -u PAYSEAL_LIB -u PAYSEAL_VECTORS -u PAYSEAL_FIXTURES \
    -u CARGO_HOME -u RUSTUP_HOME -u VIRTUAL_ENV -u PYTHONPATH -u NODE_PATH \
    PATH="$clean_path" HOME="$work/home" npm_config_cache="$work/home/npm-cache" npm_config_update_notifier=false \
    COMPOSER_HOME="$work/home/composer" "$@")
}
isolated sh -c '! command -v cargo && ! command -v rustc' >/dev/null || fail "a Rust toolchain is still on PATH"
echo "PATH has no cargo or rustc; working in $work"
secret="whsec_install_test_$$"
body='{"event":"payment.completed","amount":12.5,"id":"evt_1"}'

step "package: python (pip install --no-index the wheel into fresh venvs)"
pythons=()
if [ -n "${PAYSEAL_PYTHONS:-}" ]; then
  read -ra pythons <<<"$PAYSEAL_PYTHONS"
else
  # CPython 3.9 (the oldest the abi3 wheel supports) and the newest interpreter on the machine.
  mapfile -t found < <(for p in /usr/bin/python3.* /usr/local/bin/python3.* "${PYENV_ROOT:-$HOME/.pyenv}"/versions/*/bin/python3.*; do
    [[ "$p" =~ /python3\.[0-9]+$ ]] && [ -x "$p" ] && "$p" -c 'import sys, venv; sys.exit(sys.version_info < (3, 9))' 2>/dev/null &&
      echo "$("$p" -c 'import sys; print("%d.%02d" % sys.version_info[:2])') $p"
  done | sort -V -u -k1,1)
  [ ${#found[@]} -gt 0 ] || fail "no CPython >= 3.9 found"
  [ "${found[0]%% *}" = 3.09 ] || fail "CPython 3.9 not found (oldest: ${found[0]}); set PAYSEAL_PYTHONS"
  pythons=("${found[0]#* }")
  [ ${#found[@]} -gt 1 ] && pythons+=("${found[-1]#* }")
fi
cat >"$work/check.py" <<'EOF'
import hashlib, hmac, importlib.metadata, os, sys
import payseal

version, secret, body = sys.argv[1], sys.argv[2], sys.argv[3].encode()
sig = "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()
verifier = payseal.WebhookVerifier("eupay", secret)
verifier.verify({"X-EuPay-Signature": sig}, body)
try:
    verifier.verify({"X-EuPay-Signature": sig}, body.replace(b"completed", b"refunded"))
except Exception as e:
    assert type(e).__module__.split(".")[0] == "payseal", type(e)
    rejected = type(e).__name__
else:
    sys.exit("a tampered body verified")
assert importlib.metadata.version("payseal") == version, importlib.metadata.version("payseal")
prefix = os.path.realpath(sys.prefix)
loaded = {line.split()[-1] for line in open("/proc/self/maps") if "payseal" in line and ".so" in line}
assert loaded and all(os.path.realpath(p).startswith(prefix + os.sep) for p in loaded), loaded
print(f"python {sys.version.split()[0]}: payseal {version} verified a delivery, refused a tampered one ({rejected}); native code from {sorted(loaded)[0]}")
EOF
for py in "${pythons[@]}"; do
  venv="$work/venv-$(basename "$py")"
  isolated "$py" -m venv "$venv"
  isolated "$venv/bin/python" -m pip install -q --disable-pip-version-check --no-index "dist/python/$(basename "${wheel[0]}")"
  isolated "$venv/bin/python" "$work/check.py" "$version" "$secret" "$body"
done

step "package: node (npm install --offline of the tarballs into an empty project; CJS and ESM)"
mkdir -p "$work/node-app"
echo '{ "name": "install-test", "private": true }' >"$work/node-app/package.json"
isolated sh -c 'cd node-app && npm install --offline --no-audit --no-fund --loglevel=error \
  ../dist/node/payseal-linux-x64-gnu-'"$version"'.tgz ../dist/node/payseal-'"$version"'.tgz'
cat >"$work/node-app/check.cjs" <<'EOF'
'use strict';
const crypto = require('node:crypto');
const fs = require('node:fs');
const path = require('node:path');
const { WebhookVerifier } = require('payseal');
const [version, secret, body] = process.argv.slice(2);
const sig = 'sha256=' + crypto.createHmac('sha256', secret).update(body).digest('hex');
const verifier = new WebhookVerifier('eupay', secret);
verifier.verifySync({ 'x-eupay-signature': sig }, Buffer.from(body));
let rejected = null;
try {
  verifier.verifySync({ 'x-eupay-signature': sig }, Buffer.from(body.replace('completed', 'refunded')));
} catch (e) {
  rejected = e.name;
}
if (rejected === null) throw new Error('a tampered body verified');
for (const name of ['payseal', 'payseal-linux-x64-gnu']) {
  const v = JSON.parse(fs.readFileSync(path.join(__dirname, 'node_modules', name, 'package.json'), 'utf8')).version;
  if (v !== version) throw new Error(`${name} is ${v}, expected ${version}`);
}
const loaded = fs.readFileSync('/proc/self/maps', 'utf8').split('\n').filter((l) => l.includes('.node')).map((l) => l.split(/\s+/).pop());
const want = path.join(__dirname, 'node_modules', 'payseal-linux-x64-gnu', 'payseal.linux-x64-gnu.node');
if (!loaded.includes(want)) throw new Error(`addon not loaded from ${want}: ${loaded}`);
console.log(`node ${process.version} (CJS): payseal ${version} verified a delivery, refused a tampered one (${rejected}); addon from ${want}`);
EOF
cat >"$work/node-app/check.mjs" <<'EOF'
import { createHmac } from 'node:crypto';
import { WebhookVerifier } from 'payseal';
const [version, secret, body] = process.argv.slice(2);
const sig = 'sha256=' + createHmac('sha256', secret).update(body).digest('hex');
const verifier = new WebhookVerifier('eupay', secret);
verifier.verifySync({ 'x-eupay-signature': sig }, Buffer.from(body));
let rejected = null;
try {
  verifier.verifySync({ 'x-eupay-signature': sig }, Buffer.from(body.replace('completed', 'refunded')));
} catch (e) {
  rejected = e.name;
}
if (rejected === null) throw new Error('a tampered body verified');
console.log(`node ${process.version} (ESM): payseal ${version} verified a delivery, refused a tampered one (${rejected})`);
EOF
isolated sh -c 'cd node-app && node check.cjs "$@" && node check.mjs "$@"' sh "$version" "$secret" "$body"

step "package: php (composer install from a path repository, no network; php CLI)"
mkdir -p "$work/php-app"
cat >"$work/php-app/composer.json" <<EOF
{
    "name": "payseal/install-test",
    "repositories": [
        { "type": "path", "url": "../dist/php/payseal", "options": { "symlink": false } },
        { "packagist.org": false }
    ],
    "require": { "payseal/payseal": "$version" }
}
EOF
isolated sh -c 'cd php-app && COMPOSER_DISABLE_NETWORK=1 composer install --no-interaction --no-plugins --no-progress --quiet'
[ ! -L "$work/php-app/vendor/payseal/payseal" ] || fail "composer symlinked the package instead of copying it"
cat >"$work/php-app/check.php" <<'EOF'
<?php
declare(strict_types=1);
require __DIR__ . '/vendor/autoload.php';

[, $version, $secret, $body] = $argv;
$sig = 'sha256=' . hash_hmac('sha256', $body, $secret);
$verifier = new Payseal\WebhookVerifier('eupay', $secret);
$verifier->verify(['X-EuPay-Signature' => $sig], $body);
try {
    $verifier->verify(['X-EuPay-Signature' => $sig], str_replace('completed', 'refunded', $body));
    fwrite(STDERR, "a tampered body verified\n");
    exit(1);
} catch (Throwable $e) {
    if (!str_starts_with(get_class($e), 'Payseal\\')) {
        throw $e;
    }
    $rejected = get_class($e);
}
$installed = Composer\InstalledVersions::getPrettyVersion('payseal/payseal');
if ($installed !== $version) {
    fwrite(STDERR, "installed payseal/payseal is $installed, expected $version\n");
    exit(1);
}
$package = realpath(__DIR__ . '/vendor/payseal/payseal');
$class = (new ReflectionClass(Payseal\WebhookVerifier::class))->getFileName();
$loaded = array_values(array_filter(array_map(
    fn (string $l) => (string) preg_replace('/^.*\s/', '', $l),
    file('/proc/self/maps', FILE_IGNORE_NEW_LINES),
), fn (string $p) => str_contains($p, 'libpayseal_ffi')));
$want = "$package/lib/linux-x86_64/libpayseal_ffi.so";
if (!str_starts_with($class, "$package/") || !in_array($want, $loaded, true)) {
    fwrite(STDERR, "not the installed copy: class from $class, library from " . implode(', ', $loaded) . "\n");
    exit(1);
}
echo 'php ', PHP_VERSION, ": payseal/payseal $version verified a delivery, refused a tampered one ($rejected); library from $want\n";
EOF
isolated sh -c 'cd php-app && php -d ffi.enable=1 check.php "$@"' sh "$version" "$secret" "$body"

step "package: C (the prefix tarball; pkg-config --cflags --libs payseal; dynamic and static)"
mkdir -p "$work/c"
tar -C "$work/c" -xzf "$work/dist/c/payseal-$version-linux-x86_64.tar.gz"
prefix="$work/c/payseal-$version-linux-x86_64"
lib="$prefix/lib"
[ -f "$prefix/include/payseal.h" ] && [ -f "$lib/libpayseal_ffi.a" ] && [ -f "$lib/pkgconfig/payseal.pc" ] ||
  fail "prefix incomplete: $(cd "$prefix" && find . | sort | tr '\n' ' ')"
[ "$(readlink "$lib/libpayseal_ffi.so")" = "libpayseal_ffi.so.$abi" ] &&
  [ "$(readlink "$lib/libpayseal_ffi.so.$abi")" = "libpayseal_ffi.so.$version" ] &&
  [ -f "$lib/libpayseal_ffi.so.$version" ] && [ ! -L "$lib/libpayseal_ffi.so.$version" ] ||
  fail "links: $(ls -l "$lib" | tr '\n' ' ')"
soname="$(readelf -d "$lib/libpayseal_ffi.so.$version" | grep -oP 'Library soname: \[\K[^]]+')"
[ "$soname" = "libpayseal_ffi.so.$abi" ] || fail "SONAME $soname, expected libpayseal_ffi.so.$abi"
check_so "$lib/libpayseal_ffi.so.$version"
cmp -s "$lib/libpayseal_ffi.so.$version" "$work/dist/php/payseal/lib/linux-x86_64/libpayseal_ffi.so" ||
  fail "the PHP package and the C tarball ship different libraries"
cat >"$work/c/check.c" <<'EOF'
#include <payseal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static PaysealResult verify(const PaysealWebhookKeys *keys, const char *sig, const char *body) {
    PaysealHeader header = {(const uint8_t *)"X-EuPay-Signature", 17, (const uint8_t *)sig, strlen(sig)};
    return payseal_webhook_verify(keys, &header, 1, (const uint8_t *)body, strlen(body), (int64_t)time(NULL), 300);
}

int main(int argc, char **argv) {
    if (argc != 6) return 2;
    const char *version = argv[1], *abi = argv[2], *secret = argv[3], *sig = argv[4], *body = argv[5];
    if (strcmp(payseal_version(), version) != 0 || payseal_abi_version() != (uint32_t)atoi(abi)) {
        fprintf(stderr, "library %s (ABI %u), expected %s (ABI %s)\n", payseal_version(), payseal_abi_version(), version, abi);
        return 1;
    }
    uint32_t scheme = 0;
    PaysealWebhookKeys *keys = NULL;
    PaysealBytes key = {(const uint8_t *)secret, strlen(secret)};
    PaysealResult rc = payseal_webhook_scheme_from_name((const uint8_t *)"eupay", 5, &scheme);
    if (rc == PAYSEAL_OK) rc = payseal_webhook_keys_new(scheme, &key, 1, &keys);
    if (rc == PAYSEAL_OK) rc = verify(keys, sig, body);
    if (rc != PAYSEAL_OK) {
        fprintf(stderr, "verify: %s\n", payseal_result_name(rc));
        return 1;
    }
    size_t n = strlen(body) + 1;
    char *tampered = malloc(n);
    if (tampered == NULL) return 1;
    memcpy(tampered, body, n);
    memcpy(strstr(tampered, "completed"), "refunded!", 9);
    PaysealResult bad = verify(keys, sig, tampered);
    free(tampered);
    payseal_webhook_keys_free(keys);
    if (bad == PAYSEAL_OK) {
        fprintf(stderr, "a tampered body verified\n");
        return 1;
    }
    printf("payseal %s (ABI %u) verified a delivery, refused a tampered one (%s)\n", payseal_version(),
           payseal_abi_version(), payseal_result_name(bad));
    return 0;
}
EOF
isolated sh -c '
  set -e
  export PKG_CONFIG_PATH="$1/lib/pkgconfig"
  [ "$(pkg-config --modversion payseal)" = "$2" ] || { echo "payseal.pc says $(pkg-config --modversion payseal)" >&2; exit 1; }
  cd c
  cc -std=c11 -Wall -Wextra -Werror check.c $(pkg-config --cflags --libs payseal) -o check-dynamic
  readelf -d check-dynamic | grep -q "NEEDED.*\[libpayseal_ffi.so.$3\]" || { echo "check-dynamic does not need libpayseal_ffi.so.$3" >&2; exit 1; }
  printf "dynamic: "; LD_LIBRARY_PATH="$1/lib" ./check-dynamic "$2" "$3" "$4" "$5" "$6"
  # Static: the archive itself, with the system libraries the .pc lists as private.
  cc -std=c11 -Wall -Wextra -Werror check.c $(pkg-config --cflags payseal) "$(pkg-config --variable=libdir payseal)/libpayseal_ffi.a" \
    $(pkg-config --static --libs-only-l payseal | sed "s/-lpayseal_ffi//") -o check-static
  ! readelf -d check-static | grep -q libpayseal_ffi || { echo "check-static links libpayseal_ffi dynamically" >&2; exit 1; }
  printf "static:  "; ./check-static "$2" "$3" "$4" "$5" "$6"
' sh "$prefix" "$version" "$abi" "$secret" "sha256=$(printf '%s' "$body" | python3 -c 'import hashlib, hmac, sys; print(hmac.new(sys.argv[1].encode(), sys.stdin.buffer.read(), hashlib.sha256).hexdigest())' "$secret")" "$body"
installs=$((SECONDS - started))

step "package: crates (cargo package --list, publish --dry-run, doc without warnings)"
for crate in payseal payseal-cache-redis payseal-ffi; do
  stray="$(cargo package --list --locked --allow-dirty -p "$crate" 2>/dev/null |
    grep -vE '^(Cargo\.toml|Cargo\.toml\.orig|Cargo\.lock|README\.md|build\.rs|\.cargo_vcs_info\.json|src/.*\.(rs|md)|include/payseal(_ffi)?\.h)$' || true)"
  [ -z "$stray" ] || fail "$crate would publish unexpected files: $stray"
  echo "$crate: $(cargo package --list --locked --allow-dirty -p "$crate" 2>/dev/null | wc -l) files, none stray"
done
# Together: payseal-ffi depends on payseal and payseal-cache-redis (SecretVerifier's Redis layer),
# which are not on crates.io yet; cargo (>= 1.90) packages them together and verifies payseal-ffi
# against the packaged ones.
# Cargo unpacks the crates it packaged from its temporary registry into
# $CARGO_HOME/registry/src/-<hash of that registry's path>/ and reuses an unpacked copy that is
# already there, without comparing it to the new archive. A machine that ran this before from the
# same checkout path (CI images keep ~/.cargo) would verify against older sources: the dry run of
# a CI failed on a payseal-0.1.0 unpacked hours earlier, without `SecretVerifier::with_store`.
# Only our own crates' copies under path-keyed registries (named `-<hash>`) go; crates.io's stay.
cargo_home="${CARGO_HOME:-$HOME/.cargo}"
for crate in payseal payseal-cache-redis payseal-ffi; do
  rm -rf "$cargo_home"/registry/src/-*/"$crate"-[0-9]*
done
publish_log="$target/dist-build/publish-dry-run.log"
cargo publish --dry-run --locked --allow-dirty -p payseal -p payseal-cache-redis -p payseal-ffi >"$publish_log" 2>&1 ||
  { cat "$publish_log" >&2; fail "cargo publish --dry-run"; }
grep -E '^ *(Packaged|Verifying|Finished)' "$publish_log"
RUSTDOCFLAGS=-Dwarnings cargo doc -q --locked --no-deps -p payseal -p payseal-cache-redis -p payseal-ffi
echo "cargo doc: no warnings"

step "package: passed (dist/ built in $built s, checked and installed in $((installs - built)) s, crates in $((SECONDS - installs)) s)"
