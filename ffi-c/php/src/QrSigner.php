<?php
// EU Pay QR codes, signing side: the payload is canonicalised as JavaScript's
// JSON.stringify(JSON.parse(payload)) before signing, which PHP's json_encode does not
// reproduce (floats such as 1.0, key order of numeric keys, ...).
declare(strict_types=1);

namespace Payseal;

use FFI;

final class QrSigner
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
     * The QR URL for $payload (JSON text of an object, in any spelling):
     * https://www.european-pay.fr/pay?data=<base64url envelope>.
     *
     * @throws JsonError (offset() says where) for text that is not JSON or repeats a key
     * @throws InvalidInputError when the payload is not an object (payload_not_object)
     * @throws TooLargeError for a payload over 64 KiB or a URL over 16 KiB
     */
    public function sign(string $payload): string
    {
        $ffi = Library::ffi();
        $n = strlen($payload);
        return Library::output(
            fn ($out, $cap, $w) => $ffi->payseal_eupay_qr_sign($this->handle, $payload, $n, $out, $cap, $w),
            38 + intdiv(4 * ($n + 84) + 2, 3),
        );
    }

    /**
     * Every form of the signed QR: the canonical payload, the hex signature, the envelope JSON
     * and the URL.
     *
     * @throws JsonError|InvalidInputError|TooLargeError as sign()
     */
    public function signParts(string $payload): SignedQr
    {
        return new SignedQr(
            canonical: $this->part($payload, 3),
            sig: $this->part($payload, 4),
            envelope: $this->part($payload, 2),
            url: $this->part($payload, 0),
        );
    }

    /** One PaysealQrPart of the signed QR. */
    private function part(string $payload, int $part): string
    {
        $ffi = Library::ffi();
        $n = strlen($payload);
        return Library::output(
            fn ($out, $cap, $w) => $ffi->payseal_eupay_qr_sign_part($this->handle, $payload, $n, $part, $out, $cap, $w),
            38 + intdiv(4 * ($n + 84) + 2, 3),
        );
    }
}
