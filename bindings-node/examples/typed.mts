// A typed use of the package, checked by `tsc --noEmit` (scripts/test-node.sh). It imports the
// package by name, so the `exports` map and index.d.ts are what is checked.
import {
  canonicalizeSync,
  canonicalize,
  hexEncode,
  base64urlDecode,
  base64urlEncodeInto,
  JsonError,
  BufferTooSmallError,
  PaysealError,
  type Dialect,
  type PhpOptions,
} from 'payseal';

const dialect: Dialect = 'php';
const opts: PhpOptions = { unescapedSlashes: true, unescapedUnicode: true };

export function canonicalOrNull(body: string | Buffer): string | null {
  try {
    return canonicalizeSync(body, dialect, opts);
  } catch (e) {
    if (e instanceof JsonError) {
      const where: number | undefined = e.offset;
      console.warn(`rejected: ${e.code} at ${where}`);
      return null;
    }
    throw e;
  }
}

export async function canonicalJs(body: Uint8Array): Promise<string> {
  return canonicalize(body, 'js');
}

/** The hex of a base64url-encoded signature, or why it could not be read. */
export function signatureHex(b64url: string): string {
  try {
    return hexEncode(base64urlDecode(b64url));
  } catch (e) {
    if (e instanceof PaysealError) return `unreadable: ${e.code}`;
    throw e;
  }
}

/** Encodes into a fixed buffer; a too-small buffer says how much it needs. */
export function encodeInto(bytes: Uint8Array, dst: Uint8Array): number {
  try {
    return base64urlEncodeInto(bytes, dst);
  } catch (e) {
    if (e instanceof BufferTooSmallError && e.needed !== undefined) return -e.needed;
    throw e;
  }
}

// ---- Stage 2: webhooks, secrets, Paylands -----------------------------------------------------
import type { IncomingHttpHeaders } from 'node:http';
import {
  WebhookVerifier,
  verifyWebhook,
  verifyWebhookSync,
  verifyWebhookBatch,
  hashBcrypt,
  hashBcryptSync,
  verifyBcrypt,
  verifyBcryptSync,
  compareDigest,
  SecretVerifier,
  inspectApiKey,
  checkApiKeyPair,
  generateApiKey,
  generateApiKeyPair,
  generateTableToken,
  tableUrl,
  tableUrlMerchant,
  verifyTableUrl,
  PaylandsVerifier,
  verifyPaylands,
  verifyPaylandsSync,
  paylandsHash,
  paylandsHashSync,
  paylandsDataSync,
  MissingHeaderError,
  MalformedHeaderError,
  TimestampTooOldError,
  TimestampError,
  MismatchError,
  MalformedHashError,
  InvalidKeyError,
  InvalidInputError,
  InvalidTableLinkError,
  VerificationError,
  MalformedError,
  type WebhookScheme,
  type WebhookOutcome,
  type FreshnessOptions,
  type PaylandsFlags,
  type ApiKeyEnvironment,
  WebhookSigner,
  signWebhook,
  signWebhookSync,
  type SignedWebhook,
  type SignOptions,
} from 'payseal';

const scheme: WebhookScheme = 'stripe';
const stripe = new WebhookVerifier(scheme, ['whsec_new', 'whsec_old']);
const names: readonly string[] = stripe.headerNames;

/** An HTTP status for a delivery, as a handler would decide it. */
export function webhookStatus(headers: IncomingHttpHeaders, rawBody: Buffer, at?: FreshnessOptions): number {
  try {
    stripe.verifySync(headers, rawBody, at);
    return 200;
  } catch (e) {
    if (e instanceof MissingHeaderError || e instanceof MalformedHeaderError) {
      const header: string | undefined = e.header;
      console.warn(`bad header ${header ?? '?'} (${names.join(', ')})`);
      return 400;
    }
    if (e instanceof TimestampTooOldError || e instanceof TimestampError) return 408;
    if (e instanceof VerificationError) return 401;
    throw e;
  }
}

