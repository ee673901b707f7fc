// JOSE (issue #19) through the public API: key sets, verifiers (sync and on the pool), the
// one-shots, signing round trips for every algorithm, inspection, thumbprints, and the error
// classes the core's table gives. The vectors themselves run in conformance.mjs.
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import { test } from 'node:test';

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
  AlgorithmNotAllowedError,
  BadSignatureError,
  ClaimError,
  ExpiredError,
  InvalidKeyError,
  KeyNotFoundError,
  MalformedError,
  NotYetValidError,
  UnsupportedError,
} from 'payseal';

const now = 1_781_740_000;
const b64u = (x) => Buffer.from(x).toString('base64url');

/** A private JWK and its public half for each algorithm, made by node:crypto. */
function keyFor(alg) {
  if (alg.startsWith('HS')) {
    const k = { kty: 'oct', kid: `k-${alg}`, k: b64u(crypto.randomBytes(Number(alg.slice(2)) / 8)) };
    return [k, k];
  }
  const gen = {
    RS: ['rsa', { modulusLength: 2048 }],
    PS: ['rsa', { modulusLength: 2048 }],
    ES: ['ec', { namedCurve: alg === 'ES256' ? 'P-256' : 'P-384' }],
    Ed: ['ed25519', {}],
  }[alg.slice(0, 2)];
  const { privateKey, publicKey } = crypto.generateKeyPairSync(...gen);
  return [
    { ...privateKey.export({ format: 'jwk' }), kid: `k-${alg}` },
    { ...publicKey.export({ format: 'jwk' }), kid: `k-${alg}` },
  ];
}

/** The token with its signature's first character changed: always other bytes. (Overwriting
 * the last characters with "AA" left a signature ending in "AA" as it was: 1 run in 40 failed
 * with RSA, whose last character is one of four.) */
function otherSignature(token) {
  const at = token.lastIndexOf('.') + 1;
  return token.slice(0, at) + (token[at] === 'A' ? 'B' : 'A') + token.slice(at + 1);
}

const ALGS = ['HS256', 'HS384', 'HS512', 'RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512', 'ES256', 'ES384', 'EdDSA'];

test('every algorithm: sign with the private JWK, verify against the public set, sync and on the pool', async () => {
  const pairs = Object.fromEntries(ALGS.map((a) => [a, keyFor(a)]));
  const set = new JwkSet({ keys: ALGS.map((a) => pairs[a][1]) });
  assert.equal(set.len, ALGS.length);
  assert.deepEqual(set.kids, ALGS.map((a) => `k-${a}`));
  const verifier = new JwtVerifier(set, ALGS, { audience: 'api', issuer: 'me' });
  for (const alg of ALGS) {
    const claims = { sub: alg, aud: ['x', 'api'], iss: 'me', exp: now + 60, n: 1.5, u: 'é€😀' };
    const token = signJwtSync(pairs[alg][0], claims, { alg });
    assert.deepEqual(inspectJwt(token), { header: { alg, typ: 'JWT', kid: `k-${alg}` }, claims });
    assert.deepEqual(verifier.verifySync(token, { now }), claims);
    assert.deepEqual(await verifier.verify(token, { now }), claims);
    assert.deepEqual(verifyJwtSync(set, token, { algorithms: [alg], now }), claims);
    assert.deepEqual(await verifyJwt({ keys: [pairs[alg][1]] }, token, { algorithms: [alg], now }), claims);
    assert.deepEqual(await signJwt(pairs[alg][0], claims, { alg }).then((t) => verifier.verifySync(t, { now })), claims);
    const jws = signJwsSync(pairs[alg][0], { alg, kid: `k-${alg}` }, Buffer.from([0, 255, 1]));
    assert.deepEqual([...verifier.verifyJwsSync(jws)], [0, 255, 1]);
    assert.deepEqual([...(await verifier.verifyJws(jws))], [0, 255, 1]);
    assert.deepEqual([...verifyJwsSync(set, await signJws(pairs[alg][0], `{"alg":"${alg}","kid":"k-${alg}"}`, 'p'), { algorithms: [alg] })], [...Buffer.from('p')]);
    await assert.rejects(verifier.verify(otherSignature(token), { now }), BadSignatureError);
  }
});

test('the default alg is the JWK\'s own, else its type\'s; kid defaults to the JWK\'s', () => {
  const [rsa] = keyFor('RS256');
  assert.equal(inspectJwt(signJwtSync(rsa, {})).header.alg, 'RS256');
  assert.equal(inspectJwt(signJwtSync({ ...rsa, alg: 'PS384' }, {})).header.alg, 'PS384');
  const [ec] = keyFor('ES384');
  assert.equal(inspectJwt(signJwtSync(ec, {})).header.alg, 'ES384');
  const { kid: _, ...anon } = keyFor('EdDSA')[0];
  assert.deepEqual(inspectJwt(signJwtSync(anon, { a: 1 })).header, { alg: 'EdDSA', typ: 'JWT' });
  assert.equal(inspectJwt(signJwtSync(anon, {}, { kid: 'a"b\\c\n' })).header.kid, 'a"b\\c\n');
  assert.throws(() => signJwtSync(rsa, {}, { alg: 'HS256' }), InvalidKeyError);
  assert.throws(() => signJwtSync(rsa, {}, { alg: 'none' }), AlgorithmNotAllowedError);
  assert.throws(() => signJwtSync(rsa, 'not an object'), { code: 'ERR_INVALID_ARG_TYPE' });
});

