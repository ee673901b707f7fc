<?php
// Generated from core/codes.json (the one table); tests/run.php checks the hierarchy against it.
declare(strict_types=1);

namespace Payseal;

/** A bug in payseal, caught at the language boundary (a Rust panic); nothing was written. */
class InternalError extends PaysealError
{
}
