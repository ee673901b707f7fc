// Verifies the deliveries `payseal webhook sign` produced (one JSON object a line:
// {scheme, secret, body, headers}) with the providers' Node libraries:
// @octokit/webhooks-methods (github), stripe (stripe), standardwebhooks (standard).
// Exits 1 on any rejection, or when a scheme has fewer deliveries than expected.
//
// usage: node verify.mjs FILE MIN_PER_SCHEME   (run from the folder holding node_modules)
import { readFileSync } from "node:fs";
import { verify as githubVerify } from "@octokit/webhooks-methods";
import Stripe from "stripe";
import { Webhook } from "standardwebhooks";

const [file, minText] = process.argv.slice(2);
const stripe = new Stripe("sk_test_differential");
const counts = { github: 0, stripe: 0, standard: 0 };
let failures = 0;
for (const line of readFileSync(file, "utf8").split("\n")) {
  if (!line) continue;
  const d = JSON.parse(line);
  try {
    if (d.scheme === "github") {
      const ok = await githubVerify(d.secret, d.body, d.headers["X-Hub-Signature-256"]);
      if (ok !== true) throw new Error("verify returned false");
    } else if (d.scheme === "stripe") {
      const event = stripe.webhooks.constructEvent(d.body, d.headers["Stripe-Signature"], d.secret, 300);
      if (event.id !== JSON.parse(d.body).id) throw new Error("event id");
    } else if (d.scheme === "standard") {
      new Webhook(d.secret).verify(d.body, d.headers);
    } else {
      throw new Error(`unknown scheme ${d.scheme}`);
    }
    counts[d.scheme] += 1;
  } catch (e) {
    failures += 1;
    if (failures <= 5) console.error(`FAIL ${d.scheme}: ${e.message} ${JSON.stringify(d).slice(0, 300)}`);
  }
}
for (const [scheme, n] of Object.entries(counts)) {
  console.log(`  ${scheme.padEnd(12)} ${n} deliveries verified (node)`);
  if (n < Number(minText)) {
    console.error(`FAIL ${scheme}: only ${n} deliveries verified, expected ${minText}`);
    failures += 1;
  }
}
process.exit(failures ? 1 : 0);
