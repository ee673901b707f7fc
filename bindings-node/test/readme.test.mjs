// Runs every ```js block of README.md, each in its own process from the package folder (so that
// `payseal` resolves to this package): blocks with `import` run as ES modules, others as CommonJS.
// Blocks that read PAYSEAL_REDIS_URL get a redis-server of this test's own (without one: a failure
// when PAYSEAL_REQUIRE_REDIS=1, else those blocks are skipped).
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { after, before, test } from 'node:test';
import { fileURLToPath } from 'node:url';

import { required, startRedis } from './redis.mjs';

const pkg = fileURLToPath(new URL('..', import.meta.url));
const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
const blocks = [...readme.matchAll(/^```js\n([\s\S]*?)^```$/gm)].map((m) => m[1]);

test('README has examples', () => assert.ok(blocks.length >= 3));

const redisServer = required('redis-server', 'PAYSEAL_REQUIRE_REDIS');
let redis;
before(async () => {
  if (redisServer !== null) redis = await startRedis(redisServer);
});
after(async () => {
  if (redis) await redis.stop();
});

blocks.forEach((code, i) => {
  const needsRedis = code.includes('PAYSEAL_REDIS_URL');
  test(`README example ${i + 1}`, { skip: needsRedis && redisServer === null ? 'redis-server is not installed' : false }, () => {
    const type = /^import /m.test(code) ? 'module' : 'commonjs';
    const env = { ...process.env, ...(needsRedis ? { PAYSEAL_REDIS_URL: redis.url } : {}) };
    const r = spawnSync(process.execPath, [`--input-type=${type}`, '-e', code], { cwd: pkg, encoding: 'utf8', env });
    assert.equal(r.status, 0, `example ${i + 1} failed:\n${r.stderr}`);
  });
});
