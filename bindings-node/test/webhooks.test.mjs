import assert from 'node:assert/strict';
import { createCipheriv, createHmac, randomBytes } from 'node:crypto';
import { test } from 'node:test';

import {
  WebhookVerifier,
  verifyWebhook,
  verifyWebhookSync,
  verifyWebhookBatch,
  BadSignatureError,
  InvalidKeyError,
  MalformedBodyError,
  MalformedError,
  MalformedHeaderError,
  MissingHeaderError,
  PaysealError,
  TimestampError,
  TimestampTooNewError,
  TimestampTooOldError,
  TooLargeError,
  VerificationError,
} from 'payseal';
import { fromB64, readVectors } from './vectors.mjs';

const EXPECTS = new Set(['ok', 'bad_signature', 'missing_header', 'malformed_header', 'malformed_body',
  'timestamp_too_old', 'timestamp_too_new']);

const code = (f) => {
  try {
    f();
    return 'ok';
  } catch (e) {
    if (!(e instanceof PaysealError)) throw e;
    return e.code;
  }
};

function expectOf(v) {
  assert.ok(EXPECTS.has(v.expect), `${v.id}: unknown expect ${JSON.stringify(v.expect)}`);
  return v.expect;
}

// ---- Shared vectors ----------------------------------------------------------------------------

const eupay = readVectors('eupay_webhook.jsonl');
const more = readVectors('webhooks_more.jsonl');

test('eupay_webhook.jsonl: verifySync with req.headers-like objects, pairs and Headers', () => {
  const failures = [];
  for (const v of eupay) {
    const want = expectOf(v);
    const verifier = new WebhookVerifier('eupay', fromB64(v.secret_b64));
    const body = fromB64(v.body_b64);
    for (const headers of [{ 'x-eupay-signature': v.header }, [['X-EuPay-Signature', v.header]], new Headers({ 'X-EuPay-Signature': v.header })]) {
      const got = code(() => verifier.verifySync(headers, body));
      if (got !== want) failures.push(`${v.id}: ${got}, expected ${want}`);
    }
  }
  assert.deepEqual(failures, []);
});

function moreCase(v) {
  const verifier = new WebhookVerifier(v.scheme, v.secrets_b64.map(fromB64));
  return { verifier, headers: v.headers, body: fromB64(v.body_b64), opts: { now: v.now, tolerance: v.tolerance } };
}

test('webhooks_more.jsonl: every scheme, headers as received (mixed case) and as pairs', () => {
  const failures = [];
  for (const v of more) {
    const want = expectOf(v);
    const { verifier, headers, body, opts } = moreCase(v);
    const pairs = Object.entries(headers);
    const got = code(() => {
      const opened = verifier.openSync(headers, body, opts);
      if (v.plaintext_b64 !== undefined) assert.ok(opened.equals(fromB64(v.plaintext_b64)), `${v.id}: plaintext`);
    });
    if (got !== want) failures.push(`${v.id}: ${got}, expected ${want}`);
    const viaPairs = code(() => verifier.verifySync(pairs, body, opts));
    if (viaPairs !== want) failures.push(`${v.id} (pairs): ${viaPairs}, expected ${want}`);
    const oneShot = code(() => verifyWebhookSync(v.scheme, v.secrets_b64.map(fromB64), headers, body, opts));
    if (oneShot !== want) failures.push(`${v.id} (verifyWebhookSync): ${oneShot}, expected ${want}`);
  }
  assert.deepEqual(failures, []);
});

test('webhooks_more.jsonl: verifyWebhookBatch, all at once, outcomes in order', async () => {
  const items = more.map((v) => {
    const { verifier, headers, body } = moreCase(v);
    return { verifier, headers, body, v };
  });
  // One batch needs one clock: group the vectors by (now, tolerance).
  const groups = new Map();
  for (const i of items) {
    const k = `${i.v.now}/${i.v.tolerance}`;
    groups.set(k, [...(groups.get(k) ?? []), i]);
  }
  const failures = [];
  for (const group of groups.values()) {
    const outcomes = await verifyWebhookBatch(group, { now: group[0].v.now, tolerance: group[0].v.tolerance });
    assert.equal(outcomes.length, group.length);
    group.forEach(({ v }, i) => {
      const got = outcomes[i] === null ? 'ok' : outcomes[i].code;
      if (got !== v.expect) failures.push(`${v.id}: ${got}, expected ${v.expect}`);
      if (outcomes[i] !== null && !(outcomes[i] instanceof PaysealError)) failures.push(`${v.id}: not a PaysealError`);
    });
  }
  assert.deepEqual(failures, []);
});

