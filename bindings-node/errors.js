'use strict';
// The error classes of payseal, built from the core's one table of outcomes
// (payseal::codes, committed as core/codes.json), which the native addon exports:
// `errorClasses()` gives every class with its parent, `codes()` every code with its class. No
// class, parent or code -> class mapping is written by hand here; test/codes.test.mjs fails
// when what this module exports differs from core/codes.json or from the addon's table.
//
// Every error payseal throws for bad input or a failed check is a `PaysealError` whose `code`
// is the table's name ('syntax', 'bad_signature', ...). Detail properties, where the core
// gives them: `offset` (JsonError; InvalidKeyError for bad_character), `expiresAt`
// (ExpiredError), `header` (MissingHeaderError, MalformedHeaderError), `needed`
// (BufferTooSmallError), `reason` (MalformedError, e.g. 'missing_sig'), `index` (the bad
// secret of a list), `length` (an over-long secret or key). Argument mistakes (a number where
// bytes were expected) are Node's usual `TypeError`/`RangeError`s with `code`
// 'ERR_INVALID_ARG_TYPE', 'ERR_INVALID_ARG_VALUE' or 'ERR_OUT_OF_RANGE'.
//
// The native addon reports errors with `code` = 'payseal:<code>' or
// 'payseal:<code>:<field>=<value>'; `fromNative` turns that into an instance of the class the
// table gives for <code>. Verifications on hot paths return their rejection as the string
// '<wire> <message>' instead of throwing, and `fromRejection` builds the same error from it.
const native = require('./native.js');

/** The detail properties an error may carry; numeric unless listed in TEXT_DETAILS. */
const DETAILS = ['offset', 'needed', 'index', 'length', 'expiresAt', 'header', 'reason'];
const TEXT_DETAILS = new Set(['header', 'reason']);

/** Base class: `code` is a stable, machine-readable reason (a name of core/codes.json). */
class PaysealError extends Error {
  /**
   * @param {string} code
   * @param {string} message
   * @param {{offset?: number, needed?: number, index?: number, length?: number, expiresAt?: number,
   *   header?: string, reason?: string, cause?: unknown}} [details]
   */
  constructor(code, message, details) {
    super(message, details && 'cause' in details ? { cause: details.cause } : undefined);
    this.code = code;
    if (details !== undefined && details !== null) {
      for (const k of DETAILS) if (details[k] !== undefined) this[k] = details[k];
    }
  }
}

/** Every class of the table, by name, parents first. */
const CLASSES = new Map([['PaysealError', PaysealError]]);
/** The table's parent of each class (null for PaysealError). */
const PARENTS = new Map();
for (const { name, parent } of native.errorClasses()) {
  PARENTS.set(name, parent ?? null);
  if (name === 'PaysealError') continue;
  const Parent = CLASSES.get(parent);
  if (Parent === undefined) throw new Error(`payseal: the addon's class table lists ${name} before its parent ${parent}`);
  // A computed key names the class after the table's name (`C.name`).
  const C = { [name]: class extends Parent {} }[name];
  CLASSES.set(name, C);
}
if (!PARENTS.has('PaysealError')) throw new Error("payseal: the addon's class table has no PaysealError");
for (const C of CLASSES.values()) {
  Object.defineProperty(C.prototype, 'name', { value: C.name, writable: true, configurable: true });
}

/** code name -> {number, name, class, message}, from the addon (the core's table). */
const CODES = new Map();
for (const row of native.codes()) {
  if (!CLASSES.has(row.class)) throw new Error(`payseal: code ${row.name} names an unknown class ${row.class}`);
  CODES.set(row.name, Object.freeze({ ...row }));
}

/**
 * The error payseal throws for `code`: an instance of the class the core's table gives it
 * (unknown codes, from a newer core, fall back to the base class).
 * @param {string} code
 * @param {string} message
 * @param {object} [details] detail properties (see the module comment)
 */
function errorFor(code, message, details) {
  const row = CODES.get(code);
  const Class = row === undefined ? PaysealError : CLASSES.get(row.class);
  return new Class(code, message, details);
}

/** Node's argument errors: `TypeError` for ERR_INVALID_ARG_TYPE/VALUE, `RangeError` for ERR_OUT_OF_RANGE. */
function argError(code, message) {
  const e = code === 'ERR_OUT_OF_RANGE' ? new RangeError(message) : new TypeError(message);
  e.code = code;
  return e;
}

const WIRE = /^payseal:([a-z0-9_]+)(?::([A-Za-z]+)=(.*))?$/s;
const ARG_CODES = { arg_type: 'ERR_INVALID_ARG_TYPE', arg_value: 'ERR_INVALID_ARG_VALUE', arg_range: 'ERR_OUT_OF_RANGE' };

/**
 * The error for a wire string, built WITHOUT a stack: the caller captures the one stack it
 * needs with Error.captureStackTrace, so V8 walks the frames once, not twice (a rejected
 * delivery cost 7.2 us of CPU in fromRejection, half of it two stack captures).
 */
function fromWire(wire, message) {
  const m = WIRE.exec(wire);
  if (m === null) return null;
  const [, code, field, value] = m;
  const limit = Error.stackTraceLimit;
  Error.stackTraceLimit = 0;
  try {
    if (code in ARG_CODES) return argError(ARG_CODES[code], message);
    if (field === undefined) return errorFor(code, message);
    return errorFor(code, message, { [field]: TEXT_DETAILS.has(field) ? value : Number(value) });
  } finally {
    Error.stackTraceLimit = limit;
  }
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
  if (err === null) return errorFor('internal', `unreadable rejection from the addon: ${text}`);
  Error.captureStackTrace(err, caller);
  return err;
}

module.exports = {
  ...Object.fromEntries(CLASSES),
  CLASSES,
  PARENTS,
  CODES,
  errorFor,
  argError,
  fromNative,
  fromRejection,
};
