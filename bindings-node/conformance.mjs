// Conformance runner for the Node binding: `node conformance.mjs [DIR]` runs every vector file
// in DIR (default $PAYSEAL_VECTORS, then ../shared/vectors beside the repository) that this
// binding covers, through the public API. It prints one `FILE: N passed, M failed` line per
// file (with the first failures), a line for each file it does not cover, and finally
// `N passed, M failed`; it exits 1 if anything failed. Fields a case does not know are
// ignored; an `expect` or `error` value it does not know is a failure.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import { canonicalizeSync, PaysealError } from './index.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const dir = path.resolve(process.argv[2] ?? process.env.PAYSEAL_VECTORS ?? path.join(here, '..', '..', 'shared', 'vectors'));

/** Thrown by a case to report a disagreement. */
class Mismatch extends Error {}

function field(line, name) {
  const v = line[name];
  if (typeof v !== 'string') throw new Mismatch(`field \`${name}\` missing or not a string`);
  return v;
}

function b64(line, name) {
  const text = field(line, name);
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(text) || text.length % 4 !== 0) throw new Mismatch(`field \`${name}\`: bad base64`);
  return Buffer.from(text, 'base64');
}

function unknown(name, value) {
  return new Mismatch(`unknown \`${name}\` value ${JSON.stringify(value)}: this runner must be taught it`);
}

const show = (bytes) => JSON.stringify(Buffer.from(bytes).toString('utf8'));

/** Runs `produce`; returns its value or the PaysealError's code (other errors propagate). */
function outcome(produce) {
  try {
    return { value: produce() };
  } catch (e) {
    if (e instanceof PaysealError) return { code: e.code };
    throw e;
  }
}

const JSON_ERRORS = {
  js: ['syntax', 'invalid_utf8', 'duplicate_key', 'depth', 'number_range'],
  php: ['syntax', 'invalid_utf8', 'duplicate_key', 'depth', 'number_range', 'lone_surrogate'],
};

/** json_js.jsonl / json_php.jsonl: canonical output or the error code. */
const jsonCase = (dialect) => (line) => {
  const input = b64(line, 'input_b64');
  const hasOutput = 'output_b64' in line;
  const hasError = 'error' in line;
  if (hasOutput === hasError) throw new Mismatch('line has neither `output_b64` nor `error` (or both)');
  if (hasError && !JSON_ERRORS[dialect].includes(line.error)) throw unknown('error', line.error);
  const got = outcome(() => Buffer.from(canonicalizeSync(input, dialect), 'utf8'));
  if (hasOutput) {
    const want = b64(line, 'output_b64');
    if (got.code !== undefined) throw new Mismatch(`error ${got.code}, expected output ${show(want)}`);
    if (!got.value.equals(want)) throw new Mismatch(`output ${show(got.value)}, expected ${show(want)}`);
  } else if (got.code === undefined) {
    throw new Mismatch(`output ${show(got.value)}, expected error ${line.error}`);
  } else if (got.code !== line.error) {
    throw new Mismatch(`error ${got.code}, expected ${line.error}`);
  }
};

/** Every vector file this binding covers. Later capabilities add their line here. */
export const COVERED = new Map([
  ['json_js.jsonl', jsonCase('js')],
  ['json_php.jsonl', jsonCase('php')],
]);

/** Runs one file; returns { passed, failures: [[id, why]] } or { unreadable }. */
export function runFile(file, check) {
  let text;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    return { unreadable: e.message };
  }
  const report = { passed: 0, failures: [] };
  text.split('\n').forEach((raw, i) => {
    if (raw.trim() === '') return;
    let line;
    try {
      line = JSON.parse(raw);
    } catch (e) {
      report.failures.push([`line ${i + 1}`, `unparsable line: ${e.message}`]);
      return;
    }
    const id = typeof line?.id === 'string' ? line.id : `line ${i + 1}`;
    try {
      check(line);
      report.passed += 1;
    } catch (e) {
      report.failures.push([id, e instanceof Mismatch ? e.message : `threw ${e?.stack ?? e}`]);
    }
  });
  return report;
}

/** Runs every covered file in `vectors`, printing as described above; returns true if all passed. */
export function runDir(vectors, print = console.log) {
  let passed = 0;
  let failed = 0;
  let shown = 0;
  let seen = 0;
  for (const [name, check] of COVERED) {
    const file = path.join(vectors, name);
    if (!existsSync(file)) {
      print(`${name}: not present in ${vectors}, skipped`);
      continue;
    }
    seen += 1;
    const report = runFile(file, check);
    if (report.unreadable !== undefined) {
      print(`${name}: unreadable: ${report.unreadable}`);
      failed += 1;
      continue;
    }
    print(`${name}: ${report.passed} passed, ${report.failures.length} failed`);
    for (const [id, why] of report.failures) {
      if (shown++ < 20) print(`  FAIL ${id}: ${why}`);
    }
    passed += report.passed;
    failed += report.failures.length;
  }
  let listing = [];
  try {
    listing = readdirSync(vectors).filter((n) => n.endsWith('.jsonl') && !COVERED.has(n)).sort();
  } catch (e) {
    print(`cannot read directory ${vectors}: ${e.message}`);
    failed += 1;
  }
  for (const n of listing) print(`${n}: not covered yet, skipped`);
  if (seen === 0) {
    print(`no covered vector file found in ${vectors}`);
    failed += 1;
  }
  print(`${passed} passed, ${failed} failed`);
  return failed === 0;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  process.exitCode = runDir(dir) ? 0 : 1;
}
