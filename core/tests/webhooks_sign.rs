//! The signers: every `ok` delivery of the vector files is reproduced by signing its body
//! again (the vectors come from the providers' libraries and documented constructions); what
//! a signer writes verifies with payseal's verifier under any rotation order; any one-bit
//! change of the signed content or of a header value is rejected.

use std::path::PathBuf;

use base64::Engine as _;
use payseal::webhooks::{Freshness, KeySet, Scheme, SignError, SignOptions, Signed};
use proptest::prelude::*;
use serde_json::Value;

mod support;
mod webhooks_support;
use webhooks_support::{flip, whsec};

const NOW: i64 = 1_781_699_400;

fn at() -> Freshness {
    Freshness::new(NOW, 300)
}

fn vectors_dir() -> PathBuf {
    std::env::var_os("PAYSEAL_VECTORS")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../shared/vectors"))
}

fn unb64(text: &str) -> Vec<u8> {
    base64::engine::general_purpose::STANDARD.decode(text).expect("base64 in vector")
}

/// Headers and the body to send.
type Sent = (Vec<(String, String)>, Vec<u8>);

fn sign_vec(keys: &KeySet, body: &[u8], opts: &SignOptions<'_>) -> Result<Sent, SignError> {
    let mut out = vec![0u8; keys.sign_len(body, opts)];
    let signed = keys.sign(body, opts, &mut out)?;
    let headers = signed.headers().map(|(n, v)| (n.to_owned(), v.to_owned())).collect();
    Ok((headers, signed.body().unwrap_or(body).to_vec()))
}

fn header<'a>(headers: &'a Value, name: &str) -> Option<&'a str> {
    headers.as_object()?.iter().find(|(k, _)| k.eq_ignore_ascii_case(name)).and_then(|(_, v)| v.as_str())
}

/// The text between `<tag>` and `</tag>`.
fn element<'a>(doc: &'a str, tag: &str) -> &'a str {
    let open = format!("<{tag}>");
    let start = doc.find(&open).map(|i| i + open.len()).expect("element");
    let end = doc[start..].find(&format!("</{tag}>")).expect("end tag");
    doc[start..start + end].trim()
}

/// Signs one `ok` case again with `secret` and says whether it reproduces the delivery.
fn reproduces(v: &Value, scheme: Scheme, secret: &[u8]) -> bool {
    let keys = KeySet::new(scheme, &[secret]).expect("key set");
    let headers = &v["headers"];
    let body = unb64(v["body_b64"].as_str().expect("body_b64"));
    let now = v["now"].as_i64().expect("now");
    let mut opts = SignOptions::at(now);
    let lower = |s: &str| s.to_ascii_lowercase();
    match scheme {
        Scheme::Stripe => {
            let value = header(headers, "Stripe-Signature").expect("header");
            let t: i64 = value.split(',').find_map(|p| p.strip_prefix("t=")).expect("t").parse().expect("t");
            let (ours, _) = sign_vec(&keys, &body, &SignOptions::at(t)).expect("signs");
            let v1 = ours[0].1.split_once(",v1=").expect("v1").1.to_owned();
            assert_eq!(ours[0].1, format!("t={t},v1={v1}"));
            value.split(',').any(|p| p.strip_prefix("v1=").map(lower) == Some(v1.clone()))
        }
        Scheme::Standard => {
            let get = |a: &str, b: &str| header(headers, a).or_else(|| header(headers, b)).expect("header");
            let id = get("webhook-id", "svix-id");
            let t: i64 = get("webhook-timestamp", "svix-timestamp").parse().expect("timestamp");
            let (ours, _) = sign_vec(&keys, &body, &SignOptions::at(t).with_id(id)).expect("signs");
            assert_eq!((ours[0].1.as_str(), ours[1].1.as_str()), (id, t.to_string().as_str()));
            get("webhook-signature", "svix-signature").split(' ').any(|s| s == ours[2].1)
        }
        Scheme::Github | Scheme::EuPay | Scheme::Shopify | Scheme::Checkout => {
            let (ours, _) = sign_vec(&keys, &body, &opts).expect("signs");
            let want = header(headers, &ours[0].0).expect("header");
            if scheme == Scheme::Shopify {
                want == ours[0].1
            } else {
                lower(want) == ours[0].1
            }
        }
        Scheme::AdyenItem => {
            // Signing a signed item again replaces its signature with the same one.
            let (_, out) = sign_vec(&keys, &body, &opts).expect("signs");
            out == body
        }
        Scheme::Spreedly => {
            let doc = String::from_utf8(body.clone()).expect("utf-8");
            let (fields, alg) = (element(&doc, "fields"), element(&doc, "algorithm"));
            opts = opts.with_fields(fields).with_algorithm(alg);
            let (_, out) = sign_vec(&keys, &body, &opts).expect("signs");
            assert_eq!(keys.verify(&[("a", "b")], &out, Freshness::new(now, 300)), Ok(()));
            let out = String::from_utf8(out).expect("utf-8");
            assert_eq!(element(&out, "fields"), fields.split_whitespace().collect::<Vec<_>>().join(" "));
            lower(element(&doc, "signature")) == element(&out, "signature")
        }
        Scheme::Oppwa => {
            let iv_hex = header(headers, "X-Initialization-Vector").expect("iv");
            let iv: [u8; 12] = const_hex(iv_hex).try_into().expect("12 bytes");
            let plaintext = unb64(v["plaintext_b64"].as_str().expect("plaintext_b64"));
            let (ours, out) = sign_vec(&keys, &plaintext, &opts.with_iv(iv)).expect("signs");
            ours[0].1 == lower(iv_hex)
                && ours[1].1 == lower(header(headers, "X-Authentication-Tag").expect("tag"))
                && out == lower(std::str::from_utf8(&body).expect("hex")).into_bytes()
        }
        other => unreachable!("no vectors expected for {other:?}"),
    }
}

