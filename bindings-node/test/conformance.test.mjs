// The runner's own contract: counts, the last line, the exit code, and failing on what it does
// not know.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';

const runner = fileURLToPath(new URL('../conformance.mjs', import.meta.url));
const b64 = (s) => Buffer.from(s).toString('base64');

function run(files, requireAll = false) {
  const dir = mkdtempSync(path.join(tmpdir(), 'payseal-vectors-'));
  try {
    for (const [name, lines] of Object.entries(files)) {
      writeFileSync(path.join(dir, name), lines.map((l) => (typeof l === 'string' ? l : JSON.stringify(l))).join('\n'));
    }
    // A folder with only some files, as another vector set may be: scripts/test's
    // PAYSEAL_REQUIRE_ALL_VECTORS=1 is for the project's own folder (tested below).
    const env = { ...process.env, PAYSEAL_REQUIRE_ALL_VECTORS: requireAll ? '1' : '' };
    const r = spawnSync(process.execPath, [runner, dir], { encoding: 'utf8', env });
    return { status: r.status, lines: r.stdout.trim().split('\n') };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const good = { id: 'ok', input_b64: b64('[1.0]'), output_b64: b64('[1]'), note: 'unknown fields are ignored' };

test('passing files: one line per file, skipped files named, exit 0', () => {
  const r = run({ 'json_js.jsonl': [good, good], 'json_php.jsonl': [good], 'other.jsonl': [] });
  assert.equal(r.status, 0);
  assert.ok(r.lines.includes('json_js.jsonl: 2 passed, 0 failed'));
  assert.ok(r.lines.includes('json_php.jsonl: 1 passed, 0 failed'));
  assert.ok(r.lines.includes('other.jsonl: not covered yet, skipped'));
  assert.equal(r.lines.at(-1), '3 passed, 0 failed');
});

test('unknown error values, wrong answers and unparsable lines fail', () => {
  const r = run({
    'json_js.jsonl': [
      good,
      { id: 'unknown', input_b64: b64('[1,]'), error: 'not_a_code' },
      { id: 'wrong', input_b64: b64('[1,]'), error: 'depth' },
      { id: 'both', input_b64: b64('[1]'), output_b64: b64('[1]'), error: 'syntax' },
      '{not json',
    ],
  });
  assert.equal(r.status, 1);
  assert.ok(r.lines.includes('json_js.jsonl: 1 passed, 4 failed'));
  assert.ok(r.lines.some((l) => l.startsWith('  FAIL unknown: unknown `error` value "not_a_code"')));
  assert.ok(r.lines.some((l) => l.startsWith('  FAIL wrong: error syntax, expected depth')));
  assert.equal(r.lines.at(-1), '1 passed, 4 failed');
});

test('a folder without any covered file fails', () => {
  const r = run({ 'other.jsonl': [] });
  assert.equal(r.status, 1);
  assert.equal(r.lines.at(-1), '0 passed, 1 failed');
});

test('every covered file fails on an unknown expect value', () => {
  const lines = {
    'bcrypt.jsonl': { id: 'b', secret_b64: b64('x'), hash: '$2b$04$' + 'a'.repeat(53), expect: 'maybe' },
    'eupay_webhook.jsonl': { id: 'e', secret_b64: b64('k'), body_b64: b64('{}'), header: 'sha256=00', expect: 'fine' },
    'webhooks_more.jsonl': { id: 'w', scheme: 'github', secrets_b64: [b64('k')], headers: {}, body_b64: b64('{}'), now: 0, tolerance: 300, expect: 'fine' },
    'paylands.jsonl': { id: 'p', signature_b64: b64('s'), flags: 'default', mode: 'notification', notification_b64: b64('{}'), validation_hash: '00', expect: 'fine' },
    'eupay_qr_verify.jsonl': { id: 'q', secret_b64: b64('k'), qr: 'e30', now: 0, expect: 'fine' },
    'jws.jsonl': { id: 'j', op: 'jws_verify', token: 'e30.e30.', jwks: { keys: [] }, algorithms: ['HS256'], expect: 'fine' },
  };
  for (const [name, line] of Object.entries(lines)) {
    const r = run({ [name]: [line] });
    assert.equal(r.status, 1, name);
    assert.ok(r.lines.some((l) => l.includes('unknown `expect` value')), `${name}: ${r.lines.join('\n')}`);
  }
  const scheme = run({ 'webhooks_more.jsonl': [{ ...lines['webhooks_more.jsonl'], scheme: 'paypal', expect: 'ok' }] });
  assert.ok(scheme.lines.some((l) => l.includes('unknown `scheme` value "paypal"')));
});

test('with PAYSEAL_REQUIRE_ALL_VECTORS=1 a missing covered file fails', () => {
  const r = run({ 'json_js.jsonl': [good] }, true);
  assert.equal(r.status, 1);
  assert.ok(r.lines.some((l) => l.startsWith('json_php.jsonl: MISSING from ')), r.lines.join('\n'));
});

test('jws.jsonl: `invalid` means any error, an unknown op fails, a wrong code fails', () => {
  const base = { op: 'jwt_verify', token: 'e30.e30.', jwks: { keys: [] }, algorithms: ['HS256'], now: 0, leeway: 0, audience: null, issuer: null };
  const r = run({
    'jws.jsonl': [
      { ...base, id: 'any', expect: 'invalid' },
      { ...base, id: 'code', expect: 'malformed' },
      { ...base, id: 'wrong', expect: 'bad_signature' },
      { ...base, id: 'op', op: 'jwe_decrypt', expect: 'ok' },
    ],
  });
  assert.equal(r.status, 1);
  assert.ok(r.lines.includes('jws.jsonl: 2 passed, 2 failed'), r.lines.join('\n'));
  assert.ok(r.lines.some((l) => l.startsWith('  FAIL wrong: malformed, expected bad_signature')));
  assert.ok(r.lines.some((l) => l.startsWith('  FAIL op: unknown `op` value "jwe_decrypt"')));
});
