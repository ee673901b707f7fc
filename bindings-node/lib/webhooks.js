'use strict';
// Webhook verification and signing: `WebhookVerifier` / `WebhookSigner` holds one scheme's secrets, parsed and precomputed
// once; every rule (header syntax, signed bytes, tolerance, rotation, header names, what `open`
// returns) is the core's.
//
// The per-call path is kept free of allocations the garbage collector would have to chase:
// header values cross as positional arguments (no array per call), a success returns
// `undefined`, and the one-shot `verifyWebhookSync` builds its key set on the native stack
// (nothing like a per-call external handle is left behind, so a synchronous loop keeps a flat
// RSS).
const native = require('../native.js');
const { argError, fromNative, fromRejection } = require('../errors.js');
const { options, numberOption, unixSeconds, call, callAsync, byteLengthHint } = require('./util.js');

/** Bodies up to this size are verified on the calling thread even by the promise form `verify`:
 * an HMAC over 64 KiB takes tens of microseconds, less than a round trip through the pool. */
const INLINE_ASYNC_MAX = 64 * 1024;

// ---- Headers ---------------------------------------------------------------------------------

function badHeaders() {
  return argError(
    'ERR_INVALID_ARG_TYPE',
    'The "headers" argument must be an object (such as req.headers), a Headers instance, a Map, or an array of [name, value] pairs',
  );
}

/** Adds `value` to what slot `i` holds (several values for one name become an array). */
function addValue(out, i, value) {
  if (value === undefined) return;
  const held = out[i];
  if (held === undefined) out[i] = value;
  else out[i] = [].concat(held, value);
}

/**
 * Fills `out` from the own keys of `headers` equal to one of `names` ignoring ASCII case, in
 * one pass (for objects that do not use Node's lowercase spelling).
 */
function scan(headers, names, out) {
  for (const key in headers) {
    if (!Object.hasOwn(headers, key)) continue;
    const lower = key.toLowerCase();
    const i = names.indexOf(lower);
    if (i >= 0) addValue(out, i, headers[key]);
  }
}

/**
 * The values of the headers the scheme reads, in the order of `names` (lowercase), from:
 * - a plain object such as Node's `req.headers` (lowercase names; values a string or an array
 *   of strings). Other spellings are looked up only when no name is found in lowercase: a
 *   lookup that skips a second spelling can only miss a value, never accept an unsigned
 *   delivery, and Node's own objects never have one),
 * - a WHATWG `Headers` instance (fetch, undici, Hono, Next.js),
 * - an array of `[name, value]` pairs or a `Map` (names in any case; a repeated name gives
 *   every value).
 * Every value found is passed on: the core decides what a repeated header means.
 */
function headerSlots(headers, names) {
  const out = new Array(names.length).fill(undefined);
  if (headers === null || typeof headers !== 'object') throw badHeaders();
  if (Array.isArray(headers) || headers instanceof Map) {
    for (const pair of headers) {
      if (!Array.isArray(pair) || pair.length !== 2 || typeof pair[0] !== 'string') throw badHeaders();
      const i = names.indexOf(pair[0].toLowerCase());
      if (i >= 0) addValue(out, i, pair[1]);
    }
  } else if (typeof Headers === 'function' && headers instanceof Headers) {
    for (let i = 0; i < names.length; i++) {
      const v = headers.get(names[i]);
      if (v !== null) out[i] = v;
    }
  } else {
    let found = 0;
    for (let i = 0; i < names.length; i++) {
      const name = names[i];
      if (Object.hasOwn(headers, name)) {
        out[i] = headers[name];
        found++;
      }
    }
    if (found === 0 && names.length > 0) scan(headers, names, out);
  }
  return out;
}

/** What the core says about each scheme used so far: `{headerNames, encrypted, one}` (at most
 * ten); `one` is the scheme's only header name, `undefined` for a scheme that reads several. */
const SCHEMES = new Map();

/** The core's description of `scheme` (unknown names throw, and are not remembered). */
function schemeInfo(scheme) {
  let info = SCHEMES.get(scheme);
  if (info === undefined) {
    if (typeof scheme !== 'string') throw argError('ERR_INVALID_ARG_TYPE', 'The "scheme" argument must be a string');
    const { headerNames, encrypted } = call(native.webhookScheme, scheme);
    const one = headerNames.length === 1 ? headerNames[0] : undefined;
    info = Object.freeze({ headerNames: Object.freeze(headerNames), encrypted, one });
    SCHEMES.set(scheme, info);
  }
  return info;
}

/**
 * Whether `headers` is an object with its own `one` (the scheme's only header name, lowercase):
 * the common case (Node's `req.headers`), whose value is passed alone, without `headerSlots`.
 */
