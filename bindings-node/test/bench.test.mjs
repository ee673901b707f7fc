// bench/compare.mjs stays runnable: one quick case, its JSON lines.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';

const bench = fileURLToPath(new URL('../bench/compare.mjs', import.meta.url));

test('bench/compare.mjs --quick prints one JSON line per implementation', () => {
  const r = spawnSync(process.execPath, [bench, '--quick', '--only', 'webhook_eupay_1k,qr_sign,jwt_verify_hs256'], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  const lines = r.stdout.trim().split('\n').map((l) => JSON.parse(l));
  assert.deepEqual(
    lines.map((l) => `${l.case}/${l.impl}`),
    ['webhook_eupay_1k/payseal', 'webhook_eupay_1k/payseal_once', 'webhook_eupay_1k/node_crypto', 'qr_sign/payseal', 'qr_sign/payseal_into', 'qr_sign/node_js',
      'jwt_verify_hs256/payseal', 'jwt_verify_hs256/payseal_async', 'jwt_verify_hs256/jose', 'jwt_verify_hs256/jsonwebtoken'],
  );
  for (const l of lines) {
    assert.equal(l.lang, 'node');
    assert.ok(Number.isFinite(l.ns_per_op) && l.ns_per_op > 0);
    assert.notEqual(l.correct, false, `${l.case}/${l.impl} gave a wrong answer`);
  }
});
