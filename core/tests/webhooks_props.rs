//! Properties: what a provider signs verifies, under any of the rotation keys; any single-bit
//! change of the signed bytes or of the signature is rejected.

use payseal::webhooks::{Error, Freshness, KeySet, Scheme};
use proptest::prelude::*;

mod webhooks_support;
use webhooks_support::{adyen_item, flip, oppwa_seal, sign, spreedly_doc, whsec};

const NOW: i64 = 1_781_699_400;
const MAC_SCHEMES: [Scheme; 6] =
    [Scheme::EuPay, Scheme::Github, Scheme::Stripe, Scheme::Standard, Scheme::Shopify, Scheme::Checkout];

fn secret_text(scheme: Scheme, raw: &[u8]) -> String {
    match scheme {
        Scheme::Standard => whsec(raw),
        _ => raw.iter().map(|b| char::from(b'!' + b % 94)).collect(),
    }
}

fn at() -> Freshness {
    Freshness::new(NOW, 300)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn mac_schemes_round_trip_and_reject_bit_flips(
        scheme in prop::sample::select(&MAC_SCHEMES[..]),
        raw_key in prop::collection::vec(any::<u8>(), 1..80),
        other_key in prop::collection::vec(any::<u8>(), 1..80),
        body in prop::collection::vec(any::<u8>(), 0..600),
        skew in -300i64..=300,
        bit in any::<usize>(),
    ) {
        let secret = secret_text(scheme, &raw_key);
        let old = secret_text(scheme, &other_key);
        prop_assume!(secret != old);
        let keys = KeySet::new(scheme, &[old.as_str(), secret.as_str()]).expect("key set");
        let headers = sign(scheme, &secret, &body, NOW + skew, None);
        prop_assert_eq!(keys.verify(&headers, &body, at()), Ok(()));

        if !body.is_empty() {
            let mut changed = body.clone();
            flip(&mut changed, bit);
            prop_assert_eq!(keys.verify(&headers, &changed, at()), Err(Error::BadSignature));
        }
        let forged = sign(scheme, &secret, &body, NOW + skew, Some(bit));
        prop_assert_eq!(keys.verify(&forged, &body, at()), Err(Error::BadSignature));
        let only_old = KeySet::new(scheme, &[old.as_str()]).expect("key set");
        prop_assert_eq!(only_old.verify(&headers, &body, at()), Err(Error::BadSignature));
    }

    #[test]
    fn spreedly_round_trip_and_reject_changed_fields(
        alg in prop::sample::select(&["sha1", "sha256", "sha512"][..]),
        values in prop::collection::vec(prop::option::of("[ -~é€<>&\"']{0,24}"), 1..6),
        bit in any::<usize>(),
    ) {
        let names = ["amount", "currency_code", "state", "token", "order_id", "ip"];
        let fields: Vec<(&str, Option<&str>)> =
            names.iter().zip(&values).map(|(n, v)| (*n, v.as_deref())).collect();
        let keys = KeySet::new(Scheme::Spreedly, &["spreedly-secret"]).expect("key set");
        let doc = spreedly_doc("spreedly-secret", alg, &fields, None);
        prop_assert_eq!(keys.verify(&[("a", "b")], &doc, at()), Ok(()));
        let forged = spreedly_doc("spreedly-secret", alg, &fields, Some(bit));
        prop_assert_eq!(keys.verify(&[("a", "b")], &forged, at()), Err(Error::BadSignature));
        // Change one signed value by one bit (kept valid UTF-8 and XML by staying in ASCII letters).
        let mut changed: Vec<String> = values.iter().map(|v| v.clone().unwrap_or_default()).collect();
        changed[0].push('x');
        let fields2: Vec<(&str, Option<&str>)> = names.iter().zip(&changed).map(|(n, v)| (*n, Some(v.as_str()))).collect();
        let original_sig_doc = String::from_utf8(doc.clone()).expect("utf8");
        let changed_doc = String::from_utf8(spreedly_doc("spreedly-secret", alg, &fields2, None)).expect("utf8");
        // Splice the original signature into the changed document.
        let sig = |d: &str| d[d.find("<signature>").expect("sig")..d.find("</signature>").expect("sig")].to_owned();
        let spliced = changed_doc.replace(&sig(&changed_doc), &sig(&original_sig_doc));
        prop_assert_eq!(keys.verify(&[("a", "b")], spliced.as_bytes(), at()), Err(Error::BadSignature));
    }

    #[test]
    fn adyen_round_trip_and_reject_changes(
        psp in "[0-9]{16}",
        reference in "[ -~é€]{0,20}",
        value in 0u64..10_000_000,
        success in prop::bool::ANY,
        bit in any::<usize>(),
    ) {
        let key = "44782DEF547AAA06C910C43932B1EB0C71FC68D9D0C057550C48EC2ACF6BA056";
        let keys = KeySet::new(Scheme::AdyenItem, &["00ff", key]).expect("key set");
        let success = if success { "true" } else { "false" };
        let item = adyen_item(key, &psp, &reference, &value.to_string(), success, None);
        prop_assert_eq!(keys.verify(&[("a", "b")], &item, at()), Ok(()));
        let forged = adyen_item(key, &psp, &reference, &value.to_string(), success, Some(bit));
        prop_assert_eq!(keys.verify(&[("a", "b")], &forged, at()), Err(Error::BadSignature));
        let text = String::from_utf8(item).expect("utf8");
        let changed = text.replace(&format!("\"value\":{value}"), &format!("\"value\":{}", value + 1));
        prop_assert_eq!(keys.verify(&[("a", "b")], changed.as_bytes(), at()), Err(Error::BadSignature));
    }

    #[test]
    fn oppwa_round_trip_and_reject_bit_flips(
        plaintext in prop::collection::vec(any::<u8>(), 0..400),
        iv in any::<[u8; 12]>(),
        bit in any::<usize>(),
    ) {
        let key = "7F4EEF75674F5DB1AFAEB49D392C341D0968278922A32DD67A8DB83946D203FD";
        let keys = KeySet::new(Scheme::Oppwa, &[key]).expect("key set");
        let (body, headers) = oppwa_seal(key, iv, &plaintext, None);
        let mut out = vec![0u8; keys.open_len(&body)];
        prop_assert_eq!(keys.open(&headers, &body, at(), &mut out), Ok(plaintext.len()));
        prop_assert_eq!(&out[..plaintext.len()], &plaintext[..]);
        if !plaintext.is_empty() {
            let (changed, headers) = oppwa_seal(key, iv, &plaintext, Some(bit));
            prop_assert_eq!(keys.verify(&headers, &changed, at()), Err(Error::BadSignature));
        }
        let mut tag_flipped = headers.clone();
        let mut tag: Vec<u8> = (0..32).step_by(2)
            .map(|i| u8::from_str_radix(&tag_flipped[1].1[i..i + 2], 16).expect("hex")).collect();
        flip(&mut tag, bit);
        tag_flipped[1].1 = tag.iter().map(|b| format!("{b:02X}")).collect();
        prop_assert_eq!(keys.verify(&tag_flipped, &body, at()), Err(Error::BadSignature));
    }
}