function holdsSole(headers, one) {
  return one !== undefined && typeof headers === 'object' && headers !== null && Object.hasOwn(headers, one);
}

/** `opts.now` and `opts.tolerance`; both `undefined` (the core's defaults) without options. */
function freshness(opts) {
  if (opts === undefined) return NO_OPTS;
  const o = options(opts);
  return [unixSeconds(o), numberOption(o, 'tolerance')];
}
const NO_OPTS = Object.freeze([undefined, undefined]);

function checkSecrets(secrets) {
  if (typeof secrets === 'string' || secrets instanceof Uint8Array || Array.isArray(secrets)) return;
  throw argError('ERR_INVALID_ARG_TYPE', 'The "secrets" argument must be a string, a Uint8Array, or an array of them');
}

/** A verifier's native key set and header names (for batches); set inside the class. */
let keysOf;

/** The payload `open` returns for a MAC scheme: the body itself, as a Buffer (no copy of bytes). */
function bodyBuffer(body) {
  if (Buffer.isBuffer(body)) return body;
  if (body instanceof Uint8Array) return Buffer.from(body.buffer, body.byteOffset, body.byteLength);
  return Buffer.from(body, 'utf8');
}

// ---- Verifier --------------------------------------------------------------------------------

/**
 * Verifies one provider's webhooks. Build it once (the secrets are parsed and the HMAC key
 * schedule computed here), then call `verifySync` per delivery with the headers and the raw
 * body exactly as received.
 */
class WebhookVerifier {
  #keys;
  #count;
  #names;
  #one;
  #scheme;

  /**
   * @param {string} scheme 'eupay', 'github', 'stripe', 'standard', 'shopify', 'checkout',
   *   'adyen_item', 'spreedly', 'oppwa' or 'oppwa_base64' (names parsed by the core)
   * @param {string | Uint8Array | Array<string | Uint8Array>} secrets one secret, or up to four
   *   while rotating (any of them may have signed)
   */
  constructor(scheme, secrets) {
    const info = schemeInfo(scheme);
    checkSecrets(secrets);
    this.#keys = call(native.webhookKeys, scheme, secrets);
    this.#count = Array.isArray(secrets) ? secrets.length : 1;
    this.#names = info.headerNames;
    this.#one = info.one;
    this.#scheme = scheme;
  }

  /** The scheme's name. */
  get scheme() {
    return this.#scheme;
  }

  /** How many secrets the verifier holds (as `len()` in Python, `count()` in PHP). */
  get length() {
    return this.#count;
  }

  /** The (lowercase) names of the headers this scheme reads, from the core. */
  get headerNames() {
    return this.#names;
  }

