<?php
// An HMAC-SHA256 key, precomputed once (the key schedule lives in the library and is zeroised
// when the object is destroyed). Tags are raw 32-byte strings; verify() compares in constant time.
declare(strict_types=1);

namespace Payseal;

use FFI;

final class HmacKey
{
    use OwnsHandle;

    /** @throws InvalidKeyError for an empty key (empty_secret) */
    public function __construct(#[\SensitiveParameter] string $key)
    {
        $handle = Library::make('PaysealHmacKey*');
        Library::check(Library::ffi()->payseal_hmac_sha256_key_new($key, strlen($key), FFI::addr($handle)));
        $this->adopt($handle, 'payseal_hmac_sha256_key_free');
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
     * @throws BadSignatureError otherwise (a tag of the wrong length included)
     */
    public function verify(string $message, string $tag): void
    {
        $ffi = Library::ffi();
        Library::check($ffi->payseal_hmac_sha256_verify($this->handle, $message, strlen($message), $tag, strlen($tag)));
    }
}
