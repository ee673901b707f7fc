// payseal for Node against what a Node gateway would otherwise run, in one process: warm-up,
// then the median over rounds of many iterations (process.hrtime.bigint). One JSON line per
// measurement on stdout:
//   {"lang":"node","case":"webhook_eupay_1k","impl":"payseal","ns_per_op":1234.5}
// Extra fields: "correct" (false when an implementation gives a wrong answer on the fixture)
// and "note". Notes for humans go to stderr.
//
// Usage: node bench/compare.mjs [--quick] [--only CASE[,CASE]]
// Fixtures: $PAYSEAL_FIXTURES, else ../shared/fixtures beside the repository. The optional
// peers (stripe, svix, standardwebhooks, bcrypt) are loaded with require(), so NODE_PATH finds them; a missing
// peer is reported on stderr and its line is skipped.
import crypto from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);
const here = path.dirname(fileURLToPath(import.meta.url));
const payseal = require('../index.js');

const args = process.argv.slice(2);
const QUICK = args.includes('--quick');
const onlyAt = args.indexOf('--only');
const ONLY = onlyAt >= 0 ? new Set((args[onlyAt + 1] ?? '').split(',')) : null;
const FIXTURES = path.resolve(process.env.PAYSEAL_FIXTURES ?? path.join(here, '..', '..', '..', 'shared', 'fixtures'));
const fixture = (name) => readFileSync(path.join(FIXTURES, name));

/** Time budget per measurement (ms) and number of rounds whose median is reported. */
const BUDGET_MS = QUICK ? 60 : 1000;
const ROUNDS = QUICK ? 5 : 15;

/** True when `caseName` is to be measured. */
const wanted = (caseName) => !ONLY || ONLY.has(caseName);

function optional(name, caseName) {
  if (!wanted(caseName)) return null;
  try {
    return require(name);
  } catch {
    console.error(`note: optional peer '${name}' not found (install it and set NODE_PATH to compare)`);
    return null;
  }
}

/**
 * Median ns/op of `fn`: warm up, size a round to BUDGET_MS / ROUNDS, time ROUNDS rounds.
 * `fn` must return something truthy-or-not that is consumed, so it cannot be optimised away.
 */
function measure(fn, { warmCalls = 50, probeCalls = 20 } = {}) {
  let sink = 0;
  const consume = (r) => {
    sink ^= r === undefined ? 1 : typeof r === 'string' ? r.length : r ? 2 : 3;
  };
  // Warm-up: `warmCalls` calls, and more up to 10% of the budget.
  const warmEnd = process.hrtime.bigint() + BigInt(Math.round(BUDGET_MS * 0.1 * 1e6));
  let calls = 0;
  while (calls < warmCalls || (calls < warmCalls * 100 && process.hrtime.bigint() < warmEnd)) {
    consume(fn());
    calls++;
  }
  // Iterations per round from the warm-up rate.
  const t0 = process.hrtime.bigint();
  for (let i = 0; i < probeCalls; i++) consume(fn());
  const perCall = Number(process.hrtime.bigint() - t0) / probeCalls;
  const n = Math.max(1, Math.round((BUDGET_MS * 1e6) / ROUNDS / Math.max(perCall, 1)));
  const samples = [];
  const cpu = [];
  for (let r = 0; r < ROUNDS; r++) {
    const cpu0 = process.cpuUsage();
    const start = process.hrtime.bigint();
    for (let i = 0; i < n; i++) consume(fn());
    samples.push(Number(process.hrtime.bigint() - start) / n);
    const used = process.cpuUsage(cpu0);
    cpu.push(((used.user + used.system) * 1000) / n);
  }
  samples.sort((a, b) => a - b);
  cpu.sort((a, b) => a - b);
  if (sink === 0.5) console.error(sink); // never true: keeps `sink` alive
  return [samples[samples.length >> 1], cpu[cpu.length >> 1]];
}

