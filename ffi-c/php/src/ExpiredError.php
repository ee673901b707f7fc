<?php
// Generated from core/codes.json (the one table); tests/run.php checks the hierarchy against it.
declare(strict_types=1);

namespace Payseal;

/** Valid once, not any more; expiresAt() is the expiry (Unix seconds) when known. */
class ExpiredError extends VerificationError
{
    /** When the document expired (Unix seconds), if the core says. */
    public function expiresAt(): ?int
    {
        return $this->details['expires_at'] ?? null;
    }
}
