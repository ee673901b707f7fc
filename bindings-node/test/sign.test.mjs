// WebhookSigner, signWebhookSync and signWebhook (issue #20): every scheme signed and verified
// back by payseal; GitHub, Stripe and Standard Webhooks deliveries verified by the providers'
// own libraries (@octokit/webhooks-methods, stripe, standardwebhooks); the documented
// constructions for the other MAC schemes; a one-bit change anywhere a signature covers
// rejected; errors from the core's table.
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { test } from 'node:test';

import { verify as githubVerify } from '@octokit/webhooks-methods';
import Stripe from 'stripe';
import { Webhook } from 'standardwebhooks';

import {
  WebhookSigner,
  WebhookVerifier,
  signWebhook,
  signWebhookSync,
  verifyWebhookSync,
  InvalidInputError,
  InvalidKeyError,
  MalformedBodyError,
  TooLargeError,
  VerificationError,
} from 'payseal';

const NOW = 1781699238;
const BODY = Buffer.from('{"id":"evt_1","type":"charge.succeeded","amount":12.5,"note":"café €"}');
const STANDARD_SECRET = `whsec_${Buffer.from('standard-webhooks-key-0123456789').toString('base64')}`;
const ADYEN_KEY = '44782DEF547AAA06C910C43932B1EB0C71FC68D9D0C057550C48EC2ACF6BA056';
const OPPWA_KEY = '000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f';
const ADYEN_ITEM = Buffer.from(
  JSON.stringify({
    pspReference: '7914073381342284',
    merchantAccountCode: 'TestMerchant',
    merchantReference: 'TestPayment-1407325143704',
    amount: { value: 1130, currency: 'EUR' },
    eventCode: 'AUTHORISATION',
    success: 'true',
    additionalData: { authCode: '1234' },
  }),
);
const SPREEDLY_DOC = Buffer.from(`<?xml version="1.0" encoding="UTF-8"?>
<transaction>
  <amount>100</amount>
  <currency_code>USD</currency_code>
  <order_id nil="true"/>
  <state>succeeded</state>
  <token>TJsNm8zRSNgiZ1W4ULKvDF2nEuz</token>
  <payment_method><data>unsigned</data></payment_method>
</transaction>
`);

/** scheme -> [secrets, newest first; the body to sign] */
const CASES = {
  eupay: [['eupay-new', 'eupay-old'], BODY],
  github: [["It's a Secret to Everybody", 'old'], BODY],
  stripe: [['whsec_new', 'whsec_old'], BODY],
  standard: [[STANDARD_SECRET, `whsec_${Buffer.from('old-key-old-key-').toString('base64')}`], BODY],
  shopify: [['shpss_new', 'shpss_old'], BODY],
  checkout: [['cko-new', 'cko-old'], BODY],
  adyen_item: [[ADYEN_KEY, '00'.repeat(32)], ADYEN_ITEM],
  spreedly: [['spreedly-new', 'spreedly-old'], SPREEDLY_DOC],
  oppwa: [[OPPWA_KEY, '11'.repeat(32)], BODY],
  oppwa_base64: [[OPPWA_KEY, '11'.repeat(32)], BODY],
};
const SIGNS_IN_BODY = new Set(['adyen_item', 'spreedly']);

for (const [scheme, [secrets, body]] of Object.entries(CASES)) {
  test(`${scheme}: sign, then verify with payseal (the newest secret signs)`, async () => {
    const signer = new WebhookSigner(scheme, secrets);
    assert.equal(signer.scheme, scheme);
    const signed = signer.signSync(body, { now: NOW });
    assert.ok(Buffer.isBuffer(signed.body));
    for (const [name, value] of Object.entries(signed.headers)) {
      assert.equal(typeof name, 'string');
      assert.equal(typeof value, 'string');
    }
    const verifier = new WebhookVerifier(scheme, secrets);
    const payload = verifier.openSync(signed.headers, signed.body, { now: NOW });
    assert.deepEqual(payload, SIGNS_IN_BODY.has(scheme) ? signed.body : body);
    assert.throws(() => verifyWebhookSync(scheme, secrets[1], signed.headers, signed.body, { now: NOW }), VerificationError);
    // One-shot, promise and string forms agree (OPPWA's IV and Standard's id are random).
    for (const again of [
      signWebhookSync(scheme, secrets, body, { now: NOW, id: 'msg_1' }),
      await signWebhook(scheme, secrets, body, { now: new Date(NOW * 1000), id: 'msg_1' }),
      await signer.sign(body.toString('latin1') === body.toString() ? body.toString() : body, { now: NOW, id: 'msg_1' }),
    ]) {
      verifyWebhookSync(scheme, secrets[0], again.headers, again.body, { now: NOW });
      if (!scheme.startsWith('oppwa') && scheme !== 'standard') assert.deepEqual(again, signed);
    }
  });
}

