'use strict';
// EU Pay QR codes: `https://www.european-pay.fr/pay?data=<base64url of {"payload":…,"sig":"…"}>`,
// with sig = hex(HMAC-SHA256(secret, JSON.stringify(payload))). Every rule is the core's
// (payseal::eupay): canonicalisation, link forms, expiry, size limits.
const native = require('../native.js');
const { fromRejection } = require('../errors.js');
const { options, unixSeconds, call } = require('./util.js');

/** A payload given as an object is serialised the way EU Pay's Node code does. */
function textOf(payload) {
  return payload !== null && typeof payload === 'object' && !(payload instanceof Uint8Array) ? JSON.stringify(payload) : payload;
}

/** The canonical payload JSON, or throws the rejection the addon returned. */
function payloadJson(r, caller) {
  if (r.charCodeAt(0) !== 0x7b /* '{' */) throw fromRejection(r, caller);
  return r;
}

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
  signSync(payload) {
    return call(native.qrSign, this.#native, textOf(payload));
  }

  /** The promise form of `signSync` (a payload is at most 16 KiB: signed on the calling thread). */
  async sign(payload) {
    return this.signSync(payload);
  }

  /** Writes the QR URL into `dst` (4 + 16 KiB always suffice); returns the bytes written. */
  signInto(payload, dst) {
    return call(native.qrSignInto, this.#native, textOf(payload), dst);
  }

  /** Every form: `{canonical, sig, envelope, url}` (the signed bytes, the hex tag, the base64url envelope, the URL). */
  signPartsSync(payload) {
    const [canonical, sig, envelope, url] = call(native.qrSignParts, this.#native, textOf(payload));
    return { canonical, sig, envelope, url };
  }

  /** The promise form of `signPartsSync`. */
  async signParts(payload) {
    return this.signPartsSync(payload);
  }
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
    return payloadJson(call(native.qrVerify, this.#native, qr, unixSeconds(options(opts))), this.verifyJsonSync);
  }

  /** `verifyJsonSync`, parsed: the payload object (`JSON.parse` of the signed bytes). */
  verifySync(qr, opts) {
    return JSON.parse(payloadJson(call(native.qrVerify, this.#native, qr, unixSeconds(options(opts))), this.verifySync));
  }

  /** The promise form of `verifySync` (QR text is at most 16 KiB: verified on the calling thread). */
  async verify(qr, opts) {
    return this.verifySync(qr, opts);
  }
}

/** One-shot `new QrSigner(secret).signSync(payload)`, without a signer left behind. */
function signQrSync(secret, payload) {
  return call(native.qrSignOnce, secret, textOf(payload));
}

/** The promise form of `signQrSync`. */
async function signQr(secret, payload) {
  return signQrSync(secret, payload);
}

/** One-shot `new QrVerifier(secret).verifySync(qr, opts)`, without a verifier left behind. */
function verifyQrSync(secret, qr, opts) {
  return JSON.parse(payloadJson(call(native.qrVerifyOnce, secret, qr, unixSeconds(options(opts))), verifyQrSync));
}

/** The promise form of `verifyQrSync`. */
async function verifyQr(secret, qr, opts) {
  return verifyQrSync(secret, qr, opts);
}

/** The envelope JSON of QR text decoded WITHOUT any verification: for debugging only, never act on it. */
function decodeQrUnverified(qr) {
  return call(native.qrDecodeUnverified, qr);
}

module.exports = { QrSigner, QrVerifier, signQrSync, signQr, verifyQrSync, verifyQr, decodeQrUnverified };
