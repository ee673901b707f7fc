<?php
// Generated from core/codes.json (the one table); tests/run.php checks the hierarchy against it.
declare(strict_types=1);

namespace Payseal;

/** Text that is not valid hex or base64. */
class EncodingError extends PaysealError
{
}
