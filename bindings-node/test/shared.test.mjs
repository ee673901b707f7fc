// Views over a SharedArrayBuffer are refused (InvalidInputError, code 'invalid_argument'): the
// addon reads byte arguments in place, and another worker could write them during the call.
// A real Worker keeps writing into the shared memory while the main thread calls payseal.
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { test } from 'node:test';
import { Worker } from 'node:worker_threads';

import * as payseal from 'payseal';

const secret = 'whsec_shared';
const text = '{"event":"payment.succeeded","amount":1050}';
const headers = { 'x-eupay-signature': `sha256=${createHmac('sha256', secret).update(text).digest('hex')}` };

/** Starts a worker that flips the bytes of `sab` until `stop[0]` is set; resolves once it runs. */
async function writer(sab, stop) {
  const worker = new Worker(
    `const { workerData: { sab, stop } } = require('node:worker_threads');
     const bytes = new Uint8Array(sab);
     const flag = new Int32Array(stop);
     Atomics.store(flag, 1, 1);
     Atomics.notify(flag, 1);
     for (let i = 0; Atomics.load(flag, 0) === 0; i++) bytes[i % bytes.length] ^= 1;`,
    { eval: true, workerData: { sab, stop } },
  );
  const flag = new Int32Array(stop);
  while (Atomics.load(flag, 1) === 0) await new Promise((r) => setTimeout(r, 5));
  return worker;
}

test('a SharedArrayBuffer view written by another worker is refused, never read in place', async () => {
  const sab = new SharedArrayBuffer(text.length);
  new Uint8Array(sab).set(Buffer.from(text));
  const stop = new SharedArrayBuffer(8);
  const worker = await writer(sab, stop);
  try {
    const shared = new Uint8Array(sab);
    const verifier = new payseal.WebhookVerifier('eupay', secret);
    const refused = (e) => e instanceof payseal.InvalidInputError && e.code === 'invalid_argument' && /SharedArrayBuffer/.test(e.message);
    for (let i = 0; i < 1000; i++) {
      assert.throws(() => verifier.verifySync(headers, shared), refused);
      assert.throws(() => payseal.verifyWebhookSync('eupay', secret, headers, shared), refused);
      assert.throws(() => payseal.canonicalizeSync(shared, 'js'), refused);
      assert.throws(() => payseal.hexEncode(shared), refused);
      assert.throws(() => new payseal.WebhookVerifier('eupay', shared), refused);
      // As a secret, a header value and an output buffer too.
      assert.throws(() => payseal.verifyWebhookSync('eupay', shared, headers, text), refused);
      assert.throws(() => verifier.verifySync({ 'x-eupay-signature': shared }, text), refused);
      assert.throws(() => payseal.hexEncodeInto(Buffer.from('ab'), shared), refused);
      assert.throws(() => payseal.canonicalizeInto('[1]', shared, 'js'), refused);
    }
    await assert.rejects(verifier.verify(headers, new Uint8Array(new SharedArrayBuffer(128 * 1024))), refused);
    await assert.rejects(payseal.canonicalize(shared, 'js'), refused);
    // The documented way: copy first, then verify the snapshot you act on.
    const snapshot = Buffer.from(shared);
    assert.equal(snapshot.buffer instanceof SharedArrayBuffer, false);
    try {
      verifier.verifySync(headers, snapshot);
    } catch (e) {
      // The worker may have flipped bits before the copy: then the snapshot is not authentic.
      assert.ok(e instanceof payseal.BadSignatureError, e);
    }
  } finally {
    Atomics.store(new Int32Array(stop), 0, 1);
    await worker.terminate();
  }
});

test('ordinary views (Buffer, Uint8Array over an ArrayBuffer, subarrays) are still read in place', () => {
  const verifier = new payseal.WebhookVerifier('eupay', secret);
  const backing = new ArrayBuffer(text.length + 8);
  const view = new Uint8Array(backing, 4, text.length);
  view.set(Buffer.from(text));
  verifier.verifySync(headers, view);
  verifier.verifySync(headers, Buffer.from(text));
  verifier.verifySync(headers, new Uint8Array(Buffer.from(text)));
});
