<?php
// bcrypt hashes of API secrets ($2a$, $2b$, $2y$), with OpenBSD semantics: only the first 72
// bytes of a secret count and a NUL byte is data (PHP's password_verify stops at a NUL and
// accepts "abc\0anything" for a hash of "abc"; payseal does not).
declare(strict_types=1);

namespace Payseal;

final class Bcrypt
{
    /** PHP's password_hash default; about 45 ms per check. */
    public const DEFAULT_COST = 10;
    /** Bytes in a hash ($2b$10$ + 53 characters). */
    public const HASH_LENGTH = 60;
    /** Bytes of a raw salt. */
    public const SALT_LENGTH = 16;

    /**
     * Returns when $secret matches the stored $hash.
     *
     * @throws Mismatch when it does not
     * @throws MalformedHash when $hash is not a bcrypt hash payseal accepts ($2x$, other
     *         prefixes, costs outside 4..31, bad length or alphabet)
     */
    public static function verify(#[\SensitiveParameter] string $secret, string $hash): void
    {
        Library::check(Library::ffi()->payseal_bcrypt_verify($secret, strlen($secret), $hash, strlen($hash)));
    }

    /**
     * The $2b$ hash of $secret at $cost, with a fresh salt from the operating system (or the
     * 16 raw bytes of $salt, for reproducible tests). $2b$ verifies in PHP, Python and Node.
     *
     * @throws SecretTooLong over 72 bytes; SecretContainsNul; CostOutOfRange; InvalidArgument
     *         for a salt that is not 16 bytes
     */
    public static function hash(#[\SensitiveParameter] string $secret, int $cost = self::DEFAULT_COST, ?string $salt = null): string
    {
        $ffi = Library::ffi();
        $salt ??= '';
        $n = strlen($secret);
        $saltLen = strlen($salt);
        return Library::output(
            fn ($out, $cap, $w) => $ffi->payseal_bcrypt_hash($secret, $n, $cost, $salt, $saltLen, $out, $cap, $w),
            self::HASH_LENGTH,
        );
    }
}
