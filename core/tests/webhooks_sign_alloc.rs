//! Signing allocates nothing: the shared counting allocator watches this thread while every
//! scheme signs into a caller buffer (the MAC schemes, and also Adyen, Spreedly and OPPWA at
//! ordinary sizes, with OS randomness for the Standard Webhooks id and the OPPWA IV).

mod counting;

use payseal::webhooks::{Freshness, KeySet, Scheme, SignOptions};

mod webhooks_support;
use webhooks_support::whsec;

#[test]
fn signing_allocates_nothing() {
    let now = 1_781_699_400;
    let body = br#"{"id":"evt_1","type":"payment.completed","amount":1999}"#.to_vec();
    let item = br#"{"pspReference":"7914073381342284","merchantAccountCode":"M","merchantReference":"caf\u00e9","amount":{"value":1130,"currency":"EUR"},"eventCode":"AUTHORISATION","success":"true"}"#;
    let doc = b"<transaction><amount>100</amount><order_id>a&amp;b</order_id><ip nil=\"true\"/></transaction>";
    let cases: Vec<(KeySet, &[u8])> = vec![
        (KeySet::new(Scheme::EuPay, &["eupay-secret", "old"]).expect("keys"), &body),
        (KeySet::new(Scheme::Github, &["gh-secret"]).expect("keys"), &body),
        (KeySet::new(Scheme::Stripe, &["whsec_stripe"]).expect("keys"), &body),
        (KeySet::new(Scheme::Standard, &[whsec(b"standard key bytes")]).expect("keys"), &body),
        (KeySet::new(Scheme::Shopify, &["shpss_x"]).expect("keys"), &body),
        (KeySet::new(Scheme::Checkout, &["cko"]).expect("keys"), &body),
        (KeySet::new(Scheme::AdyenItem, &["44782DEF547AAA06C910C43932B1EB0C"]).expect("keys"), item),
        (KeySet::new(Scheme::Spreedly, &["sp"]).expect("keys"), doc),
        (KeySet::new(Scheme::Oppwa, &["42".repeat(32)]).expect("keys"), &body),
        (KeySet::new(Scheme::OppwaBase64, &["42".repeat(32)]).expect("keys"), &body),
    ];
    let mut out = vec![0u8; 4096];
    let with_id = SignOptions::at(now).with_id("msg_1");
    let generated = SignOptions::at(now);
    let ((), count) = counting::allocations(|| {
        for (keys, body) in &cases {
            for opts in [&with_id, &generated] {
                let len = keys.sign_len(body, opts);
                assert!(len <= out.len());
                let signed = keys.sign(body, opts, &mut out).expect("signs");
                assert!(signed.headers().count() > 0 || signed.body().is_some(), "{:?}", keys.scheme());
            }
        }
    });
    assert_eq!(count, 0, "signing allocated {count} times");
    // What was signed verifies (outside the watched section: verifying OPPWA allocates).
    for (keys, body) in &cases {
        let signed = keys.sign(body, &with_id, &mut out).expect("signs");
        let sent = signed.body().unwrap_or(body).to_vec();
        assert_eq!(keys.verify(&signed, &sent, Freshness::new(now, 300)), Ok(()), "{:?}", keys.scheme());
    }
    assert!(counting::allocations(|| drop(std::hint::black_box(vec![1u8; 8]))).1 > 0);
}
