// Resolve hook for node-peers.mjs (runs on node's loader thread).
import { pathToFileURL } from 'node:url';

let peersParent = null;

export async function initialize(data) {
  peersParent = pathToFileURL(`${data.peers}/package.json`).href;
}

const isBare = (s) => !/^(\.{0,2}\/|[a-z][a-z0-9+.-]*:)/i.test(s);

export async function resolve(specifier, context, nextResolve) {
  try {
    return await nextResolve(specifier, context);
  } catch (err) {
    if (err?.code !== 'ERR_MODULE_NOT_FOUND' || !isBare(specifier) || peersParent === null) throw err;
    return nextResolve(specifier, { ...context, parentURL: peersParent });
  }
}
