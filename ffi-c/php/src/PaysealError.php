<?php
// The base of every payseal failure. The subclasses (one file each, generated from
// core/codes.json) say what happened, so callers catch exactly the outcome they act on.
declare(strict_types=1);

namespace Payseal;

/**
 * Base class of every payseal failure. code() is the outcome's stable name ("bad_signature",
 * "syntax", ...: the conformance vectors' vocabulary, the same in every language); getCode()
 * is the C ABI's number (PAYSEAL_*).
 */
class PaysealError extends \RuntimeException
{
    /**
     * @param array{offset?: int, expires_at?: int, needed?: int, header?: string, reason?: string} $details
     */
    public function __construct(
        string $message,
        int $number,
        private readonly string $codeName,
        protected readonly array $details = [],
    ) {
        parent::__construct($message, $number);
    }

    /** The outcome's name in the core's table ("bad_signature", "syntax", ...). */
    public function code(): string
    {
        return $this->codeName;
    }

    /**
     * What the core said about this failure, as far as it applies (offset, expires_at,
     * needed, header, reason).
     *
     * @return array{offset?: int, expires_at?: int, needed?: int, header?: string, reason?: string}
     */
    public function details(): array
    {
        return $this->details;
    }
}
