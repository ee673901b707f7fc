<?php
// An HMAC-SHA256 key, precomputed once (the key schedule lives in the library and is zeroised
// when the object is destroyed). Tags are raw 32-byte strings; verify() compares in constant time.
declare(strict_types=1);

namespace Payseal;

use FFI;
use FFI\CData;

final class HmacKey
{
    private CData $handle;

    /** @throws InvalidKey for an empty key */
    public function __construct(#[\SensitiveParameter] string $key)
    {
        $ffi = Library::ffi();
        $handle = Library::make('PaysealHmacKey*');
        Library::check($ffi->payseal_hmac_sha256_key_new($key, strlen($key), FFI::addr($handle)));
        $this->handle = $handle;
    }

    /** The raw 32-byte HMAC-SHA256 of $message. */
    public function sign(string $message): string
    {
        $ffi = Library::ffi();
        $n = strlen($message);
        return Library::output(
            fn ($out, $cap, $w) => $ffi->payseal_hmac_sha256($this->handle, $message, $n, $out, $cap, $w),
            32,
        );
    }

    /**
     * Returns when $tag (raw bytes) is the HMAC-SHA256 of $message; compares in constant time.
     *
     * @throws BadSignature otherwise (a tag of the wrong length included)
     */
    public function verify(string $message, string $tag): void
    {
        $ffi = Library::ffi();
        Library::check($ffi->payseal_hmac_sha256_verify($this->handle, $message, strlen($message), $tag, strlen($tag)));
    }

    public function __destruct()
    {
        if (isset($this->handle)) {
            Library::ffi()->payseal_hmac_sha256_key_free($this->handle);
        }
    }

    /**
     * A copy would share (and later double-free) the handle. PHP has already made the copy
     * when this runs, and destroys it after the exception: it must not own the handle.
     */
    public function __clone()
    {
        unset($this->handle);
        throw new \LogicException('Payseal\HmacKey cannot be cloned');
    }

    /** Handles are never restored from serialized data. */
    public function __unserialize(array $data): void
    {
        throw new \LogicException('Payseal\HmacKey cannot be unserialized');
    }

    /** Keys are never serialised. */
    public function __serialize(): array
    {
        throw new \LogicException('Payseal\HmacKey cannot be serialized');
    }

    /** @return array<string, string> */
    public function __debugInfo(): array
    {
        return ['key' => '<redacted>'];
    }
}
