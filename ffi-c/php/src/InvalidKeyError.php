<?php
// Generated from core/codes.json (the one table); tests/run.php checks the hierarchy against it.
declare(strict_types=1);

namespace Payseal;

/** A key, secret or signing secret that payseal cannot use (empty, malformed, an API key of the wrong form). */
class InvalidKeyError extends InvalidInputError
{
    /** The offset of the offending character (an API key's bad_character), if any. */
    public function offset(): ?int
    {
        return $this->details['offset'] ?? null;
    }
}