/** `measure` for a function returning a promise (awaited call by call, as a server would). */
async function measureAsync(fn, { warmCalls = 50, probeCalls = 20 } = {}) {
  let sink = 0;
  const consume = (r) => {
    sink ^= r === undefined ? 1 : typeof r === 'string' ? r.length : r ? 2 : 3;
  };
  const warmEnd = process.hrtime.bigint() + BigInt(Math.round(BUDGET_MS * 0.1 * 1e6));
  let calls = 0;
  while (calls < warmCalls || (calls < warmCalls * 100 && process.hrtime.bigint() < warmEnd)) {
    consume(await fn());
    calls++;
  }
  const t0 = process.hrtime.bigint();
  for (let i = 0; i < probeCalls; i++) consume(await fn());
  const perCall = Number(process.hrtime.bigint() - t0) / probeCalls;
  const n = Math.max(1, Math.round((BUDGET_MS * 1e6) / ROUNDS / Math.max(perCall, 1)));
  const samples = [];
  const cpu = [];
  for (let r = 0; r < ROUNDS; r++) {
    const cpu0 = process.cpuUsage();
    const start = process.hrtime.bigint();
    for (let i = 0; i < n; i++) consume(await fn());
    samples.push(Number(process.hrtime.bigint() - start) / n);
    const used = process.cpuUsage(cpu0);
    cpu.push(((used.user + used.system) * 1000) / n);
  }
  samples.sort((a, b) => a - b);
  cpu.sort((a, b) => a - b);
  if (sink === 0.5) console.error(sink);
  return [samples[samples.length >> 1], cpu[cpu.length >> 1]];
}

/** `report` for a function returning a promise. */
async function reportAsync(caseName, impl, fn, extra = {}) {
  if (!wanted(caseName)) return;
  const [ns, cpuNs] = await measureAsync(fn);
  const round = (x) => Math.round(x * 10) / 10;
  console.log(JSON.stringify({ lang: 'node', case: caseName, impl, ns_per_op: round(ns), cpu_ns_per_op: round(cpuNs), ...extra }));
}

/**
 * Prints one measurement. `ns_per_op` is wall time; `cpu_ns_per_op` the process CPU time per
 * call (every thread, the garbage collector's included), which a neighbour's load on a shared
 * machine disturbs less (as in benches/examples/compare.rs).
 */
function report(caseName, impl, fn, extra = {}, tuning = undefined) {
  if (!wanted(caseName)) return;
  const [ns, cpuNs] = measure(fn, tuning);
  const round = (x) => Math.round(x * 10) / 10;
  console.log(JSON.stringify({ lang: 'node', case: caseName, impl, ns_per_op: round(ns), cpu_ns_per_op: round(cpuNs), ...extra }));
}

/** Runs `fn` once and says whether it accepted (true) or threw/returned false. */
function accepts(fn) {
  try {
    return fn() !== false;
  } catch {
    return false;
  }
}

const hmacHex = (key, data) => crypto.createHmac('sha256', key).update(data).digest('hex');
const now = Math.floor(Date.now() / 1000);

// ---- Webhooks at 1 KiB -------------------------------------------------------------------------

const body = fixture('eupay-webhook-1k.json');
{
  const secret = 'whsec_b2520aca95c87126659f6633775e4753';
  const headers = { 'content-type': 'application/json', 'x-eupay-signature': `sha256=${hmacHex(secret, body)}` };
  const verifier = new payseal.WebhookVerifier('eupay', secret);
  const nodeCrypto = () => {
    const v = headers['x-eupay-signature'];
    if (typeof v !== 'string' || !v.startsWith('sha256=')) return false;
    const got = Buffer.from(v.slice(7), 'hex');
    const want = crypto.createHmac('sha256', secret).update(body).digest();
    return got.length === want.length && crypto.timingSafeEqual(got, want);
  };
  if (!accepts(() => verifier.verifySync(headers, body)) || !accepts(nodeCrypto)) throw new Error('eupay fixture does not verify');
  report('webhook_eupay_1k', 'payseal', () => verifier.verifySync(headers, body));
  // The one-shot form (keys made per call), as a handler without a module-level verifier writes it.
  report('webhook_eupay_1k', 'payseal_once', () => payseal.verifyWebhookSync('eupay', secret, headers, body));
  report('webhook_eupay_1k', 'node_crypto', nodeCrypto);
}

{
  const secret = 'whsec_stripe_bench_secret';
  const header = `t=${now},v1=${hmacHex(secret, `${now}.${body}`)}`;
  const headers = { 'stripe-signature': header };
  const verifier = new payseal.WebhookVerifier('stripe', secret);
  report('webhook_stripe_1k', 'payseal', () => verifier.verifySync(headers, body));
  const Stripe = optional('stripe', 'webhook_stripe_1k');
  if (Stripe) {
    const stripe = typeof Stripe === 'function' ? Stripe('sk_test_bench') : Stripe.default('sk_test_bench');
    const verify = () => stripe.webhooks.signature.verifyHeader(body, header, secret, 300);
    if (!accepts(verify)) throw new Error('stripe-node rejects the fixture');
    report('webhook_stripe_1k', 'stripe_node', verify);
  }
}

