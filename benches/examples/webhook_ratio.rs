//! EU Pay webhook verification against the bare HMAC-SHA256 of the same body (the `hmac`
//! crate, key schedule precomputed), measured interleaved: rounds of 2,000 calls of each in
//! turn, 300 rounds, then the fastest and the 10th-percentile round of each. On a machine
//! shared with other work (where criterion's sequential groups drift by tens of percent
//! between groups) the ratio of the quietest rounds stays stable; criterion's `webhooks_sizes`
//! group remains the reference on a quiet machine.
//!
//! `cargo run --release -p payseal-benches --example webhook_ratio`

use std::hint::black_box;
use std::time::Instant;

use hmac::{Hmac, Mac};
use payseal::mac::{Algorithm, HmacKey, MAX_OUTPUT};
use payseal::webhooks::{Freshness, KeySet, Scheme};

const ROUNDS: usize = 300;
const CALLS: u32 = 2000;

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// Nanoseconds per call over one round.
fn round(mut f: impl FnMut()) -> f64 {
    let t = Instant::now();
    for _ in 0..CALLS {
        f();
    }
    t.elapsed().as_nanos() as f64 / f64::from(CALLS)
}

/// (fastest, 10th percentile, median) round.
fn spread(mut v: Vec<f64>) -> (f64, f64, f64) {
    v.sort_by(f64::total_cmp);
    (v[0], v[v.len() / 10], v[v.len() / 2])
}

fn main() {
    let small = br#"{"id":"evt_1937b268813f031a","type":"payment.succeeded","amt":1}"#.to_vec();
    let at = Freshness::new(1_781_699_400, 300);
    for body in [small, payseal_benches::fixture("eupay-webhook-1k.json")] {
        let bare = <Hmac<sha2::Sha256> as Mac>::new_from_slice(b"bench-secret").expect("any key length");
        let mut m = bare.clone();
        m.update(&body);
        let sig = format!("sha256={}", hex(&m.finalize().into_bytes()));
        let headers = [("X-EuPay-Signature", sig.as_str())];
        let keys = KeySet::new(Scheme::EuPay, &["bench-secret"]).expect("key set");
        let ours = HmacKey::new(Algorithm::Sha256, b"bench-secret");
        let (mut floor, mut mac, mut verify) = (Vec::new(), Vec::new(), Vec::new());
        for _ in 0..ROUNDS {
            floor.push(round(|| {
                let mut m = bare.clone();
                m.update(black_box(&body));
                black_box(m.finalize().into_bytes());
            }));
            mac.push(round(|| {
                let mut out = [0u8; MAX_OUTPUT];
                black_box(ours.mac(black_box(&body), &mut out));
            }));
            verify.push(round(|| {
                black_box(keys.verify(&headers, black_box(&body), at)).expect("verifies");
            }));
        }
        let (f, m, v) = (spread(floor), spread(mac), spread(verify));
        println!(
            "{:>5} B  hmac crate {:.0}/{:.0}/{:.0} ns  payseal::mac {:.0}/{:.0}/{:.0} ns  eupay verify {:.0}/{:.0}/{:.0} ns  \
             (fastest/p10/median)  verify/hmac: {:.3} fastest, {:.3} p10",
            body.len(),
            f.0,
            f.1,
            f.2,
            m.0,
            m.1,
            m.2,
            v.0,
            v.1,
            v.2,
            v.0 / f.0,
            v.1 / f.1
        );
    }
}
