// RemoteJwkSet (issue #19) against a local HTTP server on 127.0.0.1 that counts requests (no
// network). The refresher's clock is injected (`opts.clock`), so max age and cooldown are
// tested without waiting; the time-out is real (a server that never answers, 200 ms).
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import http from 'node:http';
import { after, before, test } from 'node:test';

import { JwtVerifier, KeyNotFoundError, RemoteJwkSet, signJwtSync, verifyJwt } from 'payseal';

const NOW = 1_781_740_000;
const claims = { sub: 'user-1', iss: 'https://sso.test/realms/pay', aud: 'account', exp: NOW + 300 };

function rsaKey(kid) {
  const { privateKey, publicKey } = crypto.generateKeyPairSync('rsa', { modulusLength: 2048 });
  return { priv: { ...privateKey.export({ format: 'jwk' }), kid }, pub: { ...publicKey.export({ format: 'jwk' }), kid, use: 'sig', alg: 'RS256' } };
}
const k1 = rsaKey('k1');
const k2 = rsaKey('k2');
const enc = { ...rsaKey('enc').pub, use: 'enc', alg: 'RSA-OAEP' };

/** What the server answers: 'ok' (the current document), 500, or 'hang' (never answers). */
const server = { mode: 'ok', doc: { keys: [k1.pub, enc] }, requests: 0 };
let httpServer;
let url;

