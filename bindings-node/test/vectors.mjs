// Shared vector access for the tests: $PAYSEAL_VECTORS, or ../shared/vectors beside the repository.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
export const VECTORS = path.resolve(process.env.PAYSEAL_VECTORS ?? path.join(here, '..', '..', '..', 'shared', 'vectors'));
/** Benchmark fixtures: $PAYSEAL_FIXTURES, or ../shared/fixtures beside the repository. */
export const FIXTURES = path.resolve(process.env.PAYSEAL_FIXTURES ?? path.join(here, '..', '..', '..', 'shared', 'fixtures'));

/** The parsed lines of one vector file (the file must exist: a missing file is a failure). */
export function readVectors(name) {
  return readFileSync(path.join(VECTORS, name), 'utf8')
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => JSON.parse(l));
}

export const fromB64 = (s) => Buffer.from(s, 'base64');

const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }) // keep a BOM: it is data here;
/** The text of `bytes` if they are valid UTF-8, else undefined. */
export function asText(bytes) {
  try {
    return utf8.decode(bytes);
  } catch {
    return undefined;
  }
}
