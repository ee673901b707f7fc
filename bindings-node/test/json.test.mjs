import assert from 'node:assert/strict';
import { test } from 'node:test';

import * as payseal from 'payseal';
import { canonicalize, canonicalizeInto, canonicalizeSync, BufferTooSmallError, JsonError, PaysealError } from 'payseal';
import { asText, fromB64, readVectors } from './vectors.mjs';

const FILES = { js: 'json_js.jsonl', php: 'json_php.jsonl' };
const ERRORS = {
  js: new Set(['syntax', 'invalid_utf8', 'duplicate_key', 'depth', 'number_range']),
  php: new Set(['syntax', 'invalid_utf8', 'duplicate_key', 'depth', 'number_range', 'lone_surrogate']),
};

/** The vector's expectation as `{ out: Buffer }` or `{ code }`, refusing unknown error codes. */
function expected(dialect, v) {
  if (v.output_b64 !== undefined) return { out: fromB64(v.output_b64) };
  assert.ok(ERRORS[dialect].has(v.error), `${v.id}: unknown error value ${JSON.stringify(v.error)}`);
  return { code: v.error };
}

/** Compares one outcome with the expectation; returns a description of the difference or null. */
function differs(id, want, got) {
  if (got instanceof Error) {
    if (!(got instanceof JsonError)) return `${id}: threw ${got.stack}`;
    return want.code === got.code ? null : `${id}: error ${got.code}, expected ${want.code ?? 'output'}`;
  }
  if (want.out === undefined) return `${id}: output ${got}, expected error ${want.code}`;
  return want.out.equals(Buffer.from(got, 'utf8')) ? null : `${id}: output ${got}, expected ${want.out}`;
}

const attempt = (f) => {
  try {
    return f();
  } catch (e) {
    return e;
  }
};

for (const dialect of ['js', 'php']) {
  const vectors = readVectors(FILES[dialect]);

  test(`${FILES[dialect]}: canonicalizeSync on Buffer and string inputs`, () => {
    const failures = [];
    for (const v of vectors) {
      const input = fromB64(v.input_b64);
      const want = expected(dialect, v);
      failures.push(differs(v.id, want, attempt(() => canonicalizeSync(input, dialect))));
      const text = asText(input);
      if (text !== undefined) failures.push(differs(`${v.id} (string)`, want, attempt(() => canonicalizeSync(text, dialect))));
    }
    assert.deepEqual(failures.filter(Boolean), []);
  });

  test(`${FILES[dialect]}: canonicalizeInto writes the same bytes`, () => {
    const dst = Buffer.alloc(1 << 20);
    const failures = [];
    for (const v of vectors) {
      const want = expected(dialect, v);
      const got = attempt(() => dst.toString('utf8', 0, canonicalizeInto(fromB64(v.input_b64), dst, dialect)));
      failures.push(differs(v.id, want, got));
    }
    assert.deepEqual(failures.filter(Boolean), []);
  });

  test(`${FILES[dialect]}: canonicalize (thread pool), all at once`, async () => {
    const outcomes = await Promise.all(vectors.map((v) => canonicalize(fromB64(v.input_b64), dialect).catch((e) => e)));
    const failures = vectors.map((v, i) => differs(v.id, expected(dialect, v), outcomes[i]));
    assert.deepEqual(failures.filter(Boolean), []);
  });
}

test('a string with a lone surrogate is invalid_utf8 at its UTF-8 offset, never U+FFFD', async () => {
  for (const f of [(s) => canonicalizeSync(s, 'js'), (s) => canonicalizeInto(s, Buffer.alloc(64), 'php')]) {
    assert.throws(() => f('["é\uD800"]'), (e) => e instanceof JsonError && e.code === 'invalid_utf8' && e.offset === 4);
    assert.throws(() => f('"\uDC00"'), (e) => e.code === 'invalid_utf8' && e.offset === 1);
  }
  await assert.rejects(canonicalize('["\uDBFF"]', 'js'), (e) => e instanceof JsonError && e.offset === 2);
  // A well-formed pair is one character.
  assert.equal(canonicalizeSync('["\uD83D\uDE00"]', 'js'), '["\uD83D\uDE00"]');
});