{
  const secret = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';
  const key = Buffer.from(secret.slice(6), 'base64');
  const id = 'msg_2KWPBgLlAfxdpx2AI54pPJ85f4W';
  const headers = {
    'webhook-id': id,
    'webhook-timestamp': String(now),
    'webhook-signature': `v1,${crypto.createHmac('sha256', key).update(`${id}.${now}.${body}`).digest('base64')}`,
  };
  const verifier = new payseal.WebhookVerifier('standard', secret);
  report('webhook_standard_1k', 'payseal', () => verifier.verifySync(headers, body));
  const svix = optional('svix', 'webhook_standard_1k');
  if (svix) {
    const wh = new svix.Webhook(secret);
    const svixHeaders = { 'svix-id': id, 'svix-timestamp': headers['webhook-timestamp'], 'svix-signature': headers['webhook-signature'] };
    const payload = body.toString();
    const verify = () => wh.verify(payload, svixHeaders);
    if (!accepts(verify)) throw new Error('svix rejects the fixture');
    report('webhook_standard_1k', 'svix', verify);
  }
}

// ---- Signing webhooks at 1 KiB -----------------------------------------------------------------
// What a gateway sending webhooks (or a test suite building deliveries) runs: the provider's own
// helper (stripe's generateTestHeaderString, standardwebhooks' sign), node:crypto with a
// template string, and payseal (a WebhookSigner built once, or the one-shot signWebhookSync).
// Every implementation is checked to produce the same header first.

{
  const secret = 'whsec_b2520aca95c87126659f6633775e4753';
  const t = 1781699238;
  const payload = body.toString();
  const signer = new payseal.WebhookSigner('stripe', secret);
  const nodeCrypto = () => `t=${t},v1=${crypto.createHmac('sha256', secret).update(`${t}.${payload}`).digest('hex')}`;
  const want = nodeCrypto();
  if (signer.signSync(body, { now: t }).headers['Stripe-Signature'] !== want) throw new Error('stripe_sign_1k: payseal disagrees');
  const opts = { now: t };
  report('stripe_sign_1k', 'payseal', () => signer.signSync(body, opts));
  report('stripe_sign_1k', 'payseal_oneshot', () => payseal.signWebhookSync('stripe', secret, body, opts));
  report('stripe_sign_1k', 'node_crypto', nodeCrypto);
  const Stripe = optional('stripe', 'stripe_sign_1k');
  if (Stripe) {
    const stripe = typeof Stripe === 'function' ? Stripe('sk_test_bench') : Stripe.default('sk_test_bench');
    const helper = () => stripe.webhooks.generateTestHeaderString({ payload, secret, timestamp: t });
    if (helper() !== want) throw new Error('stripe_sign_1k: generateTestHeaderString disagrees');
    report('stripe_sign_1k', 'stripe_generate_test_header', helper);
  }
}

{
  const secret = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';
  const key = Buffer.from(secret.slice(6), 'base64');
  const id = 'msg_2KWPBgLlAfxdpx2AI54pPJ85f4W';
  const t = 1781699238;
  const payload = body.toString();
  const signer = new payseal.WebhookSigner('standard', secret);
  const nodeCrypto = () => ({
    'webhook-id': id,
    'webhook-timestamp': String(t),
    'webhook-signature': `v1,${crypto.createHmac('sha256', key).update(`${id}.${t}.${payload}`).digest('base64')}`,
  });
  const want = nodeCrypto()['webhook-signature'];
  const opts = { now: t, id };
  if (signer.signSync(body, opts).headers['webhook-signature'] !== want) throw new Error('standard_sign_1k: payseal disagrees');
  report('standard_sign_1k', 'payseal', () => signer.signSync(body, opts));
  report('standard_sign_1k', 'payseal_oneshot', () => payseal.signWebhookSync('standard', secret, body, opts));
  report('standard_sign_1k', 'node_crypto', nodeCrypto);
  const sw = optional('standardwebhooks', 'standard_sign_1k');
  if (sw) {
    const wh = new sw.Webhook(secret);
    const at = new Date(t * 1000);
    const helper = () => wh.sign(id, at, payload);
    if (helper() !== want) throw new Error('standard_sign_1k: standardwebhooks disagrees');
    report('standard_sign_1k', 'standardwebhooks', helper);
  }
}

