<?php
// The "other process" of the Redis-backed SecretVerifier tests of every language (PHP's
// redis.php, Python's test_secrets_redis.py, Node's secrets-redis.test.mjs): a fresh PHP
// process with an empty in-process cache verifies once and reports what answered. Usage:
//   php -d ffi.enable=1 redis_check.php URL CACHE_KEY_HEX SECRET HASH [SHARED_NAME]
// Prints one JSON object: ok, code (the error's code name or null), hits, store_hits, misses,
// micros (the verify call alone).
declare(strict_types=1);

require dirname(__DIR__) . '/autoload.php';

[, $url, $keyHex, $secret, $hash] = $argv;
$name = $argv[5] ?? null;
$key = hex2bin($keyHex);
$verifier = $name === null
    ? new Payseal\SecretVerifier(100, 300, $url, $key)
    : Payseal\SecretVerifier::shared($name, 100, 300, $url, $key);
$code = null;
$started = hrtime(true);
try {
    $verifier->verify($secret, $hash);
} catch (Payseal\PaysealError $e) {
    $code = $e->code();
}
$micros = (hrtime(true) - $started) / 1000;
echo json_encode([
    'ok' => $code === null,
    'code' => $code,
    'hits' => $verifier->hits(),
    'store_hits' => $verifier->storeHits(),
    'misses' => $verifier->misses(),
    'micros' => $micros,
]), "\n";
