<?php
// Generated from core/codes.json (the one table); tests/run.php checks the hierarchy against it.
declare(strict_types=1);

namespace Payseal;

/** A header is present but unusable; header() names it. */
class MalformedHeaderError extends MalformedError
{
    /** The header's name as the provider spells it. */
    public function header(): ?string
    {
        return $this->details['header'] ?? null;
    }
}
