<?php
// Generated from core/codes.json (the one table); tests/run.php checks the hierarchy against it.
declare(strict_types=1);

namespace Payseal;

/** A hash or secret does not match what it was checked against (bcrypt, Paylands). */
class MismatchError extends BadSignatureError
{
}
