import assert from 'node:assert/strict';
import { test } from 'node:test';

import {
  hashBcrypt,
  hashBcryptSync,
  verifyBcrypt,
  verifyBcryptSync,
  checkApiKeyPair,
  generateApiKey,
  generateApiKeyPair,
  generateTableToken,
  inspectApiKey,
  tableUrl,
  tableUrlMerchant,
  verifyTableUrl,
  InvalidKeyError,
  BadSignatureError,
  MalformedError,
  MalformedHashError,
  MismatchError,
  PaysealError,
  InvalidInputError,
  SecretVerifier,
  InvalidTableLinkError,
  VerificationError,
} from 'payseal';
import { fromB64, readVectors } from './vectors.mjs';

const EXPECTS = { match: null, mismatch: MismatchError, malformed_hash: MalformedHashError };

// ---- bcrypt: shared vectors -------------------------------------------------------------------

const vectors = readVectors('bcrypt.jsonl');

function differs(v, outcome) {
  assert.ok(v.expect in EXPECTS, `${v.id}: unknown expect ${JSON.stringify(v.expect)}`);
  const want = EXPECTS[v.expect];
  if (outcome === null) return want === null ? null : `${v.id}: match, expected ${v.expect}`;
  if (!(outcome instanceof PaysealError)) return `${v.id}: threw ${outcome?.stack ?? outcome}`;
  return want !== null && outcome instanceof want && outcome.code === v.expect ? null : `${v.id}: ${outcome.code}, expected ${v.expect}`;
}

test('bcrypt.jsonl: verifyBcrypt on the thread pool, all at once', async () => {
  const outcomes = await Promise.all(vectors.map((v) => verifyBcrypt(fromB64(v.secret_b64), v.hash).then(() => null, (e) => e)));
  assert.deepEqual(vectors.map((v, i) => differs(v, outcomes[i])).filter(Boolean), []);
});

test('bcrypt.jsonl: verifyBcryptSync and SecretVerifier on the cheap cases (cost < 10)', () => {
  const cheap = vectors.filter((v) => !/^\$2[aby]\$1\d\$/.test(v.hash));
  const cache = new SecretVerifier();
  const failures = [];
  for (const v of cheap) {
    for (const f of [verifyBcryptSync, (s, h) => cache.verifySync(s, h)]) {
      let outcome = null;
      try {
        f(fromB64(v.secret_b64), v.hash);
      } catch (e) {
        outcome = e;
      }
      failures.push(differs(v, outcome));
    }
  }
  assert.deepEqual(failures.filter(Boolean), []);
});

// ---- bcrypt: unit tests -----------------------------------------------------------------------

test('hashBcryptSync / hashBcrypt: $2b$, cost, round trip, fresh salts', async () => {
  const h = hashBcryptSync('sk_live_example', { cost: 4 });
  assert.match(h, /^\$2b\$04\$[./A-Za-z0-9]{53}$/);
  verifyBcryptSync('sk_live_example', h);
  verifyBcryptSync(Buffer.from('sk_live_example'), Buffer.from(h));
  const h2 = await hashBcrypt('sk_live_example', { cost: 5 });
  assert.match(h2, /^\$2b\$05\$/);
  await verifyBcrypt('sk_live_example', h2);
  assert.notEqual(hashBcryptSync('x', { cost: 4 }), hashBcryptSync('x', { cost: 4 }));
  assert.match(hashBcryptSync('x', {}), /^\$2b\$10\$/); // the default cost
});

test('MismatchError and MalformedHashError, sync and async', async () => {
  const h = hashBcryptSync('right', { cost: 4 });
  assert.throws(
    () => verifyBcryptSync('wrong', h),
    (e) => e instanceof MismatchError && e instanceof BadSignatureError && e instanceof VerificationError && e.code === 'mismatch',
  );
  await assert.rejects(verifyBcrypt('wrong', h), MismatchError);
  const x = `$2x$${h.slice(4)}`;
  assert.throws(() => verifyBcryptSync('right', x), (e) => e instanceof MalformedHashError && e instanceof MalformedError && e.code === 'malformed_hash');
  await assert.rejects(verifyBcrypt('right', 'not a hash'), MalformedHashError);
  // A NUL byte is data (PHP's password_verify would stop there).
  assert.throws(() => verifyBcryptSync('right\0more', h), MismatchError);
});

