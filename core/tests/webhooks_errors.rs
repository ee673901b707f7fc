//! One test per rejection reason and scheme, plus rotation, redaction and the batch API.

use std::num::NonZeroUsize;

use payseal::webhooks::limits::{MAX_BODY_LEN, MAX_HEADER_LEN, MAX_SIGNATURES, MAX_XML_DEPTH, MAX_XML_LEN};
use payseal::webhooks::{verify_batch, verify_batch_on, Error, Freshness, Item, KeyError, KeySet, Scheme};

mod webhooks_support;
use webhooks_support::{adyen_item, b64, hex, hmac256, oppwa_seal, sign, spreedly_doc, whsec, HeaderList};

const NOW: i64 = 1_781_699_400;
const AT: Freshness = Freshness::new(NOW, 300);
const BODY: &[u8] = br#"{"id":"evt_1","type":"charge.succeeded"}"#;

fn keys(scheme: Scheme, secret: &str) -> KeySet {
    KeySet::new(scheme, &[secret]).expect("key set")
}

fn one(name: &str, value: &str) -> HeaderList {
    vec![(name.to_owned(), value.to_owned())]
}

fn malformed(name: &'static str) -> Result<(), Error> {
    Err(Error::MalformedHeader { name })
}

#[test]
fn eupay_header_rules() {
    let k = keys(Scheme::EuPay, "s");
    let hex_mac = hex(&hmac256(b"s", &[BODY]));
    let h = |v: &str| one("x-eupay-signature", v);
    let name = "X-EuPay-Signature";
    assert_eq!(k.verify(&h(&format!("sha256={hex_mac}")), BODY, AT), Ok(()));
    assert_eq!(k.verify(&h(&format!("sha256={}", hex_mac.to_uppercase())), BODY, AT), Ok(()));
    assert_eq!(k.verify(&h(&format!("  sha256={hex_mac}\t")), BODY, AT), Ok(()));
    assert_eq!(k.verify(&one("Other", "x"), BODY, AT), Err(Error::MissingHeader { name }));
    assert_eq!(k.verify(&h(&hex_mac), BODY, AT), malformed(name));
    assert_eq!(k.verify(&h(&format!("sha1={hex_mac}")), BODY, AT), malformed(name));
    assert_eq!(k.verify(&h(&format!("SHA256={hex_mac}")), BODY, AT), malformed(name));
    assert_eq!(k.verify(&h(&format!("sha256={}zz", &hex_mac[2..])), BODY, AT), malformed(name));
    assert_eq!(k.verify(&h(""), BODY, AT), malformed(name));
    assert_eq!(k.verify(&h("sha256="), BODY, AT), malformed(name));
    assert_eq!(k.verify(&h(&format!("sha256={}", &hex_mac[2..])), BODY, AT), Err(Error::BadSignature));
    assert_eq!(k.verify(&h(&format!("sha256={}", &hex_mac[1..])), BODY, AT), Err(Error::BadSignature));
    assert_eq!(k.verify(&h(&format!("sha256={hex_mac}00")), BODY, AT), Err(Error::BadSignature));
    let twice = [(name, format!("sha256={hex_mac}")), (name, format!("sha256={hex_mac}"))];
    assert_eq!(k.verify(&twice, BODY, AT), malformed(name));
    assert_eq!(k.verify(&h(&"a".repeat(MAX_HEADER_LEN + 1)), BODY, AT), Err(Error::TooLarge));
    let huge = vec![b'x'; MAX_BODY_LEN + 1];
    assert_eq!(k.verify(&h(&format!("sha256={hex_mac}")), &huge, AT), Err(Error::TooLarge));
}

