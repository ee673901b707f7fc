<?php
// Generated from core/codes.json (the one table); tests/run.php checks the hierarchy against it.
declare(strict_types=1);

namespace Payseal;

/** A caller-provided output buffer is too small; needed() is the size required (the wrapper sizes its buffers itself, so PHP code does not see it). */
class BufferTooSmallError extends PaysealError
{
    /** The size the output needs. */
    public function needed(): ?int
    {
        return $this->details['needed'] ?? null;
    }
}