test('InvalidInputError: refused, not truncated; cost out of range is cost_out_of_range', async () => {
  assert.throws(() => hashBcryptSync('x'.repeat(73), { cost: 4 }), (e) => e instanceof InvalidInputError && e.code === 'secret_too_long' && e.length === 73);
  await assert.rejects(hashBcrypt('a\0b', { cost: 4 }), (e) => e instanceof InvalidInputError && e.code === 'secret_contains_nul');
  for (const cost of [3, 32, -1]) {
    assert.throws(() => hashBcryptSync('x', { cost }), (e) => e instanceof InvalidInputError && e.code === 'cost_out_of_range');
    await assert.rejects(hashBcrypt('x', { cost }), (e) => e instanceof InvalidInputError && e.code === 'cost_out_of_range');
  }
  assert.throws(() => hashBcryptSync('x', { cost: 4.5 }), { code: 'ERR_OUT_OF_RANGE' });
  assert.throws(() => hashBcryptSync('x', { cost: '4' }), { code: 'ERR_INVALID_ARG_TYPE' });
  assert.throws(() => hashBcryptSync(4), { code: 'ERR_INVALID_ARG_TYPE' });
  assert.throws(() => verifyBcryptSync('x', 4), { code: 'ERR_INVALID_ARG_TYPE' });
  await assert.rejects(verifyBcrypt(null, 'x'), { code: 'ERR_INVALID_ARG_TYPE' });
});

// ---- SecretVerifier ---------------------------------------------------------------------------

test('SecretVerifier: hits after a success, failures never cached, TTL via now', async () => {
  const h = hashBcryptSync('sk_test', { cost: 4 });
  const cache = new SecretVerifier({ capacity: 10, ttl: 60 });
  const t0 = Date.now() / 1000;
  cache.verifySync('sk_test', h, { now: t0 });
  cache.verifySync('sk_test', h, { now: t0 + 30 });
  await cache.verify('sk_test', h, { now: new Date((t0 + 59) * 1000) });
  assert.deepEqual(({ hits: cache.hits, misses: cache.misses }), { hits: 2, misses: 1 });
  assert.equal(cache.size, 1);
  cache.verifySync('sk_test', h, { now: t0 + 61 }); // expired: bcrypt again
  assert.deepEqual(({ hits: cache.hits, misses: cache.misses }), { hits: 2, misses: 2 });
  assert.throws(() => cache.verifySync('sk_wrong', h), MismatchError);
  await assert.rejects(cache.verify('sk_wrong', h), MismatchError);
  assert.throws(() => cache.verifySync('sk_test', 'bad'), MalformedHashError);
  assert.equal(cache.hits, 2);
  cache.clear();
  assert.equal(cache.size, 0);
  cache.verifySync('sk_test', h);
  assert.equal(cache.misses, 6);
});

test('SecretVerifier: capacity 0 disables caching; options are checked', () => {
  const h = hashBcryptSync('k', { cost: 4 });
  const off = new SecretVerifier({ capacity: 0 });
  off.verifySync('k', h);
  off.verifySync('k', h);
  assert.deepEqual(({ hits: off.hits, misses: off.misses }), { hits: 0, misses: 0 });
  assert.throws(() => new SecretVerifier({ capacity: -1 }), { code: 'ERR_OUT_OF_RANGE' });
  assert.throws(() => new SecretVerifier({ ttl: -5 }), { code: 'ERR_OUT_OF_RANGE' });
  assert.throws(() => new SecretVerifier({ ttl: '5' }), { code: 'ERR_INVALID_ARG_TYPE' });
  assert.throws(() => new SecretVerifier(5), { code: 'ERR_INVALID_ARG_TYPE' });
  assert.throws(() => off.verifySync('k', h, { now: 'now' }), { code: 'ERR_INVALID_ARG_TYPE' });
  assert.throws(() => off.verifySync('k', h, { now: Infinity }), { code: 'ERR_OUT_OF_RANGE' });
});

// ---- API keys ---------------------------------------------------------------------------------

test('API keys: generate, inspect, check pairs', () => {
  const pair = generateApiKeyPair('live');
  assert.match(pair.publishable, /^pk_live_[A-Za-z0-9]{32}$/);
  assert.match(pair.secret, /^sk_live_[A-Za-z0-9]{32}$/);
  assert.equal(checkApiKeyPair(pair.publishable, pair.secret), 'live');
  assert.deepEqual(inspectApiKey(pair.secret), { kind: 'secret', environment: 'live' });
  const test = generateApiKey('publishable', 'test');
  assert.deepEqual(inspectApiKey(test), { kind: 'publishable', environment: 'test' });
  assert.notEqual(generateApiKey('secret', 'test'), generateApiKey('secret', 'test'));
});

test('InvalidKeyError: every code, with length and offset', () => {
  const body = 'a'.repeat(32);
  const cases = [
    [() => inspectApiKey(`rk_live_${body}`), 'unknown_prefix'],
    [() => inspectApiKey('pk_live_short'), 'bad_length', (e) => e.length === 5],
    [() => inspectApiKey(`sk_test_${body.slice(1)}!`), 'bad_character', (e) => e.offset === 39],
    [() => checkApiKeyPair(`pk_live_${body}`, `sk_test_${body}`), 'environment_mismatch'],
    [() => checkApiKeyPair(`sk_live_${body}`, `sk_live_${body}`), 'not_publishable'],
    [() => checkApiKeyPair(`pk_live_${body}`, `pk_live_${body}`), 'not_secret'],
  ];
  for (const [f, code, extra = () => true] of cases) {
    assert.throws(f, (e) => e instanceof InvalidKeyError && e.code === code && extra(e), code);
  }
  assert.throws(() => generateApiKey('secret', 'prod'), { code: 'ERR_INVALID_ARG_VALUE' });
  assert.throws(() => generateApiKey('private', 'live'), { code: 'ERR_INVALID_ARG_VALUE' });
  assert.throws(() => inspectApiKey(42), { code: 'ERR_INVALID_ARG_TYPE' });
});

