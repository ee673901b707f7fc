<?php
// Generated from core/codes.json (the one table); tests/run.php checks the hierarchy against it.
declare(strict_types=1);

namespace Payseal;

/** The message cannot be checked at all; reason() is the core's reason when it gives one. */
class MalformedError extends VerificationError
{
    /** Why, in the core's words ("missing_sig", "bad_base64", ...), if it says. */
    public function reason(): ?string
    {
        return $this->details['reason'] ?? null;
    }
}
