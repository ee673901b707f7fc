'use strict';
// Paylands `validation_hash`: hex(sha256(json_encode($data) . signature)), reproduced by the
// core byte for byte (payseal::paylands).
const native = require('../native.js');
const { fromRejection } = require('../errors.js');
const { options, stringOption, call, callAsync } = require('./util.js');

const modeOf = (o) => stringOption(o, 'mode', 'notification');

/**
 * Verifies Paylands notifications (or API responses) with the service's signature, held once.
 * Reuses its parser memory across calls: keep one per process (calls are synchronous).
 */
class PaylandsVerifier {
  #state;

  /** @param {string | Uint8Array} signature the secret Paylands calls the service's signature */
  constructor(signature) {
    this.#state = call(native.paylandsKey, signature);
  }

  /**
   * Throws unless the body's `validation_hash` matches (MismatchError) and the body is a
   * Paylands notification at all (MalformedError). Returns the flag set that matched,
   * 'default' or 'unescaped'.
   * @param {string | Uint8Array} body the raw body
   * @param {{mode?: 'notification' | 'response', flags?: 'default' | 'unescaped' | 'auto'}} [opts]
   *   default `{mode: 'notification', flags: 'auto'}`
   */
  verifySync(body, opts) {
    const o = options(opts);
    const r = call(native.paylandsVerify, this.#state, body, modeOf(o), stringOption(o, 'flags', 'auto'));
    if (r.startsWith('payseal:')) throw fromRejection(r, this.verifySync);
    return r;
  }

  /** `verifySync` on the libuv thread pool (the body is copied first). */
  async verify(body, opts) {
    const o = options(opts);
    return callAsync(native.paylandsVerifyAsync, this.#state, body, modeOf(o), stringOption(o, 'flags', 'auto'));
  }

  /**
   * The `validation_hash` (64 lowercase hex digits) Paylands would send for `body`; its own
   * `validation_hash`, if any, is ignored. `opts.flags`: 'default' (the default) or 'unescaped'.
   */
  hashSync(body, opts) {
    const o = options(opts);
    return call(native.paylandsHash, this.#state, body, modeOf(o), stringOption(o, 'flags', 'default'));
  }

  /** The promise form of `hashSync`. */
  async hash(body, opts) {
    return this.hashSync(body, opts);
  }
}

/** One-shot `new PaylandsVerifier(signature).verifySync(body, opts)`, without a verifier left behind. */
function verifyPaylandsSync(signature, body, opts) {
  const o = options(opts);
  const r = call(native.paylandsVerifyOnce, signature, body, modeOf(o), stringOption(o, 'flags', 'auto'));
  if (r.startsWith('payseal:')) throw fromRejection(r, verifyPaylandsSync);
  return r;
}

/** `verifyPaylandsSync` on the libuv thread pool (the body is copied first). */
async function verifyPaylands(signature, body, opts) {
  const o = options(opts);
  return callAsync(native.paylandsVerifyOnceAsync, signature, body, modeOf(o), stringOption(o, 'flags', 'auto'));
}

/** One-shot `new PaylandsVerifier(signature).hashSync(body, opts)`, without a verifier left behind. */
function paylandsHashSync(signature, body, opts) {
  const o = options(opts);
  return call(native.paylandsHashOnce, signature, body, modeOf(o), stringOption(o, 'flags', 'default'));
}

/** The promise form of `paylandsHashSync`. */
async function paylandsHash(signature, body, opts) {
  return paylandsHashSync(signature, body, opts);
}

/**
 * The JSON text Paylands hashes for `body` (`json_encode($data)`, without the signature), for
 * diagnosis. `opts`: as for `paylandsHashSync`.
 */
function paylandsDataSync(body, opts) {
  const o = options(opts);
  return call(native.paylandsData, body, modeOf(o), stringOption(o, 'flags', 'default'));
}

/** The promise form of `paylandsDataSync`. */
async function paylandsData(body, opts) {
  return paylandsDataSync(body, opts);
}

module.exports = {
  PaylandsVerifier,
  verifyPaylandsSync,
  verifyPaylands,
  paylandsHashSync,
  paylandsHash,
  paylandsDataSync,
  paylandsData,
};
