<?php
// bcrypt checks with a bounded, expiring cache of successes: a gateway pays bcrypt's cost once
// per (hash, secret) and TTL rather than on every request. The cache lives in the library, in
// this process. Under PHP-FPM (which resets every PHP object and static at the end of each
// request) use SecretVerifier::shared(): its cache is held by the library for the life of the
// worker process, so the next request with the same (hash, secret) skips bcrypt.
// With $redis and $cacheKey, a Redis shared by every worker on every machine sits behind that
// cache: the in-process cache first, then Redis, then bcrypt (the layering is the library's,
// the same in every language; see payseal_secret_verifier_new_redis in ffi-c/README.md).
declare(strict_types=1);

namespace Payseal;

use FFI;

final class SecretVerifier implements \Countable
{
    use OwnsHandle;

    /**
     * Remembers at most $capacity successful checks (up to 2^20; 0 disables caching), each for
     * $ttl seconds. What is cached is an HMAC tag under a per-process random key, never the
     * secret; failures are never cached.
     *
     * With $redis (`redis://HOST:PORT[/DB]`, no TLS) and $cacheKey (at least 32 random bytes,
     * the same for every process sharing that Redis, as secret as the API secrets), successes
     * are also kept in Redis for $ttl, keyed and authenticated under $cacheKey: a check asks
     * this cache, then Redis, then runs bcrypt. Redis slower than $redisTimeout seconds, down
     * or holding garbage only costs bcrypt: it never fails a check nor makes a wrong secret pass.
     *
     * @throws RandomnessError when the operating system's generator fails
     * @throws InvalidKeyError for a $cacheKey shorter than 32 bytes
     * @throws InvalidInputError for a negative capacity or ttl, a bad Redis URL, a timeout <= 0,
     *                           or only one of $redis and $cacheKey
     */
    public function __construct(
        int $capacity = 10000,
        int $ttl = 300,
        ?string $redis = null,
        #[\SensitiveParameter] ?string $cacheKey = null,
        float $redisTimeout = 0.05,
    ) {
        $this->adopt(self::create(null, $capacity, $ttl, $redis, $cacheKey, $redisTimeout), 'payseal_secret_verifier_free');
    }

    /**
     * The worker process's verifier called $name, whose cache lives in the library for the life
     * of the process (not of this PHP object, nor of the request): under FPM, the second request
     * with the same (hash, secret) to the same worker skips bcrypt. The first call with a $name
     * creates it with $capacity and $ttl; later calls (this request or later ones) get the same
     * cache whatever their $capacity and $ttl. Cheap enough to call on every request.
     * With $redis and $cacheKey (see the constructor) the worker keeps one Redis connection
     * and its cache across requests: a fresh worker answers from Redis what another verified.
     *
     * @throws RandomnessError when the operating system's generator fails
     * @throws InvalidKeyError for a $cacheKey shorter than 32 bytes (checked on every call)
     * @throws InvalidInputError as the constructor
     */
    public static function shared(
        string $name = 'default',
        int $capacity = 10000,
        int $ttl = 300,
        ?string $redis = null,
        #[\SensitiveParameter] ?string $cacheKey = null,
        float $redisTimeout = 0.05,
    ): self {
        $verifier = (new \ReflectionClass(self::class))->newInstanceWithoutConstructor();
        $verifier->adopt(self::create($name, $capacity, $ttl, $redis, $cacheKey, $redisTimeout), 'payseal_secret_verifier_free');
        return $verifier;
    }

    /** The handle: shared under $name, or new; backed by Redis when $redis is given. */
    private static function create(?string $name, int $capacity, int $ttl, ?string $redis, ?string $cacheKey, float $redisTimeout): FFI\CData
    {
        if ($capacity < 0 || $ttl < 0) {
            throw Library::invalid('capacity and ttl must not be negative');
        }
        if (($redis === null) !== ($cacheKey === null)) {
            throw Library::invalid('redis and cacheKey go together');
        }
        $handle = Library::make('PaysealSecretVerifier*');
        $ffi = Library::ffi();
        if ($redis === null) {
            Library::check($name === null
                ? $ffi->payseal_secret_verifier_new($capacity, $ttl, FFI::addr($handle))
                : $ffi->payseal_secret_verifier_shared($name, strlen($name), $capacity, $ttl, FFI::addr($handle)));
            return $handle;
        }
        $ms = round($redisTimeout * 1000);
        if (!($ms >= 1 && $ms <= 4294967295)) {
            throw Library::invalid('redisTimeout must be at least 0.001 seconds');
        }
        $ms = (int) $ms;
        Library::check($name === null
            ? $ffi->payseal_secret_verifier_new_redis($capacity, $ttl, $redis, strlen($redis), $cacheKey, strlen($cacheKey), $ms, FFI::addr($handle))
            : $ffi->payseal_secret_verifier_shared_redis($name, strlen($name), $capacity, $ttl, $redis, strlen($redis), $cacheKey, strlen($cacheKey), $ms, FFI::addr($handle)));
        return $handle;
    }

    /**
     * Returns when $secret matches $hash (from the cache when this pair succeeded within the TTL).
     * The monotonic clock decides the TTL, so there is no $now.
     *
     * @throws MismatchError|MalformedHashError as verify_bcrypt()
     */
    public function verify(#[\SensitiveParameter] string $secret, string $hash): void
    {
        Library::check(Library::ffi()->payseal_secret_verifier_verify($this->handle, $secret, strlen($secret), $hash, strlen($hash)));
    }

    /** Checks answered from the cache. */
    public function hits(): int
    {
        return $this->stats()[0];
    }

    /** Checks answered from Redis (0 without Redis). */
    public function storeHits(): int
    {
        $n = Library::make('uint64_t');
        Library::check(Library::ffi()->payseal_secret_verifier_store_hits($this->handle, FFI::addr($n)));
        return (int) $n->cdata;
    }

    /** Checks that ran bcrypt. */
    public function misses(): int
    {
        return $this->stats()[1];
    }

    /** Successful checks the cache holds now. */
    public function count(): int
    {
        $len = Library::make('size_t');
        Library::check(Library::ffi()->payseal_secret_verifier_len($this->handle, FFI::addr($len)));
        return (int) $len->cdata;
    }

    /** The most successful checks the cache holds (for a shared verifier: as first created). */
    public function capacity(): int
    {
        return $this->config()[0];
    }

    /** How long, in seconds, a success is remembered (for a shared verifier: as first created). */
    public function ttl(): int
    {
        return $this->config()[1];
    }

    /** @return array{0: int, 1: int} */
    private function config(): array
    {
        $capacity = Library::make('size_t');
        $ttl = Library::make('uint64_t');
        Library::check(Library::ffi()->payseal_secret_verifier_config($this->handle, FFI::addr($capacity), FFI::addr($ttl)));
        return [(int) $capacity->cdata, (int) $ttl->cdata];
    }

    /** Forgets every cached success (e.g. after revoking secrets in bulk). */
    public function clear(): void
    {
        Library::check(Library::ffi()->payseal_secret_verifier_clear($this->handle));
    }

    /** @return array{0: int, 1: int} */
    private function stats(): array
    {
        $hits = Library::make('uint64_t');
        $misses = Library::make('uint64_t');
        Library::check(Library::ffi()->payseal_secret_verifier_stats($this->handle, FFI::addr($hits), FFI::addr($misses)));
        return [(int) $hits->cdata, (int) $misses->cdata];
    }
}
