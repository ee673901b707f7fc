// Builds the native addon (`cargo build --release -p payseal-node`) and copies the library next
// to index.js as payseal.<platform>-<arch>.node. Honours CARGO_TARGET_DIR. No download: only
// cargo and the crates it already resolves.
import { spawnSync } from 'node:child_process';
import { copyFileSync, renameSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '..');
const profile = process.env.PAYSEAL_NODE_PROFILE ?? 'release';

const cargo = spawnSync(
  process.env.CARGO ?? 'cargo',
  ['build', '--locked', '-p', 'payseal-node', ...(profile === 'release' ? ['--release'] : ['--profile', profile])],
  { cwd: root, stdio: 'inherit' },
);
if (cargo.status !== 0) process.exit(cargo.status ?? 1);

const targetDir = path.resolve(root, process.env.CARGO_TARGET_DIR ?? 'target');
const profileDir = profile === 'dev' ? 'debug' : profile;
const lib = {
  linux: 'libpayseal_node.so',
  darwin: 'libpayseal_node.dylib',
  win32: 'payseal_node.dll',
}[process.platform] ?? 'libpayseal_node.so';
const dest = path.join(here, `payseal.${process.platform}-${process.arch}.node`);
// Copy then rename, so that a running process never loads a half-written file.
copyFileSync(path.join(targetDir, profileDir, lib), `${dest}.tmp`);
renameSync(`${dest}.tmp`, dest);
console.log(`built ${path.relative(root, dest)}`);
