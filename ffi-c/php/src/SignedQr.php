<?php
declare(strict_types=1);

namespace Payseal;

/** A signed EU Pay QR in every form (QrSigner::signParts()). */
final class SignedQr
{
    public function __construct(
        /** The canonical payload, JSON.stringify(JSON.parse(payload)): the bytes that are signed. */
        public readonly string $canonical,
        /** HMAC-SHA256 of the canonical payload, 64 lowercase hex digits. */
        public readonly string $sig,
        /** The envelope JSON, {"payload":<canonical>,"sig":"<hex>"}. */
        public readonly string $envelope,
        /** https://www.european-pay.fr/pay?data=<base64url envelope> */
        public readonly string $url,
    ) {
    }
}
