//! Properties of EU Pay QR signing and verification: round trips, and no single-bit change of
//! a signed QR verifies.

mod eupay_support;

use eupay_support::{payload, Mode, Rng};
use payseal::eupay::{QrError, QrScratch, QrSigner, QrVerifier};
use proptest::prelude::*;

const NOW: i64 = 1_781_760_000; // 2026-06-18T05:20:00Z
const LATER: &str = "2026-06-18T05:28:20.000Z";

fn canonical_of(verifier: &QrVerifier, qr: &[u8]) -> Option<Vec<u8>> {
    let mut scratch = QrScratch::new();
    let p = verifier.verify_with(qr, NOW, &mut scratch).ok()?;
    let mut out = Vec::new();
    p.write_canonical(&mut out);
    Some(out)
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    /// Whatever JSON text of a payload is signed, the QR verifies under the same secret, its
    /// view reads back the signed fields, and it is rejected under any other secret.
    #[test]
    fn sign_then_verify_round_trips(seed: u64, wild: bool, secret in proptest::collection::vec(any::<u8>(), 1..100)) {
        let mut rng = Rng::new(seed);
        let expires = rng.chance(50).then_some(LATER);
        let text = payload(&mut rng, if wild { Mode::Wild } else { Mode::Tame }, expires);
        let parts = QrSigner::new(&secret).expect("non-empty secret").sign_to_parts(text.as_bytes()).expect("generated payloads sign");
        prop_assert_eq!(&QrSigner::new(&secret).expect("non-empty secret").sign_to_url(text.as_bytes()).expect("one pass"), &parts.url);
        let verifier = QrVerifier::new(&secret).expect("non-empty secret");
        let mut scratch = QrScratch::new();
        for qr in [
            parts.url.clone(),
            format!("eupay://pay?data={}", parts.envelope_b64url),
            parts.envelope_b64url.clone(),
            format!("{}{}", parts.envelope_b64url, "=".repeat((4 - parts.envelope_b64url.len() % 4) % 4)),
        ] {
            let p = verifier.verify_with(qr.as_bytes(), NOW, &mut scratch).expect("signed QR verifies");
            let mut canonical = Vec::new();
            p.write_canonical(&mut canonical);
            prop_assert_eq!(&canonical, parts.canonical.as_bytes());
            // serde_json refuses lone surrogates, which wild payloads may hold.
            let Ok(v) = serde_json::from_str::<serde_json::Value>(&text) else { continue };
            prop_assert_eq!(p.amount(), v["amount"].as_f64());
            let mut buf = [0u8; 256];
            let want_id = v["requestId"].as_str().unwrap_or_default();
            prop_assert_eq!(p.request_id().expect("requestId").to_str(&mut buf), Ok(want_id));
            let want_name = v["merchant"]["name"].as_str().unwrap_or_default();
            prop_assert_eq!(p.merchant().and_then(|m| m.name()).expect("name").to_str(&mut buf), Ok(want_name));
            prop_assert_eq!(p.expires_at().is_some(), v["expiresAt"].is_string());
        }
        // HMAC zero-pads keys (RFC 2104), so a key with a trailing NUL added is the same key.
        let mut other = secret.clone();
        other.push(1);
        prop_assert_eq!(QrVerifier::new(&other).expect("non-empty secret").verify(parts.url.as_bytes(), NOW).unwrap_err(), QrError::BadSignature);
    }

    /// No single-bit change anywhere in a signed QR's text (prefix included) verifies, when
    /// the payload has one spelling per value (see `Mode::Tame`).
    #[test]
    fn no_single_bit_flip_verifies(seed: u64, at in any::<prop::sample::Index>(), bit in 0u8..8) {
        let mut rng = Rng::new(seed);
        let expires = rng.chance(50).then_some(LATER);
        let text = payload(&mut rng, Mode::Tame, expires);
        let url = QrSigner::new(b"s3cr3t").expect("non-empty secret").sign_to_url(text.as_bytes()).expect("sign");
        let mut tampered = url.into_bytes();
        let i = at.index(tampered.len());
        tampered[i] ^= 1 << bit;
        let verdict = QrVerifier::new(b"s3cr3t").expect("non-empty secret").verify(&tampered, NOW);
        prop_assert!(verdict.is_err(), "flipping bit {} of byte {} verified: {:?}", bit, i, verdict);
    }

    /// With any payload, a single-bit change that still verifies can only be another spelling
    /// of the same JSON (an exponent's `e`/`E`, the case of a `\u` escape's hex digits): the
    /// signed canonical payload is unchanged.
    #[test]
    fn a_flip_that_verifies_signs_the_same_payload(seed: u64, at in any::<prop::sample::Index>(), bit in 0u8..8) {
        let mut rng = Rng::new(seed);
        let text = payload(&mut rng, Mode::Wild, None);
        let parts = QrSigner::new(b"s3cr3t").expect("non-empty secret").sign_to_parts(text.as_bytes()).expect("sign");
        let mut tampered = parts.url.into_bytes();
        let i = at.index(tampered.len());
        tampered[i] ^= 1 << bit;
        let verifier = QrVerifier::new(b"s3cr3t").expect("non-empty secret");
        if let Some(canonical) = canonical_of(&verifier, &tampered) {
            prop_assert_eq!(canonical, parts.canonical.into_bytes());
        }
    }
}

#[test]
fn exponent_case_is_the_same_payload() {
    // JSON.parse reads 1E+21 and 1e+21 alike: EU Pay's verifier accepts both spellings.
    let signer = QrSigner::new(b"k").expect("non-empty secret");
    let parts = signer.sign_to_parts(br#"{"amount":1e21}"#).unwrap();
    assert_eq!(parts.canonical, r#"{"amount":1e+21}"#);
    let envelope = format!(r#"{{"payload":{{"amount":1E+21}},"sig":"{}"}}"#, parts.sig_hex);
    let qr = base64::Engine::encode(&base64::engine::general_purpose::URL_SAFE_NO_PAD, envelope);
    assert!(QrVerifier::new(b"k").expect("non-empty secret").verify(qr.as_bytes(), 0).is_ok());
}