test('the MAC schemes send the body given (the same Buffer)', () => {
  const signed = signWebhookSync('github', 's', BODY);
  assert.equal(signed.body, BODY);
  assert.deepEqual(signWebhookSync('github', 's', BODY.toString()).body, BODY);
  assert.deepEqual(signWebhookSync('github', 's', new Uint8Array(BODY)).body, BODY);
});

test('github: verified by @octokit/webhooks-methods; the documented example', async () => {
  const signed = signWebhookSync('github', ["It's a Secret to Everybody", 'old'], 'Hello, World!');
  assert.deepEqual(signed.headers, {
    'X-Hub-Signature-256': 'sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17',
  });
  const delivery = new WebhookSigner('github', 'octo-secret').signSync(BODY.toString());
  assert.equal(await githubVerify('octo-secret', BODY.toString(), delivery.headers['X-Hub-Signature-256']), true);
  assert.equal(await githubVerify('other', BODY.toString(), delivery.headers['X-Hub-Signature-256']), false);
});

test('stripe: verified by stripe.webhooks.constructEvent; equal to generateTestHeaderString', () => {
  const stripe = new Stripe('sk_test_payseal');
  const signer = new WebhookSigner('stripe', ['whsec_new', 'whsec_old']);
  const signed = signer.signSync(BODY); // now: the clock
  assert.deepEqual(Object.keys(signed.headers), ['Stripe-Signature']);
  const event = stripe.webhooks.constructEvent(signed.body, signed.headers['Stripe-Signature'], 'whsec_new', 300);
  assert.equal(event.id, 'evt_1');
  assert.throws(() => stripe.webhooks.constructEvent(signed.body, signed.headers['Stripe-Signature'], 'whsec_old', 300));
  const fixed = signer.signSync(BODY, { now: NOW }).headers['Stripe-Signature'];
  const theirs = stripe.webhooks.generateTestHeaderString({ payload: BODY.toString(), secret: 'whsec_new', timestamp: NOW });
  assert.equal(fixed, theirs);
});

test('standard: verified by standardwebhooks; equal to its sign()', () => {
  const signed = signWebhookSync('standard', STANDARD_SECRET, BODY);
  assert.deepEqual(Object.keys(signed.headers), ['webhook-id', 'webhook-timestamp', 'webhook-signature']);
  assert.match(signed.headers['webhook-id'], /^msg_[0-9a-f]{32}$/);
  assert.ok(Math.abs(Number(signed.headers['webhook-timestamp']) - Date.now() / 1000) < 60);
  const wh = new Webhook(STANDARD_SECRET);
  assert.equal(wh.verify(signed.body.toString(), signed.headers).id, 'evt_1');
  const fixed = signWebhookSync('standard', STANDARD_SECRET, BODY, { now: NOW, id: 'msg_2fQ' });
  assert.equal(fixed.headers['webhook-signature'], wh.sign('msg_2fQ', new Date(NOW * 1000), BODY.toString()));
  assert.notEqual(signWebhookSync('standard', STANDARD_SECRET, BODY).headers['webhook-id'], signed.headers['webhook-id']);
});

test('eupay, shopify, checkout: the documented constructions', () => {
  const mac = (secret) => createHmac('sha256', secret).update(BODY);
  assert.deepEqual(signWebhookSync('eupay', ['k', 'old'], BODY).headers, { 'X-EuPay-Signature': `sha256=${mac('k').digest('hex')}` });
  assert.deepEqual(signWebhookSync('shopify', 'k', BODY).headers, { 'X-Shopify-Hmac-Sha256': mac('k').digest('base64') });
  assert.deepEqual(signWebhookSync('checkout', 'k', BODY).headers, { 'Cko-Signature': mac('k').digest('hex') });
});

