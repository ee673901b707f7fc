<?php
// EU Pay QR codes: sign a payment request into the QR URL, verify a scanned code. The payload
// is canonicalised as JavaScript's JSON.stringify(JSON.parse(payload)) before signing, which
// PHP's json_encode does not reproduce (floats such as 1.0, key order of numeric keys, ...).
declare(strict_types=1);

namespace Payseal;

use FFI;
use FFI\CData;

final class EuPayQr
{
    /** https://www.european-pay.fr/pay?data=<base64url envelope> */
    public const URL = 'url';
    /** The base64url envelope alone (the data parameter). */
    public const ENVELOPE_B64URL = 'envelope_b64url';
    /** {"payload":<canonical>,"sig":"<hex>"} */
    public const ENVELOPE = 'envelope';
    /** The canonical payload: the bytes that are signed. */
    public const CANONICAL = 'canonical';
    /** The signature, 64 lowercase hex digits. */
    public const SIG_HEX = 'sig_hex';

    /** The C ABI's numbers (PaysealQrPart). */
    private const PARTS = [self::URL => 0, self::ENVELOPE_B64URL => 1, self::ENVELOPE => 2, self::CANONICAL => 3, self::SIG_HEX => 4];
    /** Refused by the library as PAYSEAL_INVALID_ARGUMENT. */
    private const UNKNOWN = 0xFFFFFFFF;

    private CData $handle;

    /** @throws InvalidKey for an empty secret */
    public function __construct(#[\SensitiveParameter] string $secret)
    {
        $ffi = Library::ffi();
        $handle = Library::make('PaysealQrKey*');
        Library::check($ffi->payseal_eupay_qr_key_new($secret, strlen($secret), FFI::addr($handle)));
        $this->handle = $handle;
    }

    /**
     * The QR URL for $payloadJson (JSON text of an object, in any spelling).
     *
     * @throws JsonError (offset() says where) for text that is not JSON or repeats a key
     * @throws Malformed when the payload is not an object
     * @throws TooLarge for a payload over 64 KiB or a URL over 16 KiB
     */
    public function sign(string $payloadJson): string
    {
        $ffi = Library::ffi();
        $n = strlen($payloadJson);
        return Library::output(
            fn ($out, $cap, $w) => $ffi->payseal_eupay_qr_sign($this->handle, $payloadJson, $n, $out, $cap, $w),
            38 + intdiv(4 * ($n + 84) + 2, 3),
        );
    }

    /**
     * One form of the signed QR: self::URL, ENVELOPE_B64URL, ENVELOPE, CANONICAL or SIG_HEX.
     *
     * @throws JsonError|Malformed|TooLarge as sign(); InvalidArgument for an unknown part
     */
    public function signPart(string $payloadJson, string $part): string
    {
        $ffi = Library::ffi();
        $n = strlen($payloadJson);
        $p = self::PARTS[$part] ?? self::UNKNOWN;
        return Library::output(
            fn ($out, $cap, $w) => $ffi->payseal_eupay_qr_sign_part($this->handle, $payloadJson, $n, $p, $out, $cap, $w),
            38 + intdiv(4 * ($n + 84) + 2, 3),
        );
    }

    /**
     * Verifies scanned text (the URL, the eupay://pay?data= deep link or the bare data) at
     * $now (Unix seconds, default the current time) and returns the canonical payload JSON,
     * exactly the bytes that were signed.
     *
     * @throws BadSignature|Expired|Malformed
     */
    public function verify(string $qr, ?int $now = null): string
    {
        $ffi = Library::ffi();
        $n = strlen($qr);
        $now ??= time();
        return Library::output(
            fn ($out, $cap, $w) => $ffi->payseal_eupay_qr_verify($this->handle, $qr, $n, $now, $out, $cap, $w),
            $n,
        );
    }

    /**
     * verify(), decoded: the payload as a PHP array (json_decode of the canonical JSON).
     *
     * @return array<string, mixed>
     * @throws BadSignature|Expired|Malformed
     */
    public function verifyPayload(string $qr, ?int $now = null): array
    {
        $payload = json_decode($this->verify($qr, $now), true, 512, JSON_THROW_ON_ERROR);
        return is_array($payload) ? $payload : [];
    }

    public function __destruct()
    {
        if (isset($this->handle)) {
            Library::ffi()->payseal_eupay_qr_key_free($this->handle);
        }
    }

    /**
     * A copy would share (and later double-free) the handle. PHP has already made the copy
     * when this runs, and destroys it after the exception: it must not own the handle.
     */
    public function __clone()
    {
        unset($this->handle);
        throw new \LogicException('Payseal\EuPayQr cannot be cloned');
    }

    /** Handles are never restored from serialized data. */
    public function __unserialize(array $data): void
    {
        throw new \LogicException('Payseal\EuPayQr cannot be unserialized');
    }

    public function __serialize(): array
    {
        throw new \LogicException('Payseal\EuPayQr cannot be serialized');
    }

    /** @return array<string, string> */
    public function __debugInfo(): array
    {
        return ['secret' => '<redacted>'];
    }
}