// ---- EU Pay QR ---------------------------------------------------------------------------------

{
  const payloadText = fixture('eupay-qr-payload.json').toString();
  const secret = fixture('eupay-qr-payload.secret');
  const signer = new payseal.QrSigner(secret);
  const PREFIX = 'https://www.european-pay.fr/pay?data=';
  const jsSign = () => {
    const canonical = JSON.stringify(JSON.parse(payloadText));
    const sig = crypto.createHmac('sha256', secret).update(canonical).digest('hex');
    return PREFIX + Buffer.from(`{"payload":${canonical},"sig":"${sig}"}`).toString('base64url');
  };
  const correct = jsSign() === signer.signSync(payloadText);
  report('qr_sign', 'payseal', () => signer.signSync(payloadText));
  const dst = Buffer.alloc(16 * 1024);
  report('qr_sign', 'payseal_into', () => signer.signInto(payloadText, dst));
  report('qr_sign', 'node_js', jsSign, correct ? {} : { correct: false });

  const url = signer.signSync(payloadText);
  const verifier = new payseal.QrVerifier(secret);
  const at = Date.parse('2026-06-01T00:00:00Z') / 1000;
  const jsVerify = () => {
    const envelope = JSON.parse(Buffer.from(url.slice(url.indexOf('data=') + 5), 'base64url').toString());
    const want = crypto.createHmac('sha256', secret).update(JSON.stringify(envelope.payload)).digest();
    const got = Buffer.from(envelope.sig, 'hex');
    if (got.length !== want.length || !crypto.timingSafeEqual(got, want)) return false;
    return envelope.payload.expiresAt == null || Date.parse(envelope.payload.expiresAt) / 1000 >= at;
  };
  if (!accepts(jsVerify) || !accepts(() => verifier.verifyJsonSync(url, { now: at }))) throw new Error('QR fixture does not verify');
  report('qr_verify', 'payseal_json', () => verifier.verifyJsonSync(url, { now: at }));
  report('qr_verify', 'payseal', () => verifier.verifySync(url, { now: at }));
  report('qr_verify', 'node_js', jsVerify);
}

// ---- Paylands ----------------------------------------------------------------------------------