before(async () => {
  httpServer = http.createServer((req, res) => {
    server.requests++;
    if (server.mode === 'hang') return; // never answers: the client's time-out fires
    if (server.mode === 'huge') {
      res.writeHead(200, { 'content-type': 'application/json' });
      const chunk = Buffer.alloc(64 * 1024, 0x20);
      let sent = 0;
      const more = () => {
        while (sent < 64 && res.write(chunk)) sent++;
        if (sent < 64) res.once('drain', more);
        else res.end();
      };
      more();
      return;
    }
    if (server.mode === 500) {
      res.writeHead(500).end('upstream down');
      return;
    }
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(server.doc));
  });
  await new Promise((resolve) => httpServer.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${httpServer.address().port}/realms/pay/protocol/openid-connect/certs`;
});

after(() => {
  httpServer.closeAllConnections();
  httpServer.close();
});

function reset(doc = { keys: [k1.pub, enc] }) {
  Object.assign(server, { mode: 'ok', doc, requests: 0 });
}

/** A remote set on a settable clock. */
function remote(opts = {}) {
  const clock = { t: 1000 };
  const set = new RemoteJwkSet(url, { maxAge: 600, cooldown: 30, timeout: 0.2, clock: () => clock.t, ...opts });
  const verifier = new JwtVerifier(set, ['RS256'], { audience: 'account', issuer: 'https://sso.test/realms/pay' });
  return { set, verifier, clock };
}

const t1 = signJwtSync(k1.priv, claims);
const t2 = signJwtSync(k2.priv, claims);

test('fetched once, then cached within maxAge; fetched again when maxAge old', async () => {
  reset();
  const { set, verifier, clock } = remote();
  assert.throws(() => verifier.verifySync(t1, { now: NOW }), KeyNotFoundError, 'nothing fetched yet');
  for (let i = 0; i < 5; i++) assert.deepEqual(await verifier.verify(t1, { now: NOW }), claims);
  assert.equal(server.requests, 1);
  assert.equal(set.current.len, 1, 'the RSA-OAEP key is skipped');
  assert.equal(set.current.skipped, 1);
  assert.deepEqual(verifier.verifySync(t1, { now: NOW }), claims, 'the sync form uses the fetched set');
  clock.t += 599;
  await verifier.verify(t1, { now: NOW });
  assert.equal(server.requests, 1);
  clock.t += 1;
  await verifier.verify(t1, { now: NOW });
  assert.equal(server.requests, 2);
  assert.deepEqual(await verifyJwt(set, t1, { algorithms: ['RS256'], now: NOW }), claims);
  assert.equal(server.requests, 2);
});

test('an unknown kid refetches once, then not again within the cooldown', async () => {
  reset();
  const { verifier, clock } = remote();
  await verifier.verify(t1, { now: NOW });
  assert.equal(server.requests, 1);
  // Within the cooldown of the first fetch: no request for a kid the set lacks.
  await assert.rejects(verifier.verify(t2, { now: NOW }), KeyNotFoundError);
  assert.equal(server.requests, 1);
  // The provider rotates in k2; after the cooldown one fetch finds it.
  server.doc = { keys: [k1.pub, k2.pub, enc] };
  clock.t += 30;
  assert.deepEqual(await verifier.verify(t2, { now: NOW }), claims);
  assert.equal(server.requests, 2);
  // Made-up kids do not turn into requests while cooling down.
  const forged = signJwtSync(rsaKey('made-up').priv, claims);
  for (let i = 0; i < 20; i++) await assert.rejects(verifier.verify(forged, { now: NOW }), KeyNotFoundError);
  assert.equal(server.requests, 2);
  clock.t += 30;
  await assert.rejects(verifier.verify(forged, { now: NOW }), KeyNotFoundError);
  assert.equal(server.requests, 3, 'one more after the cooldown');
  await assert.rejects(verifier.verify(forged, { now: NOW }), KeyNotFoundError);
  assert.equal(server.requests, 3);
});

test('the last good set is kept when the server answers 500 or times out', async () => {
  for (const failure of [500, 'hang']) {
    reset();
    const { verifier, clock } = remote();
    await verifier.verify(t1, { now: NOW });
    server.mode = failure;
    clock.t += 600;
    const started = Date.now();
    assert.deepEqual(await verifier.verify(t1, { now: NOW }), claims, `${failure}: the stale set still verifies`);
    assert.equal(server.requests, 2);
    if (failure === 'hang') assert.ok(Date.now() - started < 3000, 'the time-out bounds the wait');
    // Further attempts wait the cooldown.
    await verifier.verify(t1, { now: NOW });
    assert.equal(server.requests, 2);
    clock.t += 30;
    server.mode = 'ok';
    await verifier.verify(t1, { now: NOW });
    assert.equal(server.requests, 3);
  }
});

test('no good set at all: KeyNotFoundError naming the failure; attempts spaced by the cooldown', async () => {
  reset();
  server.mode = 500;
  const { verifier, clock } = remote();
  await assert.rejects(verifier.verify(t1, { now: NOW }), (e) => e instanceof KeyNotFoundError && /HTTP 500/.test(e.message));
  await assert.rejects(verifier.verify(t1, { now: NOW }), KeyNotFoundError);
  assert.equal(server.requests, 1);
  server.mode = 'ok';
  server.doc = { keys: 'not a list' };
  clock.t += 30;
  await assert.rejects(verifier.verify(t1, { now: NOW }), KeyNotFoundError, 'a document that is not a JWK Set is a failure');
  assert.equal(server.requests, 2);
  server.doc = { keys: [k1.pub] };
  clock.t += 30;
  assert.deepEqual(await verifier.verify(t1, { now: NOW }), claims);
  assert.equal(server.requests, 3);
});

test('a response over the core\'s JWK Set size cap is a failed fetch (the body is not read past it)', async () => {
  reset();
  server.mode = 'huge';
  const { verifier } = remote();
  await assert.rejects(verifier.verify(t1, { now: NOW }), (e) => e instanceof KeyNotFoundError && /over \d+ bytes/.test(e.message));
});

test('concurrent verifications share one fetch', async () => {
  reset();
  const { verifier } = remote();
  const all = await Promise.all(Array.from({ length: 10 }, () => verifier.verify(t1, { now: NOW })));
  assert.equal(all.length, 10);
  assert.equal(server.requests, 1);
});

test('options are checked', () => {
  assert.throws(() => new RemoteJwkSet('ftp://x/'), { code: 'ERR_INVALID_ARG_VALUE' });
  assert.throws(() => new RemoteJwkSet(url, { maxAge: -1 }), { code: 'ERR_OUT_OF_RANGE' });
  assert.throws(() => new RemoteJwkSet(url, { cooldown: 1.5 }), { code: 'ERR_OUT_OF_RANGE' });
  assert.throws(() => new RemoteJwkSet(url, { timeout: '5' }), { code: 'ERR_INVALID_ARG_TYPE' });
  assert.equal(new RemoteJwkSet(new URL(url)).url, url);
});
