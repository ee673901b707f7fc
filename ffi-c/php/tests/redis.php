<?php
// The Redis layer of SecretVerifier against a real redis-server (apt `redis-server`) started
// here on a free loopback port: a second process answers from Redis what this one verified
// with bcrypt, Redis keys are the documented HMAC (computed here with hash_hmac), garbage or
// copied values never make a wrong secret pass, Redis killed mid-run only costs bcrypt, short
// cache keys and bad URLs are refused. Included by run.php (its check/same/throws). Without
// redis-server: a failure when PAYSEAL_REQUIRE_REDIS=1 (scripts/test sets it), else a note.
declare(strict_types=1);

use Payseal\InvalidInputError;
use Payseal\InvalidKeyError;
use Payseal\MismatchError;
use Payseal\SecretVerifier;

use function Payseal\hash_bcrypt;

/** One RESP command over a fresh connection; the raw reply. */
function redis_command(int $port, string ...$args): string
{
    $s = @fsockopen('127.0.0.1', $port, $errno, $errstr, 1.0);
    if ($s === false) {
        return '';
    }
    $cmd = '*' . count($args) . "\r\n";
    foreach ($args as $a) {
        $cmd .= '$' . strlen($a) . "\r\n$a\r\n";
    }
    fwrite($s, $cmd);
    stream_set_timeout($s, 1);
    $reply = fgets($s);
    if ($reply !== false && $reply[0] === '*') { // an array of bulk strings (KEYS)
        for ($i = 0, $n = (int) substr($reply, 1); $i < $n; $i++) {
            $len = (int) substr(fgets($s), 1);
            $reply .= stream_get_contents($s, $len + 2);
        }
    } elseif ($reply !== false && $reply[0] === '$' && (int) substr($reply, 1) >= 0) { // one bulk string (GET)
        $reply = stream_get_contents($s, (int) substr($reply, 1) + 2);
        $reply = substr($reply, 0, -2);
    }
    fclose($s);
    return (string) $reply;
}

/** The payseal entries Redis holds (their Redis key names). */
function redis_keys(int $port): array
{
    preg_match_all('/payseal:secret:v1:[0-9a-f]{64}/', redis_command($port, 'KEYS', 'payseal:secret:v1:*'), $m);
    return $m[0];
}

/** The documented Redis key of (hash, secret) under the cache key (core/src/secrets/store.rs). */
function redis_key_of(string $cacheKey, string $hash, string $secret): string
{
    return 'payseal:secret:v1:' . substr(hash_hmac('sha256', "payseal/secret-cache/v1/key\0$hash\0$secret", $cacheKey), 0, 64);
}

/** redis_check.php in a fresh PHP process: what answered there. */
function other_process(string $url, string $cacheKey, string $secret, string $hash, ?string $name = null): array
{
    $cmd = [PHP_BINARY, '-d', 'ffi.enable=1', __DIR__ . '/redis_check.php', $url, bin2hex($cacheKey), $secret, $hash];
    if ($name !== null) {
        $cmd[] = $name;
    }
    $p = proc_open($cmd, [1 => ['pipe', 'w']], $pipes);
    $out = stream_get_contents($pipes[1]);
    proc_close($p);
    return json_decode($out, true) ?? ['output' => $out];
}

function find_redis_server(): ?string
{
    foreach (explode(PATH_SEPARATOR, (string) getenv('PATH')) as $dir) {
        if ($dir !== '' && is_executable("$dir/redis-server")) {
            return "$dir/redis-server";
        }
    }
    return null;
}

$redisServer = find_redis_server();
if ($redisServer === null) {
    if (getenv('PAYSEAL_REQUIRE_REDIS') === '1') {
        check(false, 'redis-server is not installed (apt-get install redis-server) and PAYSEAL_REQUIRE_REDIS=1');
    } else {
        echo "note: redis-server not installed: the Redis SecretVerifier tests did not run\n";
    }
    return;
}

$probe = stream_socket_server('tcp://127.0.0.1:0');
$redisPort = (int) substr(strrchr(stream_socket_get_name($probe, false), ':'), 1);
fclose($probe);
$redis = proc_open(
    [$redisServer, '--port', (string) $redisPort, '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'],
    [0 => ['file', '/dev/null', 'r'], 1 => ['file', '/dev/null', 'w'], 2 => ['file', '/dev/null', 'w']],
    $redisPipes,
);
register_shutdown_function(static function () use ($redis): void {
    if (is_resource($redis)) {
        proc_terminate($redis, 9);
    }
});
for ($i = 0; $i < 250 && redis_command($redisPort, 'PING') !== "+PONG\r\n"; $i++) {
    usleep(20000);
}
same(redis_command($redisPort, 'PING'), "+PONG\r\n", 'redis-server answers');

$url = "redis://127.0.0.1:$redisPort/0";
$cacheKey = random_bytes(32);
$redisHash = hash_bcrypt('sk_live_redis_php', 4);

