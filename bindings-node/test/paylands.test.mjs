import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';

import {
  paylandsData,
  paylandsDataSync,
  paylandsHash,
  paylandsHashSync,
  verifyPaylands,
  verifyPaylandsSync,
  BadSignatureError,
  InvalidKeyError,
  VerificationError,
  MalformedError,
  MismatchError,
  PaylandsVerifier,
  PaysealError,
} from 'payseal';
import { FIXTURES, fromB64, readVectors } from './vectors.mjs';

const vectors = readVectors('paylands.jsonl');
const EXPECTS = new Set(['ok', 'mismatch', 'malformed']);

const outcome = (f) => {
  try {
    return { value: f() };
  } catch (e) {
    if (!(e instanceof PaysealError)) throw e;
    return { code: e.code, error: e };
  }
};

test('paylands.jsonl: verifySync and hashSync with the vector mode and flags, and auto', () => {
  const failures = [];
  for (const v of vectors) {
    assert.ok(EXPECTS.has(v.expect), `${v.id}: unknown expect ${JSON.stringify(v.expect)}`);
    const verifier = new PaylandsVerifier(fromB64(v.signature_b64));
    const body = fromB64(v.notification_b64);
    const exact = outcome(() => verifier.verifySync(body, { mode: v.mode, flags: v.flags }));
    const got = exact.code ?? 'ok';
    if (got !== v.expect) failures.push(`${v.id}: ${got}, expected ${v.expect}`);
    if (got === 'ok' && exact.value !== v.flags) failures.push(`${v.id}: matched ${exact.value}`);
    if (got === 'mismatch' && !(exact.error instanceof MismatchError)) failures.push(`${v.id}: not a MismatchError`);
    if (got === 'malformed' && !(exact.error instanceof MalformedError)) failures.push(`${v.id}: not a MalformedError`);
    // 'auto' accepts what the exact flags accept, and reports which flags matched.
    if (v.expect === 'ok') {
      const auto = verifier.verifySync(body, { mode: v.mode });
      // 'default' is tried first: it matches an 'unescaped' vector only when both print alike.
      const same = paylandsDataSync(body, { mode: v.mode }) === paylandsDataSync(body, { mode: v.mode, flags: 'unescaped' });
      if (auto !== v.flags && !(same && auto === 'default')) failures.push(`${v.id}: auto matched ${auto}`);
      const hash = verifier.hashSync(body, { mode: v.mode, flags: v.flags });
      if (hash !== v.validation_hash.toLowerCase()) failures.push(`${v.id}: hash ${hash}`);
      const once = paylandsHashSync(fromB64(v.signature_b64), body, { mode: v.mode, flags: v.flags });
      if (once !== hash) failures.push(`${v.id}: paylandsHashSync ${once}`);
    }
    const oneShot = outcome(() => verifyPaylandsSync(fromB64(v.signature_b64), body, { mode: v.mode, flags: v.flags }));
    if ((oneShot.code ?? 'ok') !== v.expect) failures.push(`${v.id}: verifyPaylandsSync ${oneShot.code ?? 'ok'}, expected ${v.expect}`);
  }
  assert.deepEqual(failures, []);
});

test('paylands.jsonl: verify and verifyPaylands on the thread pool, all at once', async () => {
  for (const run of [
    (v) => new PaylandsVerifier(fromB64(v.signature_b64)).verify(fromB64(v.notification_b64), { mode: v.mode, flags: v.flags }),
    (v) => verifyPaylands(fromB64(v.signature_b64), fromB64(v.notification_b64), { mode: v.mode, flags: v.flags }),
  ]) {
    const outcomes = await Promise.all(vectors.map((v) => run(v).then(() => 'ok', (e) => e.code)));
    assert.deepEqual(
      vectors.map((v, i) => (outcomes[i] === v.expect ? null : `${v.id}: ${outcomes[i]}, expected ${v.expect}`)).filter(Boolean),
      [],
    );
  }
});

const SIG = 's1gnature';
const data = '{"order": {"amount": 1050, "ref": "caf\\u00e9/1"}, "client": {"uuid": "C1"}}';

