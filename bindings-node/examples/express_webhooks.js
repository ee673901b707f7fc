'use strict';
// Webhook endpoints in Express: verify the raw body before parsing it.
//
// The signature covers the bytes as sent, so take them with `express.raw()` (never
// `express.json()` first: it re-parses, and re-serialised JSON does not match) and hand
// `req.headers` over as it is (payseal looks names up case-insensitively). Verifiers are built
// once, when the app is made: the secrets are parsed and the HMAC key schedule computed there.
// Authentic deliveries get 200; anything else 400 with the error's code (bad_signature,
// missing_header, malformed_header, timestamp_too_old, ...).
//
//   EUPAY_WEBHOOK_SECRET=... STRIPE_WEBHOOK_SECRETS=whsec_a[,whsec_b] PORT=3000 \
//     node examples/express_webhooks.js
//
// STRIPE_WEBHOOK_SECRETS holds one secret, or two comma-separated while rotating (either may
// have signed). The server listens on 127.0.0.1 (HOST to change it) and prints its address.
const express = require('express');
const { VerificationError, WebhookVerifier } = require('payseal');

/**
 * @param {{ eupaySecret: string, stripeSecrets: string[] }} secrets
 * @returns {import('express').Express}
 */
function createApp({ eupaySecret, stripeSecrets }) {
  const eupay = new WebhookVerifier('eupay', eupaySecret);
  const stripe = new WebhookVerifier('stripe', stripeSecrets);
  const app = express();
  // Any content type, kept as a Buffer; a request without a body verifies as the empty body.
  const raw = express.raw({ type: '*/*', limit: '1mb' });
  const bodyOf = (req) => (Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0));

  // Sends 400 with the code for a rejected delivery; anything else is a server error.
  const reject = (res, e) => {
    if (e instanceof VerificationError) return res.status(400).json({ error: e.code });
    throw e;
  };

  // The check of a webhook body takes about a microsecond: run it inline with verifySync. The
  // promise form (`await verifier.verify(...)`) queues it on the libuv pool, which costs more
  // than the check itself for bodies this size (keep it for batches and very large bodies).
  app.post('/webhooks/eupay', raw, (req, res) => {
    const body = bodyOf(req);
    try {
      eupay.verifySync(req.headers, body);
    } catch (e) {
      return reject(res, e);
    }
    // Authentic. EU Pay signs no timestamp: deduplicate on the event's id to ignore replays.
    res.json({ received: JSON.parse(body).event });
  });

  app.post('/webhooks/stripe', raw, (req, res) => {
    const body = bodyOf(req);
    try {
      stripe.verifySync(req.headers, body, { tolerance: 300 }); // now: the clock
    } catch (e) {
      return reject(res, e);
    }
    res.json({ received: JSON.parse(body).type });
  });

  return app;
}

function fromEnvironment() {
  const need = (name) => {
    const v = process.env[name];
    if (!v) throw new Error(`${name} is not set`);
    return v;
  };
  return createApp({
    eupaySecret: need('EUPAY_WEBHOOK_SECRET'),
    stripeSecrets: need('STRIPE_WEBHOOK_SECRETS').split(','),
  });
}

module.exports = { createApp, fromEnvironment };

if (require.main === module) {
  const host = process.env.HOST || '127.0.0.1';
  const server = fromEnvironment().listen(Number(process.env.PORT || 3000), host, () => {
    console.log(`listening on http://${host}:${server.address().port}`);
  });
  // Stop cleanly on SIGTERM (a process manager) and Ctrl-C: finish what is in flight, then exit.
  for (const signal of ['SIGTERM', 'SIGINT']) {
    process.once(signal, () => server.close(() => process.exit(0)));
  }
}