// ---- Signing helpers for the unit tests ------------------------------------------------------

const hmac = (key, data, enc = 'hex') => createHmac('sha256', key).update(data).digest(enc);
const NOW = 1_781_699_400;
const body = Buffer.from('{"id":"evt_1","amount":1050}');

function stripeHeader(secret, payload, t = NOW) {
  return `t=${t},v1=${hmac(secret, `${t}.${payload}`)}`;
}

function standardHeaders(secretB64, payload, t = NOW, id = 'msg_1') {
  const key = Buffer.from(secretB64, 'base64');
  return { 'webhook-id': id, 'webhook-timestamp': String(t), 'webhook-signature': `v1,${hmac(key, `${id}.${t}.${payload}`, 'base64')}` };
}

// ---- Unit tests -------------------------------------------------------------------------------

test('every scheme is constructible and names the headers it reads', () => {
  const secrets = { standard: 'whsec_c2VjcmV0', adyen_item: 'abcd', oppwa: '00'.repeat(32), oppwa_base64: '00'.repeat(32) };
  for (const scheme of ['eupay', 'github', 'stripe', 'standard', 'shopify', 'checkout', 'adyen_item', 'spreedly', 'oppwa', 'oppwa_base64']) {
    const v = new WebhookVerifier(scheme, secrets[scheme] ?? 'secret');
    assert.equal(v.scheme, scheme);
    assert.ok(Object.isFrozen(v.headerNames));
    for (const n of v.headerNames) assert.equal(n, n.toLowerCase());
    assert.equal(v.headerNames.length > 0, !['adyen_item', 'spreedly'].includes(scheme), scheme);
  }
  assert.deepEqual(new WebhookVerifier('stripe', 's').headerNames, ['stripe-signature']);
  assert.equal(new WebhookVerifier('stripe', 's').length, 1);
  assert.equal(new WebhookVerifier('stripe', ['new', 'old']).length, 2);
  assert.equal(new WebhookVerifier('standard', 'whsec_c2VjcmV0').headerNames.length, 6);
});

test('rotation: any of the secrets may have signed; string and bytes secrets agree', () => {
  const headers = { 'x-hub-signature-256': `sha256=${hmac('old', body)}` };
  new WebhookVerifier('github', ['new', 'old']).verifySync(headers, body);
  new WebhookVerifier('github', [Buffer.from('new'), new TextEncoder().encode('old')]).verifySync(headers, body);
  assert.throws(() => new WebhookVerifier('github', ['new']).verifySync(headers, body), BadSignatureError);
});

test('bodies: Buffer, Uint8Array view and string verify alike; a changed byte does not', () => {
  const v = new WebhookVerifier('eupay', 'k');
  const headers = { 'x-eupay-signature': `sha256=${hmac('k', body)}` };
  const backing = Buffer.concat([Buffer.from('xx'), body, Buffer.from('yy')]);
  v.verifySync(headers, body);
  v.verifySync(headers, new Uint8Array(backing.buffer, backing.byteOffset + 2, body.length));
  v.verifySync(headers, body.toString());
  const tampered = Buffer.from(body);
  tampered[5] ^= 1;
  assert.throws(() => v.verifySync(headers, tampered), (e) => e instanceof BadSignatureError && e.code === 'bad_signature');
});

test('header lookup: case-insensitive, repeated values reach the core, prototypes ignored', () => {
  const v = new WebhookVerifier('eupay', 'k');
  const sig = `sha256=${hmac('k', body)}`;
  v.verifySync({ 'X-EUPAY-SIGNATURE': sig }, body);
  v.verifySync(Object.assign(Object.create(null), { 'x-eupay-signature': sig }), body);
  // Two values for one header are ambiguous: the core refuses them, however they arrive.
  for (const headers of [{ 'x-eupay-signature': [sig, sig] }, [['x-eupay-signature', sig], ['X-EuPay-Signature', sig]], { 'X-EuPay-Signature': sig, 'X-EUPAY-SIGNATURE': sig }]) {
    assert.throws(() => v.verifySync(headers, body), (e) => e instanceof MalformedHeaderError && e.header === 'X-EuPay-Signature');
  }
  v.verifySync({ 'x-eupay-signature': [sig] }, body);
  v.verifySync(new Map([['X-EuPay-Signature', sig], ['Content-Type', 'application/json']]), body);
  assert.throws(() => v.verifySync(new Map([['x-eupay-signature', sig], ['X-EUPAY-SIGNATURE', sig]]), body), MalformedHeaderError);
  const inherited = Object.create({ 'x-eupay-signature': sig });
  assert.throws(() => v.verifySync(inherited, body), MissingHeaderError);
  v.verifySync({ 'x-eupay-signature': Buffer.from(sig), other: 42 }, body);
});

