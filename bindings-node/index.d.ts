// Types of the `payseal` package (index.js / index.mjs). Keep in step with index.js and
// errors.js: test/exports.test.mjs checks that every runtime export is declared here.
/// <reference types="node" />

// ---- JSON ------------------------------------------------------------------------------------

/** Whose output to reproduce: `JSON.stringify(JSON.parse(x))` or PHP's `json_encode(json_decode(x, true))`. */
export type Dialect = 'js' | 'php';

/** `json_encode` flags, for the 'php' dialect only (passing them with 'js' is an error). */
export interface PhpOptions {
  /** `JSON_UNESCAPED_SLASHES`: print `/` rather than `\/`. */
  unescapedSlashes?: boolean;
  /** `JSON_UNESCAPED_UNICODE`: print non-ASCII characters as UTF-8 rather than `\uXXXX`. */
  unescapedUnicode?: boolean;
}

/**
 * The canonical form of a JSON text, byte for byte as the dialect's engine prints it, with
 * payseal's stricter policy: invalid UTF-8, duplicate keys, numbers overflowing to infinity and
 * excessive nesting are errors. A string input is taken as its UTF-8.
 * @throws {JsonError} when the input is rejected (`code` says why, `offset` where).
 */
export function canonicalizeSync(input: string | Uint8Array, dialect: Dialect, opts?: PhpOptions): string;

/**
 * Writes the canonical bytes into `dst` (which must not overlap `input`) and returns how many
 * were written; no string is created. Size `dst` generously: a {@link BufferTooSmallError} says
 * how many bytes are `needed`.
 * @throws {JsonError} when the input is rejected.
 */
export function canonicalizeInto(input: string | Uint8Array, dst: Uint8Array, dialect: Dialect, opts?: PhpOptions): number;

/** {@link canonicalizeSync} on the libuv thread pool; rejects with a {@link JsonError}. */
export function canonicalize(input: string | Uint8Array, dialect: Dialect, opts?: PhpOptions): Promise<string>;

// ---- Encodings -------------------------------------------------------------------------------
// `…Encode` returns text; `…Decode` returns a new Buffer; the `…Into` forms write into `dst`
// (which must not overlap the input) and return the number of bytes written, throwing a
// BufferTooSmallError that says how many are `needed` when `dst` is too short.

/** Lowercase hex. */
export function hexEncode(src: Uint8Array): string;
export function hexEncodeInto(src: Uint8Array, dst: Uint8Array): number;
/** Hex in either case; an odd length or a non-hex character is an {@link EncodingError}. */
export function hexDecode(src: string | Uint8Array): Buffer;
export function hexDecodeInto(src: string | Uint8Array, dst: Uint8Array): number;

/** base64url without padding. */
export function base64urlEncode(src: Uint8Array): string;
export function base64urlEncodeInto(src: Uint8Array, dst: Uint8Array): number;
/** base64url; `=` padding is optional but must be correct when present. */
export function base64urlDecode(src: string | Uint8Array): Buffer;
export function base64urlDecodeInto(src: string | Uint8Array, dst: Uint8Array): number;

/** Standard base64 with padding. */
export function base64Encode(src: Uint8Array): string;
export function base64EncodeInto(src: Uint8Array, dst: Uint8Array): number;
/** Standard base64; padding is required (RFC 4648 §4). */
export function base64Decode(src: string | Uint8Array): Buffer;
export function base64DecodeInto(src: string | Uint8Array, dst: Uint8Array): number;

// ---- Errors ----------------------------------------------------------------------------------

export type JsonErrorCode = 'syntax' | 'invalid_utf8' | 'duplicate_key' | 'depth' | 'number_range' | 'lone_surrogate';
export type MalformedErrorCode = 'malformed' | 'malformed_header' | 'malformed_body' | 'malformed_hash' | 'missing_header';
export type ErrorCode =
  | JsonErrorCode
  | MalformedErrorCode
  | 'invalid_encoding'
  | 'buffer_too_small'
  | 'scratch_too_small'
  | 'bad_signature'
  | 'mismatch'
  | 'expired'
  | 'timestamp_too_old'
  | 'timestamp_too_new'
  | 'internal';

/** Base class of every error payseal throws for bad input or a failed check. */
export class PaysealError extends Error {
  constructor(code: string, message: string, details?: { cause?: unknown });
  /** Stable, machine-readable reason (the conformance vectors' vocabulary). */
  readonly code: ErrorCode | (string & {});
}

/** The JSON text was rejected. */
export class JsonError extends PaysealError {
  constructor(code: string, message: string, details?: { offset?: number; cause?: unknown });
  readonly code: JsonErrorCode;
  /** Byte offset in the input where the problem was found. */
  readonly offset: number | undefined;
}

/** Not valid hex, base64 or base64url. */
export class EncodingError extends PaysealError {
  readonly code: 'invalid_encoding';
}

/** The output buffer passed to an `…Into` function is too small. */
export class BufferTooSmallError extends PaysealError {
  constructor(code: string, message: string, details?: { needed?: number; cause?: unknown });
  readonly code: 'buffer_too_small' | 'scratch_too_small';
  /** The size the buffer needs. */
  readonly needed: number | undefined;
}

/** A signature, hash or secret did not verify (never says where it differed). */
export class VerificationError extends PaysealError {}
/** The signature, hash or secret does not match. */
export class BadSignatureError extends VerificationError {
  readonly code: 'bad_signature' | 'mismatch';
}
/** The signature is good but the payload has expired. */
export class ExpiredError extends VerificationError {
  readonly code: 'expired';
}
/** The signed timestamp is outside the tolerance window. */
export class TimestampError extends VerificationError {
  readonly code: 'timestamp_too_old' | 'timestamp_too_new';
}
/** A message, header, envelope or stored hash that cannot be checked at all. */
export class MalformedError extends PaysealError {
  readonly code: MalformedErrorCode;
}