export async function batch(bodies: Buffer[], headers: Headers): Promise<number> {
  const eupay = new WebhookVerifier('eupay', 'secret');
  const outcomes: WebhookOutcome[] = await eupay.verifyBatch(bodies.map((body) => ({ headers, body })));
  const mixed = await verifyWebhookBatch([{ verifier: stripe, headers: [['Stripe-Signature', 't=1,v1=00']], body: 'x' }], {
    now: new Date(),
    tolerance: 60,
  });
  await eupay.verify({ 'x-eupay-signature': 'sha256=00' }, bodies[0] ?? '');
  verifyWebhookSync('github', 'secret', { 'x-hub-signature-256': ['sha256=00'] }, new Uint8Array(2));
  await verifyWebhook('github', ['new', 'old'], { 'x-hub-signature-256': ['sha256=00'] }, 'body');
  const plaintext: Buffer = new WebhookVerifier('oppwa', '00'.repeat(32)).openSync({}, '');
  const opened: Buffer = await eupay.open({ 'x-eupay-signature': 'sha256=00' }, 'body');
  console.log(opened.length, compareDigest('a', Buffer.from('a')));
  return outcomes.filter((o) => o === null).length + mixed.length + plaintext.length;
}

/** Signs a delivery as a gateway sends it (or a test suite builds it). */
export async function sendWebhook(body: string, opts?: SignOptions): Promise<[Record<string, string>, Buffer]> {
  const signer = new WebhookSigner('stripe', ['whsec_new', 'whsec_old']);
  const scheme: WebhookScheme = signer.scheme;
  const signed: SignedWebhook = signer.signSync(body, { now: new Date(), ...opts });
  const later = await signer.sign(Buffer.from(body), { now: 1781699238 });
  const oppwa = signWebhookSync('oppwa', '00'.repeat(32), body, { iv: new Uint8Array(12) });
  const spreedly = await signWebhook('spreedly', 's', '<transaction/>', { fields: ['amount'], algorithm: 'sha512' });
  const standard = signWebhookSync('standard', 'whsec_AA==', body, { id: 'msg_1' });
  console.log(scheme, later.headers['Stripe-Signature'], oppwa.body.length, spreedly.body.length, standard.headers['webhook-id']);
  return [signed.headers, signed.body];
}

export async function secrets(secret: string): Promise<boolean> {
  const hash: string = hashBcryptSync(secret, { cost: 4 });
  await hashBcrypt(secret);
  verifyBcryptSync(secret, hash);
  const cache = new SecretVerifier({ capacity: 100, ttl: 60 });
  try {
    await verifyBcrypt(secret, hash);
    await cache.verify(secret, hash, { now: Date.now() / 1000 });
    cache.verifySync(secret, hash);
  } catch (e) {
    if (e instanceof MismatchError || e instanceof MalformedHashError) return false;
    if (e instanceof InvalidInputError && e.code === 'cost_out_of_range') return false;
    throw e;
  }
  const { hits, misses } = cache;
  return hits + misses + cache.size > 0;
}

export function keys(): ApiKeyEnvironment {
  const pair = generateApiKeyPair('test');
  const { kind, environment } = inspectApiKey(generateApiKey('secret', 'live'));
  console.log(kind, environment);
  try {
    const token = generateTableToken();
    const url = tableUrl('3febce7d-03cd-40fe-b40f-fe9851b9c397', token, { base: 'https://example.test/t/' });
    verifyTableUrl(tableUrlMerchant(url, { base: 'https://example.test/t/' }), token, url, { base: 'https://example.test/t/' });
    return checkApiKeyPair(pair.publishable, pair.secret);
  } catch (e) {
    if (e instanceof InvalidKeyError && e.code === 'environment_mismatch') return 'test';
    if (e instanceof InvalidKeyError && e.code === 'bad_character') console.warn(`at ${e.offset}`);
    if (e instanceof InvalidTableLinkError) throw e;
    throw e;
  }
}

export async function paylands(body: Buffer): Promise<PaylandsFlags> {
  const verifier = new PaylandsVerifier('s1gnature');
  const hash: string = verifier.hashSync(body, { mode: 'response', flags: 'unescaped' });
  console.log(hash, paylandsDataSync(body), paylandsHashSync('s1gnature', body), await paylandsHash('s1gnature', body));
  verifyPaylandsSync(Buffer.from('s1gnature'), body, { flags: 'auto' });
  await verifyPaylands('s1gnature', body);
  await verifier.hash(body);
  await verifier.verify(body, { mode: 'notification' });
  return verifier.verifySync(body);
}

// ---- EU Pay QR codes ---------------------------------------------------------------------------
import {
  QrSigner,
  QrVerifier,
  signQr,
  signQrSync,
  verifyQr,
  verifyQrSync,
  decodeQrUnverified,
  ExpiredError,
  type QrPayload,
  type SignedQr,
} from 'payseal';

