<?php
// Every payseal failure is a Payseal\Error; the subclass says what happened, so callers can
// catch exactly the outcome they act on (for example BadSignature versus Malformed).
declare(strict_types=1);

namespace Payseal;

/**
 * Base class of every payseal failure. getCode() is the C ABI's result code (PAYSEAL_*),
 * name() its stable short name ("bad_signature", "syntax", ...).
 */
class Error extends \RuntimeException
{
    /** Result name => exception class, for every result code the C ABI defines. */
    private const CLASSES = [
        'null_pointer' => InvalidArgument::class,
        'invalid_argument' => InvalidArgument::class,
        'buffer_too_small' => InternalError::class,
        'internal' => InternalError::class,
        'invalid_encoding' => InvalidEncoding::class,
        'invalid_key' => InvalidKey::class,
        'randomness' => RandomnessError::class,
        'syntax' => JsonSyntax::class,
        'invalid_utf8' => JsonInvalidUtf8::class,
        'duplicate_key' => JsonDuplicateKey::class,
        'depth' => JsonDepth::class,
        'number_range' => JsonNumberRange::class,
        'lone_surrogate' => JsonLoneSurrogate::class,
        'bad_signature' => BadSignature::class,
        'expired' => Expired::class,
        'malformed' => Malformed::class,
        'mismatch' => Mismatch::class,
        'malformed_hash' => MalformedHash::class,
        'missing_header' => MissingHeader::class,
        'malformed_header' => MalformedHeader::class,
        'malformed_body' => MalformedBody::class,
        'timestamp_too_old' => TimestampTooOld::class,
        'timestamp_too_new' => TimestampTooNew::class,
        'too_many_signatures' => TooManySignatures::class,
        'too_large' => TooLarge::class,
        'cost_out_of_range' => CostOutOfRange::class,
        'secret_too_long' => SecretTooLong::class,
        'secret_contains_nul' => SecretContainsNul::class,
        'unknown_prefix' => KeyUnknownPrefix::class,
        'bad_length' => KeyBadLength::class,
        'bad_character' => KeyBadCharacter::class,
        'environment_mismatch' => KeyEnvironmentMismatch::class,
        'not_publishable' => KeyNotPublishable::class,
        'not_secret' => KeyNotSecret::class,
        'invalid_table_link' => InvalidTableLink::class,
    ];

    public function __construct(string $message, int $code, private readonly string $name)
    {
        parent::__construct($message, $code);
    }

    /** The result's short name, as in the conformance vectors ("bad_signature", "syntax", ...). */
    public function name(): string
    {
        return $this->name;
    }

    /**
     * The exception for a non-zero result code. $written is the call's *out_written, which
     * holds the input offset for JSON errors.
     */
    public static function fromResult(int $code, int $written = 0): self
    {
        $ffi = Library::ffi();
        $name = $ffi->payseal_result_name($code);
        $message = $ffi->payseal_result_describe($code);
        $class = self::CLASSES[$name] ?? self::class;
        if (is_subclass_of($class, JsonError::class)) {
            return new $class("$message at byte $written", $code, $name, $written);
        }
        return new $class($message, $code, $name);
    }
}

/** The library could not be found or loaded, or it implements another ABI generation. */
class LibraryError extends Error
{
}

/** An argument the C ABI refused (a bug in the caller or in this wrapper). */
class InvalidArgument extends Error
{
}

/** A bug inside payseal, caught at the ABI boundary. */
class InternalError extends Error
{
}

/** Input that is not valid hex or base64url. */
class InvalidEncoding extends Error
{
}

/** An unusable key (for example an empty one, or not in the scheme's key format). */
class InvalidKey extends Error
{
}

/** The operating system's random generator failed (salts, keys, tokens). */
class RandomnessError extends Error
{
}

/** bcrypt: the cost is outside 4..31. */
class CostOutOfRange extends InvalidArgument
{
}

/** bcrypt: a secret to hash is longer than 72 bytes (refused, never truncated). */
class SecretTooLong extends InvalidArgument
{
}

/** bcrypt: a secret to hash contains a NUL byte. */
class SecretContainsNul extends InvalidArgument
{
}

/** An EU Pay API key (or pair of keys) was refused. */
class ApiKeyError extends Error
{
}

/** Not pk_live_, pk_test_, sk_live_ or sk_test_. */
class KeyUnknownPrefix extends ApiKeyError
{
}

/** The key's body is not 32 to 128 characters. */
class KeyBadLength extends ApiKeyError
{
}

/** The key's body has a character outside [A-Za-z0-9]. */
class KeyBadCharacter extends ApiKeyError
{
}

/** A pair mixes a live and a test key. */
class KeyEnvironmentMismatch extends ApiKeyError
{
}

/** The publishable half of a pair is a secret key. */
class KeyNotPublishable extends ApiKeyError
{
}

/** The secret half of a pair is a publishable key. */
class KeyNotSecret extends ApiKeyError
{
}

/** The JSON input was rejected; offset() is the byte where the problem was found. */
class JsonError extends Error
{
    public function __construct(string $message, int $code, string $name, private readonly int $offset = 0)
    {
        parent::__construct($message, $code, $name);
    }

    public function offset(): int
    {
        return $this->offset;
    }
}

class JsonSyntax extends JsonError
{
}

class JsonInvalidUtf8 extends JsonError
{
}

class JsonDuplicateKey extends JsonError
{
}

class JsonDepth extends JsonError
{
}

class JsonNumberRange extends JsonError
{
}

class JsonLoneSurrogate extends JsonError
{
}

/** A verification said no: the request or document must be rejected. */
class VerificationError extends Error
{
}

class BadSignature extends VerificationError
{
}

class Expired extends VerificationError
{
}

class Malformed extends VerificationError
{
}

class Mismatch extends VerificationError
{
}

class MalformedHash extends VerificationError
{
}

class MissingHeader extends VerificationError
{
}

class MalformedHeader extends VerificationError
{
}

class MalformedBody extends VerificationError
{
}

class TimestampTooOld extends VerificationError
{
}

class TimestampTooNew extends VerificationError
{
}

/** A header lists more signatures than payseal looks at. */
class TooManySignatures extends VerificationError
{
}

/** A header, body or document exceeds a documented size limit. */
class TooLarge extends VerificationError
{
}

/** A table link is invalid or not the merchant's (deliberately without detail). */
class InvalidTableLink extends VerificationError
{
}