test('errors carry code, offset and class', async () => {
  assert.throws(
    () => canonicalizeSync('{"a":1,"a":2}', 'js'),
    (e) => e instanceof JsonError && e instanceof PaysealError && e.code === 'duplicate_key' && typeof e.offset === 'number',
  );
  await assert.rejects(canonicalize('[1,]', 'php'), (e) => e instanceof JsonError && e.code === 'syntax');
  assert.throws(
    () => canonicalizeInto('[1,2,3]', Buffer.alloc(3), 'js'),
    (e) => e instanceof BufferTooSmallError && e.code === 'buffer_too_small' && e.needed === 7,
  );
});

test('the PHP flags reach the engine, and only with the php dialect', () => {
  const doc = '["/\u00e9"]';
  const outs = [
    canonicalizeSync(doc, 'php'),
    canonicalizeSync(doc, 'php', { unescapedSlashes: true }),
    canonicalizeSync(doc, 'php', { unescapedUnicode: true }),
    canonicalizeSync(doc, 'php', { unescapedSlashes: true, unescapedUnicode: true }),
  ];
  assert.equal(new Set(outs).size, 4);
  assert.equal(canonicalizeSync(doc, 'php', { unescapedSlashes: false }), outs[0]);
  assert.throws(() => canonicalizeSync(doc, 'js', { unescapedSlashes: true }), { code: 'ERR_INVALID_ARG_VALUE' });
  assert.equal(canonicalizeSync(doc, 'js', {}), canonicalizeSync(doc, 'js'));
});

test('arguments are checked', async () => {
  assert.throws(() => canonicalizeSync('[]', 'JS'), { name: 'TypeError', code: 'ERR_INVALID_ARG_VALUE' });
  assert.throws(() => canonicalizeSync('[]'), { code: 'ERR_INVALID_ARG_TYPE' });
  assert.throws(() => canonicalizeSync('[]', 'php', { unescapedSlashes: 1 }), { code: 'ERR_INVALID_ARG_TYPE' });
  assert.throws(() => canonicalizeSync('[]', 'php', 'flags'), { code: 'ERR_INVALID_ARG_TYPE' });
  assert.throws(() => canonicalizeSync(42, 'js'), { name: 'TypeError', code: 'ERR_INVALID_ARG_TYPE' });
  assert.throws(() => canonicalizeSync(new Uint16Array(2), 'js'), { code: 'ERR_INVALID_ARG_TYPE' });
  assert.throws(() => canonicalizeInto('[]', [0, 0], 'js'), { code: 'ERR_INVALID_ARG_TYPE' });
  await assert.rejects(canonicalize('[]', 'yaml'), { code: 'ERR_INVALID_ARG_VALUE' });
  await assert.rejects(canonicalize(null, 'js'), { code: 'ERR_INVALID_ARG_TYPE' });
  const shared = Buffer.from('[1]     ');
  assert.throws(() => canonicalizeInto(shared.subarray(0, 3), shared, 'js'), { code: 'ERR_INVALID_ARG_VALUE' });
  assert.equal(canonicalizeInto(shared.subarray(0, 3), shared.subarray(3), 'js'), 3);
  assert.equal(shared.toString(), '[1][1]  ');
});

test('inputs: Uint8Array views, Buffers and strings agree; async copies its input', async () => {
  const text = '{"b" : [1.0, 2e0], "a": "x"}';
  const backing = Buffer.from(`xx${text}yy`);
  const view = new Uint8Array(backing.buffer, backing.byteOffset + 2, backing.length - 4);
  const want = canonicalizeSync(text, 'js');
  assert.equal(canonicalizeSync(view, 'js'), want);
  assert.equal(canonicalizeSync(Buffer.from(text), 'js'), want);
  assert.equal(canonicalizeSync(new Uint8ClampedArray(Buffer.from(text)), 'js'), want);
  assert.throws(() => canonicalizeSync(new Uint8Array(0), 'js'), { code: 'syntax' });
  const long = `[${'"abcdefgh",'.repeat(200)}1]`; // past the addon's inline string buffer
  assert.equal(canonicalizeSync(long, 'js'), long);
  const input = Buffer.from(text);
  const pending = canonicalize(input, 'js');
  input.fill(0x20);
  assert.equal(await pending, want);
});

