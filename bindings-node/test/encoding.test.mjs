import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { test } from 'node:test';

import * as payseal from 'payseal';

const { BufferTooSmallError, EncodingError } = payseal;

// Node's own encoders are the reference for well-formed input.
const CODECS = [
  { name: 'hex', node: 'hex', encodedLen: (n) => 2 * n },
  { name: 'base64url', node: 'base64url', encodedLen: (n) => Math.ceil((4 * n) / 3) },
  { name: 'base64', node: 'base64', encodedLen: (n) => 4 * Math.ceil(n / 3) },
];
const LENGTHS = [0, 1, 2, 3, 4, 5, 31, 32, 33, 64, 100, 1000, 6000, 20000]; // some past the 8 KiB scratch

for (const { name, node, encodedLen } of CODECS) {
  const encode = payseal[`${name}Encode`];
  const encodeInto = payseal[`${name}EncodeInto`];
  const decode = payseal[`${name}Decode`];
  const decodeInto = payseal[`${name}DecodeInto`];

  test(`${name}: agrees with Buffer and round-trips`, () => {
    for (const n of LENGTHS) {
      const bytes = randomBytes(n);
      const text = encode(bytes);
      assert.equal(text, bytes.toString(node), `${name} encode of ${n} bytes`);
      assert.ok(decode(text).equals(bytes), `${name} decode of ${n} bytes`);
      assert.ok(decode(Buffer.from(text)).equals(bytes), `${name} decode of ${n} bytes given as bytes`);
      assert.ok(Buffer.isBuffer(decode(text)));

      const dst = Buffer.alloc(encodedLen(n) + 3, 0xee);
      assert.equal(encodeInto(bytes, dst), encodedLen(n));
      assert.equal(dst.toString('latin1', 0, encodedLen(n)), text);
      assert.equal(dst[encodedLen(n)], 0xee, 'nothing written past the output');
      const out = new Uint8Array(n + 2);
      assert.equal(decodeInto(text, out), n);
      assert.ok(Buffer.from(out.buffer, 0, n).equals(bytes));
    }
  });

  test(`${name}: buffers too small say what they need`, () => {
    const bytes = randomBytes(10);
    assert.throws(
      () => encodeInto(bytes, Buffer.alloc(encodedLen(10) - 1)),
      (e) => e instanceof BufferTooSmallError && e.code === 'buffer_too_small' && e.needed === encodedLen(10),
    );
    assert.throws(() => decodeInto(encode(bytes), Buffer.alloc(9)), (e) => e instanceof BufferTooSmallError && e.needed === 10);
  });

  test(`${name}: arguments are checked`, () => {
    assert.throws(() => encode('text'), { name: 'TypeError', code: 'ERR_INVALID_ARG_TYPE' });
    assert.throws(() => encode([1, 2]), { code: 'ERR_INVALID_ARG_TYPE' });
    assert.throws(() => decode(12), { code: 'ERR_INVALID_ARG_TYPE' });
    assert.throws(() => decodeInto('00', new Uint32Array(4)), { code: 'ERR_INVALID_ARG_TYPE' });
    const shared = Buffer.alloc(64);
    assert.throws(() => encodeInto(shared.subarray(0, 8), shared.subarray(4)), { code: 'ERR_INVALID_ARG_VALUE' });
    assert.equal(encodeInto(shared.subarray(0, 8), shared.subarray(8)), encodedLen(8));
  });
}

test('hex: either case in, lowercase out; bad input is an EncodingError', () => {
  assert.deepEqual([...payseal.hexDecode('DEADbeef')], [0xde, 0xad, 0xbe, 0xef]);
  assert.equal(payseal.hexEncode(Buffer.from([0xab, 0xcd])), 'abcd');
  for (const bad of ['abc', 'zz', '0g', ' 00', '\u00e9\u00e9']) {
    assert.throws(() => payseal.hexDecode(bad), (e) => e instanceof EncodingError && e.code === 'invalid_encoding', bad);
  }
});

test('base64url: padding optional but checked; standard alphabet refused', () => {
  assert.deepEqual([...payseal.base64urlDecode('-_8BAg')], [0xfb, 0xff, 0x01, 0x02]);
  assert.deepEqual([...payseal.base64urlDecode('-_8BAg==')], [0xfb, 0xff, 0x01, 0x02]);
  for (const bad of ['-_8BAg=', '+/8BAg', 'A', '-_8BAg===']) {
    assert.throws(() => payseal.base64urlDecode(bad), { code: 'invalid_encoding' }, bad);
  }
});

test('base64: padding required', () => {
  assert.deepEqual([...payseal.base64Decode('+/8B')], [0xfb, 0xff, 0x01]);
  assert.throws(() => payseal.base64Decode('+/8'), (e) => e instanceof EncodingError);
});

test('Uint8Array views are read at their offset', () => {
  const backing = Buffer.from('zz00ff10zz');
  const view = new Uint8Array(backing.buffer, backing.byteOffset + 2, 6);
  assert.deepEqual([...payseal.hexDecode(view)], [0x00, 0xff, 0x10]);
  assert.equal(payseal.hexEncode(view.subarray(0, 2)), '3030');
});
