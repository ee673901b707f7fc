<?php
// EU Pay API keys (pk_live_, pk_test_, sk_live_, sk_test_ + 32 to 128 of [A-Za-z0-9]) and
// table QR tokens and links (https://www.european-pay.fr/t/<merchant-uuid>/<32 hex token>).
declare(strict_types=1);

namespace Payseal;

use FFI;

final class Keys
{
    public const PUBLISHABLE = 'publishable';
    public const SECRET = 'secret';
    public const LIVE = 'live';
    public const TEST = 'test';

    /** The C ABI's numbers (PaysealKeyKind, PaysealKeyEnvironment). */
    private const KINDS = [self::PUBLISHABLE => 0, self::SECRET => 1];
    private const ENVIRONMENTS = [self::LIVE => 0, self::TEST => 1];
    /** Refused by the library as PAYSEAL_INVALID_ARGUMENT. */
    private const UNKNOWN = 0xFFFFFFFF;

    /**
     * A key's kind and environment.
     *
     * @return array{kind: 'publishable'|'secret', environment: 'live'|'test'}
     * @throws KeyUnknownPrefix|KeyBadLength|KeyBadCharacter
     */
    public static function inspect(#[\SensitiveParameter] string $key): array
    {
        $ffi = Library::ffi();
        $kind = Library::make('uint32_t');
        $env = Library::make('uint32_t');
        Library::check($ffi->payseal_api_key_inspect($key, strlen($key), FFI::addr($kind), FFI::addr($env)));
        return [
            'kind' => array_flip(self::KINDS)[$kind->cdata],
            'environment' => array_flip(self::ENVIRONMENTS)[$env->cdata],
        ];
    }

    /**
     * Checks that the two keys can be configured together (pk_ then sk_, same environment)
     * and returns that environment.
     *
     * @return 'live'|'test'
     * @throws ApiKeyError (KeyEnvironmentMismatch, KeyNotPublishable, KeyNotSecret, or the
     *         inspect() errors for either key)
     */
    public static function checkPair(string $publishable, #[\SensitiveParameter] string $secret): string
    {
        $ffi = Library::ffi();
        $env = Library::make('uint32_t');
        Library::check($ffi->payseal_api_key_check_pair($publishable, strlen($publishable), $secret, strlen($secret), FFI::addr($env)));
        return array_flip(self::ENVIRONMENTS)[$env->cdata];
    }

    /**
     * A new key of $kind ('publishable' or 'secret') for $environment ('live' or 'test'):
     * the prefix and 32 uniform characters of [A-Za-z0-9] from the operating system's generator.
     *
     * @throws InvalidArgument for an unknown kind or environment
     */
    public static function generate(string $kind, string $environment): string
    {
        $ffi = Library::ffi();
        $k = self::KINDS[$kind] ?? self::UNKNOWN;
        $e = self::ENVIRONMENTS[$environment] ?? self::UNKNOWN;
        return Library::output(fn ($out, $cap, $w) => $ffi->payseal_api_key_generate($k, $e, $out, $cap, $w), 40);
    }

    /** @return array{publishable: string, secret: string} a new pair for $environment */
    public static function generatePair(string $environment): array
    {
        return [
            'publishable' => self::generate(self::PUBLISHABLE, $environment),
            'secret' => self::generate(self::SECRET, $environment),
        ];
    }

    /** A fresh table token: 32 lowercase hex digits (16 random bytes). */
    public static function tableToken(): string
    {
        $ffi = Library::ffi();
        return Library::output(fn ($out, $cap, $w) => $ffi->payseal_table_token_generate($out, $cap, $w), 32);
    }

    /**
     * The table link <base><merchant-uuid>/<token>, lowercase. $base '' is
     * https://www.european-pay.fr/t/.
     *
     * @throws InvalidTableLink for a merchant that is not a UUID or a token that is not 32 hex digits
     */
    public static function tableUrl(string $merchant, #[\SensitiveParameter] string $token, string $base = ''): string
    {
        $ffi = Library::ffi();
        [$m, $t, $b] = [strlen($merchant), strlen($token), strlen($base)];
        return Library::output(
            fn ($out, $cap, $w) => $ffi->payseal_table_url($merchant, $m, $token, $t, $base, $b, $out, $cap, $w),
            ($b ?: 30) + 69,
        );
    }

    /**
     * Returns when the scanned $url names $merchant and carries $token (compared in constant time).
     *
     * @throws InvalidTableLink for every failure, whatever its cause
     */
    public static function verifyTableUrl(string $url, string $merchant, #[\SensitiveParameter] string $token, string $base = ''): void
    {
        Library::check(Library::ffi()->payseal_table_url_verify(
            $url,
            strlen($url),
            $base,
            strlen($base),
            $merchant,
            strlen($merchant),
            $token,
            strlen($token),
        ));
    }

    /**
     * The merchant UUID a table link names, to look up its tokens before verifyTableUrl()
     * (not a verification).
     *
     * @throws InvalidTableLink for a malformed link
     */
    public static function tableUrlMerchant(string $url, string $base = ''): string
    {
        $ffi = Library::ffi();
        [$u, $b] = [strlen($url), strlen($base)];
        return Library::output(fn ($out, $cap, $w) => $ffi->payseal_table_url_merchant($url, $u, $base, $b, $out, $cap, $w), 36);
    }
}
