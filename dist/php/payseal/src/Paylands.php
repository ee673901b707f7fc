<?php
// Paylands validation_hash = hex(sha256(json_encode($data) . $signature)), reproduced byte for
// byte from the raw body (no json_decode round trip in PHP). Keep one object per signature.
declare(strict_types=1);

namespace Payseal;

use FFI;
use FFI\CData;

final class Paylands
{
    /** $data = order, client, and extra_data when present. */
    public const NOTIFICATION = 'notification';
    /** $data = every top-level member but message, code, current_time, validation_hash. */
    public const RESPONSE = 'response';
    /** json_encode's default flags (the documented form). */
    public const FLAGS_DEFAULT = 'default';
    /** JSON_UNESCAPED_UNICODE | JSON_UNESCAPED_SLASHES. */
    public const FLAGS_UNESCAPED = 'unescaped';
    /** Verification only: either flag set; verify() says which one matched. */
    public const FLAGS_AUTO = 'auto';

    /** The C ABI's numbers (PaysealPaylandsMode, PaysealPaylandsFlags). */
    private const MODES = [self::NOTIFICATION => 0, self::RESPONSE => 1];
    private const FLAGS = [self::FLAGS_DEFAULT => 0, self::FLAGS_UNESCAPED => 1, self::FLAGS_AUTO => 2];
    /** Refused by the library as PAYSEAL_INVALID_ARGUMENT. */
    private const UNKNOWN = 0xFFFFFFFF;

    private CData $handle;

    /**
     * @param string $signature the service's signature from the Paylands back office (a secret)
     * @throws InvalidKey when empty or longer than 256 bytes
     */
    public function __construct(#[\SensitiveParameter] string $signature)
    {
        $ffi = Library::ffi();
        $handle = Library::make('PaysealPaylandsKey*');
        Library::check($ffi->payseal_paylands_key_new($signature, strlen($signature), FFI::addr($handle)));
        $this->handle = $handle;
    }

    /**
     * Returns which flag set the body's validation_hash was made with ('default' or
     * 'unescaped') when it is genuine.
     *
     * @param string $body the raw body, exactly as received
     * @throws Mismatch forged, tampered with, or signed with another signature or other flags
     * @throws Malformed not JSON, no or bad validation_hash, no order (notification mode)
     * @throws InvalidArgument for an unknown mode or flag set
     */
    public function verify(string $body, string $mode = self::NOTIFICATION, string $flags = self::FLAGS_AUTO): string
    {
        $ffi = Library::ffi();
        $matched = Library::make('uint32_t');
        Library::check($ffi->payseal_paylands_verify(
            $this->handle,
            $body,
            strlen($body),
            self::MODES[$mode] ?? self::UNKNOWN,
            self::FLAGS[$flags] ?? self::UNKNOWN,
            FFI::addr($matched),
        ));
        return array_flip(self::FLAGS)[$matched->cdata];
    }

    /**
     * The lowercase hex validation_hash Paylands would send for $body ($flags 'default' or
     * 'unescaped'), to simulate notifications or test a handler.
     *
     * @throws Malformed|InvalidArgument
     */
    public function hash(string $body, string $mode = self::NOTIFICATION, string $flags = self::FLAGS_DEFAULT): string
    {
        $ffi = Library::ffi();
        $n = strlen($body);
        $m = self::MODES[$mode] ?? self::UNKNOWN;
        $f = self::FLAGS[$flags] ?? self::UNKNOWN;
        return Library::output(fn ($out, $cap, $w) => $ffi->payseal_paylands_hash($this->handle, $body, $n, $m, $f, $out, $cap, $w), 64);
    }

    /**
     * The JSON that is hashed, json_encode($data, flags) without the signature: what to compare
     * when a hash does not match.
     *
     * @throws Malformed|InvalidArgument
     */
    public static function encodeData(string $body, string $mode = self::NOTIFICATION, string $flags = self::FLAGS_DEFAULT): string
    {
        $ffi = Library::ffi();
        $n = strlen($body);
        $m = self::MODES[$mode] ?? self::UNKNOWN;
        $f = self::FLAGS[$flags] ?? self::UNKNOWN;
        return Library::output(fn ($out, $cap, $w) => $ffi->payseal_paylands_encode_data($body, $n, $m, $f, $out, $cap, $w), $n + 64);
    }

    public function __destruct()
    {
        if (isset($this->handle)) {
            Library::ffi()->payseal_paylands_key_free($this->handle);
        }
    }

    /**
     * A copy would share (and later double-free) the handle. PHP has already made the copy
     * when this runs, and destroys it after the exception: it must not own the handle.
     */
    public function __clone()
    {
        unset($this->handle);
        throw new \LogicException('Payseal\Paylands cannot be cloned');
    }

    /** Handles are never restored from serialized data. */
    public function __unserialize(array $data): void
    {
        throw new \LogicException('Payseal\Paylands cannot be unserialized');
    }

    public function __serialize(): array
    {
        throw new \LogicException('Payseal\Paylands cannot be serialized');
    }

    /** @return array<string, string> */
    public function __debugInfo(): array
    {
        return ['signature' => '<redacted>'];
    }
}