#[test]
fn github_shopify_checkout() {
    let gh = keys(Scheme::Github, "It's a Secret to Everybody");
    let sig = "sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17";
    assert_eq!(gh.verify(&one("X-Hub-Signature-256", sig), b"Hello, World!", AT), Ok(()));
    assert_eq!(
        gh.verify(&one("X-Hub-Signature", "sha1=00"), b"Hello, World!", AT),
        Err(Error::MissingHeader { name: "X-Hub-Signature-256" })
    );
    let shop = keys(Scheme::Shopify, "shpss");
    let name = "X-Shopify-Hmac-Sha256";
    assert_eq!(shop.verify(&sign(Scheme::Shopify, "shpss", BODY, NOW, None), BODY, AT), Ok(()));
    assert_eq!(shop.verify(&one(name, "not base64!"), BODY, AT), malformed(name));
    assert_eq!(shop.verify(&one(name, "AAA"), BODY, AT), malformed(name));
    assert_eq!(shop.verify(&one(name, &b64(&[0; 31])), BODY, AT), Err(Error::BadSignature));
    let cko = keys(Scheme::Checkout, "cko");
    assert_eq!(cko.verify(&one("Cko-Signature", "xyz"), BODY, AT), malformed("Cko-Signature"));
    assert_eq!(cko.verify(&sign(Scheme::Checkout, "cko", BODY, NOW, None), BODY, AT), Ok(()));
}

#[test]
fn stripe_header_and_time_rules() {
    let k = keys(Scheme::Stripe, "whsec_test");
    let name = "Stripe-Signature";
    let sig = |t: i64| hex(&hmac256(b"whsec_test", &[t.to_string().as_bytes(), b".", BODY]));
    let h = |v: String| one(name, &v);
    assert_eq!(k.verify(&h(format!("t={NOW},v1={}", sig(NOW))), BODY, AT), Ok(()));
    assert_eq!(k.verify(&h(format!("t={NOW},v1={},v1={}", "0".repeat(64), sig(NOW))), BODY, AT), Ok(()));
    assert_eq!(k.verify(&h(format!("t={NOW},v0={}", sig(NOW))), BODY, AT), Err(Error::BadSignature));
    assert_eq!(k.verify(&h(format!("v1={}", sig(NOW))), BODY, AT), malformed(name));
    assert_eq!(k.verify(&h(format!("t=soon,v1={}", sig(NOW))), BODY, AT), malformed(name));
    assert_eq!(k.verify(&h(format!("t={NOW},t={NOW},v1={}", sig(NOW))), BODY, AT), malformed(name));
    assert_eq!(k.verify(&h(format!("t={NOW},v1,v1={}", sig(NOW))), BODY, AT), malformed(name));
    assert_eq!(k.verify(&h(format!("t={NOW},v1=xyz")), BODY, AT), malformed(name));
    let old = NOW - 301;
    assert_eq!(k.verify(&h(format!("t={old},v1={}", sig(old))), BODY, AT), Err(Error::TimestampTooOld));
    let new = NOW + 301;
    assert_eq!(k.verify(&h(format!("t={new},v1={}", sig(new))), BODY, AT), Err(Error::TimestampTooNew));
    let many = vec![format!("v1={}", sig(NOW)); MAX_SIGNATURES + 1].join(",");
    assert_eq!(k.verify(&h(format!("t={NOW},{many}")), BODY, AT), Err(Error::TooManySignatures));
}

