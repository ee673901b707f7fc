//! Verification allocates nothing: a counting global allocator watches this thread while
//! valid and invalid deliveries are verified for every MAC scheme.

mod counting;

use payseal::webhooks::{Freshness, KeySet, Scheme};

mod webhooks_support;
use webhooks_support::{adyen_item, sign, spreedly_doc, whsec};

fn allocations_during(f: impl FnOnce()) -> usize {
    counting::allocations(f).1
}

#[test]
fn verify_paths_allocate_nothing() {
    let now = 1_781_699_400;
    let at = Freshness::new(now, 300);
    let body = br#"{"id":"evt_1","type":"payment.completed","amount":1999}"#.to_vec();
    let mut cases = Vec::new();
    for (scheme, secret) in [
        (Scheme::EuPay, "eupay-secret".to_owned()),
        (Scheme::Github, "gh-secret".to_owned()),
        (Scheme::Stripe, "whsec_stripe".to_owned()),
        (Scheme::Standard, whsec(b"standard key bytes")),
        (Scheme::Shopify, "shpss_x".to_owned()),
        (Scheme::Checkout, "cko".to_owned()),
    ] {
        let keys = KeySet::new(scheme, &["rotated-out-secret", secret.as_str()][..])
            .or_else(|_| KeySet::new(scheme, &[whsec(b"old"), secret.clone()]))
            .expect("key set");
        let good = sign(scheme, &secret, &body, now, None);
        let bad = sign(scheme, &secret, &body, now, Some(3));
        cases.push((keys, good, bad, body.clone()));
    }
    let fields = [("amount", Some("100")), ("order_id", Some("a&b")), ("ip", None)];
    let xml = spreedly_doc("sp", "sha512", &fields, None);
    let spreedly = KeySet::new(Scheme::Spreedly, &["sp"]).expect("key set");
    let adyen_key = "44782DEF547AAA06C910C43932B1EB0C71FC68D9D0C057550C48EC2ACF6BA056";
    let adyen = KeySet::new(Scheme::AdyenItem, &[adyen_key]).expect("key set");
    let item = adyen_item(adyen_key, "7914073381342284", "caf\u{e9} \"1\"", "1130", "true", None);

    let count = allocations_during(|| {
        for (keys, good, bad, body) in &cases {
            assert_eq!(keys.verify(good, body, at), Ok(()), "{:?}", keys.scheme());
            assert!(keys.verify(bad, body, at).is_err());
            assert!(keys.verify(good, &body[1..], at).is_err());
        }
        assert_eq!(spreedly.verify(&[("Content-Type", "application/xml")], &xml, at), Ok(()));
        assert_eq!(adyen.verify(&[("Content-Type", "application/json")], &item, at), Ok(()));
    });
    assert_eq!(count, 0, "verification allocated {count} times");
    // The counter does see allocations.
    assert!(allocations_during(|| drop(std::hint::black_box(vec![1u8; 8]))) > 0);
}
