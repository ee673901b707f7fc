<?php
// Generated from core/codes.json (the one table); tests/run.php checks the hierarchy against it.
declare(strict_types=1);

namespace Payseal;

/** JSON that the dialect does not accept; offset() is the byte where the problem was found. */
class JsonError extends PaysealError
{
    /** The input byte offset where the problem was found. */
    public function offset(): int
    {
        return (int) ($this->details['offset'] ?? 0);
    }
}