test('MissingHeaderError, MalformedHeaderError: code, header, class', () => {
  const v = new WebhookVerifier('stripe', 'whsec_x');
  assert.throws(
    () => v.verifySync({}, body, { now: NOW }),
    (e) => e instanceof MissingHeaderError && e instanceof MalformedError && e.code === 'missing_header' && e.header === 'Stripe-Signature',
  );
  assert.throws(
    () => v.verifySync({ 'stripe-signature': 'garbage' }, body, { now: NOW }),
    (e) => e instanceof MalformedHeaderError && e.code === 'malformed_header' && e.header === 'Stripe-Signature',
  );
  const many = `t=${NOW},${Array.from({ length: 9 }, () => `v1=${'0'.repeat(64)}`).join(',')}`;
  assert.throws(() => v.verifySync({ 'stripe-signature': many }, body, { now: NOW }), (e) => e instanceof MalformedHeaderError && e.code === 'too_many_signatures');
});

test('stripe: tolerance both ways, now as number or Date, TimestampTooOld/TooNew', () => {
  const v = new WebhookVerifier('stripe', 'whsec_test');
  const headers = { 'stripe-signature': stripeHeader('whsec_test', body) };
  v.verifySync(headers, body, { now: NOW });
  v.verifySync(headers, body, { now: new Date((NOW + 300) * 1000), tolerance: 300 });
  v.verifySync(headers, body, { now: NOW + 0.9 });
  assert.throws(
    () => v.verifySync(headers, body, { now: NOW + 301 }),
    (e) => e instanceof TimestampTooOldError && e instanceof TimestampError && e instanceof VerificationError && e.code === 'timestamp_too_old',
  );
  assert.throws(() => v.verifySync(headers, body, { now: NOW - 11, tolerance: 10 }), (e) => e instanceof TimestampTooNewError && e.code === 'timestamp_too_new');
  // Without `now`, the system clock: a 2026 timestamp is far from it either way.
  assert.throws(() => v.verifySync({ 'stripe-signature': stripeHeader('whsec_test', body, 1000) }, body), TimestampTooOldError);
});

test('standard webhooks: webhook-* and svix-* headers', () => {
  const secret = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';
  const v = new WebhookVerifier('standard', secret);
  const headers = standardHeaders(secret.slice(6), body);
  v.verifySync(headers, body, { now: NOW });
  const svix = Object.fromEntries(Object.entries(headers).map(([k, val]) => [k.replace('webhook', 'svix'), val]));
  v.verifySync(svix, body, { now: NOW });
  assert.throws(() => v.verifySync({ ...headers, 'webhook-id': 'msg_2' }, body, { now: NOW }), BadSignatureError);
});

test('MalformedBodyError, TooLargeError, openInto/openSync (OPPWA)', () => {
  const key = randomBytes(32);
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  const ciphertext = Buffer.concat([cipher.update('{"type":"PAYMENT"}'), cipher.final()]);
  const headers = { 'x-initialization-vector': iv.toString('hex'), 'x-authentication-tag': cipher.getAuthTag().toString('hex') };
  const v = new WebhookVerifier('oppwa', key.toString('hex'));
  const hex = ciphertext.toString('hex');
  assert.equal(v.openSync(headers, hex).toString(), '{"type":"PAYMENT"}');
  const dst = Buffer.alloc(v.openLength(hex));
  assert.equal(dst.toString('utf8', 0, v.openInto(headers, hex, dst)), '{"type":"PAYMENT"}');
  v.verifySync(headers, hex);
  assert.throws(() => v.openSync(headers, 'zz'), (e) => e instanceof MalformedBodyError && e.code === 'malformed_body');
  assert.throws(() => v.openSync({ ...headers, 'x-authentication-tag': '00'.repeat(16) }, hex), BadSignatureError);
  const b64 = new WebhookVerifier('oppwa_base64', key.toString('hex'));
  assert.equal(b64.openSync(headers, ciphertext.toString('base64')).toString(), '{"type":"PAYMENT"}');
  // A MAC scheme's payload is the body itself (the core decides: Scheme::is_encrypted).
  const eupay = new WebhookVerifier('eupay', 'k');
  const signed = { 'x-eupay-signature': `sha256=${hmac('k', body)}` };
  assert.equal(eupay.openSync(signed, body), body);
  assert.ok(eupay.openSync(signed, body.toString()).equals(body));
  assert.ok(eupay.openSync(signed, new Uint8Array(body)).equals(body));
  assert.throws(() => eupay.openSync(signed, Buffer.from('{}')), BadSignatureError);
  const huge = Buffer.alloc(32 * 1024 * 1024 + 1);
  assert.throws(() => new WebhookVerifier('eupay', 'k').verifySync({ 'x-eupay-signature': 'sha256=00' }, huge), (e) => e instanceof TooLargeError && e.code === 'too_large');
  assert.throws(() => v.openInto(headers, hex, Buffer.alloc(1)), { code: 'buffer_too_small' });
});