// Arguments: a short cache key (every call, shared too), a bad URL, half a configuration.
foreach ([
    fn () => new SecretVerifier(10, 60, $url, str_repeat('k', 31)),
    fn () => SecretVerifier::shared('redis.php', 10, 60, $url, str_repeat('k', 31)),
] as $i => $make) {
    $e = throws(InvalidKeyError::class, $make, "short cache key refused ($i)");
    same($e?->code(), 'invalid_key', "short cache key: code ($i)");
}
throws(InvalidInputError::class, fn () => new SecretVerifier(10, 60, 'http://127.0.0.1/', $cacheKey), 'not a Redis URL');
throws(InvalidInputError::class, fn () => new SecretVerifier(10, 60, $url), 'redis without cacheKey');
throws(InvalidInputError::class, fn () => new SecretVerifier(10, 60, null, $cacheKey), 'cacheKey without redis');
throws(InvalidInputError::class, fn () => new SecretVerifier(10, 60, $url, $cacheKey, 0.0), 'zero timeout');

// Process 1 runs bcrypt and writes the entry under the documented key; process 2 answers from Redis.
$v = new SecretVerifier(100, 300, $url, $cacheKey);
$v->verify('sk_live_redis_php', $redisHash);
same([$v->hits(), $v->storeHits(), $v->misses()], [0, 0, 1], 'first check: bcrypt');
same(redis_keys($redisPort), [redis_key_of($cacheKey, $redisHash, 'sk_live_redis_php')], 'Redis holds the documented key only');
$ttlLeft = (int) substr(redis_command($redisPort, 'TTL', redis_key_of($cacheKey, $redisHash, 'sk_live_redis_php')), 1);
check($ttlLeft > 290 && $ttlLeft <= 300, "the entry expires in Redis with the TTL ($ttlLeft)");
$other = other_process($url, $cacheKey, 'sk_live_redis_php', $redisHash);
same([$other['ok'] ?? null, $other['store_hits'] ?? null, $other['misses'] ?? null], [true, 1, 0], 'another process answers from Redis');
$v->verify('sk_live_redis_php', $redisHash);
same([$v->hits(), $v->storeHits(), $v->misses()], [1, 0, 1], 'then from the in-process cache');
$other = other_process($url, random_bytes(32), 'sk_live_redis_php', $redisHash);
same([$other['ok'] ?? null, $other['store_hits'] ?? null, $other['misses'] ?? null], [true, 0, 1], 'another cache key: no hit');
$other = other_process($url, $cacheKey, 'sk_live_redis_php', $redisHash, 'redis_check shared');
same([$other['ok'] ?? null, $other['store_hits'] ?? null], [true, 1], 'a shared Redis-backed verifier answers from Redis');

// Garbage, and the valid value copied under the wrong secret's key: a wrong secret never passes.
$good = redis_command($redisPort, 'GET', redis_key_of($cacheKey, $redisHash, 'sk_live_redis_php'));
same(strlen($good), 40, 'a stored value is 40 bytes');
$wrongKey = redis_key_of($cacheKey, $redisHash, 'sk_live_wrong');
foreach ([$good, str_repeat("\0", 40), str_repeat("\xff", 40), 'garbage'] as $i => $value) {
    redis_command($redisPort, 'SET', $wrongKey, $value);
    $other = other_process($url, $cacheKey, 'sk_live_wrong', $redisHash);
    same([$other['ok'] ?? null, $other['code'] ?? null, $other['store_hits'] ?? null], [false, 'mismatch', 0], "forged entry $i: still a mismatch");
}
redis_command($redisPort, 'SET', redis_key_of($cacheKey, $redisHash, 'sk_live_redis_php'), str_repeat("\xff", 40));
$other = other_process($url, $cacheKey, 'sk_live_redis_php', $redisHash);
same([$other['ok'] ?? null, $other['store_hits'] ?? null, $other['misses'] ?? null], [true, 0, 1], 'garbage under the right key: bcrypt');

// Redis killed mid-run: answers stay right (bcrypt), no exception, no long waits.
$storeOnly = new SecretVerifier(0, 300, $url, $cacheKey, 0.05);
$storeOnly->verify('sk_live_redis_php', $redisHash);
same($storeOnly->storeHits(), 1, 'store-only verifier: a hit before the kill');
proc_terminate($redis, 9);
proc_close($redis);
$started = hrtime(true);
for ($i = 0; $i < 5; $i++) {
    $storeOnly->verify('sk_live_redis_php', $redisHash);
    throws(MismatchError::class, fn () => $storeOnly->verify('sk_live_wrong', $redisHash), "Redis down, wrong secret ($i)");
}
same([$storeOnly->storeHits(), $storeOnly->misses()], [1, 10], 'Redis down: bcrypt answers');
$other = other_process($url, $cacheKey, 'sk_live_redis_php', $redisHash);
same([$other['ok'] ?? null, $other['misses'] ?? null], [true, 1], 'Redis down: a fresh process verifies with bcrypt');
check((hrtime(true) - $started) / 1e9 < 5, 'Redis down: no long waits');
