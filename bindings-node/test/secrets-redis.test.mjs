// SecretVerifier with Redis behind its in-process cache, against a real redis-server (apt
// `redis-server`) started here on a free loopback port: another Node process answers from
// Redis what this one verified with bcrypt (the storeHits counter), so does Python and PHP
// (one keying in every language), garbage or copied values never make a wrong secret pass,
// Redis killed mid-run only costs bcrypt, short cache keys and bad URLs are refused.
// Without redis-server: a failure when PAYSEAL_REQUIRE_REDIS=1 (scripts/test sets it), else a
// skip with the reason; php as PAYSEAL_REQUIRE_PHP says; Python only when its module is built.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { createHmac, randomBytes } from 'node:crypto';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { fileURLToPath } from 'node:url';

import { hashBcryptSync, InvalidInputError, InvalidKeyError, MismatchError, SecretVerifier } from 'payseal';
import { command, required, startRedis, which } from './redis.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const repo = path.resolve(here, '..', '..');
const SECRET = 'sk_live_redis_node';
const HASH = hashBcryptSync(SECRET, { cost: 4 });

/** The documented Redis key of (hash, secret) (core/src/secrets/store.rs). */
function redisKey(cacheKey, hash, secret) {
  const mac = createHmac('sha256', cacheKey).update(`payseal/secret-cache/v1/key\0${hash}\0${secret}`).digest('hex');
  return `payseal:secret:v1:${mac}`;
}

async function get(port, key) {
  const reply = await command(port, 'GET', key);
  const head = reply.indexOf('\r\n');
  const len = Number(reply.subarray(1, head).toString());
  return len >= 0 ? reply.subarray(head + 2, head + 2 + len) : Buffer.alloc(0);
}

const NODE_CHECK = `
const [url, key, secret, hash] = process.argv.slice(1);
const { SecretVerifier, PaysealError } = require(process.env.PAYSEAL_NODE_DIR);
const v = new SecretVerifier({ capacity: 100, ttl: 300, redis: url, cacheKey: Buffer.from(key, 'hex') });
let code = null;
try { v.verifySync(secret, hash); } catch (e) { if (!(e instanceof PaysealError)) throw e; code = e.code; }
console.log(JSON.stringify({ ok: code === null, code, store_hits: v.storeHits, misses: v.misses }));
`;

const PYTHON_CHECK = `
import json, sys, payseal
url, key, secret, hash = sys.argv[1:5]
v = payseal.SecretVerifier(100, 300, redis=url, cache_key=bytes.fromhex(key))
try:
    v.verify(secret, hash); code = None
except payseal.PaysealError as e:
    code = e.code
print(json.dumps({"ok": code is None, "code": code, "store_hits": v.store_hits, "misses": v.misses}))
`;

/** A fresh process of `language` verifies once: what answered (null: that language is not here). */
function otherProcess(language, url, cacheKey, secret, hash) {
  const args = [url, cacheKey.toString('hex'), secret, hash];
  let cmd;
  if (language === 'node') {
    cmd = [process.execPath, '-e', NODE_CHECK, ...args];
  } else if (language === 'python') {
    // The binding as scripts/test-python.sh builds it (its venv), else a python3 that has it.
    const venv = path.join(repo, 'bindings-python', '.venv', 'bin', 'python');
    const python = spawnSync(venv, ['-c', 'import payseal']).status === 0 ? venv : which('python3');
    // scripts/test runs the Node suite before the Python one builds the module: then this side
    // is not checked here, and tests/test_secrets_redis.py (which requires Node and PHP) is the
    // cross-language check that cannot be skipped.
    if (python === null || spawnSync(python, ['-c', 'import payseal']).status !== 0) return null;
    cmd = [python, '-c', PYTHON_CHECK, ...args];
  } else {
    const php = required('php', 'PAYSEAL_REQUIRE_PHP');
    if (php === null) return null;
    cmd = [php, '-d', 'ffi.enable=1', path.join(repo, 'ffi-c', 'php', 'tests', 'redis_check.php'), ...args];
  }
  const r = spawnSync(cmd[0], cmd.slice(1), { encoding: 'utf8', env: { ...process.env, PAYSEAL_NODE_DIR: path.join(repo, 'bindings-node') } });
  assert.equal(r.status, 0, r.stderr);
  const out = JSON.parse(r.stdout);
  return [out.ok, out.store_hits, out.misses, out.code ?? null];
}

const redisServer = which('redis-server');
if (redisServer === null && process.env.PAYSEAL_REQUIRE_REDIS === '1') {
  test('redis-server is installed (PAYSEAL_REQUIRE_REDIS=1)', () => assert.fail('redis-server is not installed (apt-get install redis-server)'));
}
const skip = redisServer === null ? 'redis-server is not installed' : false;
let redis;
before(async () => {
  if (!skip) redis = await startRedis(redisServer);
});
after(async () => {
  if (redis) await redis.stop();
});

