// Conformance runner for the Node binding: `node conformance.mjs [DIR]` runs every vector file
// in DIR (default $PAYSEAL_VECTORS, then ../shared/vectors beside the repository) that this
// binding covers, through the public API. It prints one `FILE: N passed, M failed` line per
// file (with the first failures), a line for each file it does not cover, and finally
// `N passed, M failed`; it exits 1 if anything failed. Fields a case does not know are
// ignored; an `expect` or `error` value it does not know is a failure.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import {
  canonicalizeSync,
  verifyBcryptSync,
  PaylandsVerifier,
  PaysealError,
  QrSigner,
  QrVerifier,
  WebhookVerifier,
} from './index.mjs';

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
  jcs: ['syntax', 'invalid_utf8', 'duplicate_key', 'depth', 'number_range', 'lone_surrogate'],
};

/** json_js.jsonl / json_php.jsonl / jcs.jsonl: canonical output or the error code. */
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

/** Checks `expect` against the known values and runs `check`; an outcome is 'ok' or a code. */
function verdict(line, known, run, okName = 'ok') {
  const expect = field(line, 'expect');
  if (!known.includes(expect)) throw unknown('expect', expect);
  let got = okName;
  try {
    run();
  } catch (e) {
    if (!(e instanceof PaysealError)) throw e;
    got = e.code;
  }
  if (got !== expect) throw new Mismatch(`${got}, expected ${expect}`);
}

/** bcrypt.jsonl: the secret against the stored hash. */
function bcryptCase(line) {
  const secret = b64(line, 'secret_b64');
  const hash = field(line, 'hash');
  verdict(line, ['match', 'mismatch', 'malformed_hash'], () => verifyBcryptSync(secret, hash), 'match');
}

const WEBHOOK_EXPECTS = ['ok', 'bad_signature', 'missing_header', 'malformed_header', 'malformed_body',
  'timestamp_too_old', 'timestamp_too_new'];

/** eupay_webhook.jsonl: the `X-EuPay-Signature` value over the raw body. */
function eupayWebhookCase(line) {
  const verifier = new WebhookVerifier('eupay', b64(line, 'secret_b64'));
  const headers = { 'x-eupay-signature': field(line, 'header') };
  const body = b64(line, 'body_b64');
  verdict(line, WEBHOOK_EXPECTS, () => verifier.verifySync(headers, body));
}

/** webhooks_more.jsonl: every other provider; OPPWA's plaintext is compared too. */
function webhooksMoreCase(line) {
  const scheme = field(line, 'scheme');
  const secrets = line.secrets_b64;
  if (!Array.isArray(secrets)) throw new Mismatch('field `secrets_b64` missing or not a list');
  const keys = secrets.map((_, i) => b64(secrets, i));
  let verifier;
  try {
    verifier = new WebhookVerifier(scheme, keys);
  } catch (e) {
    if (e?.code === 'ERR_INVALID_ARG_VALUE') throw unknown('scheme', scheme);
    throw new Mismatch(`key set: ${e.message}`);
  }
  const headers = line.headers;
  if (headers === null || typeof headers !== 'object' || Array.isArray(headers)) throw new Mismatch('field `headers` not an object');
  const body = b64(line, 'body_b64');
  const opts = { now: line.now, tolerance: line.tolerance };
  if (typeof opts.now !== 'number' || typeof opts.tolerance !== 'number') throw new Mismatch('`now` or `tolerance` not a number');
  const plaintext = 'plaintext_b64' in line ? b64(line, 'plaintext_b64') : undefined;
  verdict(line, WEBHOOK_EXPECTS, () => {
    const opened = verifier.openSync(headers, body, opts);
    if (plaintext !== undefined && !opened.equals(plaintext)) {
      throw new Mismatch(`plaintext ${show(opened)}, expected ${show(plaintext)}`);
    }
  });
}

/** paylands.jsonl: the notification's own `validation_hash`, with the vector's mode and flags. */
function paylandsCase(line) {
  const mode = field(line, 'mode');
  const flags = field(line, 'flags');
  if (!['notification', 'response'].includes(mode)) throw unknown('mode', mode);
  if (!['default', 'unescaped'].includes(flags)) throw unknown('flags', flags);
  const verifier = new PaylandsVerifier(b64(line, 'signature_b64'));
  const body = b64(line, 'notification_b64');
  verdict(line, ['ok', 'mismatch', 'malformed'], () => verifier.verifySync(body, { mode, flags }));
  // The vector's `validation_hash` is the digest of the data: hashSync must give it for `ok`,
  // and must not for `mismatch`.
  if (line.expect !== 'malformed') {
    const want = field(line, 'validation_hash').toLowerCase();
    const hash = verifier.hashSync(body, { mode, flags });
    if ((hash === want) !== (line.expect === 'ok')) {
      throw new Mismatch(`hashSync ${hash} ${hash === want ? 'equals' : 'differs from'} ${want} (expect ${line.expect})`);
    }
  }
}

/** eupay_qr_sign.jsonl: every form of the signed QR (canonical payload, sig, envelope, URL). */
function qrSignCase(line) {
  const signer = new QrSigner(b64(line, 'secret_b64'));
  const input = b64(line, 'payload_input_b64');
  const parts = signer.signPartsSync(input);
  const want = {
    canonical: b64(line, 'payload_canonical_b64').toString('utf8'),
    sig: field(line, 'sig_hex'),
    envelope: field(line, 'envelope_b64url'),
    url: field(line, 'qr_url'),
  };
  for (const k of Object.keys(want)) {
    if (parts[k] !== want[k]) throw new Mismatch(`${k} ${JSON.stringify(parts[k])}, expected ${JSON.stringify(want[k])}`);
  }
  const url = signer.signSync(input);
  if (url !== want.url) throw new Mismatch(`signSync() gave ${url}, expected ${want.url}`);
}

/** eupay_qr_verify.jsonl: scanned QR text at `now`. */
function qrVerifyCase(line) {
  const verifier = new QrVerifier(b64(line, 'secret_b64'));
  const qr = field(line, 'qr');
  if (typeof line.now !== 'number') throw new Mismatch('field `now` missing or not a number');
  verdict(line, ['ok', 'bad_signature', 'expired', 'malformed'], () => verifier.verifyJsonSync(qr, { now: line.now }));
}

/** Every vector file this binding covers. Later capabilities add their line here. */
export const COVERED = new Map([
  ['json_js.jsonl', jsonCase('js')],
  ['json_php.jsonl', jsonCase('php')],
  ['jcs.jsonl', jsonCase('jcs')],
  ['bcrypt.jsonl', bcryptCase],
  ['eupay_webhook.jsonl', eupayWebhookCase],
  ['webhooks_more.jsonl', webhooksMoreCase],
  ['paylands.jsonl', paylandsCase],
  ['eupay_qr_sign.jsonl', qrSignCase],
  ['eupay_qr_verify.jsonl', qrVerifyCase],
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
      // The project's own suite sets PAYSEAL_REQUIRE_ALL_VECTORS=1: there a missing file fails.
      // Another folder in the same formats may hold only some of the files.
      if (process.env.PAYSEAL_REQUIRE_ALL_VECTORS === '1') {
        print(`${name}: MISSING from ${vectors} (a covered file must be present)`);
        failed += 1;
      } else {
        print(`${name}: not present in ${vectors}, skipped`);
      }
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
