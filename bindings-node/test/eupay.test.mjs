import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';

import {
  decodeQrUnverified,
  signQr,
  signQrSync,
  verifyQr,
  verifyQrSync,
  InvalidInputError,
  BadSignatureError,
  ExpiredError,
  JsonError,
  MalformedError,
  PaysealError,
  QrSigner,
  QrVerifier,
  TooLargeError,
  VerificationError,
} from 'payseal';
import { FIXTURES, fromB64, readVectors } from './vectors.mjs';

const PREFIX = 'https://www.european-pay.fr/pay?data=';

test('eupay_qr_sign.jsonl: signPartsSync, signSync, signInto and signQrSync give the reference bytes', () => {
  const failures = [];
  const dst = Buffer.alloc(16 * 1024);
  for (const v of readVectors('eupay_qr_sign.jsonl')) {
    const signer = new QrSigner(fromB64(v.secret_b64));
    const input = fromB64(v.payload_input_b64);
    const parts = signer.signPartsSync(input);
    const want = { canonical: fromB64(v.payload_canonical_b64).toString(), sig: v.sig_hex, envelope: v.envelope_b64url, url: v.qr_url };
    for (const k of Object.keys(want)) if (parts[k] !== want[k]) failures.push(`${v.id}: ${k}`);
    if (signer.signSync(input) !== v.qr_url) failures.push(`${v.id}: signSync`);
    if (signQrSync(fromB64(v.secret_b64), input) !== v.qr_url) failures.push(`${v.id}: signQrSync`);
    if (dst.toString('latin1', 0, signer.signInto(input, dst)) !== v.qr_url) failures.push(`${v.id}: signInto`);
  }
  assert.deepEqual(failures, []);
});

test('eupay_qr_verify.jsonl: verifySync, verifyJsonSync, verify and verifyQrSync', async () => {
  const known = new Set(['ok', 'bad_signature', 'expired', 'malformed']);
  const failures = [];
  for (const v of readVectors('eupay_qr_verify.jsonl')) {
    assert.ok(known.has(v.expect), `${v.id}: unknown expect ${JSON.stringify(v.expect)}`);
    const verifier = new QrVerifier(fromB64(v.secret_b64));
    const outcomes = [];
    for (const f of [
      () => verifier.verifyJsonSync(v.qr, { now: v.now }),
      () => verifier.verifySync(Buffer.from(v.qr), { now: v.now }),
      () => verifyQrSync(fromB64(v.secret_b64), v.qr, { now: v.now }),
    ]) {
      try {
        const r = f();
        outcomes.push('ok');
        if (typeof r === 'string') assert.equal(typeof JSON.parse(r), 'object');
      } catch (e) {
        if (!(e instanceof PaysealError)) throw e;
        outcomes.push(e.code);
      }
    }
    outcomes.push(await verifier.verify(v.qr, { now: v.now }).then(() => 'ok', (e) => e.code));
    for (const got of outcomes) if (got !== v.expect) failures.push(`${v.id}: ${got}, expected ${v.expect}`);
  }
  assert.deepEqual(failures, []);
});

const SECRET = 's3cr3t';
const payload = {
  type: 'gateway_qr_payment',
  requestId: 'PAY-1',
  merchant: { id: 'm-1', name: 'Café Noisette' },
  amount: 12.5,
  currency: 'EUR',
  expiresAt: '2026-06-18T05:28:20.000Z',
};
const BEFORE = Date.parse('2026-06-18T05:00:00Z') / 1000;

test('a signed QR is Node crypto over JSON.stringify, and verifies back to the payload', () => {
  const url = signQrSync(SECRET, payload);
  assert.ok(url.startsWith(PREFIX));
  const envelope = JSON.parse(Buffer.from(url.slice(PREFIX.length), 'base64url').toString());
  assert.deepEqual(envelope.payload, payload);
  assert.equal(envelope.sig, createHmac('sha256', SECRET).update(JSON.stringify(payload)).digest('hex'));
  assert.deepEqual(verifyQrSync(SECRET, url, { now: BEFORE }), payload);
  // Text, bytes and an object sign alike; whitespace and number spellings do not matter.
  const signer = new QrSigner(Buffer.from(SECRET));
  assert.equal(signer.signSync(JSON.stringify(payload, null, 2)), url);
  assert.equal(signer.signSync(Buffer.from(JSON.stringify(payload).replace('12.5', '1.25e1'))), url);
  // Deep link and bare data verify too.
  const verifier = new QrVerifier(SECRET);
  const data = url.slice(PREFIX.length);
  assert.equal(verifier.verifyJsonSync(`eupay://pay?data=${data}`, { now: BEFORE }), JSON.stringify(payload));
  assert.deepEqual(verifier.verifySync(data, { now: new Date(BEFORE * 1000) }), payload);
  assert.equal(JSON.parse(decodeQrUnverified(url)).sig, envelope.sig);
});