#[test]
fn standard_webhooks_rules() {
    let secret = whsec(b"0123456789abcdef");
    let k = keys(Scheme::Standard, &secret);
    let good = sign(Scheme::Standard, &secret, BODY, NOW, None);
    assert_eq!(k.verify(&good, BODY, AT), Ok(()));
    let svix: HeaderList = good.iter().map(|(n, v)| (n.replace("webhook-", "svix-"), v.clone())).collect();
    assert_eq!(k.verify(&svix, BODY, AT), Ok(()));
    for (i, name) in ["webhook-id", "webhook-timestamp", "webhook-signature"].into_iter().enumerate() {
        let mut missing = good.clone();
        missing.remove(i);
        assert_eq!(k.verify(&missing, BODY, AT), Err(Error::MissingHeader { name }));
    }
    let with = |sig: &str| {
        let mut h = good.clone();
        h[2].1 = sig.to_owned();
        h
    };
    let real = good[2].1.clone();
    assert_eq!(k.verify(&with(&format!("v2,abc {real}")), BODY, AT), Ok(()));
    assert_eq!(k.verify(&with("v1a,AAAA"), BODY, AT), Err(Error::BadSignature));
    assert_eq!(k.verify(&with("v1"), BODY, AT), malformed("webhook-signature"));
    assert_eq!(k.verify(&with("v1,@@@@"), BODY, AT), malformed("webhook-signature"));
    let mut bad_ts = good.clone();
    bad_ts[1].1 = "soon".to_owned();
    assert_eq!(k.verify(&bad_ts, BODY, AT), malformed("webhook-timestamp"));
    let old = sign(Scheme::Standard, &secret, BODY, NOW - 301, None);
    assert_eq!(k.verify(&old, BODY, AT), Err(Error::TimestampTooOld));
    let new = sign(Scheme::Standard, &secret, BODY, NOW + 301, None);
    assert_eq!(k.verify(&new, BODY, AT), Err(Error::TimestampTooNew));
    assert_eq!(k.verify(&new, BODY, Freshness::new(NOW, 301)), Ok(()));
}

#[test]
fn spreedly_document_rules() {
    let k = keys(Scheme::Spreedly, "sp");
    let at = AT;
    let h = [("Content-Type", "application/xml")];
    let fields = [("amount", Some("100")), ("order_id", Some("<1>&\"2\"")), ("ip", None)];
    let doc = String::from_utf8(spreedly_doc("sp", "sha256", &fields, None)).expect("utf8");
    assert_eq!(k.verify(&h, doc.as_bytes(), at), Ok(()));
    let reject = |d: &str| k.verify(&h, d.as_bytes(), at);
    assert_eq!(reject(&doc.replace("sha256", "md5")), Err(Error::MalformedBody));
    assert_eq!(reject(&doc.replace("<amount>100</amount>", "")), Err(Error::MalformedBody));
    assert_eq!(
        reject(&doc.replace("<amount>100</amount>", "<amount>100</amount><amount>1</amount>")),
        Err(Error::MalformedBody)
    );
    assert_eq!(reject(&doc.replace("<amount>100</amount>", "<amount><x>1</x></amount>")), Err(Error::MalformedBody));
    assert_eq!(reject(&doc.replace("<amount>100</amount>", "<amount>101</amount>")), Err(Error::BadSignature));
    assert_eq!(reject(&doc.replace("<signature>", "<signature>zz")), Err(Error::MalformedBody));
    assert_eq!(reject(&doc.replace("</transaction>", "")), Err(Error::MalformedBody));
    assert_eq!(reject(&doc.replace("<transaction>", "<!DOCTYPE t><transaction>")), Err(Error::MalformedBody));
    assert_eq!(reject(&doc.replace("transaction>", "payment>")), Err(Error::MalformedBody));
    let no_signed = &doc[..doc.find("<signed>").expect("signed")];
    assert_eq!(reject(&format!("{no_signed}</transaction>")), Err(Error::MalformedBody));
    // Unlisted content may change; a comment is not text.
    assert_eq!(reject(&doc.replace("<ip nil=\"true\"/>", "<ip nil=\"true\"/><note>x</note><!-- c -->")), Ok(()));
    assert_eq!(
        reject(&doc.replace("<amount>100</amount>", "<amount>1<!-- c -->00</amount>")),
        Err(Error::MalformedBody)
    );
    let deep = format!("{}{}", "<a>".repeat(MAX_XML_DEPTH + 1), "</a>".repeat(MAX_XML_DEPTH + 1));
    assert_eq!(reject(&doc.replace("<ip nil", &format!("{deep}<ip nil"))), Err(Error::TooLarge));
    let padded = doc.replace("<transaction>", &format!("<transaction>{}", " ".repeat(MAX_XML_LEN)));
    assert_eq!(reject(&padded), Err(Error::TooLarge));
    let sha1 = keys(Scheme::Spreedly, "sp");
    let doc1 = spreedly_doc("sp", "sha1", &fields, None);
    assert_eq!(sha1.verify(&h, &doc1, at), Ok(()));
}