export function qr(secret: string): number | null {
  const signer = new QrSigner(secret);
  const url: string = signer.signSync({ type: 'gateway_qr_payment', amount: 12.5, currency: 'EUR', expiresAt: null });
  const { canonical, sig }: SignedQr = signer.signPartsSync('{"amount": 1.0}');
  const dst = new Uint8Array(16 * 1024 + 64);
  console.log(signer.signInto(Buffer.from(canonical), dst), sig, signQrSync(secret, '{}'), decodeQrUnverified(url));
  const verifier = new QrVerifier(Buffer.from(secret));
  try {
    const payload: QrPayload = verifier.verifySync(url, { now: new Date() });
    const json: string = verifier.verifyJsonSync(url);
    console.log(payload.merchant?.name, json, verifyQrSync(secret, url).currency);
    return payload.amount ?? null;
  } catch (e) {
    if (e instanceof ExpiredError) return -(e.expiresAt ?? 0);
    if (e instanceof MalformedError) console.warn(e.reason);
    throw e;
  }
}

export async function qrAsync(url: string): Promise<string | undefined> {
  const signed: string = await signQr('k', { amount: 1 });
  await new QrSigner('k').sign(signed);
  return (await verifyQr('k', url)).requestId ?? (await new QrVerifier('k').verify(url)).requestId;
}

// ---- JOSE: JWS and JWT --------------------------------------------------------------------------
import {
  JwkSet,
  JwtVerifier,
  verifyJwtSync,
  verifyJwt,
  verifyJwsSync,
  verifyJws,
  signJwsSync,
  signJws,
  signJwtSync,
  signJwt,
  inspectJwt,
  jwkThumbprint,
  KeyNotFoundError,
  ClaimError,
  type Jwk,
  type JwtClaims,
  type JwsAlgorithm,
} from 'payseal';

const hsKey: Jwk = { kty: 'oct', kid: 'ppro-1', k: 'IpHYzcMQQR5-wnN4pmHJNRh8B-TVY26bw8QAsnJEuM0' };

export function jwtSync(token: string): string | undefined {
  const keys = new JwkSet({ keys: [hsKey] });
  const algorithms: JwsAlgorithm[] = ['HS256', 'HS512'];
  const verifier = new JwtVerifier(keys, algorithms, { audience: 'merchant-api', issuer: 'ppro', leeway: 30 });
  console.log(keys.len, keys.skipped, keys.kids.join(','), keys.kids.includes('ppro-1'), jwkThumbprint(hsKey));
  try {
    const claims: JwtClaims = verifier.verifySync(token, { now: new Date() });
    const payload: Buffer = verifier.verifyJwsSync(token);
    console.log(payload.length, verifyJwtSync(keys, token, { algorithms, now: 1781740000 }).exp);
    return claims.sub;
  } catch (e) {
    if (e instanceof KeyNotFoundError || e instanceof ClaimError) return undefined;
    throw e;
  }
}

export async function jwtAsync(): Promise<number | undefined> {
  const token: string = signJwtSync(hsKey, { sub: 'charge_1', exp: 2000000000 }, { alg: 'HS256' });
  const jws: string = signJwsSync(JSON.stringify(hsKey), { alg: 'HS512' === 'HS512' ? 'HS256' : 'HS512' }, Buffer.from('hi'));
  await signJws(hsKey, '{"alg":"HS256"}', 'payload');
  await signJwt(hsKey, { sub: 'x' }, { kid: 'other' });
  const { header, claims } = inspectJwt(token);
  console.log(header.alg, claims.sub, verifyJwsSync({ keys: [hsKey] }, jws, { algorithms: ['HS256'] }).toString());
  await verifyJws({ keys: [hsKey] }, jws, { algorithms: ['HS256'] });
  const verifier = new JwtVerifier(new JwkSet(JSON.stringify({ keys: [hsKey] })), ['HS256']);
  return (await verifier.verify(token)).exp ?? (await verifyJwt({ keys: [hsKey] }, token, { algorithms: ['HS256'] })).exp;
}

import { RemoteJwkSet, type RemoteJwkSetOptions } from 'payseal';

export async function keycloak(token: string): Promise<JwtClaims> {
  const opts: RemoteJwkSetOptions = { maxAge: 600, cooldown: 30, timeout: 5 };
  const jwks = new RemoteJwkSet('https://sso.example.test/realms/pay/protocol/openid-connect/certs', opts);
  const verifier = new JwtVerifier(jwks, ['RS256'], { audience: 'account' });
  const set: JwkSet = await jwks.keySet();
  console.log(jwks.url, set.len, jwks.current?.kids);
  return verifier.verify(token);
}
