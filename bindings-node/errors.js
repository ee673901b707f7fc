'use strict';
// The error classes of payseal, in one place. Every error payseal throws for bad input or a
// failed check is a `PaysealError` whose `code` is stable and comes from the conformance
// vectors' vocabulary ('syntax', 'bad_signature', ...). Argument mistakes (a number where bytes
// were expected) are Node's usual `TypeError`s with `code` 'ERR_INVALID_ARG_TYPE' or
// 'ERR_INVALID_ARG_VALUE'.
//
// The native addon reports errors with `code` = 'payseal:<code>' or 'payseal:<code>:<n>'
// (<n>: the byte offset of an input error, or the size a buffer needs); `fromNative` turns that
// into an instance of the class registered for <code> below. A capability that brings new
// codes adds them to CODES (and to index.d.ts).

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

/** A signature, hash or secret did not verify. Never says where it differed. */
class VerificationError extends PaysealError {}
/** The signature (or hash, or secret) does not match. */
class BadSignatureError extends VerificationError {}
/** The signature is good but the signed payload has expired. */
class ExpiredError extends VerificationError {}
/** The signed timestamp is outside the tolerance window. */
class TimestampError extends VerificationError {}

/** A message, header, envelope or stored hash that cannot even be checked. */
class MalformedError extends PaysealError {}

for (const C of [PaysealError, JsonError, EncodingError, BufferTooSmallError, VerificationError,
  BadSignatureError, ExpiredError, TimestampError, MalformedError]) {
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
  ['mismatch', [BadSignatureError]],
  ['expired', [ExpiredError]],
  ['timestamp_too_old', [TimestampError]],
  ['timestamp_too_new', [TimestampError]],
  ['malformed', [MalformedError]],
  ['malformed_header', [MalformedError]],
  ['malformed_body', [MalformedError]],
  ['malformed_hash', [MalformedError]],
  ['missing_header', [MalformedError]],
]);

/**
 * The error payseal throws for `code`; unknown codes (a newer core) fall back to the base class.
 * @param {string} code
 * @param {string} message
 * @param {number} [detail] the offset or needed size, for the codes that carry one
 */
function errorFor(code, message, detail) {
  const [Class, detailName] = CODES.get(code) ?? [PaysealError];
  return new Class(code, message, detailName === undefined ? undefined : { [detailName]: detail });
}

function argError(code, message) {
  const e = new TypeError(message);
  e.code = code;
  return e;
}

const WIRE = /^payseal:([a-z0-9_]+)(?::(\d+))?$/;

/** Translates an error thrown by the native addon; anything else is returned unchanged. */
function fromNative(e) {
  const m = typeof e?.code === 'string' ? WIRE.exec(e.code) : null;
  if (m === null) return e;
  const [, code, n] = m;
  if (code === 'arg_type') return argError('ERR_INVALID_ARG_TYPE', e.message);
  if (code === 'arg_value') return argError('ERR_INVALID_ARG_VALUE', e.message);
  const err = errorFor(code, e.message, n === undefined ? undefined : Number(n));
  // The stack starts at the public function that called the addon, not in this module.
  Error.captureStackTrace(err, fromNative);
  return err;
}

module.exports = {
  PaysealError,
  JsonError,
  EncodingError,
  BufferTooSmallError,
  VerificationError,
  BadSignatureError,
  ExpiredError,
  TimestampError,
  MalformedError,
  CODES,
  errorFor,
  argError,
  fromNative,
};
