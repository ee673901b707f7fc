#!/usr/bin/env bash
# PHP-FPM, the way gateways run PHP (issue #17): installs php8.2-fpm and cgi-fcgi (libfcgi-bin),
# starts a real php-fpm (one static worker, FPM's default ffi.enable=preload) with the php.ini
# lines of ffi-c/php/fpm.ini on a free 127.0.0.1 port, and sends it FastCGI requests:
#  - the library load of each request: every request must get the FFI scope preloaded at server
#    start ("scope"), never parse the header itself ("cdef"); the cost is reported, next to the
#    cost of the old way (FFI::cdef per request, a second FPM with ffi.enable=1 and no preload);
#  - the webhook example (ffi-c/php/examples/webhook.php): good signature 200, tampered 400;
#  - a secret check through SecretVerifier::shared() with a cost-10 hash made by PHP's own
#    password_hash: 20 sequential requests to the one worker run bcrypt once, then 19 cache hits,
#    each answered in <= 0.1 ms within the request; a wrong secret gets 401;
#  - preload.php alone (no ffi.preload) for a master that is not root, under the CLI as www-data.
# Usage: scripts/test-fpm.sh        (PAYSEAL_FPM_PROFILE=debug to test a debug build)
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib.sh
target="${CARGO_TARGET_DIR:-$PWD/target}"
profile="${PAYSEAL_FPM_PROFILE:-release}"

step "fpm: set-up (php8.2-fpm, cgi-fcgi from libfcgi-bin, php-cli)"
apt_install php8.2-fpm libfcgi-bin php-cli
fpm="$(command -v php-fpm8.2 || echo /usr/sbin/php-fpm8.2)"
cgi_fcgi="$(command -v cgi-fcgi)"
"$fpm" -v | head -n 1

step "fpm: cargo build ($profile) -p payseal-ffi"
if [ "$profile" = release ]; then
  cargo build -q --release --locked -p payseal-ffi
else
  cargo build -q --locked -p payseal-ffi
fi
built="$target/$profile/libpayseal_ffi.so"

step "fpm: deploy the wrapper and the library where www-data can read them (fpm_deploy, scripts/lib.sh)"
# As a server is deployed: a folder of its own, readable by all, the scoped header written once
# and ffi-c/php/fpm.ini's lines as php.ini with @ROOT@ pointing there.
fpm_deploy "$built"
cat "$work/php.ini"

free_port() { php -r '$s = stream_socket_server("tcp://127.0.0.1:0"); echo substr(strrchr(stream_socket_get_name($s, false), ":"), 1);'; }
secret="sk_live_fpm_$$_$(date +%s)"
# The stored hash, as a gateway keeps it (a file here: FPM's env[] would mangle its '$').
php -r 'echo password_hash($argv[1], PASSWORD_BCRYPT, ["cost" => 10]);' "$secret" >"$work/hash.txt"
chmod 644 "$work/hash.txt"
webhook_secret="whsec_fpm_$$"
pids=()
trap 'for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done' EXIT

# start_fpm NAME PHP_INI: a php-fpm master (foreground, so that $! is its PID) with one static
# worker on a free port; sets $port.
start_fpm() {
  local name="$1" ini="$2"
  port="$(free_port)"
  cat >"$work/$name.conf" <<EOF
[global]
pid = $work/$name.pid
error_log = $work/$name.log
daemonize = no

[payseal]
listen = 127.0.0.1:$port
user = www-data
group = www-data
pm = static
pm.max_children = 1
catch_workers_output = yes
; clear_env (the default) empties the workers' environment: pass what the application reads.
env[PAYSEAL_LIB] = $lib
env[EUPAY_WEBHOOK_SECRET] = $webhook_secret
env[PAYSEAL_TEST_HASH_FILE] = $work/hash.txt
EOF
  "$fpm" -F -c "$ini" -y "$work/$name.conf" >"$work/$name.out" 2>&1 &
  pids+=("$!")
  for _ in $(seq 1 100); do
    fcgi GET ffi-c/php/tests/fpm-endpoint.php probe=load >/dev/null 2>&1 && return 0
    sleep 0.1
  done
  echo "php-fpm ($name) did not answer" >&2
  cat "$work/$name.out" "$work/$name.log" >&2 || true
  exit 1
}

# fcgi METHOD SCRIPT QUERY [BODY_FILE [PARAM=VALUE...]]: one FastCGI request; prints the
# response (CGI headers, blank line, body).
fcgi() {
  local method="$1" script="$2" query="$3" body="${4:-/dev/null}"
  shift 4 2>/dev/null || shift $#
  env -i REQUEST_METHOD="$method" SCRIPT_FILENAME="$root/$script" SCRIPT_NAME="/$script" REQUEST_URI="/$script?$query" \
    QUERY_STRING="$query" CONTENT_LENGTH="$(wc -c <"$body")" CONTENT_TYPE=application/json SERVER_PROTOCOL=HTTP/1.1 \
    GATEWAY_INTERFACE=CGI/1.1 REMOTE_ADDR=127.0.0.1 SERVER_NAME=localhost "$@" \
    "$cgi_fcgi" -bind -connect "127.0.0.1:$port" <"$body"
}
status() { awk 'BEGIN { s = 200 } /^\r?$/ { exit } /^Status: / { s = $2 } END { print s }'; }
body() { awk 'seen { print } /^\r?$/ { seen = 1 }'; }