fn const_hex(text: &str) -> Vec<u8> {
    (0..text.len()).step_by(2).map(|i| u8::from_str_radix(&text[i..i + 2], 16).expect("hex")).collect()
}

#[test]
fn signing_reproduces_every_ok_vector() {
    let mut seen = std::collections::BTreeMap::<&str, usize>::new();
    for (file, fixed) in [("webhooks_more.jsonl", None), ("eupay_webhook.jsonl", Some(Scheme::EuPay))] {
        let path = vectors_dir().join(file);
        let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        for line in text.lines().filter(|l| !l.trim().is_empty()) {
            let v: Value = serde_json::from_str(line).expect("JSON line");
            if v["expect"] != "ok" {
                continue;
            }
            let scheme =
                fixed.unwrap_or_else(|| Scheme::from_name(v["scheme"].as_str().expect("scheme")).expect("known"));
            let mut v = v;
            if fixed.is_some() {
                // eupay_webhook.jsonl: one secret, one header, `now` irrelevant.
                v["secrets_b64"] = serde_json::json!([v["secret_b64"].clone()]);
                v["headers"] = serde_json::json!({ "X-EuPay-Signature": v["header"].clone() });
                v["now"] = serde_json::json!(NOW);
            }
            let secrets: Vec<Vec<u8>> =
                v["secrets_b64"].as_array().expect("secrets").iter().map(|s| unb64(s.as_str().expect("b64"))).collect();
            // Rotation cases list several secrets; one of them signed.
            assert!(
                secrets.iter().any(|s| reproduces(&v, scheme, s)),
                "{}: signing again does not reproduce the delivery",
                v["id"]
            );
            *seen.entry(scheme.name()).or_default() += 1;
        }
    }
    for scheme in ["eupay", "github", "stripe", "standard", "shopify", "checkout", "adyen_item", "spreedly", "oppwa"] {
        assert!(seen.get(scheme).copied().unwrap_or(0) > 0, "no ok vector for {scheme}: {seen:?}");
    }
}

#[test]
fn newest_secret_signs() {
    let body = b"{}";
    let new_only = KeySet::new(Scheme::Github, &["new"]).expect("keys");
    let old_only = KeySet::new(Scheme::Github, &["old"]).expect("keys");
    let rotating = KeySet::new(Scheme::Github, &["new", "old"]).expect("keys");
    let (headers, _) = sign_vec(&rotating, body, &SignOptions::at(NOW)).expect("signs");
    assert_eq!(new_only.verify(&headers, body, at()), Ok(()));
    assert!(old_only.verify(&headers, body, at()).is_err());
}

