'use strict';
// Argument helpers shared by the capability modules: option objects, times, and calls into the
// addon that translate its errors.
const { argError, fromNative } = require('../errors.js');

/** `opts` as an object (`undefined`/`null` mean no options). */
function options(opts, name = 'opts') {
  if (opts === undefined || opts === null) return {};
  if (typeof opts !== 'object') throw argError('ERR_INVALID_ARG_TYPE', `The "${name}" argument must be an object`);
  return opts;
}

/** A string option, or `fallback` when absent. */
function stringOption(opts, key, fallback) {
  const v = opts[key];
  if (v === undefined) return fallback;
  if (typeof v !== 'string') throw argError('ERR_INVALID_ARG_TYPE', `The "opts.${key}" property must be a string`);
  return v;
}

/**
 * A number option, or `undefined` when absent (the core's default then applies). Range checks
 * are the addon's.
 */
function numberOption(opts, key) {
  const v = opts[key];
  if (v === undefined) return undefined;
  if (typeof v !== 'number') throw argError('ERR_INVALID_ARG_TYPE', `The "opts.${key}" property must be a number`);
  return v;
}

/**
 * `opts.now` as whole Unix seconds: a number of seconds (fractions are dropped, as a clock
 * reading in seconds would be) or a `Date`. `undefined` when absent: the addon reads the clock.
 */
function unixSeconds(opts) {
  const v = opts.now;
  if (v === undefined) return undefined;
  if (v instanceof Date) return Math.floor(v.getTime() / 1000);
  if (typeof v !== 'number') throw argError('ERR_INVALID_ARG_TYPE', 'The "opts.now" property must be a number (Unix seconds) or a Date');
  return Number.isFinite(v) ? Math.floor(v) : v;
}

/** Calls `f(...args)`, translating the addon's errors. */
function call(f, ...args) {
  try {
    return f(...args);
  } catch (e) {
    throw fromNative(e);
  }
}

/** Awaits the addon's promise (or call), translating its errors. */
async function callAsync(f, ...args) {
  try {
    return await f(...args);
  } catch (e) {
    throw fromNative(e);
  }
}

/** True for the byte inputs the addon reads in place. */
const isBytes = (v) => v instanceof Uint8Array;

/** A byte length of a string or bytes input, without encoding the string. */
const byteLengthHint = (v) => (typeof v === 'string' ? v.length * 3 : isBytes(v) ? v.byteLength : 0);

module.exports = { options, stringOption, numberOption, unixSeconds, call, callAsync, isBytes, byteLengthHint };
