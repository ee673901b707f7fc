import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { test } from 'node:test';

import * as payseal from 'payseal';

const internal = createRequire(import.meta.url)('../errors.js');

test('the hierarchy', () => {
  const { PaysealError, JsonError, EncodingError, BufferTooSmallError, VerificationError, BadSignatureError,
    ExpiredError, TimestampError, MalformedError } = payseal;
  const parents = {
    PaysealError: ['JsonError', 'EncodingError', 'BufferTooSmallError', 'VerificationError', 'MalformedError', 'KeyError',
      'SecretError', 'ApiKeyError', 'RandomnessError'],
    VerificationError: ['BadSignatureError', 'ExpiredError', 'TimestampError', 'TableLinkError'],
    BadSignatureError: ['MismatchError'],
    TimestampError: ['TimestampTooOldError', 'TimestampTooNewError'],
    MalformedError: ['MissingHeaderError', 'MalformedHeaderError', 'MalformedBodyError', 'MalformedHashError', 'TooLargeError'],
  };
  for (const [parent, children] of Object.entries(parents)) {
    for (const child of children) assert.equal(Object.getPrototypeOf(payseal[child]), payseal[parent], child);
  }
  // Every exported class is placed in the hierarchy above.
  const placed = new Set(['PaysealError', ...Object.values(parents).flat()]);
  for (const C of internal.CLASSES) assert.ok(placed.has(C.name), C.name);
  for (const C of [JsonError, EncodingError, BufferTooSmallError, VerificationError, MalformedError]) {
    assert.equal(Object.getPrototypeOf(C), PaysealError);
  }
  for (const C of [BadSignatureError, ExpiredError, TimestampError]) assert.equal(Object.getPrototypeOf(C), VerificationError);
  assert.equal(Object.getPrototypeOf(PaysealError), Error);
  const e = new JsonError('depth', 'depth at byte 513', { offset: 513 });
  assert.equal(e.name, 'JsonError');
  assert.equal(e.code, 'depth');
  assert.equal(e.offset, 513);
  assert.match(String(e), /^JsonError: depth at byte 513$/);
  assert.ok(e.stack.includes('errors.test.mjs'));
});

test('every registered code builds its class; unknown codes fall back to PaysealError', () => {
  for (const [code, [Class, detail]] of internal.CODES) {
    const e = internal.errorFor(code, 'm', 7);
    assert.ok(e instanceof Class && e.code === code && e.message === 'm', code);
    if (detail) assert.equal(e[detail], 7, code);
    assert.ok(Class === payseal[Class.name], `${Class.name} is exported`);
  }
  const e = internal.errorFor('something_new', 'm');
  assert.equal(e.constructor, payseal.PaysealError);
  assert.equal(e.code, 'something_new');
});

test('fromNative reads the wire code and leaves other errors alone', () => {
  const wire = (code, message = 'msg') => Object.assign(new Error(message), { code });
  const e = internal.fromNative(wire('payseal:number_range:12'));
  assert.ok(e instanceof payseal.JsonError && e.offset === 12 && e.code === 'number_range' && e.message === 'msg');
  const b = internal.fromNative(wire('payseal:buffer_too_small:99'));
  assert.ok(b instanceof payseal.BufferTooSmallError && b.needed === 99);
  const t = internal.fromNative(wire('payseal:arg_type', 'The "x" argument must be y'));
  assert.ok(t instanceof TypeError && t.code === 'ERR_INVALID_ARG_TYPE');
  const r = internal.fromNative(wire('payseal:arg_range', 'The value of "x" is out of range.'));
  assert.ok(r instanceof RangeError && r.code === 'ERR_OUT_OF_RANGE');
  const h = internal.fromNative(wire('payseal:missing_header:Stripe-Signature'));
  assert.ok(h instanceof payseal.MissingHeaderError && h.header === 'Stripe-Signature');
  for (const other of [wire('ENOENT'), wire('payseal:'), wire(undefined), new RangeError('r'), 'a string', null]) {
    assert.equal(internal.fromNative(other), other);
  }
});

test('fromRejection reads the returned form, "<wire> <message>"', () => {
  const e = internal.fromRejection('payseal:malformed_header:webhook-signature malformed header webhook-signature');
  assert.ok(e instanceof payseal.MalformedHeaderError && e.header === 'webhook-signature');
  assert.equal(e.message, 'malformed header webhook-signature');
  const k = internal.fromRejection('payseal:empty_secret:2 secret #2 is empty');
  assert.ok(k instanceof payseal.KeyError && k.index === 2);
  const t = internal.fromRejection('payseal:timestamp_too_old timestamp too old');
  assert.ok(t instanceof payseal.TimestampTooOldError && t.code === 'timestamp_too_old');
  for (const bad of ['', 'payseal:', 'mismatch', 'nope at all']) {
    const u = internal.fromRejection(bad);
    assert.ok(u instanceof payseal.PaysealError && u.code === 'internal', bad);
  }
});
