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
