// Issue #17: one-shot functions and verifier methods keep RSS flat in a synchronous loop. Each
// case runs 100,000 calls in its own process (test/fixtures/memory-loop.cjs) without letting
// the event loop turn, so a per-call native object left for a later finalizer (an external
// handle, a reference, an external buffer) shows up as growth. Before the fix the one-shots
// grew 89 MiB (Paylands) to 1.6 GiB (signQr) per 100,000 calls; now every case stays within a
// few MiB. PAYSEAL_NODE_MODULE=/path/to/index.js measures another build of the binding.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';

const loop = fileURLToPath(new URL('./fixtures/memory-loop.cjs', import.meta.url));
const target = process.env.PAYSEAL_NODE_MODULE ?? fileURLToPath(new URL('../index.js', import.meta.url));
const CALLS = 100_000;
/** RSS growth allowed for 100,000 calls (the fixed code stays under 3 MiB). */
const BOUND = 20 * 1024 * 1024;

function run(args) {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [loop, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (err += d));
    child.on('error', reject);
    child.on('close', (status) => (status === 0 ? resolve(out) : reject(new Error(`${args[0]} exited ${status}: ${err}`))));
  });
}

const cases = JSON.parse(await run(['--list', '1', target]));

test('the loop covers the one-shots and the verifier methods', () => {
  for (const name of ['verifyWebhookSync', 'signQrSync', 'verifyQrSync', 'verifyPaylandsSync', 'WebhookVerifier.verifySync',
    'verifyJwtSync', 'signJwtSync', 'JwtVerifier.verifySync', 'JwtVerifier.verifySync_rs256', 'signWebhookSync', 'WebhookSigner.signSync']) {
    assert.ok(cases.includes(name), name);
  }
});

for (const name of cases) {
  test(`${name}: ${CALLS} calls in a synchronous loop grow RSS by less than ${BOUND / 2 ** 20} MiB`, async () => {
    const { growth, calls } = JSON.parse(await run([name, String(CALLS), target]));
    assert.equal(calls, CALLS);
    assert.ok(growth < BOUND, `${name}: RSS grew ${(growth / 2 ** 20).toFixed(1)} MiB over ${CALLS} calls`);
  });
}
