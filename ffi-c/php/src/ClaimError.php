<?php
// Generated from core/codes.json (the one table); tests/run.php checks the hierarchy against it.
declare(strict_types=1);

namespace Payseal;

/** A verified claim that is not the expected one. */
class ClaimError extends VerificationError
{
}