test('InvalidKeyError: no secret, too many, empty, malformed (with index)', () => {
  assert.throws(() => new WebhookVerifier('github', []), (e) => e instanceof InvalidKeyError && e.code === 'no_secret');
  assert.throws(() => new WebhookVerifier('github', ['a', 'b', 'c', 'd', 'e']), (e) => e instanceof InvalidKeyError && e.code === 'too_many_secrets');
  assert.throws(() => new WebhookVerifier('github', ['a', '']), (e) => e instanceof InvalidKeyError && e.code === 'empty_secret' && e.index === 1);
  assert.throws(() => new WebhookVerifier('standard', ['whsec_!!']), (e) => e instanceof InvalidKeyError && e.code === 'malformed_secret' && e.index === 0);
  assert.throws(() => new WebhookVerifier('oppwa', ['00']), (e) => e.code === 'malformed_secret');
});

test('arguments are checked', () => {
  assert.throws(() => new WebhookVerifier('paypal', 's'), { name: 'TypeError', code: 'ERR_INVALID_ARG_VALUE' });
  assert.throws(() => new WebhookVerifier(1, 's'), { code: 'ERR_INVALID_ARG_TYPE' });
  assert.throws(() => new WebhookVerifier('github', 42), { code: 'ERR_INVALID_ARG_TYPE' });
  assert.throws(() => new WebhookVerifier('github', [42]), { code: 'ERR_INVALID_ARG_TYPE' });
  const v = new WebhookVerifier('github', 's');
  assert.throws(() => v.verifySync(null, body), { code: 'ERR_INVALID_ARG_TYPE' });
  assert.throws(() => v.verifySync('x-hub: 1', body), { code: 'ERR_INVALID_ARG_TYPE' });
  assert.throws(() => v.verifySync([['x-hub-signature-256']], body), { code: 'ERR_INVALID_ARG_TYPE' });
  assert.throws(() => v.verifySync({ 'x-hub-signature-256': 5 }, body), { code: 'ERR_INVALID_ARG_TYPE' });
  assert.throws(() => v.verifySync({}, 42), { code: 'ERR_INVALID_ARG_TYPE' });
  assert.throws(() => v.verifySync({}, body, { now: '2026' }), { code: 'ERR_INVALID_ARG_TYPE' });
  assert.throws(() => v.verifySync({}, body, { now: NaN }), { name: 'RangeError', code: 'ERR_OUT_OF_RANGE' });
  assert.throws(() => v.verifySync({}, body, { tolerance: -1 }), { name: 'RangeError', code: 'ERR_OUT_OF_RANGE' });
  assert.throws(() => v.verifySync({}, body, { tolerance: 1.5 }), { code: 'ERR_OUT_OF_RANGE' });
  assert.throws(() => v.verifySync({}, body, 'opts'), { code: 'ERR_INVALID_ARG_TYPE' });
});