// ---- Table links ------------------------------------------------------------------------------

test('table links: token, URL, merchant, verification with one uniform error', () => {
  const merchant = '3febce7d-03cd-40fe-b40f-fe9851b9c397';
  const token = generateTableToken();
  assert.match(token, /^[0-9a-f]{32}$/);
  const url = tableUrl(merchant, token);
  assert.equal(url, `https://www.european-pay.fr/t/${merchant}/${token}`);
  assert.equal(tableUrlMerchant(url), merchant);
  verifyTableUrl(merchant, token, url);
  verifyTableUrl(merchant.toUpperCase(), token.toUpperCase(), url);
  const other = generateTableToken();
  for (const bad of [`${url}?x=1`, url.replace(token, other), url.replace('www.', ''), `${url.slice(0, -1)}`]) {
    assert.throws(() => verifyTableUrl(merchant, token, bad), (e) => e instanceof InvalidTableLinkError && e instanceof VerificationError && e.code === 'invalid_table_link');
  }
  assert.throws(() => tableUrlMerchant('https://example.test/'), InvalidTableLinkError);
  const base = 'https://staging.example.test/t/';
  const staged = tableUrl(merchant, token, { base });
  assert.ok(staged.startsWith(base));
  verifyTableUrl(merchant, token, staged, { base });
  assert.throws(() => verifyTableUrl(merchant, token, staged), InvalidTableLinkError);
  assert.throws(() => tableUrl('not-a-uuid', token), { code: 'ERR_INVALID_ARG_VALUE' });
  assert.throws(() => tableUrl(merchant, 'abc'), { code: 'ERR_INVALID_ARG_VALUE' });
  assert.throws(() => tableUrl(merchant, token, { base: 1 }), { code: 'ERR_INVALID_ARG_TYPE' });
});

test('SecretVerifier: capacity and ttl as in effect', () => {
  const v = new SecretVerifier({ capacity: 100, ttl: 60 });
  assert.equal(v.capacity, 100);
  assert.equal(v.ttl, 60);
  const d = new SecretVerifier();
  assert.equal(d.capacity, 10_000);
  assert.equal(d.ttl, 300);
  assert.ok(new SecretVerifier({ capacity: 1e12 }).capacity < 1e12);
});

test('SecretVerifier.shared: one cache per name for the process, across instances and worker threads', async () => {
  const { Worker } = await import('node:worker_threads');
  const { fileURLToPath } = await import('node:url');
  const h = hashBcryptSync('sk_shared', { cost: 4 });
  const first = SecretVerifier.shared('secrets.test.mjs', { capacity: 10, ttl: 60 });
  assert.ok(first instanceof SecretVerifier);
  first.verifySync('sk_shared', h);
  // Same name: the same cache (the first call's capacity and ttl), though a new object.
  const again = SecretVerifier.shared('secrets.test.mjs', { capacity: 1, ttl: 1 });
  again.verifySync('sk_shared', h);
  assert.deepEqual({ hits: again.hits, misses: again.misses, size: again.size }, { hits: 1, misses: 1, size: 1 });
  assert.deepEqual({ capacity: again.capacity, ttl: again.ttl }, { capacity: 10, ttl: 60 });
  assert.throws(() => again.verifySync('sk_wrong', h), MismatchError);
  // A worker thread loads the same addon: it finds the same cache.
  const index = fileURLToPath(new URL('../index.js', import.meta.url));
  const hits = await new Promise((resolve, reject) => {
    const w = new Worker(
      `const { parentPort, workerData } = require('node:worker_threads');
       const { SecretVerifier } = require(workerData.index);
       const v = SecretVerifier.shared('secrets.test.mjs');
       v.verifySync('sk_shared', workerData.h);
       parentPort.postMessage(v.hits);`,
      { eval: true, workerData: { index, h } },
    );
    w.once('message', resolve);
    w.once('error', reject);
  });
  assert.equal(hits, 2);
  // Another name, another cache; the default name.
  assert.equal(SecretVerifier.shared('secrets.test.mjs other').size, 0);
  assert.equal(SecretVerifier.shared().capacity, 10_000);
  assert.throws(() => SecretVerifier.shared(5), { code: 'ERR_INVALID_ARG_TYPE' });
  assert.throws(() => SecretVerifier.shared('x', { capacity: -1 }), { code: 'ERR_OUT_OF_RANGE' });
  // The constructor still makes a private cache.
  assert.equal(new SecretVerifier().size, 0);
});