test('another process answers from Redis, then the in-process cache', { skip }, async () => {
  const key = randomBytes(32);
  const v = new SecretVerifier({ capacity: 100, ttl: 300, redis: redis.url, cacheKey: key });
  await v.verify(SECRET, HASH);
  assert.deepEqual([v.hits, v.storeHits, v.misses], [0, 0, 1]);
  const ttl = Number((await command(redis.port, 'TTL', redisKey(key, HASH, SECRET))).toString().slice(1));
  assert.ok(ttl > 290 && ttl <= 300, `the entry expires in Redis with the TTL (${ttl})`);
  assert.deepEqual(otherProcess('node', redis.url, key, SECRET, HASH), [true, 1, 0, null]);
  v.verifySync(SECRET, HASH);
  assert.deepEqual([v.hits, v.storeHits, v.misses], [1, 0, 1]);
  assert.deepEqual(otherProcess('node', redis.url, randomBytes(32), SECRET, HASH), [true, 0, 1, null], 'another cache key: no hit');
});

test('one keying in every language: Python and PHP answer from what Node stored', { skip }, async (t) => {
  const key = randomBytes(32);
  const secret = 'sk_live_cross_language_node';
  const hash = hashBcryptSync(secret, { cost: 4 });
  new SecretVerifier({ capacity: 0, redis: redis.url, cacheKey: key }).verifySync(secret, hash);
  for (const language of ['python', 'php']) {
    const hit = otherProcess(language, redis.url, key, secret, hash);
    if (hit === null) {
      t.diagnostic(`${language} is not available: not checked`);
      continue;
    }
    assert.deepEqual(hit, [true, 1, 0, null], language);
    assert.deepEqual(otherProcess(language, redis.url, key, 'sk_live_wrong', hash), [false, 0, 1, 'mismatch'], language);
  }
});

test('shared: one Redis-backed verifier per name', { skip }, async () => {
  const key = randomBytes(32);
  new SecretVerifier({ capacity: 0, redis: redis.url, cacheKey: key }).verifySync(SECRET, HASH);
  const first = SecretVerifier.shared('secrets-redis.test', { redis: redis.url, cacheKey: key });
  await first.verify(SECRET, HASH);
  const again = SecretVerifier.shared('secrets-redis.test', { redis: redis.url, cacheKey: key });
  again.verifySync(SECRET, HASH);
  assert.deepEqual([again.hits, again.storeHits, again.misses], [1, 1, 0]);
  assert.throws(() => SecretVerifier.shared('secrets-redis.test', { redis: redis.url, cacheKey: Buffer.alloc(31) }), InvalidKeyError);
});

test('forged entries never pass a wrong secret', { skip }, async () => {
  const key = randomBytes(32);
  new SecretVerifier({ capacity: 0, redis: redis.url, cacheKey: key }).verifySync(SECRET, HASH);
  const good = await get(redis.port, redisKey(key, HASH, SECRET));
  assert.equal(good.length, 40);
  for (const value of [good, Buffer.alloc(40), Buffer.alloc(40, 0xff), Buffer.from('garbage')]) {
    await command(redis.port, 'SET', redisKey(key, HASH, 'sk_live_wrong'), value);
    const fresh = new SecretVerifier({ redis: redis.url, cacheKey: key });
    await assert.rejects(fresh.verify('sk_live_wrong', HASH), MismatchError);
    assert.deepEqual([fresh.storeHits, fresh.misses], [0, 1]);
  }
  await command(redis.port, 'SET', redisKey(key, HASH, SECRET), Buffer.alloc(40, 0xff));
  const fresh = new SecretVerifier({ redis: redis.url, cacheKey: key });
  fresh.verifySync(SECRET, HASH);
  assert.deepEqual([fresh.storeHits, fresh.misses], [0, 1], 'garbage under the right key: bcrypt');
});

test('Redis killed mid-run: bcrypt answers, right and wrong', { skip }, async () => {
  const own = await startRedis(redisServer);
  const key = randomBytes(32);
  const v = new SecretVerifier({ capacity: 0, redis: own.url, cacheKey: key, redisTimeout: 0.05 });
  v.verifySync(SECRET, HASH);
  await v.verify(SECRET, HASH);
  assert.deepEqual([v.storeHits, v.misses], [1, 1]);
  await own.stop();
  const started = Date.now();
  for (let i = 0; i < 5; i++) {
    await v.verify(SECRET, HASH);
    assert.throws(() => v.verifySync('sk_live_wrong', HASH), MismatchError);
  }
  assert.deepEqual([v.storeHits, v.misses], [1, 11]);
  assert.ok(Date.now() - started < 5000, 'no long waits on a dead Redis');
});

test('arguments are refused', { skip }, () => {
  for (const make of [
    () => new SecretVerifier({ redis: redis.url, cacheKey: Buffer.alloc(31) }),
    () => SecretVerifier.shared('refused', { redis: redis.url, cacheKey: Buffer.alloc(31) }),
  ]) {
    assert.throws(make, (e) => e instanceof InvalidKeyError && e.code === 'invalid_key');
  }
  const key = Buffer.alloc(32, 7);
  assert.throws(() => new SecretVerifier({ redis: 'http://127.0.0.1/', cacheKey: key }), InvalidInputError);
  assert.throws(() => new SecretVerifier({ redis: redis.url }), InvalidInputError);
  assert.throws(() => new SecretVerifier({ cacheKey: key }), InvalidInputError);
  assert.throws(() => new SecretVerifier({ redis: redis.url, cacheKey: key, redisTimeout: 0 }), InvalidInputError);
  assert.throws(() => new SecretVerifier({ redis: redis.url, cacheKey: 'a string is not raw key bytes......' }), TypeError);
});