# load_costs NAME N: N requests to the load probe; prints "via median_us p90_us" (all vias equal).
load_costs() {
  local name="$1" n="$2"
  for _ in $(seq 1 "$n"); do fcgi GET ffi-c/php/tests/fpm-endpoint.php probe=load | body; done >"$work/$name-load.jsonl"
  php -r '
    $vias = []; $us = [];
    foreach (file($argv[1], FILE_IGNORE_NEW_LINES) as $line) {
        $m = json_decode($line, true);
        if (!is_array($m)) { fwrite(STDERR, "bad answer: $line\n"); exit(1); }
        $vias[$m["via"]] = 1; $us[] = $m["load_us"];
    }
    sort($us);
    printf("%s %.1f %.1f\n", implode(",", array_keys($vias)), $us[intdiv(count($us), 2)], $us[intdiv(count($us) * 9, 10)]);
  ' "$work/$name-load.jsonl"
}

step "fpm: before — ffi.enable=1 without preload (FFI::cdef parses the header on every request)"
{ echo "ffi.enable=1"; echo "opcache.enable=1"; echo "error_log=$work/php-errors.log"; } >"$work/php-cdef.ini"
start_fpm cdef "$work/php-cdef.ini"
read -r via_before med_before p90_before < <(load_costs cdef 40)
echo "per-request library load, old way: via=$via_before median ${med_before} us, p90 ${p90_before} us (40 requests)"
kill "${pids[-1]}"; wait "${pids[-1]}" 2>/dev/null || true

step "fpm: after — ffi-c/php/fpm.ini (ffi.enable=preload, ffi.preload + opcache.preload)"
start_fpm preload "$work/php.ini"
read -r via med p90 < <(load_costs preload 100)
echo "per-request library load, preloaded: via=$via median ${med} us, p90 ${p90} us (100 requests)"
[ "$via" = scope ] || { echo "requests parsed the header themselves (via=$via): the preloaded FFI scope is not used" >&2; exit 1; }

step "fpm: webhook endpoint (ffi-c/php/examples/webhook.php) through FastCGI"
payload="$work/webhook.json"
printf '{"event":"payment.completed","amount":12.5,"id":"evt_%s"}' "$$" >"$payload"
sig="sha256=$(php -r 'echo hash_hmac("sha256", file_get_contents($argv[1]), $argv[2]);' "$payload" "$webhook_secret")"
expect() {
  local want="$1" what="$2" got; shift 2
  fcgi "$@" >"$work/answer.txt"
  got="$(status <"$work/answer.txt")"
  [ "$got" = "$want" ] || { echo "$what: status $got, expected $want" >&2; cat "$work/answer.txt" "$work/preload.log" >&2; exit 1; }
  echo "$what: $got $(body <"$work/answer.txt")"
}
expect 200 "good signature" POST ffi-c/php/examples/webhook.php "" "$payload" HTTP_X_EUPAY_SIGNATURE="$sig"
sed 's/completed/refunded/' "$payload" >"$work/tampered.json"
expect 400 "tampered body" POST ffi-c/php/examples/webhook.php "" "$work/tampered.json" HTTP_X_EUPAY_SIGNATURE="$sig"
expect 400 "no signature" POST ffi-c/php/examples/webhook.php "" "$payload"

step "fpm: secret check through SecretVerifier::shared(), 20 sequential requests, one worker, cost 10"
for i in $(seq 1 20); do
  fcgi GET ffi-c/php/tests/fpm-endpoint.php probe=secret /dev/null HTTP_AUTHORIZATION="Bearer $secret" >"$work/secret-$i.txt"
  [ "$(status <"$work/secret-$i.txt")" = 200 ] || { echo "secret request $i failed" >&2; cat "$work/secret-$i.txt" "$work/preload.log" >&2; exit 1; }
  body <"$work/secret-$i.txt"
done >"$work/secret.jsonl"
php -r '
  $rows = array_map(fn ($l) => json_decode($l, true), file($argv[1], FILE_IGNORE_NEW_LINES));
  $pids = array_unique(array_column($rows, "pid"));
  if (count($pids) !== 1) { fwrite(STDERR, "expected one worker, saw " . count($pids) . "\n"); exit(1); }
  $first = array_shift($rows);
  printf("request 1: bcrypt, %.1f ms (hits %d, misses %d)\n", $first["verify_us"] / 1e3, $first["hits"], $first["misses"]);
  $last = end($rows);
  $us = array_column($rows, "verify_us");
  sort($us);
  printf("requests 2-20: %d hits; check in the request median %.1f us, max %.1f us\n", $last["hits"], $us[intdiv(count($us), 2)], max($us));
  if ([$first["hits"], $first["misses"]] !== [0, 1] || [$last["hits"], $last["misses"]] !== [19, 1]) {
      fwrite(STDERR, "expected 1 bcrypt then 19 hits, got hits {$last["hits"]}, misses {$last["misses"]}\n"); exit(1);
  }
  if (max($us) > 100) { fwrite(STDERR, "a cached check took more than 0.1 ms in the request\n"); exit(1); }
' "$work/secret.jsonl"
expect 401 "wrong secret" GET ffi-c/php/tests/fpm-endpoint.php probe=secret /dev/null HTTP_AUTHORIZATION="Bearer ${secret}x"

step "fpm: preload.php without ffi.preload, as a non-root user (no preload_user: FFI::load of the scope)"
got="$(runuser -u www-data -- env PAYSEAL_LIB="$lib" php -d opcache.enable_cli=1 -d opcache.preload="$root/ffi-c/php/preload.php" \
  -d ffi.enable=preload -r 'echo Payseal\Library::via(), " ", Payseal\hex_encode("ok");')"
[ "$got" = "scope 6f6b" ] || { echo "preload without ffi.preload: got '$got', expected 'scope 6f6b'" >&2; exit 1; }
echo "$got"

if [ -s "$work/php-errors.log" ]; then echo "PHP logged errors:" >&2; cat "$work/php-errors.log" >&2; exit 1; fi
echo "fpm: ok (library load per request ${med} us preloaded vs ${med_before} us with FFI::cdef)"
rm -rf "$work"
