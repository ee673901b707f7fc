'use strict';
// JOSE: JWS (RFC 7515) and JWT (RFC 7519) verified against JWK Sets (RFC 7517) and signed with
// one JWK. Every rule is the core's (payseal::jose): strict compact parsing, the algorithm
// allow-list (no `none`), `crit` refused, key selection by `kid` and type, claim checks. This
// module converts arguments (objects become JSON text with JSON.stringify; claims come back as
// JSON text and are JSON.parse'd here) and picks the native call.
//
// No call leaves a native object for the garbage collector: verifiers and key sets hold their
// native halves for their lifetime, the one-shot forms parse keys and policy for the call only.
const native = require('../native.js');
const { argError, errorFor } = require('../errors.js');
const { options, numberOption, unixSeconds, call, callAsync } = require('./util.js');

/** JSON text of a document given as an object; strings and bytes pass unchanged. */
function jsonText(value, name) {
  if (typeof value === 'string' || value instanceof Uint8Array) return value;
  if (value !== null && typeof value === 'object') return JSON.stringify(value);
  throw argError('ERR_INVALID_ARG_TYPE', `The "${name}" argument must be an object, a JSON string or a Uint8Array`);
}

/** `opts.algorithms`: a non-empty array of names (no default: never guess). */
function algorithmsOf(o) {
  const algs = o.algorithms;
  if (!Array.isArray(algs) || algs.length === 0 || !algs.every((a) => typeof a === 'string')) {
    throw argError('ERR_INVALID_ARG_TYPE', 'The "algorithms" option must be a non-empty array of algorithm names (such as ["RS256"])');
  }
  return algs;
}

function optionalString(o, key) {
  const v = o[key];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'string') throw argError('ERR_INVALID_ARG_TYPE', `The "opts.${key}" property must be a string`);
  return v;
}

/** The parsed claims (the core checked they are one JSON object). */
const parseClaims = (text) => JSON.parse(text);

/** A JWK Set's native half; set by the class. */
let keysOf;

/**
 * A JWK Set (`{"keys": [...]}`), parsed once. Keys payseal cannot use for signatures (unknown
 * `kty`, `use: "enc"` such as Keycloak's RSA-OAEP key, RSA under 2048 bits, ...) are skipped
 * and counted, never an error of the whole set.
 */
class JwkSet {
  #native;
  #info;

  /** @param {object | string | Uint8Array} document the JWK Set, as an object or JSON text */
  constructor(document) {
    this.#native = call(native.jwkSet, jsonText(document, 'document'));
  }

  #stats() {
    return (this.#info ??= call(native.jwkSetInfo, this.#native));
  }

  /** The number of usable keys kept. */
  get len() {
    return this.#stats().len;
  }

  /** The number of keys skipped. */
  get skipped() {
    return this.#stats().skipped;
  }

  /** The `kid`s of the kept keys (keys without one are not listed). */
  get kids() {
    return [...this.#stats().kids];
  }

  static {
    keysOf = (set) => set.#native;
  }
}

/** A RemoteJwkSet's hooks, set by lib/remote.js: `is`, `current`, `ready` (fetch when due), `missed` (refetch after key_not_found). */
const remote = { is: () => false };

/** The native key set of a JwkSet, a RemoteJwkSet's current one, or null when it has none yet. */
function currentKeys(keys) {
  if (keys instanceof JwkSet) return keysOf(keys);
  if (remote.is(keys)) return remote.current(keys);
  throw argError('ERR_INVALID_ARG_TYPE', 'The "keys" argument must be a JwkSet or a RemoteJwkSet');
}

function noKeysYet() {
  return errorFor('key_not_found', 'the remote JWK Set has not been fetched yet (use the promise form verify())');
}

/**
 * Verifies JWTs (and bare JWSs) against a key set with one policy: the accepted `algorithms`
 * (required), and optionally the `audience`, the `issuer` and a `leeway` in seconds on
 * `exp`/`nbf`.
 */
class JwtVerifier {
  #keys;
  #policy;
  /** Only HS* accepted: the promise forms verify on the calling thread (see `verify`). */
  #inline;

