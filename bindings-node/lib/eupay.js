'use strict';
// EU Pay QR codes: `https://www.european-pay.fr/pay?data=<base64url of {"payload":…,"sig":"…"}>`,
// with sig = hex(HMAC-SHA256(secret, JSON.stringify(payload))). Every rule is the core's
// (payseal::eupay): canonicalisation, link forms, expiry, size limits.
const native = require('../native.js');
const { fromRejection } = require('../errors.js');
const { options, unixSeconds, call } = require('./util.js');

/** Signs EU Pay QR payloads with one secret (the HMAC key schedule is computed once). */
class QrSigner {
  #native;

  /** @param {string | Uint8Array} secret */
  constructor(secret) {
    this.#native = call(native.qrSigner, secret);
  }

  /**
   * The QR URL for `payload`: any JSON text of an object (whitespace, escapes and number
   * spellings do not matter: it is canonicalised as JSON.stringify(JSON.parse(text))), or an
   * object, which is serialised with JSON.stringify first.
   */
  sign(payload) {
    return call(native.qrSign, this.#native, textOf(payload));
  }

  /** Writes the QR URL into `dst` (4 + 16 KiB always suffice); returns the bytes written. */
  signInto(payload, dst) {
    return call(native.qrSignInto, this.#native, textOf(payload), dst);
  }

  /** Every form: `{canonical, sig, envelope, url}` (the signed bytes, the hex tag, the base64url envelope, the URL). */
  signParts(payload) {
    const [canonical, sig, envelope, url] = call(native.qrSignParts, this.#native, textOf(payload));
    return { canonical, sig, envelope, url };
  }
}

/** A payload given as an object is serialised the way EU Pay's Node code does. */
function textOf(payload) {
  return payload !== null && typeof payload === 'object' && !(payload instanceof Uint8Array) ? JSON.stringify(payload) : payload;
}

/**
 * Verifies scanned EU Pay QR codes with one secret. Reuses its decoding memory across calls:
 * keep one per secret (calls are synchronous).
 */
class QrVerifier {
  #native;

  /** @param {string | Uint8Array} secret */
  constructor(secret) {
    this.#native = call(native.qrVerifier, secret);
  }

  /**
   * The canonical payload JSON (exactly the signed bytes) of a QR code: the URL, the
   * `eupay://pay?data=` deep link or the bare data parameter. Throws BadSignatureError,
   * ExpiredError (with `expiresAt`, Unix seconds) or MalformedError.
   * @param {{now?: number | Date}} [opts] Unix seconds (default: the clock)
   */
  verifyJsonSync(qr, opts) {
    const r = call(native.qrVerify, this.#native, qr, unixSeconds(options(opts)));
    if (r.charCodeAt(0) !== 0x7b /* '{' */) throw fromRejection(r, this.verifyJsonSync);
    return r;
  }

  /** `verifyJsonSync`, parsed: the payload object (`JSON.parse` of the signed bytes). */
  verifySync(qr, opts) {
    const r = call(native.qrVerify, this.#native, qr, unixSeconds(options(opts)));
    if (r.charCodeAt(0) !== 0x7b /* '{' */) throw fromRejection(r, this.verifySync);
    return JSON.parse(r);
  }

  /** The promise form of `verifySync` (QR text is at most 16 KiB: verified on the calling thread). */
  async verify(qr, opts) {
    return this.verifySync(qr, opts);
  }
}

/** One-shot `new QrSigner(secret).sign(payload)`. */
function signQr(payload, secret) {
  return new QrSigner(secret).sign(payload);
}

/** One-shot `new QrVerifier(secret).verifySync(qr, opts)`. */
function verifyQr(qr, secret, opts) {
  return new QrVerifier(secret).verifySync(qr, opts);
}

/** The envelope JSON of QR text decoded WITHOUT any verification: for debugging only, never act on it. */
function decodeQrUnverified(qr) {
  return call(native.qrDecodeUnverified, qr);
}

module.exports = { QrSigner, QrVerifier, signQr, verifyQr, decodeQrUnverified };
