'use strict';
// API secrets: bcrypt (synchronous, or on the libuv thread pool), the SecretVerifier cache, EU
// Pay API keys and table links. Every rule is the core's (payseal::secrets).
const native = require('../native.js');
const { argError } = require('../errors.js');
const { options, numberOption, stringOption, call, callAsync } = require('./util.js');

// ---- bcrypt ----------------------------------------------------------------------------------

/**
 * `opts.cost`: an integer, default 10. The core checks the range 4..31 (InvalidInputError,
 * code 'cost_out_of_range').
 */
function costOf(opts) {
  const cost = numberOption(options(opts), 'cost');
  if (cost !== undefined && !Number.isInteger(cost)) {
    throw argError('ERR_OUT_OF_RANGE', `The value of "opts.cost" is out of range. It must be an integer. Received ${cost}`);
  }
  // Costs outside u32 would wrap in the addon; they are out of range all the same.
  if (cost === undefined) return undefined;
  return cost < 0 ? 0 : Math.min(cost, 0xffff);
}

/**
 * Throws unless `secret` matches the stored bcrypt `hash` ($2a$, $2b$, $2y$): a MismatchError
 * when it does not, a MalformedHashError when the hash cannot be checked. Blocks for the
 * whole bcrypt computation (~45 ms at cost 10): prefer `verifyBcrypt` in a server.
 */
function verifyBcryptSync(secret, hash) {
  call(native.bcryptVerifySync, secret, hash);
}

/** `verifyBcryptSync` on the libuv thread pool. */
async function verifyBcrypt(secret, hash) {
  await callAsync(native.bcryptVerify, secret, hash);
}

/**
 * A new `$2b$` hash of `secret` (salt from the OS generator). Refuses, rather than truncates, a
 * secret over 72 bytes or containing NUL (InvalidInputError). `opts.cost`: 4..31, default 10.
 */
function hashBcryptSync(secret, opts) {
  return call(native.bcryptHashSync, secret, costOf(opts));
}

/** `hashBcryptSync` on the libuv thread pool. */
async function hashBcrypt(secret, opts) {
  return callAsync(native.bcryptHash, secret, costOf(opts));
}

// ---- SecretVerifier --------------------------------------------------------------------------

function nowOf(opts) {
  const v = options(opts).now;
  if (v === undefined) return undefined;
  if (v instanceof Date) return v.getTime() / 1000;
  if (typeof v !== 'number') throw argError('ERR_INVALID_ARG_TYPE', 'The "opts.now" property must be a number (Unix seconds) or a Date');
  return v;
}

/**
 * bcrypt checks with a bounded, expiring cache of successes: a gateway pays bcrypt once per
 * (secret, hash) and TTL instead of on every request. The cache holds an HMAC tag under a
 * per-process random key, never the secret; failures are never cached. Share one instance.
 * With `opts.redis` (`redis://HOST:PORT[/DB]`) and `opts.cacheKey` (a Uint8Array of at least 32
 * random bytes, the same for every process sharing that Redis), successes are also kept in
 * Redis: the in-process cache first, then Redis, then bcrypt (the layering is the core's).
 * `opts.redisTimeout`: seconds, default 0.05; a slow or failing Redis only costs bcrypt.
 */
/** `[redis, cacheKey, redisTimeout]` for the native constructors (undefined when absent). */
function redisOptions(o) {
  const given = { redis: o.redis ?? undefined, redisTimeout: o.redisTimeout ?? undefined };
  return [stringOption(given, 'redis'), o.cacheKey ?? undefined, numberOption(given, 'redisTimeout')];
}

// The native handle shared() hands to the constructor (set only during that call).
let adopting = null;

class SecretVerifier {
  #native;

  /**
   * @param {{capacity?: number, ttl?: number, redis?: string, cacheKey?: Uint8Array, redisTimeout?: number}} [opts]
   *   entries (default 10000), seconds (default 300), and the optional Redis layer
   */
  constructor(opts) {
    if (adopting !== null) {
      this.#native = adopting;
      adopting = null;
      return;
    }
    const o = options(opts);
    const capacity = numberOption(o, 'capacity') ?? 10_000;
    const ttl = numberOption(o, 'ttl') ?? 300;
    this.#native = call(native.secretVerifierNew, capacity, ttl, ...redisOptions(o));
  }

