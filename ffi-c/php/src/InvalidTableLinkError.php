<?php
// Generated from core/codes.json (the one table); tests/run.php checks the hierarchy against it.
declare(strict_types=1);

namespace Payseal;

/** A scanned table link is not the one on record (one error for every reason). */
class InvalidTableLinkError extends VerificationError
{
}
