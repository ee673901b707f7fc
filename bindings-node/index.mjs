// ESM entry point: the same module as index.js (one instance of the addon and of the error
// classes, so `instanceof` works across both entry points).
import { createRequire } from 'node:module';

const payseal = createRequire(import.meta.url)('./index.js');

export const {
  canonicalizeSync,
  canonicalizeInto,
  canonicalize,
  hexEncode,
  hexEncodeInto,
  hexDecode,
  hexDecodeInto,
  base64urlEncode,
  base64urlEncodeInto,
  base64urlDecode,
  base64urlDecodeInto,
  base64Encode,
  base64EncodeInto,
  base64Decode,
  base64DecodeInto,
  PaysealError,
  JsonError,
  EncodingError,
  BufferTooSmallError,
  VerificationError,
  BadSignatureError,
  ExpiredError,
  TimestampError,
  MalformedError,
} = payseal;
export default payseal;
