'use strict';
// Loads the native addon: the one `npm run build` (build.mjs) puts next to this file when working
// in the repository, else the platform package that npm installed as an optional dependency of
// `payseal` (the napi-rs layout: `payseal-linux-x64-gnu`, built by scripts/package).
const fs = require('node:fs');
const path = require('node:path');

const target = `${process.platform}-${process.arch}`;
const local = path.join(__dirname, `payseal.${target}.node`);
const platformPackages = { 'linux-x64': 'payseal-linux-x64-gnu' };

function load() {
  if (fs.existsSync(local)) return { from: local, addon: require(local) };
  const name = platformPackages[target];
  if (name === undefined) {
    throw new Error(`payseal: no prebuilt addon for ${target}; build it with \`npm run build\` in bindings-node`);
  }
  return { from: name, addon: require(name) };
}

try {
  module.exports = load().addon;
} catch (e) {
  const hint = platformPackages[target]
    ? `install ${platformPackages[target]} (an optional dependency of payseal: was it skipped, or is this a musl system?)`
    : 'build it with `npm run build` in bindings-node';
  throw new Error(`payseal: cannot load the native addon for ${target}: ${e.message}; ${hint}`, { cause: e });
}
