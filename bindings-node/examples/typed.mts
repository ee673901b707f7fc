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

export function envelopeSig(sig: Uint8Array): string {
  const bytes: Buffer = base64urlDecode(hexEncode(sig));
  const dst = new Uint8Array(64);
  try {
    const n: number = base64urlEncodeInto(bytes, dst);
    return Buffer.from(dst.subarray(0, n)).toString('latin1');
  } catch (e) {
    if (e instanceof BufferTooSmallError && e.needed !== undefined) return `needs ${e.needed}`;
    if (e instanceof PaysealError) return e.code;
    throw e;
  }
}
