// Loaded with `node --import` by scripts/bench-compare: lets a comparison script anywhere in the
// repository `import` the peer packages installed in benches/.node-peers (ESM ignores NODE_PATH,
// which covers `require`). A bare specifier that does not resolve from the importing file is
// retried from $PAYSEAL_NODE_PEERS.
import { register } from 'node:module';

if (process.env.PAYSEAL_NODE_PEERS) {
  register('./node-peers-hooks.mjs', import.meta.url, { data: { peers: process.env.PAYSEAL_NODE_PEERS } });
}
