<?php
// Generated from core/codes.json (the one table); tests/run.php checks the hierarchy against it.
declare(strict_types=1);

namespace Payseal;

/** Input refused on purpose rather than silently altered: an unknown name, a bcrypt cost out of range, a secret that would be truncated, a payload that is not an object. */
class InvalidInputError extends PaysealError
{
}