test('spreedly fields and algorithm, oppwa iv', () => {
  const a = signWebhookSync('spreedly', 'k', SPREEDLY_DOC, { fields: ['amount', 'state'], algorithm: 'sha1' });
  assert.deepEqual(a.headers, {});
  const text = a.body.toString();
  assert.ok(text.includes('<fields>amount state</fields>') && text.includes('<algorithm>sha1</algorithm>'));
  assert.ok(text.includes(createHmac('sha1', 'k').update('100|succeeded').digest('hex')));
  assert.deepEqual(signWebhookSync('spreedly', 'k', SPREEDLY_DOC, { fields: 'amount state', algorithm: 'sha1' }), a);
  const iv = Uint8Array.from({ length: 12 }, (_, i) => i);
  const o = signWebhookSync('oppwa', OPPWA_KEY, BODY, { iv });
  assert.equal(o.headers['X-Initialization-Vector'], Buffer.from(iv).toString('hex'));
  assert.notEqual(signWebhookSync('oppwa', OPPWA_KEY, BODY).headers['X-Initialization-Vector'], o.headers['X-Initialization-Vector']);
});

/** Every copy of `data` with the lowest bit of one byte in [start, end) flipped. */
function* flips(data, start = 0, end = data.length) {
  for (let i = start; i < end; i++) {
    const copy = Buffer.from(data);
    copy[i] ^= 1;
    yield copy;
  }
}

/** The body range a signature covers: all of it but for Adyen and Spreedly (one signed value). */
function covered(scheme, sent) {
  if (scheme === 'adyen_item') {
    const start = sent.indexOf('"7914073381342284"') + 1;
    return [start, start + 16];
  }
  if (scheme === 'spreedly') return [sent.indexOf('<token>') + 7, sent.indexOf('</token>')];
  return [0, sent.length];
}

for (const [scheme, [secrets, body]] of Object.entries(CASES)) {
  test(`${scheme}: a one-bit change anywhere signed is rejected`, () => {
    const signed = signWebhookSync(scheme, secrets, body, { now: NOW, id: 'msg_1' });
    const verifier = new WebhookVerifier(scheme, secrets);
    verifier.verifySync(signed.headers, signed.body, { now: NOW });
    for (const changed of flips(signed.body, ...covered(scheme, signed.body))) {
      assert.throws(() => verifier.verifySync(signed.headers, changed, { now: NOW }), VerificationError);
    }
    for (const [name, value] of Object.entries(signed.headers)) {
      for (const changed of flips(Buffer.from(value))) {
        const headers = { ...signed.headers, [name]: changed.toString('latin1') };
        assert.throws(() => verifier.verifySync(headers, signed.body, { now: NOW }), VerificationError);
      }
    }
    if (SIGNS_IN_BODY.has(scheme)) {
      const marker = scheme === 'adyen_item' ? '"hmacSignature":"' : '<signature>';
      const start = signed.body.indexOf(marker) + marker.length;
      for (const changed of flips(signed.body, start, start + 40)) {
        assert.throws(() => verifier.verifySync(signed.headers, changed, { now: NOW }), VerificationError);
      }
    }
  });
}

test('errors come from the core table', async () => {
  const signer = new WebhookSigner('stripe', 'whsec_x');
  assert.throws(() => signer.signSync(BODY, { now: -1 }), (e) => e instanceof InvalidInputError && e.code === 'invalid_argument');
  assert.throws(() => signWebhookSync('standard', STANDARD_SECRET, BODY, { id: 'has space' }), InvalidInputError);
  assert.throws(() => signWebhookSync('oppwa', OPPWA_KEY, BODY, { iv: new Uint8Array(5) }), InvalidInputError);
  assert.throws(() => signWebhookSync('spreedly', 's', SPREEDLY_DOC, { algorithm: 'md5' }), InvalidInputError);
  assert.throws(() => signWebhookSync('adyen_item', ADYEN_KEY, '[]'), (e) => e instanceof MalformedBodyError && e.code === 'malformed_body');
  assert.throws(() => new WebhookSigner('oppwa', 'not hex'), InvalidKeyError);
  assert.throws(() => new WebhookSigner('nope', 's'), TypeError); // ERR_INVALID_ARG_VALUE, as for WebhookVerifier
  assert.throws(() => signer.signSync(BODY, { id: 5 }), TypeError);
  assert.throws(() => signer.signSync(BODY, { iv: 'hex' }), TypeError);
  const huge = Buffer.alloc(32 * 1024 * 1024 + 1);
  assert.throws(() => signer.signSync(huge, { now: NOW }), TooLargeError);
  await assert.rejects(signer.sign(huge, { now: NOW }), TooLargeError);
  await assert.rejects(signWebhook('adyen_item', ADYEN_KEY, Buffer.alloc(100_000, 0x20)), MalformedBodyError);
});

