// examples/express_webhooks.js runs as its header says (`node examples/express_webhooks.js` with
// the secrets in the environment) and answers over HTTP on 127.0.0.1: authentic deliveries 200,
// tampered, unsigned and stale ones 400 with the error's code; SIGTERM stops it.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { createHmac } from 'node:crypto';
import { once } from 'node:events';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { after, before, test } from 'node:test';

const here = path.dirname(fileURLToPath(import.meta.url));
const example = path.join(here, '..', 'examples', 'express_webhooks.js');
const EUPAY = 'whsec_eupay_example_test';
const STRIPE = ['whsec_stripe_old', 'whsec_stripe_new']; // rotating: either may sign

let child;
let base;

before(async () => {
  child = spawn(process.execPath, [example], {
    env: { ...process.env, EUPAY_WEBHOOK_SECRET: EUPAY, STRIPE_WEBHOOK_SECRETS: STRIPE.join(','), PORT: '0' },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const lines = createInterface({ input: child.stdout });
  const timer = setTimeout(() => child.kill(), 10_000);
  const [first] = await Promise.race([
    once(lines, 'line'),
    once(child, 'exit').then(([code]) => assert.fail(`the example exited (${code}) before listening`)),
  ]);
  clearTimeout(timer);
  const m = /^listening on (http:\/\/127\.0\.0\.1:\d+)$/.exec(first);
  assert.ok(m, `unexpected first line: ${first}`);
  base = m[1];
});

after(async () => {
  if (child.exitCode !== null) return;
  const exited = once(child, 'exit');
  child.kill('SIGTERM');
  const [code, signal] = await exited;
  assert.deepEqual([code, signal], [0, null], 'SIGTERM stops the example cleanly');
});

const hmac = (key, data) => createHmac('sha256', key).update(data).digest('hex');
const now = () => Math.floor(Date.now() / 1000);
const stripeHeader = (body, t = now(), secret = STRIPE[1]) => `t=${t},v1=${hmac(secret, `${t}.${body}`)}`;
const stripeBody = JSON.stringify({ id: 'evt_1', type: 'payment_intent.succeeded', data: { amount: 1250, note: 'Café' } });
const eupayBody = JSON.stringify({ event: 'payment.completed', amount: 12.5 });

async function post(route, headers, body) {
  const res = await fetch(`${base}/webhooks/${route}`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body });
  return { status: res.status, json: await res.json() };
}

test('stripe: signed with either secret, 200 with the event type', async () => {
  for (const secret of STRIPE) {
    const r = await post('stripe', { 'Stripe-Signature': stripeHeader(stripeBody, now(), secret) }, stripeBody);
    assert.deepEqual(r, { status: 200, json: { received: 'payment_intent.succeeded' } });
  }
});

test('stripe: tampered body, tampered signature, stale timestamp, no header: 400 with the code', async () => {
  const sig = stripeHeader(stripeBody);
  const cases = [
    [{ 'Stripe-Signature': sig }, stripeBody.replace('1250', '125000'), 'bad_signature'],
    [{ 'Stripe-Signature': sig.replace(/v1=./, (s) => (s.endsWith('0') ? 'v1=1' : 'v1=0')) }, stripeBody, 'bad_signature'],
    [{ 'Stripe-Signature': stripeHeader(stripeBody, now() - 3600) }, stripeBody, 'timestamp_too_old'],
    [{}, stripeBody, 'missing_header'],
  ];
  for (const [headers, body, code] of cases) {
    assert.deepEqual(await post('stripe', headers, body), { status: 400, json: { error: code } });
  }
});

test('eupay: signed 200, tampered 400 bad_signature', async () => {
  const headers = { 'X-EuPay-Signature': `sha256=${hmac(EUPAY, eupayBody)}` };
  assert.deepEqual(await post('eupay', headers, eupayBody), { status: 200, json: { received: 'payment.completed' } });
  assert.deepEqual(await post('eupay', headers, eupayBody.replace('12.5', '1250')), { status: 400, json: { error: 'bad_signature' } });
});

test('a request without a body or signature is a rejected delivery (400), not a server error', async () => {
  const res = await fetch(`${base}/webhooks/stripe`, { method: 'POST' });
  assert.deepEqual({ status: res.status, json: await res.json() }, { status: 400, json: { error: 'missing_header' } });
});
