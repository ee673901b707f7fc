//! Independent signers for the webhook tests: the `hmac`, `sha1`, `sha2` and `aes-gcm` crates
//! and the providers' documented constructions, so the verifiers are checked against code
//! that shares nothing with them.
#![allow(dead_code)]

use aes_gcm::aead::{AeadInPlace, KeyInit};
use aes_gcm::Aes256Gcm;
use base64::Engine as _;
use hmac::{Hmac, Mac};
use payseal::webhooks::Scheme;

pub type HeaderList = Vec<(String, String)>;

pub fn b64(bytes: &[u8]) -> String {
    base64::engine::general_purpose::STANDARD.encode(bytes)
}

pub fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

pub fn hmac256(key: &[u8], parts: &[&[u8]]) -> Vec<u8> {
    let mut m = <Hmac<sha2::Sha256> as Mac>::new_from_slice(key).expect("any key length");
    for p in parts {
        m.update(p);
    }
    m.finalize().into_bytes().to_vec()
}

pub fn hmac_named(alg: &str, key: &[u8], msg: &[u8]) -> Vec<u8> {
    match alg {
        "sha1" => {
            let mut m = <Hmac<sha1::Sha1> as Mac>::new_from_slice(key).expect("any key length");
            m.update(msg);
            m.finalize().into_bytes().to_vec()
        }
        "sha512" => {
            let mut m = <Hmac<sha2::Sha512> as Mac>::new_from_slice(key).expect("any key length");
            m.update(msg);
            m.finalize().into_bytes().to_vec()
        }
        _ => hmac256(key, &[msg]),
    }
}

/// The Standard Webhooks secret text for raw key bytes.
pub fn whsec(key: &[u8]) -> String {
    format!("whsec_{}", b64(key))
}

/// Flips bit `bit` (mod the length) of `bytes`, if any.
pub fn flip(bytes: &mut [u8], bit: usize) {
    if !bytes.is_empty() {
        let bit = bit % (bytes.len() * 8);
        bytes[bit / 8] ^= 1 << (bit % 8);
    }
}

/// Headers signing `body` for a MAC scheme whose whole body is signed. `secret` is the text
/// the key set is built from; `tamper` flips a bit of the raw MAC before it is encoded.
pub fn sign(scheme: Scheme, secret: &str, body: &[u8], now: i64, tamper: Option<usize>) -> HeaderList {
    let mac = |key: &[u8], parts: &[&[u8]]| {
        let mut m = hmac256(key, parts);
        if let Some(bit) = tamper {
            flip(&mut m, bit);
        }
        m
    };
    let key = secret.as_bytes();
    let h = |n: &str, v: String| (n.to_owned(), v);
    match scheme {
        Scheme::EuPay => vec![h("X-EuPay-Signature", format!("sha256={}", hex(&mac(key, &[body]))))],
        Scheme::Github => vec![h("X-Hub-Signature-256", format!("sha256={}", hex(&mac(key, &[body]))))],
        Scheme::Shopify => vec![h("X-Shopify-Hmac-Sha256", b64(&mac(key, &[body])))],
        Scheme::Checkout => vec![h("Cko-Signature", hex(&mac(key, &[body])))],
        Scheme::Stripe => {
            let t = now.to_string();
            let sig = hex(&mac(key, &[t.as_bytes(), b".", body]));
            vec![h("Stripe-Signature", format!("t={t},v1={sig}"))]
        }
        Scheme::Standard => {
            let raw = base64::engine::general_purpose::STANDARD
                .decode(secret.trim_start_matches("whsec_"))
                .expect("whsec_ secret");
            let (id, t) = ("msg_2Lh9KRb0pzN4LePd3XiA4", now.to_string());
            let sig = b64(&mac(&raw, &[id.as_bytes(), b".", t.as_bytes(), b".", body]));
            vec![h("webhook-id", id.to_owned()), h("webhook-timestamp", t), h("webhook-signature", format!("v1,{sig}"))]
        }
        other => unreachable!("sign: {other:?} has its own helper"),
    }
}

/// Escapes text for XML character data.
pub fn xml_escape(s: &str) -> String {
    s.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;")
}

/// A Spreedly `<transaction>` with `fields` (name, value; `None` is `nil="true"`), all of them
/// signed with HMAC-`alg`.
pub fn spreedly_doc(secret: &str, alg: &str, fields: &[(&str, Option<&str>)], tamper: Option<usize>) -> Vec<u8> {
    let signed: Vec<&str> = fields.iter().map(|(_, v)| v.unwrap_or("")).collect();
    let mut sig = hmac_named(alg, secret.as_bytes(), signed.join("|").as_bytes());
    if let Some(bit) = tamper {
        flip(&mut sig, bit);
    }
    let mut doc = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<transaction>\n");
    for (name, value) in fields {
        match value {
            Some(v) => doc += &format!("  <{name}>{}</{name}>\n", xml_escape(v)),
            None => doc += &format!("  <{name} nil=\"true\"/>\n"),
        }
    }
    let names: Vec<&str> = fields.iter().map(|(n, _)| *n).collect();
    doc += &format!(
        "  <signed>\n    <signature>{}</signature>\n    <fields>{}</fields>\n    <algorithm>{alg}</algorithm>\n  </signed>\n</transaction>\n",
        hex(&sig),
        names.join(" ")
    );
    doc.into_bytes()
}

/// OPPWA: (hex body, headers) for `plaintext` under the hex `key`.
pub fn oppwa_seal(key_hex: &str, iv: [u8; 12], plaintext: &[u8], tamper: Option<usize>) -> (Vec<u8>, HeaderList) {
    let key: Vec<u8> =
        (0..key_hex.len()).step_by(2).map(|i| u8::from_str_radix(&key_hex[i..i + 2], 16).expect("hex")).collect();
    let cipher = Aes256Gcm::new_from_slice(&key).expect("32-byte key");
    let mut buf = plaintext.to_vec();
    let tag = cipher.encrypt_in_place_detached((&iv).into(), b"", &mut buf).expect("encrypts");
    if let Some(bit) = tamper {
        flip(&mut buf, bit);
    }
    let headers = vec![
        ("X-Initialization-Vector".to_owned(), hex(&iv).to_uppercase()),
        ("X-Authentication-Tag".to_owned(), hex(&tag).to_uppercase()),
    ];
    (hex(&buf).to_uppercase().into_bytes(), headers)
}

/// An Adyen NotificationRequestItem signed with the hex `key`. `value` is JSON number text.
pub fn adyen_item(
    key_hex: &str,
    psp: &str,
    merchant_ref: &str,
    value: &str,
    success: &str,
    tamper: Option<usize>,
) -> Vec<u8> {
    let key: Vec<u8> =
        (0..key_hex.len()).step_by(2).map(|i| u8::from_str_radix(&key_hex[i..i + 2], 16).expect("hex")).collect();
    let signed = format!("{psp}::TestMerchant:{merchant_ref}:{value}:EUR:AUTHORISATION:{success}");
    let mut sig = hmac256(&key, &[signed.as_bytes()]);
    if let Some(bit) = tamper {
        flip(&mut sig, bit);
    }
    let json_str = |s: &str| serde_json::to_string(s).expect("string");
    format!(
        r#"{{"pspReference":{},"merchantAccountCode":"TestMerchant","merchantReference":{},"amount":{{"value":{value},"currency":"EUR"}},"eventCode":"AUTHORISATION","success":"{success}","additionalData":{{"hmacSignature":"{}"}}}}"#,
        json_str(psp),
        json_str(merchant_ref),
        b64(&sig)
    )
    .into_bytes()
}