test('the promise forms', async () => {
  const url = await signQr(SECRET, payload);
  assert.equal(url, signQrSync(SECRET, payload));
  assert.deepEqual(await verifyQr(SECRET, url, { now: BEFORE }), payload);
  await assert.rejects(verifyQr('other', url, { now: BEFORE }), BadSignatureError);
  const signer = new QrSigner(SECRET);
  assert.equal(await signer.sign(payload), url);
  assert.deepEqual(await signer.signParts(payload), signer.signPartsSync(payload));
});

test('BadSignatureError, ExpiredError (with expiresAt), MalformedError (with reason)', () => {
  const url = signQrSync(SECRET, payload);
  const verifier = new QrVerifier(SECRET);
  assert.throws(
    () => new QrVerifier('other').verifySync(url, { now: BEFORE }),
    (e) => e instanceof BadSignatureError && e instanceof VerificationError && e.code === 'bad_signature',
  );
  const expiresAt = Date.parse(payload.expiresAt) / 1000;
  assert.throws(
    () => verifier.verifySync(url, { now: expiresAt + 1 }),
    (e) => e instanceof ExpiredError && e.code === 'expired' && e.expiresAt === expiresAt,
  );
  // Expiry is checked only once the signature is good.
  assert.throws(() => new QrVerifier('other').verifySync(url, { now: expiresAt + 1 }), BadSignatureError);
  const tampered = JSON.parse(Buffer.from(url.slice(PREFIX.length), 'base64url'));
  tampered.payload.amount = 1250;
  assert.throws(() => verifier.verifySync(Buffer.from(JSON.stringify(tampered)).toString('base64url'), { now: BEFORE }), BadSignatureError);
  for (const bad of ['', 'https://evil.example/pay?data=e30', `${PREFIX}!!!`, Buffer.from('[]').toString('base64url'), 'x'.repeat(17 * 1024)]) {
    assert.throws(
      () => verifier.verifySync(bad, { now: BEFORE }),
      (e) => e instanceof MalformedError && e instanceof VerificationError && e.code === 'malformed' && typeof e.reason === 'string',
      bad.slice(0, 40),
    );
  }
  assert.throws(() => verifier.verifySync(`${PREFIX}!!!`, { now: BEFORE }), { reason: 'bad_base64' });
  // No expiry never expires.
  verifier.verifySync(signQrSync(SECRET, { ...payload, expiresAt: null }), { now: 4e9 });
});

test('signing errors: JSON errors with offsets, non-objects, sizes', () => {
  const signer = new QrSigner(SECRET);
  assert.throws(() => signer.signSync('{"a":1,"a":2}'), (e) => e instanceof JsonError && e.code === 'duplicate_key' && e.offset === 7);
  assert.throws(() => signer.signSync('[1]'), (e) => e instanceof InvalidInputError && e.code === 'payload_not_object');
  assert.throws(() => signer.signSync(JSON.stringify({ big: 'x'.repeat(20_000) })), (e) => e instanceof TooLargeError && e.code === 'too_large');
  assert.throws(() => signer.signInto('{}', Buffer.alloc(10)), { code: 'buffer_too_small' });
});

test('arguments are checked', () => {
  assert.throws(() => new QrSigner(1), { code: 'ERR_INVALID_ARG_TYPE' });
  assert.throws(() => new QrVerifier(null), { code: 'ERR_INVALID_ARG_TYPE' });
  assert.throws(() => new QrSigner('k').signSync(42), { code: 'ERR_INVALID_ARG_TYPE' });
  assert.throws(() => signQrSync(42, '{}'), { code: 'ERR_INVALID_ARG_TYPE' });
  assert.throws(() => new QrVerifier('k').verifySync(42), { code: 'ERR_INVALID_ARG_TYPE' });
  assert.throws(() => new QrVerifier('k').verifySync('e30', { now: 'today' }), { code: 'ERR_INVALID_ARG_TYPE' });
  assert.throws(() => new QrVerifier('k').verifySync('e30', { now: Infinity }), { code: 'ERR_OUT_OF_RANGE' });
});

test('the benchmark fixture signs and verifies', () => {
  const body = readFileSync(path.join(FIXTURES, 'eupay-qr-payload.json'));
  const secret = readFileSync(path.join(FIXTURES, 'eupay-qr-payload.secret'));
  const url = signQrSync(secret, body);
  assert.deepEqual(verifyQrSync(secret, url, { now: 0 }), JSON.parse(body));
});
