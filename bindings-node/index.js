'use strict';
// payseal for Node.js: the public API over the native addon. This layer only checks and
// translates arguments, allocates results where JavaScript does it cheaper (Buffers), and turns
// native errors into the classes of errors.js (built from the core's table of codes). Every
// rule lives in the Rust core.
const native = require('./native.js');
const errors = require('./errors.js');
const webhooks = require('./lib/webhooks.js');
const secrets = require('./lib/secrets.js');
const paylands = require('./lib/paylands.js');
const eupay = require('./lib/eupay.js');
const { _remote, _keysOf, ...jose } = require('./lib/jose.js');
const remote = require('./lib/remote.js');

const { fromNative, argError, BufferTooSmallError } = errors;

// ---- JSON ------------------------------------------------------------------------------------

function phpFlag(opts, name) {
  const v = opts[name];
  if (v === undefined || typeof v === 'boolean') return v;
  throw argError('ERR_INVALID_ARG_TYPE', `The "opts.${name}" property must be a boolean`);
}

/** `[unescapedSlashes, unescapedUnicode]` of the options; the core parses the dialect's name. */
function phpFlags(opts) {
  if (opts === undefined || opts === null) return NO_FLAGS;
  if (typeof opts !== 'object') throw argError('ERR_INVALID_ARG_TYPE', 'The "opts" argument must be an object');
  // PHP flags with 'js' are refused by the core rather than ignored.
  return [phpFlag(opts, 'unescapedSlashes'), phpFlag(opts, 'unescapedUnicode')];
}
const NO_FLAGS = Object.freeze([undefined, undefined]);

/**
 * Canonical JSON of `input`: `JSON.stringify(JSON.parse(input))` ('js') or
 * `json_encode(json_decode(input, true))` ('php'), byte for byte, with payseal's stricter policy
 * (duplicate keys, invalid UTF-8, overflowing numbers and excessive depth are errors). A string
 * holding a lone surrogate (it has no UTF-8 form) is refused as `invalid_utf8` at the UTF-8
 * offset where the surrogate stands, never read as U+FFFD: the addon reads every JSON text
 * argument that way (src/args.rs, `Accept::Json`).
 */
function canonicalizeSync(input, dialect, opts) {
  const [slashes, unicode] = phpFlags(opts);
  try {
    return native.canonicalizeSync(input, dialect, slashes, unicode);
  } catch (e) {
    throw fromNative(e);
  }
}

/**
 * Writes the canonical bytes of `input` into `dst` (no string is made: for hashing or sending);
 * returns the number of bytes written. A BufferTooSmallError says how many are `needed`.
 */
function canonicalizeInto(input, dst, dialect, opts) {
  const [slashes, unicode] = phpFlags(opts);
  try {
    return native.canonicalizeInto(input, dst, dialect, slashes, unicode);
  } catch (e) {
    throw fromNative(e);
  }
}

/** `canonicalizeSync` on the libuv thread pool (for large documents). */
async function canonicalize(input, dialect, opts) {
  const [slashes, unicode] = phpFlags(opts);
  try {
    return await native.canonicalize(input, dialect, slashes, unicode);
  } catch (e) {
    throw fromNative(e);
  }
}

// ---- Encodings -------------------------------------------------------------------------------

// Decoded bytes land here first, then are copied into a pooled Buffer of the exact size: cheaper
// than a Buffer created by native code. Wiped after each use, since decoded bytes may be secrets.
const scratch = Buffer.alloc(8192);

function decodeWith(decodeInto, src) {
  let n;
  try {
    n = decodeInto(src, scratch);
  } catch (e) {
    const err = fromNative(e);
    if (!(err instanceof BufferTooSmallError)) throw err;
    const out = Buffer.allocUnsafe(err.needed);
    try {
      n = decodeInto(src, out);
    } catch (e2) {
      throw fromNative(e2);
    }
    return n === out.length ? out : out.subarray(0, n);
  }
  const out = Buffer.allocUnsafe(n);
  scratch.copy(out, 0, 0, n);
  scratch.fill(0, 0, n);
  return out;
}

function call1(f, a) {
  try {
    return f(a);
  } catch (e) {
    throw fromNative(e);
  }
}

function call2(f, a, b) {
  try {
    return f(a, b);
  } catch (e) {
    throw fromNative(e);
  }
}

/** Lowercase hex of `src`. */
const hexEncode = (src) => call1(native.hexEncode, src);
/** Writes the hex of `src` into `dst`; returns the bytes written. */
const hexEncodeInto = (src, dst) => call2(native.hexEncodeInto, src, dst);
/** Decodes hex (either case). */
const hexDecode = (src) => decodeWith(native.hexDecodeInto, src);
/** Decodes hex into `dst`; returns the bytes written. */
const hexDecodeInto = (src, dst) => call2(native.hexDecodeInto, src, dst);

/** Unpadded base64url of `src`. */
const base64urlEncode = (src) => call1(native.base64urlEncode, src);
/** Writes the unpadded base64url of `src` into `dst`; returns the bytes written. */
const base64urlEncodeInto = (src, dst) => call2(native.base64urlEncodeInto, src, dst);
/** Decodes base64url; `=` padding is optional but must be right when present. */
const base64urlDecode = (src) => decodeWith(native.base64urlDecodeInto, src);
/** Decodes base64url into `dst`; returns the bytes written. */
const base64urlDecodeInto = (src, dst) => call2(native.base64urlDecodeInto, src, dst);

/** Padded standard base64 of `src`. */
const base64Encode = (src) => call1(native.base64Encode, src);
/** Writes the padded base64 of `src` into `dst`; returns the bytes written. */
const base64EncodeInto = (src, dst) => call2(native.base64EncodeInto, src, dst);
/** Decodes padded standard base64. */
const base64Decode = (src) => decodeWith(native.base64DecodeInto, src);
/** Decodes padded standard base64 into `dst`; returns the bytes written. */
const base64DecodeInto = (src, dst) => call2(native.base64DecodeInto, src, dst);

/**
 * True when `a` and `b` (strings, taken as UTF-8, or bytes) are equal, in time that depends only
 * on their lengths. The one boolean of the API: a comparison, not a verification.
 */
const compareDigest = (a, b) => call2(native.compareDigest, a, b);

module.exports = {
  canonicalizeSync,
  canonicalizeInto,
  canonicalize,
  hexEncode,
  hexEncodeInto,
  hexDecode,
  hexDecodeInto,
  base64urlEncode,
  base64urlEncodeInto,
  base64urlDecode,
  base64urlDecodeInto,
  base64Encode,
  base64EncodeInto,
  base64Decode,
  base64DecodeInto,
  compareDigest,
  ...webhooks,
  ...secrets,
  ...paylands,
  ...eupay,
  ...jose,
  ...remote,
  // Every class of core/codes.json, with the table's parents (errors.js builds them).
  ...Object.fromEntries(errors.CLASSES),
};