test('signWebhookSync refuses each bad argument as the signer does (same class, same code)', () => {
  const outcome = (f) => {
    try {
      const signed = f();
      return `ok:${JSON.stringify(signed.headers)}`;
    } catch (e) {
      return `${e.constructor.name}:${e.code}`;
    }
  };
  const cases = [
    ['eupay', 'k', BODY, undefined],
    ['eupay', ['k', 'old'], BODY.toString(), undefined],
    ['eupay', 'k', 42, undefined],
    ['eupay', 'k', null, undefined],
    ['eupay', 42, BODY, undefined],
    ['eupay', '', BODY, undefined],
    ['eupay', [], BODY, undefined],
    ['eupay', ['k', 7], BODY, undefined],
    ['stripe', 'whsec_x', BODY, { now: -1 }],
    ['stripe', 'whsec_x', BODY, { now: 'soon' }],
    ['stripe', 'whsec_x', BODY, { now: NOW }],
    ['standard', STANDARD_SECRET, BODY, { now: NOW, id: 'has space' }],
    ['standard', STANDARD_SECRET, BODY, { now: NOW, id: 5 }],
    ['oppwa', OPPWA_KEY, BODY, { iv: new Uint8Array(5) }],
    ['oppwa', OPPWA_KEY, BODY, { iv: 'hex' }],
    ['oppwa', 'not hex', BODY, undefined],
    ['spreedly', 's', SPREEDLY_DOC, { algorithm: 'md5' }],
    ['adyen_item', ADYEN_KEY, '[]', undefined],
    ['nope', 's', BODY, undefined],
    [42, 's', BODY, undefined],
  ];
  for (const [scheme, secrets, body, opts] of cases) {
    const viaSigner = outcome(() => new WebhookSigner(scheme, secrets).signSync(body, opts));
    const oneShot = outcome(() => signWebhookSync(scheme, secrets, body, opts));
    assert.equal(oneShot, viaSigner, `${String(scheme)} ${JSON.stringify(secrets)} ${JSON.stringify(opts)}`);
  }
});

test('the one-shot callbacks of the private addon throw typed errors for any argument, never crash', async () => {
  const { createRequire } = await import('node:module');
  const native = createRequire(import.meta.url)('../native.js');
  const good = ['eupay', 'k', BODY, undefined, undefined, undefined, undefined, undefined];
  assert.equal(native.webhookSignOnce(...good).length, 2); // [name, value]
  const junk = [undefined, null, 42, {}, [], Symbol('s'), 'x', new Uint8Array(3)];
  for (let position = 0; position < good.length; position++) {
    for (const value of junk) {
      const args = good.slice();
      args[position] = value;
      try {
        native.webhookSignOnce(...args);
      } catch (e) {
        assert.match(String(e.code), /^payseal:|^ERR_/, `argument ${position}: ${String(e.code)}`);
      }
    }
  }
  assert.throws(() => native.webhookSignOnce(), { code: 'payseal:arg_type' });
});

test('large bodies: the promise form signs on the thread pool', async () => {
  const body = Buffer.alloc(1 << 20, 0x78);
  const signed = await new WebhookSigner('stripe', 'whsec_x').sign(body, { now: NOW });
  assert.equal(signed.body, body);
  verifyWebhookSync('stripe', 'whsec_x', signed.headers, body, { now: NOW });
  const oppwa = await signWebhook('oppwa', OPPWA_KEY, body);
  assert.deepEqual(new WebhookVerifier('oppwa', OPPWA_KEY).openSync(oppwa.headers, oppwa.body), body);
});