test('the addon loads and works in worker threads', async () => {
  const { Worker } = await import('node:worker_threads');
  const code = `
    const { parentPort } = require('node:worker_threads');
    const p = require(${JSON.stringify(new URL('../index.js', import.meta.url).pathname)});
    p.canonicalize('{"a": 1.0}', 'php').then((r) => parentPort.postMessage([p.canonicalizeSync('[1.0]', 'js'), r]));`;
  const results = await Promise.all(
    [0, 1].map(
      () =>
        new Promise((resolve, reject) => {
          const w = new Worker(code, { eval: true });
          w.once('message', (m) => w.terminate().then(() => resolve(m)));
          w.once('error', reject);
        }),
    ),
  );
  assert.deepEqual(results, [['[1]', '{"a":1}'], ['[1]', '{"a":1}']]);
});

test('strings around the addon inline buffer (512 bytes) are read whole, multi-byte characters too', () => {
  for (let n = 495; n <= 520; n++) {
    for (const ch of ['a', 'é', '€', '😀']) {
      const text = `["${'a'.repeat(n % 4)}${ch.repeat(Math.floor(n / Buffer.byteLength(ch)))}"]`;
      assert.equal(canonicalizeSync(text, 'js'), text, `${n} ${ch}`);
    }
  }
});

test('long strings in and out (UTF-16 read, Latin-1 or UTF-16 made) keep every character', () => {
  // One-byte (Latin-1) and two-byte V8 strings, ASCII runs of every alignment around non-ASCII,
  // astral characters split across the transcoder's words: JSON.stringify(JSON.parse(x)) decides.
  const pieces = ['a', 'ÿ', 'é', '€', '😀', '\u0800', '\uffff', '\\"', '\\n', '/', '\\u00e9'];
  let seed = 7;
  const next = (n) => ((seed = (seed * 1103515245 + 12345) % 2147483648), seed % n);
  for (let round = 0; round < 200; round++) {
    const parts = [];
    const target = 400 + next(6000);
    for (let len = 0; len < target; ) {
      const piece = pieces[next(pieces.length)].repeat(1 + next(40));
      parts.push(piece);
      len += piece.length;
    }
    const text = `{"k":"${parts.join('')}","n":[1.50,2e3]}`;
    const expected = JSON.stringify(JSON.parse(text));
    assert.equal(canonicalizeSync(text, 'js'), expected, `round ${round}`);
    assert.equal(canonicalizeSync(Buffer.from(text), 'jcs'), expected, `round ${round}`);
  }
});

test('every JSON text argument refuses a lone surrogate instead of reading U+FFFD', () => {
  // Short (stack) and long (heap) strings; signing would otherwise sign bytes the caller never wrote.
  for (const pad of ['', 'a'.repeat(2000)]) {
    const doc = `{"a":"${pad}\uD800"}`;
    const at = 6 + pad.length;
    assert.throws(() => canonicalizeSync(doc, 'jcs'), (e) => e instanceof JsonError && e.offset === at);
    assert.throws(() => payseal.signQrSync('qr-secret-0123456789', doc), (e) => e instanceof JsonError && e.code === 'invalid_utf8' && e.offset === at);
    assert.throws(() => payseal.paylandsHashSync('signature', doc), (e) => e.code === 'malformed' && /invalid_utf8 at byte/.test(e.message));
    assert.throws(() => new payseal.JwkSet(`{"keys":[{"kty":"oct","k":"${pad}\uDC00"}]}`), (e) => e instanceof payseal.InvalidKeyError);
  }
  // The same texts, well formed, still work: the pair is one character.
  assert.equal(canonicalizeSync('["\uD83D\uDE00"]', 'jcs'), '["\uD83D\uDE00"]');
});
