// Runs every ```js block of README.md, each in its own process from the package folder (so that
// `payseal` resolves to this package): blocks with `import` run as ES modules, others as CommonJS.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';

const pkg = fileURLToPath(new URL('..', import.meta.url));
const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
const blocks = [...readme.matchAll(/^```js\n([\s\S]*?)^```$/gm)].map((m) => m[1]);

test('README has examples', () => assert.ok(blocks.length >= 3));

blocks.forEach((code, i) => {
  test(`README example ${i + 1}`, () => {
    const type = /^import /m.test(code) ? 'module' : 'commonjs';
    const r = spawnSync(process.execPath, [`--input-type=${type}`, '-e', code], { cwd: pkg, encoding: 'utf8' });
    assert.equal(r.status, 0, `example ${i + 1} failed:\n${r.stderr}`);
  });
});