#[test]
fn adyen_signature_is_added_where_missing() {
    let key = "44782DEF547AAA06C910C43932B1EB0C71FC68D9D0C057550C48EC2ACF6BA056";
    let keys = KeySet::new(Scheme::AdyenItem, &[key]).expect("keys");
    for (item, want_prefix) in [
        (
            r#"{"pspReference":"1","amount":{"value":1,"currency":"EUR"}}"#,
            r#"{"pspReference":"1","amount":{"value":1,"currency":"EUR"},"additionalData":{"hmacSignature":""#,
        ),
        (r#"{}"#, r#"{"additionalData":{"hmacSignature":""#),
        (r#"{"additionalData":{}}"#, r#"{"additionalData":{"hmacSignature":""#),
        (r#"{"additionalData":{"a":"b"}}"#, r#"{"additionalData":{"a":"b","hmacSignature":""#),
        (r#"{"additionalData":{"hmacSignature":null}}"#, r#"{"additionalData":{"hmacSignature":""#),
        (
            r#"{"NotificationRequestItem":{"success":"true"}}"#,
            r#"{"NotificationRequestItem":{"success":"true","additionalData":{"hmacSignature":""#,
        ),
        (" { \"eventCode\" : \"X\" } ", " { \"eventCode\" : \"X\" ,\"additionalData\":{\"hmacSignature\":\""),
    ] {
        let (_, out) = sign_vec(&keys, item.as_bytes(), &SignOptions::at(NOW)).expect("signs");
        let text = String::from_utf8(out.clone()).expect("utf-8");
        assert!(text.starts_with(want_prefix), "{item} -> {text}");
        assert_eq!(keys.verify(&[("a", "b")], &out, at()), Ok(()), "{text}");
    }
    for bad in [
        &b"[]"[..],
        b"{",
        br#"{"additionalData":[]}"#,
        br#"{"additionalData":{"hmacSignature":{}}}"#,
        br#"{"success":1}"#,
    ] {
        assert_eq!(sign_vec(&keys, bad, &SignOptions::at(NOW)).err(), Some(SignError::MalformedBody));
    }
}

#[test]
fn spreedly_options_and_errors() {
    let keys = KeySet::new(Scheme::Spreedly, &["sp"]).expect("keys");
    let doc = b"<transaction>\n  <amount>100</amount>\n  <ip nil=\"true\"/>\n  <x><y/></x>\n  <signed><signature>00</signature></signed>\n</transaction>\n";
    let (_, out) = sign_vec(&keys, doc, &SignOptions::at(NOW)).expect("signs");
    let text = String::from_utf8(out.clone()).expect("utf-8");
    assert_eq!(element(&text, "fields"), "amount ip");
    assert_eq!(element(&text, "algorithm"), "sha256");
    assert_eq!(text.matches("<signed>").count(), 1);
    assert_eq!(keys.verify(&[("a", "b")], &out, at()), Ok(()));
    let opts = SignOptions::at(NOW).with_fields("ip amount").with_algorithm("sha1");
    let (_, out) = sign_vec(&keys, doc, &opts).expect("signs");
    assert_eq!(keys.verify(&[("a", "b")], &out, at()), Ok(()));
    for (fields, alg) in [("nope", "sha1"), ("x", "sha1"), ("", "sha1"), ("amount", "md5")] {
        let opts = SignOptions::at(NOW).with_fields(fields).with_algorithm(alg);
        assert!(matches!(sign_vec(&keys, doc, &opts), Err(SignError::InvalidArgument { .. })), "{fields} {alg}");
    }
    for bad in [
        &b"<transaction/>"[..],
        b"<other><a>1</a></other>",
        b"<transaction><a>1</a><a>2</a></transaction>",
        b"<transaction>",
    ] {
        assert_eq!(sign_vec(&keys, bad, &SignOptions::at(NOW)).err(), Some(SignError::MalformedBody), "{bad:?}");
    }
}

#[test]
fn randomness_is_a_parameter() {
    let keys = KeySet::new(Scheme::Standard, &[whsec(b"key")]).expect("keys");
    let mut fixed = |buf: &mut [u8]| buf.fill(0xab);
    let mut out = [0u8; 256];
    let signed = keys.sign_with(b"{}", &SignOptions::at(NOW), &mut fixed, &mut out).expect("signs");
    assert_eq!(signed.header("webhook-id"), Some("msg_abababababababababababababababab"));
    let mut out2 = [0u8; 256];
    let a = keys.sign(b"{}", &SignOptions::at(NOW), &mut out).expect("signs").header("webhook-id").map(str::to_owned);
    let b = keys.sign(b"{}", &SignOptions::at(NOW), &mut out2).expect("signs").header("webhook-id").map(str::to_owned);
    assert_ne!(a, b, "OS randomness gives a new id each time");
    let oppwa = KeySet::new(Scheme::Oppwa, &["11".repeat(32)]).expect("keys");
    let signed = oppwa.sign_with(b"{}", &SignOptions::at(NOW), &mut fixed, &mut out).expect("signs");
    assert_eq!(signed.header("X-Initialization-Vector"), Some("abababababababababababab"));
}

#[test]
fn sizes_are_queryable_and_exact_for_mac_schemes() {
    let body = vec![b'x'; 1000];
    for (scheme, secret) in [
        (Scheme::EuPay, "s".to_owned()),
        (Scheme::Github, "s".to_owned()),
        (Scheme::Stripe, "s".to_owned()),
        (Scheme::Standard, whsec(b"s")),
        (Scheme::Shopify, "s".to_owned()),
        (Scheme::Checkout, "s".to_owned()),
        (Scheme::Oppwa, "22".repeat(32)),
        (Scheme::OppwaBase64, "22".repeat(32)),
    ] {
        let keys = KeySet::new(scheme, &[secret]).expect("keys");
        let opts = SignOptions::at(NOW);
        let len = keys.sign_len(&body, &opts);
        let mut out = vec![0u8; len];
        assert_eq!(keys.sign(&body, &opts, &mut out).map(|s| s.len()), Ok(len), "{scheme:?}");
        assert_eq!(keys.sign(&body, &opts, &mut out[..len - 1]).err(), Some(SignError::BufferTooSmall { needed: len }));
    }
}

const MAC_SCHEMES: [Scheme; 6] =
    [Scheme::EuPay, Scheme::Github, Scheme::Stripe, Scheme::Standard, Scheme::Shopify, Scheme::Checkout];

fn secret_text(scheme: Scheme, raw: &[u8]) -> String {
    match scheme {
        Scheme::Standard => whsec(raw),
        Scheme::AdyenItem | Scheme::Oppwa | Scheme::OppwaBase64 => raw.iter().map(|b| format!("{b:02X}")).collect(),
        _ => raw.iter().map(|b| char::from(b'!' + b % 94)).collect(),
    }
}

/// Whether flipping `bit` of `text` only changed the case of a hex digit (which decodes to the
/// same byte, so the signature is unchanged and may still verify).
fn hex_case_flip(before: u8, after: u8) -> bool {
    before.is_ascii_hexdigit() && before.is_ascii_alphabetic() && before.eq_ignore_ascii_case(&after)
}

/// Verifies `signed` with both rotation orders, then flips every bit of every header value
/// (sampled by `bits`) and checks each change is rejected.
fn round_trip_and_flip_headers(
    scheme: Scheme,
    secret: &str,
    old: &str,
    signed: &Signed<'_>,
    body: &[u8],
    bits: &[usize],
) {
    for keys in [[secret, old], [old, secret]] {
        let keys = KeySet::new(scheme, &keys).expect("keys");
        assert_eq!(keys.verify(signed, body, at()), Ok(()), "{scheme:?}");
    }
    let keys = KeySet::new(scheme, &[secret]).expect("keys");
    let headers: Vec<(String, Vec<u8>)> =
        signed.headers().map(|(n, v)| (n.to_owned(), v.as_bytes().to_vec())).collect();
    for (i, (_, value)) in headers.iter().enumerate() {
        for &bit in bits {
            let mut changed = headers.clone();
            flip(&mut changed[i].1, bit);
            let pos = (bit % (value.len() * 8)) / 8;
            let verdict = keys.verify(&changed, body, at());
            assert!(
                verdict.is_err() || hex_case_flip(value[pos], changed[i].1[pos]),
                "{scheme:?}: header {} changed at byte {pos} still verifies",
                changed[i].0
            );
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(48))]

    #[test]
    fn mac_schemes_sign_verify_and_reject_flips(
        scheme in prop::sample::select(&MAC_SCHEMES[..]),
        raw_key in prop::collection::vec(any::<u8>(), 1..80),
        other_key in prop::collection::vec(any::<u8>(), 1..80),
        body in prop::collection::vec(any::<u8>(), 0..600),
        skew in -300i64..=300,
        id in "[!-~]{1,40}",
        bits in prop::collection::vec(any::<usize>(), 8),
    ) {
        let (secret, old) = (secret_text(scheme, &raw_key), secret_text(scheme, &other_key));
        prop_assume!(secret != old);
        let keys = KeySet::new(scheme, &[secret.as_str(), old.as_str()]).expect("keys");
        let opts = SignOptions::at(NOW + skew).with_id(&id);
        let mut out = vec![0u8; keys.sign_len(&body, &opts)];
        let signed = keys.sign(&body, &opts, &mut out).expect("signs");
        prop_assert_eq!(signed.body(), None);
        round_trip_and_flip_headers(scheme, &secret, &old, &signed, &body, &bits);
        for &bit in &bits {
            if !body.is_empty() {
                let mut changed = body.clone();
                flip(&mut changed, bit);
                prop_assert!(keys.verify(&signed, &changed, at()).is_err());
            }
        }
    }

    #[test]
    fn oppwa_seals_open_and_reject_flips(
        base64 in any::<bool>(),
        raw_key in prop::collection::vec(any::<u8>(), 32..=32),
        other_key in prop::collection::vec(any::<u8>(), 32..=32),
        plaintext in prop::collection::vec(any::<u8>(), 0..700),
        bits in prop::collection::vec(any::<usize>(), 8),
    ) {
        let scheme = if base64 { Scheme::OppwaBase64 } else { Scheme::Oppwa };
        let (secret, old) = (secret_text(scheme, &raw_key), secret_text(scheme, &other_key));
        prop_assume!(secret != old);
        let keys = KeySet::new(scheme, &[secret.as_str()]).expect("keys");
        let opts = SignOptions::at(NOW);
        let mut out = vec![0u8; keys.sign_len(&plaintext, &opts)];
        let signed = keys.sign(&plaintext, &opts, &mut out).expect("signs");
        let body = signed.body().expect("ciphertext").to_vec();
        let mut opened = vec![0u8; keys.open_len(&body)];
        let n = keys.open(&signed, &body, at(), &mut opened).expect("opens");
        prop_assert_eq!(&opened[..n], &plaintext[..]);
        round_trip_and_flip_headers(scheme, &secret, &old, &signed, &body, &bits);
        for &bit in &bits {
            if !body.is_empty() {
                let mut changed = body.clone();
                flip(&mut changed, bit);
                let pos = (bit % (body.len() * 8)) / 8;
                prop_assert!(keys.verify(&signed, &changed, at()).is_err() || hex_case_flip(body[pos], changed[pos]));
            }
        }
    }

    #[test]
    fn adyen_items_sign_verify_and_reject_flips(
        raw_key in prop::collection::vec(any::<u8>(), 1..64),
        other_key in prop::collection::vec(any::<u8>(), 1..64),
        strings in prop::collection::vec(prop::option::of("[ -~é€\"\\\\\n]{0,16}"), 6),
        value in prop::option::of(0u64..10_000_000),
        success in prop::option::of(prop::sample::select(&["true", "false"][..])),
        wrapped in any::<bool>(),
        with_data in prop::option::of(any::<bool>()),
        bits in prop::collection::vec(any::<usize>(), 8),
    ) {
        let scheme = Scheme::AdyenItem;
        let (secret, old) = (secret_text(scheme, &raw_key), secret_text(scheme, &other_key));
        prop_assume!(secret != old);
        let names = ["pspReference", "originalReference", "merchantAccountCode", "merchantReference", "currency", "eventCode"];
        let mut item = serde_json::Map::new();
        let mut amount = serde_json::Map::new();
        for (name, s) in names.iter().zip(&strings) {
            if let Some(s) = s {
                if *name == "currency" { amount.insert((*name).into(), s.as_str().into()); } else { item.insert((*name).into(), s.as_str().into()); }
            }
        }
        if let Some(v) = value { amount.insert("value".into(), v.into()); }
        if !amount.is_empty() { item.insert("amount".into(), amount.into()); }
        if let Some(s) = success { item.insert("success".into(), s.into()); }
        match with_data {
            Some(true) => { item.insert("additionalData".into(), serde_json::json!({"hmacSignature": "old", "x": "y"})); }
            Some(false) => { item.insert("additionalData".into(), serde_json::json!({"authCode": "1"})); }
            None => {}
        }
        let doc = if wrapped { serde_json::json!({"NotificationRequestItem": item}) } else { Value::Object(item.clone()) };
        let body = serde_json::to_vec(&doc).expect("JSON");
        let keys = KeySet::new(scheme, &[secret.as_str(), old.as_str()]).expect("keys");
        let opts = SignOptions::at(NOW);
        let mut out = vec![0u8; keys.sign_len(&body, &opts)];
        let signed = keys.sign(&body, &opts, &mut out).expect("signs");
        let sent = signed.body().expect("item").to_vec();
        for keys in [[secret.as_str(), old.as_str()], [old.as_str(), secret.as_str()]] {
            prop_assert_eq!(KeySet::new(scheme, &keys).expect("keys").verify(&[("a", "b")], &sent, at()), Ok(()));
        }
        // The signed values and the signature, as they appear in the body sent.
        let text = String::from_utf8(sent.clone()).expect("utf-8");
        let mut spans = Vec::new();
        let mut find = |name: &str, value: String| {
            let needle = format!("\"{name}\":{value}");
            if let Some(i) = text.find(&needle) {
                spans.push(i + needle.len() - value.len()..i + needle.len());
            }
        };
        for (name, s) in names.iter().zip(&strings) {
            if let Some(s) = s { find(name, serde_json::to_string(s).expect("JSON")); }
        }
        if let Some(v) = value { find("value", v.to_string()); }
        if let Some(s) = success { find("success", format!("\"{s}\"")); }
        let sig_at = text.find("\"hmacSignature\":\"").expect("signature") + 17;
        spans.push(sig_at..sig_at + 44);
        for range in spans {
            for &bit in &bits {
                let mut changed = sent.clone();
                flip(&mut changed[range.clone()], bit);
                prop_assert!(keys.verify(&[("a", "b")], &changed, at()).is_err(), "{}", String::from_utf8_lossy(&changed));
            }
        }
    }

    #[test]
    fn spreedly_documents_sign_verify_and_reject_flips(
        alg in prop::sample::select(&["sha1", "sha256", "sha512"][..]),
        values in prop::collection::vec(prop::option::of("[ -~é€<>&\"']{0,24}"), 1..6),
        bits in prop::collection::vec(any::<usize>(), 8),
    ) {
        let secret = "spreedly-secret";
        let mut doc = String::from("<?xml version=\"1.0\"?>\n<transaction>\n");
        // At most one nil field: two would sign the same empty text, and a field list renamed
        // from one to the other would still verify (Spreedly's construction, not the signer's).
        let first_nil = values.iter().position(Option::is_none);
        let values: Vec<Option<String>> = values
            .into_iter()
            .enumerate()
            .map(|(i, v)| if Some(i) == first_nil { None } else { Some(v.unwrap_or_default()) })
            .collect();
        for (i, v) in values.iter().enumerate() {
            match v {
                // The index keeps values distinct, so a renamed field never signs the same.
                Some(v) => doc += &format!("  <field{i}>{i}:{}</field{i}>\n", webhooks_support::xml_escape(v)),
                None => doc += &format!("  <field{i} nil=\"true\"/>\n"),
            }
        }
        doc += "  <nested><a>unsigned</a></nested>\n</transaction>\n";
        let keys = KeySet::new(Scheme::Spreedly, &[secret, "old"]).expect("keys");
        let opts = SignOptions::at(NOW).with_algorithm(alg);
        let mut out = vec![0u8; keys.sign_len(doc.as_bytes(), &opts)];
        let signed = keys.sign(doc.as_bytes(), &opts, &mut out).expect("signs");
        let sent = signed.body().expect("document").to_vec();
        for keys in [[secret, "old"], ["old", secret]] {
            prop_assert_eq!(KeySet::new(Scheme::Spreedly, &keys).expect("keys").verify(&[("a", "b")], &sent, at()), Ok(()));
        }
        let text = String::from_utf8(sent.clone()).expect("utf-8");
        // Signed text: each field's content, the signature, the field list, the algorithm.
        let mut ranges = Vec::new();
        for (i, v) in values.iter().enumerate() {
            if v.is_some() {
                let open = format!("<field{i}>");
                let start = text.find(&open).expect("field") + open.len();
                let end = start + text[start..].find('<').expect("end tag");
                ranges.push((start..end, false));
            }
        }
        for tag in ["signature", "fields", "algorithm"] {
            let open = format!("<{tag}>");
            let start = text.find(&open).expect("element") + open.len();
            ranges.push((start..start + text[start..].find('<').expect("end tag"), tag == "signature"));
        }
        for (range, is_hex) in ranges {
            for &bit in &bits {
                let mut changed = sent.clone();
                flip(&mut changed[range.clone()], bit);
                let pos = range.start + (bit % (range.len() * 8)) / 8;
                let verdict = keys.verify(&[("a", "b")], &changed, at());
                prop_assert!(verdict.is_err() || (is_hex && hex_case_flip(sent[pos], changed[pos])),
                    "{}", String::from_utf8_lossy(&changed));
            }
        }
    }
}

/// Hostile input to the body-parsing signers: random JSON documents (nasty numbers and
/// strings, index keys, nesting) with or without the Adyen fields, and mangled Spreedly
/// documents. Signing never panics; whatever it accepts, the verifier accepts.
mod hostile {
    use super::*;

    use super::support;

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(256))]

        #[test]
        fn adyen_signs_only_what_verifies(seed in any::<u64>(), fields in any::<bool>(), cut in any::<usize>()) {
            let keys = KeySet::new(Scheme::AdyenItem, &["00112233445566778899aabbccddeeff"]).expect("keys");
            let mut rng = support::Rng::new(seed);
            let doc = support::document(&mut rng, support::Options::default());
            let body = if fields {
                format!(r#"{{"pspReference":"p","amount":{{"value":1,"currency":"EUR"}},"additionalData":{doc},"x":{doc}}}"#)
            } else {
                doc
            };
            let mut bytes = body.into_bytes();
            if cut % 4 == 0 {
                bytes.truncate(cut % (bytes.len() + 1));
            }
            if let Ok((_, sent)) = sign_vec(&keys, &bytes, &SignOptions::at(NOW)) {
                prop_assert_eq!(keys.verify(&[("a", "b")], &sent, at()), Ok(()), "{}", String::from_utf8_lossy(&bytes));
            }
        }

        #[test]
        fn spreedly_signs_only_what_verifies(
            values in prop::collection::vec("[ -~é]{0,12}", 1..5),
            noise in prop::collection::vec((any::<usize>(), prop::sample::select(&["<", ">", "&", "/", "<signed>", "</signed>", "<a>", "</a>", "<!--x-->", " nil=\"true\"", "\""][..])), 0..3),
            fields in prop::option::of("[a-z0-9_ ]{0,20}"),
        ) {
            let keys = KeySet::new(Scheme::Spreedly, &["sp"]).expect("keys");
            let mut doc = String::from("<transaction>");
            for (i, v) in values.iter().enumerate() {
                doc += &format!("<f{i}>{v}</f{i}>");
            }
            doc += "</transaction>";
            for (at_pos, piece) in noise {
                let mut p = at_pos % (doc.len() + 1);
                while !doc.is_char_boundary(p) {
                    p -= 1;
                }
                doc.insert_str(p, piece);
            }
            let mut opts = SignOptions::at(NOW);
            if let Some(f) = fields.as_deref() {
                opts = opts.with_fields(f);
            }
            if let Ok((_, sent)) = sign_vec(&keys, doc.as_bytes(), &opts) {
                prop_assert_eq!(keys.verify(&[("a", "b")], &sent, at()), Ok(()), "{}", doc);
            }
        }
    }
}