test('hashSync, paylandsDataSync and the one-shot functions agree with PHP json_encode + sha256', async () => {
  const verifier = new PaylandsVerifier(SIG);
  const php = '{"order":{"amount":1050,"ref":"caf\\u00e9\\/1"},"client":{"uuid":"C1"}}';
  assert.equal(paylandsDataSync(data), php);
  assert.equal(await paylandsData(data), php);
  assert.equal(verifier.hashSync(data), createHash('sha256').update(php + SIG).digest('hex'));
  assert.equal(await verifier.hash(data), verifier.hashSync(data));
  const unescaped = '{"order":{"amount":1050,"ref":"café/1"},"client":{"uuid":"C1"}}';
  assert.equal(paylandsDataSync(data, { flags: 'unescaped' }), unescaped);
  assert.equal(paylandsHashSync(SIG, data, { flags: 'unescaped' }), createHash('sha256').update(unescaped + SIG).digest('hex'));
  assert.equal(await paylandsHash(SIG, data, { flags: 'unescaped' }), paylandsHashSync(SIG, data, { flags: 'unescaped' }));
  const signed = JSON.stringify({ ...JSON.parse(data), validation_hash: paylandsHashSync(SIG, data, { flags: 'unescaped' }) });
  assert.equal(verifyPaylandsSync(SIG, signed), 'unescaped');
  assert.equal(verifyPaylandsSync(Buffer.from(SIG), Buffer.from(signed), { flags: 'unescaped' }), 'unescaped');
  assert.throws(() => verifyPaylandsSync(SIG, signed, { flags: 'default' }), MismatchError);
  assert.equal(await verifyPaylands(SIG, signed), 'unescaped');
  await assert.rejects(verifyPaylands(SIG, signed, { flags: 'default' }), MismatchError);
});

test('response mode hashes every member but message, code, current_time and validation_hash', () => {
  const verifier = new PaylandsVerifier(SIG);
  const response = '{"message":"OK","code":200,"current_time":"now","payment":{"id":1},"validation_hash":"x"}';
  assert.equal(paylandsDataSync(response, { mode: 'response' }), '{"payment":{"id":1}}');
  const hash = verifier.hashSync(response, { mode: 'response' });
  assert.equal(verifier.verifySync(response.replace('"x"', `"${hash.toUpperCase()}"`), { mode: 'response' }), 'default');
});

test('MismatchError and MalformedError', async () => {
  const verifier = new PaylandsVerifier(SIG);
  const hash = verifier.hashSync(data);
  const signed = JSON.stringify({ ...JSON.parse(data), validation_hash: hash });
  assert.equal(verifier.verifySync(signed), 'default');
  assert.equal(await verifier.verify(signed), 'default');
  assert.throws(
    () => verifier.verifySync(signed.replace('1050', '1051')),
    (e) => e instanceof MismatchError && e instanceof BadSignatureError && e.code === 'mismatch',
  );
  assert.throws(() => new PaylandsVerifier('other').verifySync(signed), MismatchError);
  await assert.rejects(verifier.verify(signed.replace('1050', '1051')), MismatchError);
  for (const bad of ['not json', '[]', '{"order":{}}', '{"order":{},"validation_hash":1}', '{"order":{},"validation_hash":"abc"}',
    `{"client":{},"validation_hash":"${hash}"}`, `{"order":{},"order":{},"validation_hash":"${hash}"}`]) {
    assert.throws(() => verifier.verifySync(bad), (e) => e instanceof MalformedError && e instanceof VerificationError && e.code === 'malformed', bad);
  }
  await assert.rejects(verifier.verify('nope'), MalformedError);
  assert.throws(() => verifier.hashSync('[1]'), MalformedError);
});

test('InvalidKeyError and argument checks', async () => {
  assert.throws(() => new PaylandsVerifier(''), (e) => e instanceof InvalidKeyError && e.code === 'empty_signature');
  assert.throws(() => verifyPaylandsSync('', '{}'), (e) => e instanceof InvalidKeyError && e.code === 'empty_signature');
  assert.throws(
    () => new PaylandsVerifier('x'.repeat(257)),
    (e) => e instanceof InvalidKeyError && e.code === 'signature_too_long' && e.length === 257,
  );
  assert.throws(() => new PaylandsVerifier(5), { code: 'ERR_INVALID_ARG_TYPE' });
  const verifier = new PaylandsVerifier(SIG);
  assert.throws(() => verifier.verifySync(data, { mode: 'request' }), { code: 'ERR_INVALID_ARG_VALUE' });
  assert.throws(() => verifier.verifySync(data, { flags: 'pretty' }), { code: 'ERR_INVALID_ARG_VALUE' });
  assert.throws(() => verifier.hashSync(data, { flags: 'auto' }), { code: 'ERR_INVALID_ARG_VALUE' });
  assert.throws(() => verifier.verifySync(data, { mode: 1 }), { code: 'ERR_INVALID_ARG_TYPE' });
  assert.throws(() => verifier.verifySync(42), { code: 'ERR_INVALID_ARG_TYPE' });
  await assert.rejects(verifier.verify(null), { code: 'ERR_INVALID_ARG_TYPE' });
});

test('the benchmark fixture verifies; a verifier is reusable across bodies of any size', () => {
  const fixtures = FIXTURES;
  const body = readFileSync(path.join(fixtures, 'paylands-notification.json'));
  const verifier = new PaylandsVerifier(readFileSync(path.join(fixtures, 'paylands-notification.signature')));
  assert.equal(verifier.verifySync(body), 'default');
  const big = JSON.stringify({ order: { items: Array.from({ length: 50_000 }, (_, i) => i) }, client: {} });
  assert.equal(paylandsDataSync(big).length, big.length);
  assert.equal(verifier.hashSync(big).length, 64);
  assert.equal(verifier.verifySync(body), 'default');
});
