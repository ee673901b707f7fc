'use strict';
// The error classes of payseal, in one place. Every error payseal throws for bad input or a
// failed check is a `PaysealError` whose `code` is stable and comes from the conformance
// vectors' vocabulary ('syntax', 'bad_signature', ...). Argument mistakes (a number where bytes
// were expected) are Node's usual `TypeError`s with `code` 'ERR_INVALID_ARG_TYPE' or
// 'ERR_INVALID_ARG_VALUE'.
//
// The native addon reports errors with `code` = 'payseal:<code>' or 'payseal:<code>:<detail>'
// (<detail>: a number, such as the byte offset of an input error or the size a buffer needs,
// or a header name); `fromNative` turns that into an instance of the class registered for
// <code> below. Verifications on hot paths return their rejection as the string
// '<wire> <message>' instead of throwing, and `fromRejection` builds the same error from it. A
// capability that brings new codes adds them to CODES (and to index.d.ts).

/** Base class: `code` is a stable, machine-readable reason. */
class PaysealError extends Error {
  /**
   * @param {string} code
   * @param {string} message
   * @param {{cause?: unknown}} [details]
   */
  constructor(code, message, details) {
    super(message, details && 'cause' in details ? { cause: details.cause } : undefined);
    this.code = code;
  }
}

/** The input is not acceptable JSON for the dialect; `offset` is the byte where it was found. */
class JsonError extends PaysealError {
  constructor(code, message, details) {
    super(code, message, details);
    this.offset = details?.offset;
  }
}

/** Not valid hex / base64 / base64url. */
class EncodingError extends PaysealError {}

/** A caller-provided output buffer is too small; `needed` is the size it must have. */
class BufferTooSmallError extends PaysealError {
  constructor(code, message, details) {
    super(code, message, details);
    this.needed = details?.needed;
  }
}

/** A signature, hash, secret or link did not verify. Never says where it differed. */
class VerificationError extends PaysealError {}
/** The signature (or hash, or secret) does not match. */
class BadSignatureError extends VerificationError {}
/** A stored hash or `validation_hash` does not match the secret or the data (`mismatch`). */
class MismatchError extends BadSignatureError {}
/** The signature is good but the signed payload has expired. */
class ExpiredError extends VerificationError {
  constructor(code, message, details) {
    super(code, message, details);
    /** When it expired, Unix seconds (rounded down). */
    this.expiresAt = details?.expiresAt;
  }
}
/** The signed timestamp is outside the tolerance window. */
class TimestampError extends VerificationError {}
/** The signed timestamp is more than the tolerance before `now`. */
class TimestampTooOldError extends TimestampError {}
/** The signed timestamp is more than the tolerance after `now`. */
class TimestampTooNewError extends TimestampError {}
/** A scanned table link is not the one on record (one error for every reason, on purpose). */
class TableLinkError extends VerificationError {}

/** A message, header, envelope or stored hash that cannot even be checked. */
class MalformedError extends PaysealError {}
/** A header the scheme needs is absent; `header` names it. */
class MissingHeaderError extends MalformedError {
  constructor(code, message, details) {
    super(code, message, details);
    this.header = details?.header;
  }
}
/** A header is present but unusable (syntax, encoding, repeated, too many signatures). */
class MalformedHeaderError extends MalformedError {
  constructor(code, message, details) {
    super(code, message, details);
    this.header = details?.header;
  }
}
/** The body is not in the scheme's format (JSON, XML, ciphertext). */
class MalformedBodyError extends MalformedError {}
/** A stored bcrypt hash is not one payseal accepts (`$2x$`, bad cost, length or alphabet). */
class MalformedHashError extends MalformedError {}
/** A header, body or document exceeds one of the documented size limits. */
class TooLargeError extends MalformedError {}

/** A secret or key given at construction cannot be used; `index` says which one. */
class KeyError extends PaysealError {
  constructor(code, message, details) {
    super(code, message, details);
    this.index = details?.index;
    this.length = details?.length;
  }
}
/** A secret that bcrypt cannot hash without truncating it (over 72 bytes, or a NUL byte). */
class SecretError extends PaysealError {
  constructor(code, message, details) {
    super(code, message, details);
    this.length = details?.length;
  }
}
/** Not a valid EU Pay API key (or not a valid pair of them). */
class ApiKeyError extends PaysealError {
  constructor(code, message, details) {
    super(code, message, details);
    this.length = details?.length;
    this.offset = details?.offset;
  }
}
/** The operating system's random generator failed. */
class RandomnessError extends PaysealError {}

const CLASSES = [PaysealError, JsonError, EncodingError, BufferTooSmallError, VerificationError,
  BadSignatureError, MismatchError, ExpiredError, TimestampError, TimestampTooOldError, TimestampTooNewError,
  TableLinkError, MalformedError, MissingHeaderError, MalformedHeaderError, MalformedBodyError,
  MalformedHashError, TooLargeError, KeyError, SecretError, ApiKeyError, RandomnessError];
for (const C of CLASSES) {
  Object.defineProperty(C.prototype, 'name', { value: C.name, writable: true, configurable: true });
}

