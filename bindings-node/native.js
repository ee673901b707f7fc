'use strict';
// Loads the compiled addon that `npm run build` (build.mjs) puts next to this file.
const path = require('node:path');

const file = path.join(__dirname, `payseal.${process.platform}-${process.arch}.node`);
try {
  module.exports = require(file);
} catch (e) {
  throw new Error(`payseal: cannot load the native addon ${file}; build it with \`npm run build\` in bindings-node`, {
    cause: e,
  });
}