test('errors are the core table\'s classes, in the vectors\' precedence', () => {
  const hs = { kty: 'oct', k: b64u(crypto.randomBytes(64)) };
  const set = new JwkSet({ keys: [hs] });
  const sign = (claims, header = { alg: 'HS256' }) => signJwsSync(hs, header, JSON.stringify(claims));
  const verify = (token, opts = {}) => verifyJwtSync(set, token, { algorithms: ['HS256'], now, ...opts });
  assert.throws(() => verify('a.b'), MalformedError);
  assert.throws(() => verify(sign({}, { alg: 'HS256', crit: ['b64'], b64: false })), (e) => e instanceof UnsupportedError && e.code === 'crit_unsupported');
  assert.throws(() => verify(sign({}, { alg: 'HS384' })), AlgorithmNotAllowedError);
  assert.throws(() => verify(sign({}, { alg: 'HS256', kid: 'other' })), KeyNotFoundError);
  assert.throws(() => verify(sign({ exp: now })), (e) => e instanceof ExpiredError && e.code === 'expired');
  assert.deepEqual(verify(sign({ exp: now }), { leeway: 1 }), { exp: now });
  assert.throws(() => verify(sign({ nbf: now + 1 })), NotYetValidError);
  assert.throws(() => verify(sign({ aud: 'x' }), { audience: 'y' }), (e) => e instanceof ClaimError && e.code === 'audience');
  assert.throws(() => verify(sign({ iss: 'x' }), { issuer: 'y' }), (e) => e instanceof ClaimError && e.code === 'issuer');
  assert.throws(() => verify(sign({ exp: '1' })), MalformedError);
  assert.throws(() => verify(signJwsSync(hs, { alg: 'HS256' }, '[1]')), MalformedError);
  assert.throws(() => new JwtVerifier(set, ['none']), AlgorithmNotAllowedError);
  assert.throws(() => new JwtVerifier(set, []), { code: 'ERR_INVALID_ARG_TYPE' });
  assert.throws(() => verifyJwtSync(set, sign({}), {}), { code: 'ERR_INVALID_ARG_TYPE' });
  assert.throws(() => new JwkSet('{"keys": 1}'), InvalidKeyError);
  assert.throws(() => verify(sign({}), { now: Infinity }), { code: 'ERR_OUT_OF_RANGE' });
});

test('a Keycloak-style set: the RSA-OAEP encryption key is skipped, not fatal', () => {
  const [, sig] = keyFor('RS256');
  const [, enc] = keyFor('RS256');
  const set = new JwkSet({ keys: [{ ...sig, use: 'sig', alg: 'RS256' }, { ...enc, kid: 'enc-1', use: 'enc', alg: 'RSA-OAEP' }, { kty: 'XYZ' }] });
  assert.equal(set.len, 1);
  assert.equal(set.skipped, 2);
  assert.deepEqual(set.kids, ['k-RS256']);
});

test('RFC 7638 §3.1 thumbprint', () => {
  const jwk = {
    kty: 'RSA',
    n: '0vx7agoebGcQSuuPiLJXZptN9nndrQmbXEps2aiAFbWhM78LhWx4cbbfAAtVT86zwu1RK7aPFFxuhDR1L6tSoc_BJECPebWKRXjBZCiFV4n3oknjhMstn64tZ_2W-5JsGY4Hc5n9yBXArwl93lqt7_RN5w6Cf0h4QyQ5v-65YGjQR0_FDW2QvzqY368QQMicAtaSqzs8KJZgnYb9c7d0zgdAZHzu6qMQvRL5hajrn1n91CbOpbISD08qNLyrdkt-bFTWhAI4vMQFh6WeZu0fM4lFd2NcRwr3XPksINHaQ-G_xBniIqbw0Ls1jF44-csFCur-kEgU8awapJzKnqDKgw',
    e: 'AQAB',
    alg: 'RS256',
    kid: '2011-04-29',
  };
  assert.equal(jwkThumbprint(jwk), 'NzbLsXh8uDCcd-6MNwXF4W_7noWXFZAfHkxZsRGC9Xs');
  assert.equal(jwkThumbprint(JSON.stringify(jwk)), 'NzbLsXh8uDCcd-6MNwXF4W_7noWXFZAfHkxZsRGC9Xs');
});

test('promise forms: HS*-only verifiers verify on the calling thread, others on the pool; both reject alike', async () => {
  const hs = { kty: 'oct', k: b64u(crypto.randomBytes(32)) };
  const [rsPriv, rsPub] = keyFor('RS256');
  const set = new JwkSet({ keys: [hs, rsPub] });
  for (const [alg, key] of [['HS256', hs], ['RS256', rsPriv]]) {
    const verifier = new JwtVerifier(set, [alg]);
    const token = signJwtSync(key, { exp: now + 1 }, { alg });
    assert.deepEqual(await verifier.verify(token, { now }), { exp: now + 1 });
    assert.equal((await verifier.verifyJws(token)).toString(), JSON.stringify({ exp: now + 1 }));
    await assert.rejects(verifier.verify(token, { now: now + 1 }), ExpiredError);
    await assert.rejects(verifier.verifyJws(`${token}.x`), MalformedError);
    const pending = verifier.verify(token, { now: now + 1 });
    assert.ok(pending instanceof Promise);
    await assert.rejects(pending, ExpiredError);
  }
});
