'use strict';
// RemoteJwkSet: a JWK Set fetched over HTTP(S) with Node's fetch, the way users expect from
// panva/jose's createRemoteJWKSet. When to fetch and what to keep is not decided here: the
// core's refresher (payseal::jose::refresh::Refresher, through the addon) answers "fetch now?"
// before a verification and "fetch again?" after a `key_not_found`, and is told when an attempt
// starts, succeeds or fails. This module only does the HTTP, with a time-out, and swaps in the
// new JwkSet when a document parses. A failed refresh (HTTP error, time-out, a document that is
// not a JWK Set) keeps the last good set.
const native = require('../native.js');
const { argError, errorFor } = require('../errors.js');
const { options, call } = require('./util.js');
const jose = require('./jose.js');

const { JwkSet, _remote: hooks, _keysOf: keysOf } = jose;

/** Seconds on a monotonic clock (the refresher's time). */
const monotonic = () => performance.now() / 1000;

function seconds(o, key, fallback) {
  const v = o[key];
  if (v === undefined) return fallback;
  if (typeof v !== 'number') throw argError('ERR_INVALID_ARG_TYPE', `The "opts.${key}" property must be a number of seconds`);
  if (!Number.isFinite(v) || v < 0) throw argError('ERR_OUT_OF_RANGE', `The "opts.${key}" property must be a non-negative number of seconds`);
  return v;
}

/** The core's cap on a JWK Set document: a response body is not read past it. */
const MAX_LEN = native.jwksMaxLen();

/** The response body, read up to one byte past MAX_LEN (the core then refuses it as too large). */
async function body(res) {
  const chunks = [];
  let len = 0;
  for await (const chunk of res.body ?? []) {
    chunks.push(chunk);
    len += chunk.byteLength;
    if (len > MAX_LEN) {
      await res.body.cancel().catch(() => {});
      throw errorFor('too_large', `the JWK Set document is over ${MAX_LEN} bytes`);
    }
  }
  return Buffer.concat(chunks, len);
}

/**
 * A JWK Set at `url`, fetched when first needed and again when `maxAge` seconds old (default
 * 600), fetched again at most once per `cooldown` seconds (default 30) when a token names a key
 * the set lacks, each fetch limited to `timeout` seconds (default 5). Pass it to a JwtVerifier
 * and use the promise forms (`verify`, `verifyJws`), which fetch when due; the synchronous forms
 * use the set last fetched.
 */
class RemoteJwkSet {
  #url;
  #refresher;
  #timeoutMs;
  #clock;
  #set;
  #inflight = null;
  #lastError;

  /**
   * @param {string | URL} url
   * @param {{maxAge?: number, cooldown?: number, timeout?: number, clock?: () => number}} [opts]
   *   `clock`: seconds on a clock that does not go backwards (default: performance.now()),
   *   for tests.
   */
  constructor(url, opts) {
    if (typeof url !== 'string' && !(url instanceof URL)) throw argError('ERR_INVALID_ARG_TYPE', 'The "url" argument must be a string or a URL');
    const parsed = new URL(url);
    if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') {
      throw argError('ERR_INVALID_ARG_VALUE', 'The "url" argument must be an http: or https: URL');
    }
    const o = options(opts);
    const clock = o.clock ?? monotonic;
    if (typeof clock !== 'function') throw argError('ERR_INVALID_ARG_TYPE', 'The "opts.clock" property must be a function');
    this.#url = parsed.href;
    this.#refresher = call(native.refresherNew, seconds(o, 'maxAge', undefined), seconds(o, 'cooldown', undefined));
    this.#timeoutMs = Math.round(seconds(o, 'timeout', 5) * 1000);
    this.#clock = clock;
  }

  /** The URL fetched. */
  get url() {
    return this.#url;
  }

  /** The set in use, without fetching (undefined before the first successful fetch). */
  get current() {
    return this.#set;
  }

  /** The set in use, fetched first when the refresher says so. */
  async keySet() {
    await this.#ready();
    return this.#set;
  }

  /** One fetch (shared by concurrent callers). True when a new set is in use. */
  #fetch() {
    if (this.#inflight !== null) return this.#inflight;
    this.#inflight = (async () => {
      call(native.refresherRecord, this.#refresher, 'attempt', this.#clock());
      try {
        const res = await fetch(this.#url, { signal: AbortSignal.timeout(this.#timeoutMs), headers: { accept: 'application/json' }, redirect: 'error' });
        if (!res.ok) throw new Error(`HTTP ${res.status} from ${this.#url}`);
        const set = new JwkSet(await body(res));
        this.#set = set;
        this.#lastError = undefined;
        call(native.refresherRecord, this.#refresher, 'succeeded', this.#clock());
        return true;
      } catch (e) {
        this.#lastError = e;
        call(native.refresherRecord, this.#refresher, 'failed', this.#clock());
        return false;
      } finally {
        this.#inflight = null;
      }
    })();
    return this.#inflight;
  }

  /** Fetches when due; the native set to verify with, or a KeyNotFoundError when there is none. */
  async #ready() {
    if (this.#inflight !== null) await this.#inflight;
    else if (call(native.refresherShouldFetch, this.#refresher, this.#clock())) await this.#fetch();
    if (this.#set === undefined) {
      throw errorFor('key_not_found', `no JWK Set from ${this.#url} yet${this.#lastError ? `: ${this.#lastError.message}` : ''}`, { cause: this.#lastError });
    }
    return keysOf(this.#set);
  }

  /** After `key_not_found`: the native set to retry with, or null when no new set is to be had now. */
  async #missed() {
    if (this.#inflight !== null) {
      const before = this.#set;
      await this.#inflight;
      return this.#set !== before ? keysOf(this.#set) : null;
    }
    if (!call(native.refresherShouldRefetch, this.#refresher, this.#clock())) return null;
    return (await this.#fetch()) ? keysOf(this.#set) : null;
  }

  static {
    hooks.is = (keys) => keys instanceof RemoteJwkSet;
    hooks.current = (remote) => (remote.#set === undefined ? null : keysOf(remote.#set));
    hooks.ready = (remote) => remote.#ready();
    hooks.missed = (remote) => remote.#missed();
  }
}

module.exports = { RemoteJwkSet };