  /**
   * Throws unless the delivery is authentic (and, for 'stripe' and 'standard', fresh).
   * @param headers the request headers (see the README)
   * @param {string | Uint8Array} body the raw body, as received
   * @param {{now?: number | Date, tolerance?: number}} [opts] Unix seconds (default: the clock)
   *   and seconds either way (default 300)
   */
  verifySync(headers, body, opts) {
    let now;
    let tolerance;
    if (opts !== undefined) [now, tolerance] = freshness(opts);
    const one = this.#one;
    let rejected;
    try {
      // The common case: a plain object (Node's req.headers) and a scheme that reads one header.
      if (holdsSole(headers, one)) {
        rejected = native.webhookVerify(this.#keys, body, now, tolerance, headers[one]);
      } else {
        const s = headerSlots(headers, this.#names);
        rejected = native.webhookVerify(this.#keys, body, now, tolerance, s[0], s[1], s[2], s[3], s[4], s[5]);
      }
    } catch (e) {
      throw fromNative(e);
    }
    if (rejected != null) throw fromRejection(rejected, this.verifySync);
  }

  /**
   * The promise form of `verifySync`. Bodies over 64 KiB are verified on the libuv thread pool
   * (their bytes are copied first); smaller ones on the calling thread, which is faster.
   */
  async verify(headers, body, opts) {
    if (byteLengthHint(body) <= INLINE_ASYNC_MAX) return this.verifySync(headers, body, opts);
    const [outcome] = await this.verifyBatch([{ headers, body }], opts);
    if (outcome !== null) throw outcome;
  }

  /** The output size `openInto` needs for `body` (OPPWA's plaintext; 0 for MAC schemes). */
  openLength(body) {
    return call(native.webhookOpenLen, this.#keys, body);
  }

  /**
   * Verifies like `verifySync` and writes the decrypted payload into `dst`: the notification
   * for 'oppwa'/'oppwa_base64', nothing for the MAC schemes (whose payload is the body itself;
   * `openSync` returns it). Returns the number of bytes written.
   */
  openInto(headers, body, dst, opts) {
    const s = headerSlots(headers, this.#names);
    const [now, tolerance] = freshness(opts);
    return call(native.webhookOpenInto, this.#keys, body, dst, now, tolerance, s[0], s[1], s[2], s[3], s[4], s[5]);
  }

  /**
   * Verifies like `verifySync` and returns the bytes to act on, as the core decides
   * (`KeySet::open_payload`): the decrypted notification for 'oppwa'/'oppwa_base64', the body
   * itself for the MAC schemes (as a Buffer: the same one when the body is a Buffer).
   */
  openSync(headers, body, opts) {
    const s = headerSlots(headers, this.#names);
    const [now, tolerance] = freshness(opts);
    const payload = call(native.webhookOpen, this.#keys, body, now, tolerance, s[0], s[1], s[2], s[3], s[4], s[5]);
    return payload === body ? bodyBuffer(body) : payload;
  }

  /** The promise form of `openSync` (verified on the calling thread). */
  async open(headers, body, opts) {
    return this.openSync(headers, body, opts);
  }

  /**
   * Verifies many deliveries of this scheme on the thread pool (spread over the cores by the
   * core); resolves to one outcome per item, in order: `null` when authentic, else the error.
   * @param {Array<{headers: unknown, body: string | Uint8Array}>} items
   */
  verifyBatch(items, opts) {
    if (!Array.isArray(items)) return Promise.reject(argError('ERR_INVALID_ARG_TYPE', 'The "items" argument must be an array'));
    return verifyWebhookBatch(
      items.map((item) => ({ verifier: this, headers: item?.headers, body: item?.body })),
      opts,
    );
  }

  static {
    keysOf = (verifier) => [verifier.#keys, verifier.#names];
  }
}

/**
 * Verifies deliveries of any schemes on the thread pool; resolves to one outcome per item, in
 * order: `null` when authentic, else the PaysealError that rejects it.
 * @param {Array<{verifier: WebhookVerifier, headers: unknown, body: string | Uint8Array}>} items
 * @param {{now?: number | Date, tolerance?: number}} [opts] the same time for every item
 */
async function verifyWebhookBatch(items, opts) {
  if (!Array.isArray(items)) throw argError('ERR_INVALID_ARG_TYPE', 'The "items" argument must be an array');
  const keys = new Array(items.length);
  const bodies = new Array(items.length);
  const headers = new Array(items.length);
  items.forEach((item, i) => {
    if (item === null || typeof item !== 'object' || !(item.verifier instanceof WebhookVerifier)) {
      throw argError('ERR_INVALID_ARG_TYPE', `The "items[${i}].verifier" property must be a WebhookVerifier`);
    }
    const [k, names] = keysOf(item.verifier);
    keys[i] = k;
    bodies[i] = item.body;
    headers[i] = headerSlots(item.headers, names);
  });
  const [now, tolerance] = freshness(opts);
  const outcomes = await callAsync(native.webhookVerifyBatch, keys, bodies, headers, now, tolerance);
  return outcomes.map((r) => (r === null ? null : fromRejection(r, verifyWebhookBatch)));
}

/**
 * One-shot verification: `new WebhookVerifier(scheme, secrets).verifySync(headers, body, opts)`
 * without the verifier (the key set lives for the call only, on the native stack). Prefer a
 * verifier for more than one delivery: it parses the secrets once.
 */
function verifyWebhookSync(scheme, secrets, headers, body, opts) {
  const { headerNames, one } = schemeInfo(scheme);
  checkSecrets(secrets);
  // As verifySync: a plain object with the scheme's one header passes that value alone.
  const single = holdsSole(headers, one);
  const s = single ? undefined : headerSlots(headers, headerNames);
  const [now, tolerance] = freshness(opts);
  let rejected;
  try {
    rejected = single
      ? native.webhookVerifyOnce(scheme, secrets, body, now, tolerance, headers[one])
      : native.webhookVerifyOnce(scheme, secrets, body, now, tolerance, s[0], s[1], s[2], s[3], s[4], s[5]);
  } catch (e) {
    throw fromNative(e);
  }
  if (rejected != null) throw fromRejection(rejected, verifyWebhookSync);
}

/** The promise form of `verifyWebhookSync` (bodies over 64 KiB on the libuv thread pool). */
async function verifyWebhook(scheme, secrets, headers, body, opts) {
  if (byteLengthHint(body) <= INLINE_ASYNC_MAX) return verifyWebhookSync(scheme, secrets, headers, body, opts);
  return new WebhookVerifier(scheme, secrets).verify(headers, body, opts);
}

// ---- Signer ----------------------------------------------------------------------------------

/** The options of a signature, as the addon takes them: `[now, id, iv, fields, algorithm]`. */
function signOptions(opts) {
  if (opts === undefined) return NO_SIGN_OPTS;
  const o = options(opts);
  const text = (key) => {
    const v = o[key];
    if (v === undefined || v === null || typeof v === 'string') return v ?? undefined;
    throw argError('ERR_INVALID_ARG_TYPE', `The "opts.${key}" property must be a string`);
  };
  let fields = o.fields;
  if (Array.isArray(fields)) {
    if (!fields.every((f) => typeof f === 'string')) {
      throw argError('ERR_INVALID_ARG_TYPE', 'The "opts.fields" property must be a string or an array of strings');
    }
    fields = fields.join(' ');
  } else {
    fields = text('fields');
  }
  const iv = o.iv;
  if (iv !== undefined && iv !== null && !(iv instanceof Uint8Array)) {
    throw argError('ERR_INVALID_ARG_TYPE', 'The "opts.iv" property must be a Uint8Array of 12 bytes');
  }
  return [unixSeconds(o), text('id'), iv ?? undefined, fields, text('algorithm')];
}
const NO_SIGN_OPTS = Object.freeze([undefined, undefined, undefined, undefined, undefined]);

/** `{headers, body}` of the addon's flat result `[name, value, …, body?]`. */
function delivery(flat, body) {
  const headers = {};
  const n = flat.length;
  let i = 0;
  for (; i + 1 < n; i += 2) headers[flat[i]] = flat[i + 1];
  return { headers, body: i < n ? flat[i] : bodyBuffer(body) };
}

/**
 * Signs one provider's webhooks with the newest (first) of its secrets: the mirror of
 * `WebhookVerifier`, with the same constructor (so one list of secrets, newest first, serves
 * both sides of a rotation). Build it once: the secrets are parsed and the HMAC key schedule
 * computed here.
 */
class WebhookSigner {
  #keys;
  #scheme;

  /**
   * @param {string} scheme a scheme name, as for `WebhookVerifier`
   * @param {string | Uint8Array | Array<string | Uint8Array>} secrets newest first: the first signs
   */
  constructor(scheme, secrets) {
    schemeInfo(scheme);
    checkSecrets(secrets);
    this.#keys = call(native.webhookKeys, scheme, secrets);
    this.#scheme = scheme;
  }

  /** The scheme's name. */
  get scheme() {
    return this.#scheme;
  }

  /**
   * Signs `body` (sent exactly as given) and returns `{headers, body}`: the headers to add
   * (`{name: value}`, names as the provider spells them, in its order) and the body to send (the
   * body given, as a Buffer, for the MAC schemes; the signed item, document or ciphertext for
   * 'adyen_item', 'spreedly' and 'oppwa').
   * @param {{now?: number | Date, id?: string, iv?: Uint8Array, fields?: string | string[], algorithm?: string}} [opts]
   */
  signSync(body, opts) {
    const [now, id, iv, fields, algorithm] = signOptions(opts);
    let flat;
    try {
      flat = native.webhookSign(this.#keys, body, now, id, iv, fields, algorithm);
    } catch (e) {
      throw fromNative(e);
    }
    return delivery(flat, body);
  }

  /**
   * The promise form of `signSync`. Bodies over 64 KiB are signed on the libuv thread pool
   * (their bytes are copied first); smaller ones on the calling thread, which is faster.
   */
  async sign(body, opts) {
    if (byteLengthHint(body) <= INLINE_ASYNC_MAX) return this.signSync(body, opts);
    const [now, id, iv, fields, algorithm] = signOptions(opts);
    const flat = await callAsync(native.webhookSignAsync, this.#keys, body, now, id, iv, fields, algorithm);
    return delivery(flat, body);
  }
}

/**
 * One-shot signature: `new WebhookSigner(scheme, secrets).signSync(body, opts)` without the
 * signer (the key set lives for the call only, on the native stack).
 */
function signWebhookSync(scheme, secrets, body, opts) {
  schemeInfo(scheme);
  checkSecrets(secrets);
  const [now, id, iv, fields, algorithm] = signOptions(opts);
  let flat;
  try {
    flat = native.webhookSignOnce(scheme, secrets, body, now, id, iv, fields, algorithm);
  } catch (e) {
    throw fromNative(e);
  }
  return delivery(flat, body);
}

/** The promise form of `signWebhookSync` (bodies over 64 KiB on the libuv thread pool). */
async function signWebhook(scheme, secrets, body, opts) {
  if (byteLengthHint(body) <= INLINE_ASYNC_MAX) return signWebhookSync(scheme, secrets, body, opts);
  return new WebhookSigner(scheme, secrets).sign(body, opts);
}

module.exports = {
  WebhookVerifier,
  verifyWebhookSync,
  verifyWebhook,
  verifyWebhookBatch,
  WebhookSigner,
  signWebhookSync,
  signWebhook,
};
