<?php
// Generated from core/codes.json (the one table); tests/run.php checks the hierarchy against it.
declare(strict_types=1);

namespace Payseal;

/** A stored hash is not in a format payseal reads. */
class MalformedHashError extends MalformedError
{
}
