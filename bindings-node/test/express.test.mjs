// A real Express server on 127.0.0.1 (ephemeral port) receiving signed webhooks with the raw
// body, exercised over HTTP with fetch: authentic deliveries get 200, tampered ones 400.
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { once } from 'node:events';
import { after, before, test } from 'node:test';

import express from 'express';
import { PaysealError, WebhookVerifier } from 'payseal';

const SECRETS = {
  eupay: 'whsec_eupay_test_secret',
  stripe: 'whsec_stripe_test_secret',
  standard: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw',
};
const verifiers = Object.fromEntries(Object.entries(SECRETS).map(([scheme, s]) => [scheme, new WebhookVerifier(scheme, s)]));

let server;
let base;

before(async () => {
  const app = express();
  // The raw bytes, exactly as received: a signature covers bytes, not re-serialised JSON.
  app.post('/webhooks/:scheme', express.raw({ type: '*/*' }), async (req, res) => {
    const verifier = verifiers[req.params.scheme];
    if (verifier === undefined) return res.status(404).end();
    try {
      await verifier.verify(req.headers, req.body);
    } catch (e) {
      if (e instanceof PaysealError) return res.status(400).json({ error: e.code });
      throw e;
    }
    res.json({ ok: true, event: JSON.parse(req.body).type });
  });
  server = app.listen(0, '127.0.0.1');
  await once(server, 'listening');
  base = `http://127.0.0.1:${server.address().port}`;
});

after(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

const hmac = (key, data, enc = 'hex') => createHmac('sha256', key).update(data).digest(enc);
const payload = JSON.stringify({ type: 'payment.completed', amount: 12.5, note: 'Café / 東京' });
const now = () => Math.floor(Date.now() / 1000);

/** The headers each provider would send for `body`. */
const SIGN = {
  eupay: (body) => ({ 'X-EuPay-Signature': `sha256=${hmac(SECRETS.eupay, body)}` }),
  stripe: (body) => {
    const t = now();
    return { 'Stripe-Signature': `t=${t},v1=${hmac(SECRETS.stripe, `${t}.${body}`)}` };
  },
  standard: (body) => {
    const [id, t] = ['msg_2KWPBgLlAfxdpx2AI54pPJ85f4W', now()];
    const key = Buffer.from(SECRETS.standard.slice('whsec_'.length), 'base64');
    return { 'webhook-id': id, 'webhook-timestamp': String(t), 'webhook-signature': `v1,${hmac(key, `${id}.${t}.${body}`, 'base64')}` };
  },
};

async function post(scheme, headers, body) {
  const res = await fetch(`${base}/webhooks/${scheme}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body,
  });
  return { status: res.status, json: await res.json() };
}

for (const scheme of Object.keys(SIGN)) {
  test(`${scheme}: a signed delivery is accepted (200)`, async () => {
    const r = await post(scheme, SIGN[scheme](payload), payload);
    assert.deepEqual(r, { status: 200, json: { ok: true, event: 'payment.completed' } });
  });

  test(`${scheme}: a tampered body is rejected (400 bad_signature)`, async () => {
    const r = await post(scheme, SIGN[scheme](payload), payload.replace('12.5', '1250'));
    assert.deepEqual(r, { status: 400, json: { error: 'bad_signature' } });
  });

  test(`${scheme}: a delivery without its signature header is rejected (400)`, async () => {
    const r = await post(scheme, {}, payload);
    assert.deepEqual(r, { status: 400, json: { error: 'missing_header' } });
  });
}

test('stripe: a replayed (old) delivery is rejected (400 timestamp_too_old)', async () => {
  const t = now() - 3600;
  const headers = { 'Stripe-Signature': `t=${t},v1=${hmac(SECRETS.stripe, `${t}.${payload}`)}` };
  assert.deepEqual(await post('stripe', headers, payload), { status: 400, json: { error: 'timestamp_too_old' } });
});

test('a re-serialised body does not verify: the raw bytes matter', async () => {
  const pretty = JSON.stringify(JSON.parse(payload), null, 2);
  const r = await post('eupay', SIGN.eupay(payload), pretty);
  assert.deepEqual(r, { status: 400, json: { error: 'bad_signature' } });
});
