<?php
// Generated from core/codes.json (the one table); tests/run.php checks the hierarchy against it.
declare(strict_types=1);

namespace Payseal;

/** The input was understood and is not to be trusted: reject the request or document. */
class VerificationError extends PaysealError
{
}
