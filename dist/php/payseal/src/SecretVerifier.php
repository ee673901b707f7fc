<?php
// bcrypt checks with a bounded, expiring cache of successes: a gateway pays bcrypt's cost once
// per (hash, secret) and TTL rather than on every request. The cache lives in the library, in
// this process: one verifier per PHP worker (a long-running worker, Swoole, RoadRunner, or
// FPM's per-process static) is the useful scope.
declare(strict_types=1);

namespace Payseal;

use FFI;
use FFI\CData;

final class SecretVerifier
{
    private CData $handle;

    /**
     * Remembers at most $capacity successful checks (up to 2^20; 0 disables caching), each for
     * $ttl seconds. What is cached is an HMAC tag under a per-process random key, never the
     * secret; failures are never cached.
     *
     * @throws RandomnessError when the operating system's generator fails
     */
    public function __construct(int $capacity = 10000, int $ttl = 300)
    {
        $ffi = Library::ffi();
        if ($capacity < 0 || $ttl < 0) {
            throw new InvalidArgument('capacity and ttl must not be negative', 3, 'invalid_argument');
        }
        $handle = Library::make('PaysealSecretVerifier*');
        Library::check($ffi->payseal_secret_verifier_new($capacity, $ttl, FFI::addr($handle)));
        $this->handle = $handle;
    }

    /**
     * Returns when $secret matches $hash (from the cache when this pair succeeded within the TTL).
     *
     * @throws Mismatch|MalformedHash as Bcrypt::verify()
     */
    public function verify(#[\SensitiveParameter] string $secret, string $hash): void
    {
        Library::check(Library::ffi()->payseal_secret_verifier_verify($this->handle, $secret, strlen($secret), $hash, strlen($hash)));
    }

    /** @return array{hits: int, misses: int} checks answered from the cache, and checks that ran bcrypt */
    public function stats(): array
    {
        $ffi = Library::ffi();
        $hits = Library::make('uint64_t');
        $misses = Library::make('uint64_t');
        Library::check($ffi->payseal_secret_verifier_stats($this->handle, FFI::addr($hits), FFI::addr($misses)));
        return ['hits' => (int) $hits->cdata, 'misses' => (int) $misses->cdata];
    }

    /** Forgets every cached success (e.g. after revoking secrets in bulk). */
    public function clear(): void
    {
        Library::check(Library::ffi()->payseal_secret_verifier_clear($this->handle));
    }

    public function __destruct()
    {
        if (isset($this->handle)) {
            Library::ffi()->payseal_secret_verifier_free($this->handle);
        }
    }

    /**
     * A copy would share (and later double-free) the handle. PHP has already made the copy
     * when this runs, and destroys it after the exception: it must not own the handle.
     */
    public function __clone()
    {
        unset($this->handle);
        throw new \LogicException('Payseal\SecretVerifier cannot be cloned');
    }

    /** Handles are never restored from serialized data. */
    public function __unserialize(array $data): void
    {
        throw new \LogicException('Payseal\SecretVerifier cannot be unserialized');
    }

    public function __serialize(): array
    {
        throw new \LogicException('Payseal\SecretVerifier cannot be serialized');
    }
}
