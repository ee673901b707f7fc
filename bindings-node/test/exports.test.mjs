import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { test } from 'node:test';

import * as esm from 'payseal';

const require = createRequire(import.meta.url);

test('CommonJS and ESM entry points export the same objects', () => {
  const cjs = require('payseal');
  assert.equal(cjs, require('../index.js'));
  const names = Object.keys(cjs).sort();
  assert.deepEqual(Object.keys(esm).filter((k) => k !== 'default').sort(), names);
  for (const k of names) assert.equal(esm[k], cjs[k], k);
  assert.equal(esm.default, cjs);
});

test('index.d.ts declares every export', () => {
  const dts = readFileSync(new URL('../index.d.ts', import.meta.url), 'utf8');
  for (const name of Object.keys(require('payseal'))) {
    assert.match(dts, new RegExp(`^export (function|class) ${name}\\b`, 'm'), name);
  }
});
