//! Webhooks: payseal's HMAC (SHA-1/256/512) against the `hmac` crate in one piece and in
//! arbitrary pieces; any headers and body to every scheme (typed errors, verify and open
//! agree, open_len suffices); deliveries signed independently for EU Pay, GitHub, Stripe,
//! Standard Webhooks, Shopify and Checkout verify, respect the timestamp tolerance, and stop
//! verifying when the body changes.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    payseal_fuzz::webhooks::run(data);
});
