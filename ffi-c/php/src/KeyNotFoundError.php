<?php
// Generated from core/codes.json (the one table); tests/run.php checks the hierarchy against it.
declare(strict_types=1);

namespace Payseal;

/** No single usable key for the token. */
class KeyNotFoundError extends VerificationError
{
}