#[test]
fn adyen_item_rules() {
    let key = "44782DEF547AAA06C910C43932B1EB0C71FC68D9D0C057550C48EC2ACF6BA056";
    let k = keys(Scheme::AdyenItem, key);
    let h: [(&str, &str); 0] = [];
    let item = String::from_utf8(adyen_item(key, "7914073381342284", "x:y\\z", "1.50", "true", None)).expect("utf8");
    let check = |doc: &str| k.verify(&h, doc.as_bytes(), AT);
    assert_eq!(check(&item), Ok(()));
    assert_eq!(check(&format!(r#"{{"NotificationRequestItem":{item}}}"#)), Ok(()));
    assert_eq!(check(&item.replace("\"success\":\"true\"", "\"success\":true")), Ok(()));
    assert_eq!(check(&item.replace("1.50", "1.5")), Err(Error::BadSignature));
    assert_eq!(check(&item.replace("\"success\":\"true\"", "\"success\":\"yes\"")), Err(Error::MalformedBody));
    assert_eq!(
        check(&item.replace("{\"pspReference\"", "{\"amount\":{\"value\":1},\"pspReference\"")),
        Err(Error::MalformedBody)
    );
    assert_eq!(check(&item.replace("hmacSignature", "other")), Err(Error::MalformedBody));
    assert_eq!(check(&item.replace("\"hmacSignature\":\"", "\"hmacSignature\":\"!")), Err(Error::MalformedBody));
    assert_eq!(check(&item[1..]), Err(Error::MalformedBody));
    assert_eq!(check("[1]"), Err(Error::MalformedBody));
    // A large but valid item still verifies (the tape grows beyond the stack scratch).
    let padded = item.replacen('{', &format!("{{\"pad\":[{}0],", "0,".repeat(2000)), 1);
    assert_eq!(check(&padded), Ok(()));
}

#[test]
fn oppwa_rules() {
    let key = "00112233445566778899AABBCCDDEEFF00112233445566778899aabbccddeeff";
    let k = keys(Scheme::Oppwa, key);
    let plaintext = br#"{"type":"PAYMENT"}"#;
    let (body, headers) = oppwa_seal(key, [7; 12], plaintext, None);
    let mut out = vec![0u8; k.open_len(&body)];
    assert_eq!(k.open(&headers, &body, AT, &mut out), Ok(plaintext.len()));
    assert_eq!(&out[..plaintext.len()], plaintext);
    assert_eq!(k.verify(&headers, &body, AT), Ok(()));
    assert_eq!(k.open(&headers, &body, AT, &mut [0u8; 3]), Err(Error::BufferTooSmall { needed: plaintext.len() }));
    assert_eq!(k.verify(&headers, b"zz", AT), Err(Error::MalformedBody));
    assert_eq!(k.verify(&headers, &body[1..], AT), Err(Error::MalformedBody));
    let iv = "X-Initialization-Vector";
    let tag = "X-Authentication-Tag";
    assert_eq!(k.verify(&headers[1..], &body, AT), Err(Error::MissingHeader { name: iv }));
    assert_eq!(k.verify(&headers[..1], &body, AT), Err(Error::MissingHeader { name: tag }));
    let mut short_iv = headers.clone();
    short_iv[0].1.truncate(20);
    assert_eq!(k.verify(&short_iv, &body, AT), malformed(iv));
    let mut bad_tag = headers.clone();
    bad_tag[1].1 = "nothex".to_owned();
    assert_eq!(k.verify(&bad_tag, &body, AT), malformed(tag));
    bad_tag[1].1 = "00".repeat(15);
    assert_eq!(k.verify(&bad_tag, &body, AT), Err(Error::BadSignature));
    // The base64 variant carries the same ciphertext in base64.
    let b64k = keys(Scheme::OppwaBase64, key);
    let raw: Vec<u8> = (0..body.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(std::str::from_utf8(&body[i..i + 2]).expect("ascii"), 16).expect("hex"))
        .collect();
    let b64body = b64(&raw);
    let mut out = vec![0u8; b64k.open_len(b64body.as_bytes())];
    assert_eq!(b64k.open(&headers, b64body.as_bytes(), AT, &mut out), Ok(plaintext.len()));
    assert_eq!(b64k.verify(&headers, b"@@@@", AT), Err(Error::MalformedBody));
    // Hex text is also base64 text: decoded as base64 it is other bytes, and the tag says so.
    assert_eq!(b64k.verify(&headers, &body, AT), Err(Error::BadSignature));
}

#[test]
fn rotation_redaction_and_key_errors() {
    let body = BODY;
    let headers = sign(Scheme::Github, "new", body, NOW, None);
    assert_eq!(KeySet::new(Scheme::Github, &["old", "new"]).expect("keys").verify(&headers, body, AT), Ok(()));
    assert_eq!(
        KeySet::new(Scheme::Github, &["old"]).expect("keys").verify(&headers, body, AT),
        Err(Error::BadSignature)
    );
    for scheme in Scheme::ALL {
        let secret = match scheme {
            Scheme::Standard => whsec(b"topsecret"),
            Scheme::AdyenItem | Scheme::Oppwa | Scheme::OppwaBase64 => "ab".repeat(32),
            _ => "topsecret".to_owned(),
        };
        let k = keys(scheme, &secret);
        let shown = format!("{k:?} {:#?}", k);
        assert!(!shown.contains("topsecret") && !shown.to_lowercase().contains("abab"), "{shown}");
        assert!(shown.starts_with("KeySet { scheme: "), "{shown}");
    }
    assert_eq!(KeySet::new(Scheme::Oppwa, &["abc"]).err(), Some(KeyError::Malformed { index: 0 }));
    assert_eq!(KeyError::Empty { index: 1 }.to_string(), "secret #1 is empty");
}

#[test]
fn error_codes_are_stable() {
    let all = [
        (Error::MissingHeader { name: "a" }, "missing_header"),
        (Error::MalformedHeader { name: "a" }, "malformed_header"),
        (Error::MalformedBody, "malformed_body"),
        (Error::BadSignature, "bad_signature"),
        (Error::TimestampTooOld, "timestamp_too_old"),
        (Error::TimestampTooNew, "timestamp_too_new"),
        (Error::TooManySignatures, "too_many_signatures"),
        (Error::TooLarge, "too_large"),
        (Error::BufferTooSmall { needed: 1 }, "buffer_too_small"),
    ];
    for (e, code) in all {
        assert_eq!(e.code(), code);
        assert!(!e.to_string().is_empty());
    }
}

#[test]
fn batch_keeps_order_on_any_thread_count() {
    let gh = keys(Scheme::Github, "gh");
    let stripe = keys(Scheme::Stripe, "whsec_x");
    let bodies: Vec<Vec<u8>> = (0..100).map(|i| format!("{{\"n\":{i}}}").into_bytes()).collect();
    let headers: Vec<HeaderList> = bodies
        .iter()
        .enumerate()
        .map(|(i, b)| match i % 3 {
            0 => sign(Scheme::Github, "gh", b, NOW, None),
            1 => sign(Scheme::Stripe, "whsec_x", b, NOW, None),
            _ => sign(Scheme::Github, "wrong", b, NOW, None),
        })
        .collect();
    let items: Vec<Item<'_, HeaderList>> = bodies
        .iter()
        .zip(&headers)
        .enumerate()
        .map(|(i, (body, headers))| Item { keys: if i % 3 == 1 { &stripe } else { &gh }, headers, body })
        .collect();
    let want: Vec<Result<(), Error>> =
        (0..100).map(|i| if i % 3 == 2 { Err(Error::BadSignature) } else { Ok(()) }).collect();
    assert_eq!(verify_batch(&items, AT), want);
    for threads in [1, 2, 3, 7] {
        assert_eq!(verify_batch_on(&items, AT, NonZeroUsize::new(threads).expect("nonzero")), want);
    }
    assert!(verify_batch(&items[..0], AT).is_empty());
}
