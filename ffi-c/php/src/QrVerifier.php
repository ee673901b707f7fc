<?php
// EU Pay QR codes, verifying side: the scanned URL, the eupay://pay?data= deep link or the
// bare data parameter; the payload is re-canonicalised before its signature is checked.
declare(strict_types=1);

namespace Payseal;

use FFI;

final class QrVerifier
{
    use OwnsHandle;

    /**
     * @throws InvalidKeyError for an empty secret (code empty_secret)
     */
    public function __construct(#[\SensitiveParameter] string $secret)
    {
        $handle = Library::make('PaysealQrKey*');
        Library::check(Library::ffi()->payseal_eupay_qr_key_new($secret, strlen($secret), FFI::addr($handle)));
        $this->adopt($handle, 'payseal_eupay_qr_key_free');
    }

    /**
     * Verifies scanned text at $now (Unix seconds, default the current time).
     *
     * @throws BadSignatureError|ExpiredError (expiresAt())|MalformedError (reason())
     */
    public function verify(string $qr, ?int $now = null): VerifiedQr
    {
        $ffi = Library::ffi();
        $n = strlen($qr);
        $now ??= time();
        return new VerifiedQr(Library::output(
            fn ($out, $cap, $w) => $ffi->payseal_eupay_qr_verify($this->handle, $qr, $n, $now, $out, $cap, $w),
            $n,
        ));
    }
}
