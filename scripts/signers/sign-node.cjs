// The Node binding as a signer for differential.py (--signer node): reads one JSON request a
// line, {scheme, secrets, body (base64), opts}, signs it with `signWebhookSync`, and writes
// {headers, body (base64)} or {error} a line.
//
// usage: node sign-node.cjs BINDING_DIR   (bindings-node, built)
'use strict';
const readline = require('node:readline');
const path = require('node:path');

const { signWebhookSync } = require(path.resolve(process.argv[2]));

const lines = readline.createInterface({ input: process.stdin, crlfDelay: Infinity });
lines.on('line', (line) => {
  let reply;
  try {
    const { scheme, secrets, body, opts } = JSON.parse(line);
    const signed = signWebhookSync(scheme, secrets, Buffer.from(body, 'base64'), opts);
    reply = { headers: signed.headers, body: signed.body.toString('base64') };
  } catch (e) {
    reply = { error: `${e.constructor.name} ${e.code}: ${e.message}` };
  }
  process.stdout.write(`${JSON.stringify(reply)}\n`);
});