{
  const notification = fixture('paylands-notification.json');
  const signature = fixture('paylands-notification.signature');
  const verifier = new payseal.PaylandsVerifier(signature);
  if (verifier.verifySync(notification) !== 'default') throw new Error('Paylands fixture does not verify');
  // The port a Node developer would write: JSON.stringify is not PHP's json_encode (no `\/`,
  // no `\uXXXX` for non-ASCII, `{}` where PHP prints `[]`, floats printed differently), so it
  // hashes other bytes than Paylands did.
  const dataOf = (n) => ('extra_data' in n ? { order: n.order, client: n.client, extra_data: n.extra_data } : { order: n.order, client: n.client });
  const jsPort = (escape) => () => {
    const n = JSON.parse(notification);
    let json = JSON.stringify(dataOf(n));
    if (escape) json = json.replace(/\//g, '\\/').replace(/[\u0080-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
    const hash = crypto.createHash('sha256').update(json).update(signature).digest();
    const claimed = Buffer.from(String(n.validation_hash), 'hex');
    return claimed.length === hash.length && crypto.timingSafeEqual(claimed, hash);
  };
  report('paylands_verify', 'payseal', () => verifier.verifySync(notification));
  const vectors = wanted('paylands_verify') ? paylandsVectors() : null;
  for (const [impl, escape] of [['js_port', false], ['js_port_escaped', true]]) {
    const ok = jsPort(escape)();
    const wrongOnVectors = vectors && portDisagreements(vectors, dataOf, escape);
    const php = payseal.paylandsDataSync(notification);
    let js = JSON.stringify(dataOf(JSON.parse(notification)));
    if (escape) js = js.replace(/\//g, '\\/').replace(/[\u0080-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
    let note = ok
      ? 'agrees with json_encode on this fixture'
      : `wrong: hashes ${Buffer.byteLength(js)} bytes where json_encode gives ${Buffer.byteLength(php)}; first difference at byte ${firstDifference(js, php)}`;
    if (wrongOnVectors) note += `; rejects ${wrongOnVectors.wrong} of the ${wrongOnVectors.total} genuine default-flags notifications of paylands.jsonl`;
    if (wanted('paylands_verify')) console.error(`note: paylands ${impl}: ${note}`);
    report('paylands_verify', impl, jsPort(escape), { correct: ok && wrongOnVectors?.wrong === 0, note });
  }
}

/** The genuine default-flags notifications of paylands.jsonl, or null when the file is absent. */
function paylandsVectors() {
  const dir = process.env.PAYSEAL_VECTORS ?? path.join(FIXTURES, '..', 'vectors');
  try {
    return readFileSync(path.join(dir, 'paylands.jsonl'), 'utf8')
      .split('\n')
      .filter((l) => l.trim() !== '')
      .map((l) => JSON.parse(l))
      .filter((v) => v.expect === 'ok' && v.mode === 'notification' && v.flags === 'default');
  } catch {
    return null;
  }
}

/** How many genuine notifications a JSON.stringify port rejects. */
function portDisagreements(vectors, dataOf, escape) {
  let wrong = 0;
  for (const v of vectors) {
    const n = JSON.parse(Buffer.from(v.notification_b64, 'base64'));
    let json = JSON.stringify(dataOf(n));
    if (escape) json = json.replace(/\//g, '\\/').replace(/[\u0080-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
    const hash = crypto.createHash('sha256').update(json).update(Buffer.from(v.signature_b64, 'base64')).digest('hex');
    if (hash !== String(n.validation_hash).toLowerCase()) wrong++;
  }
  return { wrong, total: vectors.length };
}

function firstDifference(a, b) {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  let i = 0;
  while (i < x.length && i < y.length && x[i] === y[i]) i++;
  return i;
}

// ---- JCS (RFC 8785) ----------------------------------------------------------------------------
// The 3.5 KiB notification, text in, canonical text out: payseal's canonicalizeSync(x, 'jcs')
// against the `canonicalize` package (ESM only, so imported) over JSON.parse(x). Both must agree.
// `payseal_buffer` / `payseal_into` take the bytes (and write into a Buffer) instead.

if (wanted('jcs_3k5')) {
  const text = fixture('notification-3k5.json').toString();
  const want = payseal.canonicalizeSync(text, 'jcs');
  report('jcs_3k5', 'payseal', () => payseal.canonicalizeSync(text, 'jcs'));
  // The same call from the request's Buffer, and into a caller's Buffer (no string either way):
  // what the string conversions at the boundary cost.
  const bytes = fixture('notification-3k5.json');
  const dst = Buffer.alloc(16 * 1024);
  report('jcs_3k5', 'payseal_buffer', () => payseal.canonicalizeSync(bytes, 'jcs'));
  report('jcs_3k5', 'payseal_into', () => payseal.canonicalizeInto(bytes, dst, 'jcs'));
  const peer = await import('canonicalize').then((m) => m.default, () => null);
  if (peer === null) console.error("note: optional peer 'canonicalize' not found (install it to compare)");
  else {
    const jsJcs = () => peer(JSON.parse(text));
    if (jsJcs() !== want) throw new Error('jcs_3k5: canonicalize (npm) and payseal disagree on the fixture');
    report('jcs_3k5', 'canonicalize_npm', jsJcs);
  }
}

// ---- bcrypt at cost 10 -------------------------------------------------------------------------

{
  const secret = 'sk_live_4eC39HqLyjWDarjtT1zdp7dc';
  const hash = wanted('bcrypt_cost10') ? payseal.hashBcryptSync(secret, { cost: 10 }) : '';
  // ~45 ms a call: two warm-up calls, one call per round.
  const slow = { warmCalls: 2, probeCalls: 1 };
  report('bcrypt_cost10', 'payseal', () => payseal.verifyBcryptSync(secret, hash), {}, slow);
  const bcrypt = optional('bcrypt', 'bcrypt_cost10');
  if (bcrypt) {
    if (!bcrypt.compareSync(secret, hash)) throw new Error('bcrypt (npm) rejects the hash');
    report('bcrypt_cost10', 'bcrypt_npm', () => bcrypt.compareSync(secret, hash), {}, slow);
  }
}

// ---- JWT verify with claims (issue #19) ------------------------------------------------------
// The token of benches/examples/compare.rs (jose_hs256_jwt_claims): HS256 with a kid, nine
// claims, `exp`/`nbf`/`aud`/`iss` checked at a fixed time; RS256 the same claims under a fresh
// 2048-bit key. payseal: `JwtVerifier#verifySync` (claims returned as an object, JSON.parse
// included) and the promise `verify` (libuv pool); jose: `jwtVerify` with a key from `importJWK`
// (async, as it only exists); jsonwebtoken: `verify`. Every implementation must accept the token
// and reject it when expired. `payseal_async` is the promise form as shipped: verified on the
// calling thread when the verifier accepts only HS* (an HMAC of a few hundred bytes costs less
// than a round trip through the pool), on the libuv pool otherwise.
for (const alg of ['HS256', 'RS256']) {
  const caseName = `jwt_verify_${alg.toLowerCase()}`;
  if (!wanted(caseName)) continue;
  const jose = await import('jose').catch(() => null);
  const jsonwebtoken = optional('jsonwebtoken', caseName);
  if (jose === null) console.error("note: optional peer 'jose' not found (install it to compare)");
  const at = 1_781_740_000;
  const iss = 'https://auth.example.test/realms/sandbox';
  const claims = { sub: 'charge_79n1d4x-', iat: 1781739433, exp: 1781740819, nbf: 1781739400, iss, aud: ['account', 'merchant-api'], session: { r: 'charge_bfnx46jl', amount: 12.5, currency: 'EUR' }, jti: '8f14e45f-ceea-467f-a1b2' };
  let priv;
  let pub;
  let verifyKey;
  if (alg === 'HS256') {
    priv = { kty: 'oct', kid: 'ppro-1', k: 'IpHYzcMQQR5-wnN4pmHJNRh8B-TVY26bw8QAsnJEuM0' };
    pub = priv;
    // A KeyObject: jsonwebtoken's fastest path (given a Buffer it first tries, and fails, to
    // parse it as a public key on every call, which costs it several times more).
    verifyKey = crypto.createSecretKey(Buffer.from(priv.k, 'base64url'));
  } else {
    const { privateKey, publicKey } = crypto.generateKeyPairSync('rsa', { modulusLength: 2048 });
    priv = { ...privateKey.export({ format: 'jwk' }), kid: 'rs-1' };
    pub = { ...publicKey.export({ format: 'jwk' }), kid: 'rs-1' };
    verifyKey = publicKey;
  }
  const token = payseal.signJwtSync(priv, claims, { alg });
  const verifier = new payseal.JwtVerifier(new payseal.JwkSet({ keys: [pub] }), [alg], { audience: 'merchant-api', issuer: iss });
  const opts = { now: at };
  const late = { now: claims.exp };
  const check = (ok, expired) => {
    if (!ok || !expired) throw new Error(`${caseName}: an implementation accepts an expired token or rejects a good one`);
  };
  check(accepts(() => verifier.verifySync(token, opts)), !accepts(() => verifier.verifySync(token, late)));
  report(caseName, 'payseal', () => verifier.verifySync(token, opts));
  await reportAsync(caseName, 'payseal_async', () => verifier.verify(token, opts));
  if (jose) {
    const key = await jose.importJWK(pub, alg);
    const joseOpts = { algorithms: [alg], audience: 'merchant-api', issuer: iss, currentDate: new Date(at * 1000) };
    const lateOpts = { ...joseOpts, currentDate: new Date(claims.exp * 1000) };
    check(await jose.jwtVerify(token, key, joseOpts).then(() => true, () => false), await jose.jwtVerify(token, key, lateOpts).then(() => false, () => true));
    await reportAsync(caseName, 'jose', () => jose.jwtVerify(token, key, joseOpts));
  }
  if (jsonwebtoken) {
    const jwtOpts = { algorithms: [alg], audience: 'merchant-api', issuer: iss, clockTimestamp: at };
    check(accepts(() => jsonwebtoken.verify(token, verifyKey, jwtOpts)), !accepts(() => jsonwebtoken.verify(token, verifyKey, { ...jwtOpts, clockTimestamp: claims.exp })));
    report(caseName, 'jsonwebtoken', () => jsonwebtoken.verify(token, verifyKey, jwtOpts));
  }
}
