<?php
declare(strict_types=1);

namespace Payseal;

/** A verified EU Pay QR (QrVerifier::verify()): the payload that was signed. */
final class VerifiedQr
{
    public function __construct(
        /** The canonical payload JSON, exactly the bytes that were signed. */
        public readonly string $canonical,
    ) {
    }

    /**
     * The payload decoded (json_decode of the canonical JSON).
     *
     * @return array<string, mixed>
     */
    public function payload(): array
    {
        $payload = json_decode($this->canonical, true, 512, JSON_THROW_ON_ERROR);
        return is_array($payload) ? $payload : [];
    }
}