test('verify (promise): small bodies inline, large ones on the pool; verifyWebhookSync / verifyWebhook one-shots', async () => {
  const v = new WebhookVerifier('eupay', 'k');
  const big = randomBytes(200 * 1024);
  await v.verify({ 'x-eupay-signature': `sha256=${hmac('k', body)}` }, body);
  await v.verify({ 'x-eupay-signature': `sha256=${hmac('k', big)}` }, big);
  await assert.rejects(v.verify({ 'x-eupay-signature': `sha256=${hmac('k', big)}` }, big.subarray(1)), BadSignatureError);
  await assert.rejects(v.verify({}, body), MissingHeaderError);
  await assert.rejects(v.verify(null, body), { code: 'ERR_INVALID_ARG_TYPE' });
  verifyWebhookSync('eupay', 'k', { 'x-eupay-signature': `sha256=${hmac('k', body)}` }, body);
  verifyWebhookSync('eupay', ['old', 'k'], { 'x-eupay-signature': `sha256=${hmac('k', body)}` }, body);
  assert.throws(() => verifyWebhookSync('eupay', 'k', {}, body), MissingHeaderError);
  await verifyWebhook('eupay', 'k', { 'x-eupay-signature': `sha256=${hmac('k', big)}` }, big);
  await verifyWebhook('eupay', Buffer.from('k'), { 'x-eupay-signature': `sha256=${hmac('k', body)}` }, body);
  await assert.rejects(verifyWebhook('eupay', 'k', {}, body), MissingHeaderError);
  await assert.rejects(verifyWebhook('eupay', 'k', { 'x-eupay-signature': `sha256=${hmac('k', big)}` }, big.subarray(1)), BadSignatureError);
  assert.throws(() => verifyWebhookSync('paypal', 'k', {}, body), { code: 'ERR_INVALID_ARG_VALUE' });
  assert.throws(() => verifyWebhookSync('eupay', '', {}, body), (e) => e instanceof InvalidKeyError && e.code === 'empty_secret');
});

test('verifyWebhookSync refuses each bad argument as the verifier does (same class, same code)', () => {
  const good = { 'x-eupay-signature': `sha256=${hmac('k', body)}` };
  const outcome = (f) => {
    try {
      f();
      return 'ok';
    } catch (e) {
      return `${e.constructor.name}:${e.code}`;
    }
  };
  const cases = [
    ['eupay', 'k', good, body, undefined],
    ['eupay', 'k', good, 42, undefined],
    ['eupay', 'k', good, null, undefined],
    ['eupay', 'k', null, body, undefined],
    ['eupay', 'k', { 'x-eupay-signature': 42 }, body, undefined],
    ['eupay', 'k', { 'x-eupay-signature': [good['x-eupay-signature']] }, body, undefined],
    ['eupay', 'k', { 'X-EuPay-Signature': good['x-eupay-signature'] }, body, undefined],
    ['eupay', 'k', new Map(Object.entries(good)), body, undefined],
    ['eupay', 'k', good, body, { now: 1.5 }],
    ['eupay', 'k', good, body, { tolerance: -1 }],
    ['eupay', 'k', good, 'text body', undefined],
    ['eupay', 42, good, body, undefined],
    ['eupay', ['a', 'b', 'c', 'd', 'e'], good, body, undefined],
    ['stripe', 'whsec_x', good, body, { now: NOW }],
    [42, 'k', good, body, undefined],
  ];
  for (const [scheme, secrets, headers, b, opts] of cases) {
    const viaVerifier = outcome(() => new WebhookVerifier(scheme, secrets).verifySync(headers, b, opts));
    const oneShot = outcome(() => verifyWebhookSync(scheme, secrets, headers, b, opts));
    assert.equal(oneShot, viaVerifier, `${String(scheme)} ${JSON.stringify(secrets)} ${String(b)}`);
  }
});

test('verifyBatch: order kept across threads, inputs copied, bad items refused', async () => {
  const v = new WebhookVerifier('eupay', 'k');
  const items = Array.from({ length: 100 }, (_, i) => {
    const b = Buffer.from(`{"n":${i}}`);
    return { headers: { 'x-eupay-signature': `sha256=${hmac('k', i % 3 === 0 ? 'other' : b)}` }, body: b };
  });
  const pending = v.verifyBatch(items);
  for (const item of items) item.body.fill(0x20); // the batch copied the bytes
  const outcomes = await pending;
  outcomes.forEach((o, i) => assert.equal(o === null, i % 3 !== 0, `item ${i}`));
  assert.ok(outcomes[0] instanceof BadSignatureError);
  assert.deepEqual(await v.verifyBatch([]), []);
  await assert.rejects(v.verifyBatch('x'), { code: 'ERR_INVALID_ARG_TYPE' });
  await assert.rejects(verifyWebhookBatch([{ headers: {}, body }]), { code: 'ERR_INVALID_ARG_TYPE' });
});

test('the private addon refuses externals it did not make (type tags), instead of reading them', async () => {
  const { createRequire } = await import('node:module');
  const native = createRequire(import.meta.url)('../native.js');
  const foreign = native.qrVerifier('k'); // an external of another type
  for (const keys of [foreign, {}, null, 1]) {
    assert.throws(() => native.webhookVerify(keys, 'x'), { code: 'payseal:arg_type' });
    assert.throws(() => native.webhookOpenLen(keys, 'x'), { code: 'payseal:arg_type' });
  }
});