  /**
   * @param {JwkSet | RemoteJwkSet} keys
   * @param {string[]} algorithms e.g. ['RS256'] (an unknown name, `none` included, is an
   *   AlgorithmNotAllowedError)
   * @param {{audience?: string, issuer?: string, leeway?: number}} [opts]
   */
  constructor(keys, algorithms, opts) {
    currentKeys(keys);
    const o = options(opts);
    this.#keys = keys;
    this.#policy = call(
      native.jwtVerifier,
      algorithmsOf({ algorithms }),
      optionalString(o, 'audience'),
      optionalString(o, 'issuer'),
      numberOption(o, 'leeway'),
    );
    this.#inline = algorithms.every((a) => a.startsWith('HS'));
  }

  /**
   * The claims of a valid JWT (a plain object). Throws the core's error: MalformedError,
   * UnsupportedError (`crit`), AlgorithmNotAllowedError, KeyNotFoundError, BadSignatureError,
   * ExpiredError, NotYetValidError, ClaimError (audience, issuer).
   * @param {string | Uint8Array} token
   * @param {{now?: number | Date}} [opts] Unix seconds (default: the clock)
   */
  verifySync(token, opts) {
    const keys = currentKeys(this.#keys);
    if (keys === null) throw noKeysYet();
    const now = opts === undefined ? undefined : unixSeconds(options(opts));
    return parseClaims(call(native.jwtVerify, keys, this.#policy, token, now));
  }

  /**
   * The promise form of `verifySync`: on the libuv thread pool, except for a verifier that
   * accepts only HS* algorithms, whose HMAC over a token costs less than the round trip through
   * the pool (about a microsecond against tens): those verify on the calling thread. A
   * RemoteJwkSet fetches here when due.
   */
  async verify(token, opts) {
    const now = opts === undefined ? undefined : unixSeconds(options(opts));
    return parseClaims(await this.#onPool(token, false, now));
  }

  /** The payload bytes of a valid JWS (signature only: no claim is read). */
  verifyJwsSync(token) {
    const keys = currentKeys(this.#keys);
    if (keys === null) throw noKeysYet();
    return call(native.jwsVerify, keys, this.#policy, token);
  }

  /** The promise form of `verifyJwsSync` (where it runs: as for `verify`). */
  async verifyJws(token) {
    return this.#onPool(token, true, undefined);
  }

  async #onPool(token, jws, now) {
    const isRemote = remote.is(this.#keys);
    let keys = isRemote ? await remote.ready(this.#keys) : keysOf(this.#keys);
    const run = (k) => {
      if (!this.#inline) return callAsync(native.joseVerifyAsync, k, this.#policy, token, jws, now);
      return jws ? call(native.jwsVerify, k, this.#policy, token) : call(native.jwtVerify, k, this.#policy, token, now);
    };
    if (!isRemote) return run(keys);
    // A remote set: fetched when due (above), and fetched again (then retried once) after
    // key_not_found when the core's refresher allows a fetch now.
    try {
      return await run(keys);
    } catch (e) {
      if (e?.code !== 'key_not_found') throw e;
      keys = await remote.missed(this.#keys);
      if (keys === null) throw e;
      return run(keys);
    }
  }
}

/** A key set of a one-shot call: a JwkSet's native half, or the document (parsed for the call). */
function onceKeys(keys) {
  if (keys instanceof JwkSet) return keysOf(keys);
  if (remote.is(keys)) throw argError('ERR_INVALID_ARG_TYPE', 'A RemoteJwkSet needs a JwtVerifier (its verify() fetches the set)');
  return jsonText(keys, 'keys');
}

/**
 * One-shot JWT verification: `new JwtVerifier(keys, opts.algorithms, opts).verifySync(token,
 * opts)` without the verifier (keys and policy live for the call only).
 * @param {JwkSet | object | string | Uint8Array} keys a JwkSet or a JWK Set document
 * @param {string | Uint8Array} token
 * @param {{algorithms: string[], audience?: string, issuer?: string, leeway?: number, now?: number | Date}} opts
 */
function verifyJwtSync(keys, token, opts) {
  const o = options(opts);
  const algs = algorithmsOf(o);
  return parseClaims(
    call(native.jwtVerifyOnce, onceKeys(keys), token, algs, optionalString(o, 'audience'), optionalString(o, 'issuer'), numberOption(o, 'leeway'), unixSeconds(o)),
  );
}

/** The promise form of `verifyJwtSync`, on the libuv thread pool. */
async function verifyJwt(keys, token, opts) {
  const o = options(opts);
  const set = keys instanceof JwkSet || remote.is(keys) ? keys : new JwkSet(keys);
  return new JwtVerifier(set, algorithmsOf(o), o).verify(token, o);
}

/** One-shot JWS verification (signature only); returns the payload bytes. */
function verifyJwsSync(keys, token, opts) {
  return call(native.jwsVerifyOnce, onceKeys(keys), token, algorithmsOf(options(opts)));
}

/** The promise form of `verifyJwsSync`, on the libuv thread pool. */
async function verifyJws(keys, token, opts) {
  const o = options(opts);
  const set = keys instanceof JwkSet || remote.is(keys) ? keys : new JwkSet(keys);
  return new JwtVerifier(set, algorithmsOf(o)).verifyJws(token);
}

/**
 * A compact JWS of `payload` under the exact protected `header` (its JSON text, or an object
 * serialised with JSON.stringify), signed with a private JWK (or an `oct` key).
 */
function signJwsSync(jwk, header, payload) {
  return call(native.jwsSign, jsonText(jwk, 'jwk'), jsonText(header, 'header'), payload);
}

/** The promise form of `signJwsSync`, on the libuv thread pool. */
async function signJws(jwk, header, payload) {
  return callAsync(native.joseSignAsync, jsonText(jwk, 'jwk'), jsonText(header, 'header'), payload, undefined, undefined);
}

function claimsText(claims) {
  if (claims === null || typeof claims !== 'object' || claims instanceof Uint8Array || Array.isArray(claims)) {
    throw argError('ERR_INVALID_ARG_TYPE', 'The "claims" argument must be an object');
  }
  return JSON.stringify(claims);
}

/**
 * A JWT of `claims` (an object, serialised with JSON.stringify) under the header
 * `{"alg", "typ": "JWT", "kid"}`: `opts.alg` (default the JWK's `alg`, else its type's:
 * HS256, RS256, ES256/ES384, EdDSA) and `opts.kid` (default the JWK's `kid`).
 */
function signJwtSync(jwk, claims, opts) {
  const o = options(opts);
  return call(native.jwtSign, jsonText(jwk, 'jwk'), claimsText(claims), optionalString(o, 'alg'), optionalString(o, 'kid'));
}

/** The promise form of `signJwtSync`, on the libuv thread pool. */
async function signJwt(jwk, claims, opts) {
  const o = options(opts);
  return callAsync(native.joseSignAsync, jsonText(jwk, 'jwk'), null, claimsText(claims), optionalString(o, 'alg'), optionalString(o, 'kid'));
}

/**
 * `{header, claims}` of a token, decoded WITHOUT any verification: for display and debugging
 * only, never act on it. A part that is not JSON is a MalformedError.
 */
function inspectJwt(token) {
  const [header, claims] = call(native.jwtInspect, token);
  try {
    return { header: JSON.parse(header), claims: JSON.parse(claims) };
  } catch (e) {
    const err = errorFor('malformed', 'the token header or payload is not JSON', { cause: e });
    Error.captureStackTrace(err, inspectJwt);
    throw err;
  }
}

/** The RFC 7638 thumbprint (SHA-256, base64url) of a JWK (an object or JSON text). */
function jwkThumbprint(jwk) {
  return call(native.jwkThumbprint, jsonText(jwk, 'jwk'));
}

module.exports = {
  JwkSet,
  JwtVerifier,
  verifyJwtSync,
  verifyJwt,
  verifyJwsSync,
  verifyJws,
  signJwsSync,
  signJws,
  signJwtSync,
  signJwt,
  inspectJwt,
  jwkThumbprint,
  // For remote.js: the hooks a RemoteJwkSet fills in, and a JwkSet's native half.
  _remote: remote,
  _keysOf: (set) => keysOf(set),
};
