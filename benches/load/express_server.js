'use strict';
// The Express server scripts/load drives: `node express_server.js payseal|baseline`, listening on
// 127.0.0.1:$PORT, one process; prints "listening on http://127.0.0.1:PORT".
//
//  - payseal: bindings-node/examples/express_webhooks.js, the example users copy, unchanged;
//  - baseline: a BASELINE for the throughput comparison, not an example: the same Stripe endpoint
//    doing the same check with Node's own code (crypto.createHmac + crypto.timingSafeEqual, the
//    header parsing and the 300 s tolerance), as stripe-node's `webhooks.constructEvent` does.
// Both are mounted under the same middleware that echoes X-Request-Id on the response (common
// practice): the load generator matches each answer to the delivery it sent.
const crypto = require('node:crypto');
const { createRequire } = require('node:module');
const path = require('node:path');

const binding = path.resolve(__dirname, '..', '..', 'bindings-node');
const express = createRequire(path.join(binding, 'package.json'))('express');
const TOLERANCE = 300;

/** stripe-node's verifyHeader: null when authentic, else the reason (thrown by `constructEvent` below). */
function verifyStripe(header, payload, secrets) {
  if (typeof header !== 'string') return 'missing_header';
  let timestamp = -1;
  const signatures = [];
  for (const item of header.split(',')) {
    const eq = item.indexOf('=');
    if (eq < 0) continue;
    const [k, v] = [item.slice(0, eq), item.slice(eq + 1)];
    if (k === 't') timestamp = parseInt(v, 10);
    else if (k === 'v1') signatures.push(v);
  }
  if (!(timestamp >= 0) || signatures.length === 0) return 'malformed_header';
  let ok = false;
  for (const secret of secrets) {
    const expected = Buffer.from(crypto.createHmac('sha256', secret).update(`${timestamp}.`).update(payload).digest('hex'));
    for (const s of signatures) {
      const given = Buffer.from(s);
      if (given.length === expected.length && crypto.timingSafeEqual(expected, given)) ok = true;
    }
  }
  if (!ok) return 'bad_signature';
  if (timestamp < Date.now() / 1000 - TOLERANCE) return 'timestamp_too_old';
  return null;
}

/**
 * stripe-node's `webhooks.constructEvent` throws on a rejected delivery
 * (StripeSignatureVerificationError); so does this baseline, with the reason as `code`.
 */
function constructEvent(header, payload, secrets) {
  const reason = verifyStripe(header, payload, secrets);
  if (reason !== null) throw Object.assign(new Error(`webhook rejected: ${reason}`), { code: reason });
}

/**
 * The same server as the example (bindings-node/examples/express_webhooks.js: the same two
 * routes in the same order, the raw body, a try/catch answering 400 with the code), with the
 * check done by Node's own code: what differs between the two variants is the check alone.
 * The EU Pay route only mirrors the routing; the load never posts to it.
 */
function baselineApp(secrets) {
  const app = express();
  const raw = express.raw({ type: '*/*', limit: '1mb' });
  const bodyOf = (req) => (Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0));
  app.post('/webhooks/eupay', raw, (req, res) => res.status(501).json({ error: 'not_in_this_baseline' }));
  app.post('/webhooks/stripe', raw, (req, res) => {
    const body = bodyOf(req);
    try {
      constructEvent(req.headers['stripe-signature'], body, secrets);
    } catch (e) {
      return res.status(400).json({ error: e.code });
    }
    res.json({ received: JSON.parse(body).type });
  });
  return app;
}

const variant = process.argv[2];
let inner;
if (variant === 'payseal') {
  inner = require(path.join(binding, 'examples', 'express_webhooks.js')).fromEnvironment();
} else if (variant === 'baseline') {
  inner = baselineApp(process.env.STRIPE_WEBHOOK_SECRETS.split(','));
} else {
  console.error('usage: node express_server.js payseal|baseline');
  process.exit(2);
}

const app = express();
app.use((req, res, next) => {
  const id = req.headers['x-request-id'];
  if (id !== undefined) res.setHeader('X-Request-Id', id);
  next();
});
app.use(inner);
const server = app.listen(Number(process.env.PORT), '127.0.0.1', () => {
  console.log(`listening on http://127.0.0.1:${server.address().port}`);
});
process.once('SIGTERM', () => server.close(() => process.exit(0)).closeAllConnections());
