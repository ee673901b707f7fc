<?php
// Generated from core/codes.json (the one table); tests/run.php checks the hierarchy against it.
declare(strict_types=1);

namespace Payseal;

/** The signed timestamp is older than the tolerance allows. */
class TimestampTooOldError extends TimestampError
{
}
