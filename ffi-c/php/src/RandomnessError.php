<?php
// Generated from core/codes.json (the one table); tests/run.php checks the hierarchy against it.
declare(strict_types=1);

namespace Payseal;

/** The operating system's random generator failed (salts, keys, tokens). */
class RandomnessError extends PaysealError
{
}