  /**
   * The process's verifier called `name`, its cache kept by the native library for the life of
   * the process: the first call with a name creates it with `opts.capacity` and `opts.ttl`;
   * later calls (from any module or request handler) get the same cache whatever their options.
   * @param {string} [name] default 'default'
   * With `opts.redis` and `opts.cacheKey` (as the constructor): one Redis connection and one
   * in-process cache per process, shared by every caller of this name.
   * @param {{capacity?: number, ttl?: number, redis?: string, cacheKey?: Uint8Array, redisTimeout?: number}} [opts]
   */
  static shared(name = 'default', opts) {
    if (typeof name !== 'string') throw argError('ERR_INVALID_ARG_TYPE', 'The "name" argument must be a string');
    const o = options(opts);
    const capacity = numberOption(o, 'capacity') ?? 10_000;
    const ttl = numberOption(o, 'ttl') ?? 300;
    adopting = call(native.secretVerifierShared, name, capacity, ttl, ...redisOptions(o));
    try {
      return new SecretVerifier();
    } finally {
      adopting = null;
    }
  }

  /** Like `verifyBcryptSync`, answered from the cache when this pair succeeded within `ttl`. */
  verifySync(secret, hash, opts) {
    call(native.secretVerifierVerify, this.#native, secret, hash, nowOf(opts));
  }

  /** `verifySync` on the libuv thread pool. */
  async verify(secret, hash, opts) {
    await callAsync(native.secretVerifierVerifyAsync, this.#native, secret, hash, nowOf(opts));
  }

  /** Checks answered from the cache since construction. */
  get hits() {
    return native.secretVerifierStats(this.#native)[0];
  }

  /** Checks answered from Redis since construction (0 without Redis). */
  get storeHits() {
    return native.secretVerifierStats(this.#native)[5];
  }

  /** Checks that ran bcrypt since construction. */
  get misses() {
    return native.secretVerifierStats(this.#native)[1];
  }

  /** Entries held (expired ones included until evicted). */
  get size() {
    return native.secretVerifierStats(this.#native)[2];
  }

  /** The most successes remembered (the core lowers larger capacities to its maximum). */
  get capacity() {
    return native.secretVerifierStats(this.#native)[3];
  }

  /** Seconds a success is remembered. */
  get ttl() {
    return native.secretVerifierStats(this.#native)[4];
  }

  /** Forgets every cached success (after rotating secrets in bulk, say). */
  clear() {
    native.secretVerifierClear(this.#native);
  }
}

// ---- API keys --------------------------------------------------------------------------------

/** `{kind: 'publishable' | 'secret', environment: 'live' | 'test'}` of a key, or an InvalidKeyError. */
function inspectApiKey(key) {
  const [kind, environment] = call(native.apiKeyInspect, key);
  return { kind, environment };
}

/** The environment shared by a `pk_` and an `sk_` key, or an InvalidKeyError (a live/test mix...). */
function checkApiKeyPair(publishable, secret) {
  return call(native.apiKeyCheckPair, publishable, secret);
}

/** A new key: `kind` 'publishable' | 'secret', `environment` 'live' | 'test' (32 random characters). */
function generateApiKey(kind, environment) {
  return call(native.apiKeyGenerate, kind, environment);
}

/** A new `{publishable, secret}` pair for `environment`. */
function generateApiKeyPair(environment) {
  const [publishable, secret] = call(native.apiKeyPairGenerate, environment);
  return { publishable, secret };
}

// ---- Table links -----------------------------------------------------------------------------

const baseOf = (opts) => stringOption(options(opts), 'base', undefined);

/** A new table token: 32 lowercase hex digits from the OS generator. */
function generateTableToken() {
  return call(native.tableTokenGenerate);
}

/** The link printed on a table's QR code: `<base><merchantId>/<token>`. */
function tableUrl(merchantId, token, opts) {
  return call(native.tableUrl, merchantId, token, baseOf(opts));
}

/** The merchant a scanned table link names (to look its token up), or an InvalidTableLinkError. */
function tableUrlMerchant(url, opts) {
  return call(native.tableUrlMerchant, url, baseOf(opts));
}

/**
 * Throws an InvalidTableLinkError unless `url` is the link of this merchant and token
 * (constant time).
 */
function verifyTableUrl(merchantId, token, url, opts) {
  call(native.tableUrlVerify, url, merchantId, token, baseOf(opts));
}

module.exports = {
  verifyBcryptSync,
  verifyBcrypt,
  hashBcryptSync,
  hashBcrypt,
  SecretVerifier,
  inspectApiKey,
  checkApiKeyPair,
  generateApiKey,
  generateApiKeyPair,
  generateTableToken,
  tableUrl,
  tableUrlMerchant,
  verifyTableUrl,
};