/** Which class each code belongs to, and the name of its numeric detail, if any. */
const CODES = new Map([
  ['syntax', [JsonError, 'offset']],
  ['invalid_utf8', [JsonError, 'offset']],
  ['duplicate_key', [JsonError, 'offset']],
  ['depth', [JsonError, 'offset']],
  ['number_range', [JsonError, 'offset']],
  ['lone_surrogate', [JsonError, 'offset']],
  ['invalid_encoding', [EncodingError]],
  ['buffer_too_small', [BufferTooSmallError, 'needed']],
  ['scratch_too_small', [BufferTooSmallError, 'needed']],
  ['bad_signature', [BadSignatureError]],
  ['mismatch', [MismatchError]],
  ['expired', [ExpiredError, 'expiresAt']],
  ['timestamp_too_old', [TimestampTooOldError]],
  ['timestamp_too_new', [TimestampTooNewError]],
  ['invalid_table_link', [TableLinkError]],
  ['malformed', [MalformedError]],
  ['missing_header', [MissingHeaderError, 'header']],
  ['malformed_header', [MalformedHeaderError, 'header']],
  ['too_many_signatures', [MalformedHeaderError]],
  ['malformed_body', [MalformedBodyError]],
  ['malformed_hash', [MalformedHashError]],
  ['too_large', [TooLargeError]],
  ['no_secret', [KeyError]],
  ['too_many_secrets', [KeyError]],
  ['empty_secret', [KeyError, 'index']],
  ['empty_signature', [KeyError]],
  ['malformed_secret', [KeyError, 'index']],
  ['signature_too_long', [KeyError, 'length']],
  ['invalid_key', [KeyError]],
  ['secret_too_long', [SecretError, 'length']],
  ['secret_contains_nul', [SecretError]],
  ['unknown_prefix', [ApiKeyError]],
  ['bad_length', [ApiKeyError, 'length']],
  ['bad_character', [ApiKeyError, 'offset']],
  ['environment_mismatch', [ApiKeyError]],
  ['not_publishable', [ApiKeyError]],
  ['not_secret', [ApiKeyError]],
  ['randomness', [RandomnessError]],
]);

/**
 * The error payseal throws for `code`; unknown codes (a newer core) fall back to the base class.
 * @param {string} code
 * @param {string} message
 * @param {number | string} [detail] the offset, needed size, index or header name, for the codes
 *   that carry one
 */
function errorFor(code, message, detail) {
  const [Class, detailName] = CODES.get(code) ?? [PaysealError];
  return new Class(code, message, detailName === undefined ? undefined : { [detailName]: detail });
}

/** Node's argument errors: `TypeError` for ERR_INVALID_ARG_TYPE/VALUE, `RangeError` for ERR_OUT_OF_RANGE. */
function argError(code, message) {
  const e = code === 'ERR_OUT_OF_RANGE' ? new RangeError(message) : new TypeError(message);
  e.code = code;
  return e;
}

const WIRE = /^payseal:([a-z0-9_]+)(?::([A-Za-z0-9_-]+))?$/;
const ARG_CODES = { arg_type: 'ERR_INVALID_ARG_TYPE', arg_value: 'ERR_INVALID_ARG_VALUE', arg_range: 'ERR_OUT_OF_RANGE' };

function fromWire(wire, message) {
  const m = WIRE.exec(wire);
  if (m === null) return null;
  const [, code, detail] = m;
  if (code in ARG_CODES) return argError(ARG_CODES[code], message);
  return errorFor(code, message, detail === undefined || !/^-?\d+$/.test(detail) ? detail : Number(detail));
}

/** Translates an error thrown by the native addon; anything else is returned unchanged. */
function fromNative(e) {
  const err = typeof e?.code === 'string' ? fromWire(e.code, e.message) : null;
  if (err === null) return e;
  // The stack starts at the public function that called the addon, not in this module.
  Error.captureStackTrace(err, fromNative);
  return err;
}

/**
 * The error for a rejection string returned by the addon, `'<wire> <message>'`. `caller`: where
 * the stack should start (the public function).
 */
function fromRejection(text, caller = fromRejection) {
  const space = text.indexOf(' ');
  const err = space < 0 ? null : fromWire(text.slice(0, space), text.slice(space + 1));
  if (err === null) return new PaysealError('internal', `unreadable rejection from the addon: ${text}`);
  Error.captureStackTrace(err, caller);
  return err;
}

module.exports = {
  PaysealError,
  JsonError,
  EncodingError,
  BufferTooSmallError,
  VerificationError,
  BadSignatureError,
  MismatchError,
  ExpiredError,
  TimestampError,
  TimestampTooOldError,
  TimestampTooNewError,
  TableLinkError,
  MalformedError,
  MissingHeaderError,
  MalformedHeaderError,
  MalformedBodyError,
  MalformedHashError,
  TooLargeError,
  KeyError,
  SecretError,
  ApiKeyError,
  RandomnessError,
  CLASSES,
  CODES,
  errorFor,
  argError,
  fromNative,
  fromRejection,
};
