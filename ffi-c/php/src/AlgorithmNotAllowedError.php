<?php
// Generated from core/codes.json (the one table); tests/run.php checks the hierarchy against it.
declare(strict_types=1);

namespace Payseal;

/** The token's algorithm is not in the caller's allow-list. */
class AlgorithmNotAllowedError extends VerificationError
{
}
