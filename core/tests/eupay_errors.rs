//! One test per rejection reason and caller error, Debug redaction, and the envelope shapes
//! the vectors do not cover.

use base64::Engine as _;
use payseal::eupay::{
    decode_unverified, Malformed, QrError, QrScratch, QrSigner, QrVerifier, SignError, TextError, MAX_PAYLOAD_LEN,
    MAX_QR_LEN,
};
use payseal::json::{self, Node, Tape};

const SECRET: &[u8] = b"s3cr3t";

fn b64url(s: &str) -> String {
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(s)
}

fn sig_of(canonical: &str) -> String {
    use hmac::Mac;
    let mut mac = hmac::Hmac::<sha2::Sha256>::new_from_slice(SECRET).expect("any key length");
    mac.update(canonical.as_bytes());
    mac.finalize().into_bytes().iter().map(|b| format!("{b:02x}")).collect()
}

/// Verifies a hand-written envelope.
fn verify_envelope(envelope: &str, now: i64) -> Result<(), QrError> {
    QrVerifier::new(SECRET).expect("non-empty secret").verify(b64url(envelope).as_bytes(), now).map(|_| ())
}

fn malformed(m: Malformed) -> Result<(), QrError> {
    Err(QrError::Malformed(m))
}

#[test]
fn debug_never_shows_the_key() {
    let secret = b"very-secret-value";
    for text in [
        format!("{:?}", QrSigner::new(secret).expect("non-empty secret")),
        format!("{:?}", QrVerifier::new(secret).expect("non-empty secret")),
    ] {
        assert!(text.contains("redacted"), "{text}");
        assert!(!text.contains("very-secret"), "{text}");
        // Nor the key schedule in hex or as numbers.
        assert!(!text.chars().any(|c| c.is_ascii_digit()), "{text}");
    }
}

#[test]
fn envelope_shapes() {
    let p = r#"{"amount":1}"#;
    let sig = sig_of(p);
    assert_eq!(verify_envelope(&format!(r#"{{"payload":{p},"sig":"{sig}"}}"#), 0), Ok(()));
    // Member order, whitespace and unknown members of the envelope do not matter.
    assert_eq!(
        verify_envelope(&format!(r#" {{ "sig" : "{sig}", "v": 2, "payload" : {{ "amount" : 1.0 }} }}"#), 0),
        Ok(())
    );
    // An escaped sig is decoded first.
    let escaped = format!(r#"{{"payload":{p},"sig":"\u00{}{}"}}"#, hex2(sig.as_bytes()[0]), &sig[1..]);
    assert_eq!(verify_envelope(&escaped, 0), Ok(()));
    // Uppercase hex, wrong length, non-hex: bad signature (EU Pay writes lowercase).
    for bad in
        [sig.to_uppercase(), sig[..62].to_owned(), format!("{sig}00"), format!("{}zz", &sig[..62]), String::new()]
    {
        assert_eq!(
            verify_envelope(&format!(r#"{{"payload":{p},"sig":"{bad}"}}"#), 0),
            Err(QrError::BadSignature),
            "{bad}"
        );
    }
    assert_eq!(verify_envelope(&format!(r#"[{p},"{sig}"]"#), 0), malformed(Malformed::EnvelopeNotObject));
    assert_eq!(verify_envelope(&format!(r#"{{"sig":"{sig}"}}"#), 0), malformed(Malformed::MissingPayload));
    assert_eq!(
        verify_envelope(&format!(r#"{{"payload":"x","sig":"{sig}"}}"#), 0),
        malformed(Malformed::PayloadNotObject)
    );
    assert_eq!(
        verify_envelope(&format!(r#"{{"payload":null,"sig":"{sig}"}}"#), 0),
        malformed(Malformed::PayloadNotObject)
    );
    assert_eq!(verify_envelope(&format!(r#"{{"payload":{p}}}"#), 0), malformed(Malformed::MissingSig));
    assert_eq!(verify_envelope(&format!(r#"{{"payload":{p},"sig":null}}"#), 0), malformed(Malformed::SigNotString));
    let dup = format!(r#"{{"payload":{{"amount":1,"amount":2}},"sig":"{sig}"}}"#);
    assert!(matches!(
        verify_envelope(&dup, 0),
        Err(QrError::Malformed(Malformed::Json(json::Error::DuplicateKey { .. })))
    ));
    let bad_utf8 =
        base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(b"{\"payload\":{\"a\":\"\xff\"},\"sig\":\"\"}");
    assert!(matches!(
        QrVerifier::new(SECRET).expect("non-empty secret").verify(bad_utf8.as_bytes(), 0),
        Err(QrError::Malformed(Malformed::Json(json::Error::InvalidUtf8 { .. })))
    ));
}

fn hex2(b: u8) -> String {
    format!("{b:02x}")
}

#[test]
fn expiry_rules() {
    let at = |expires: &str| {
        let p = format!(r#"{{"expiresAt":{expires}}}"#);
        let canonical = String::from_utf8(json::canonicalize_to_vec(p.as_bytes(), json::Dialect::Js).unwrap()).unwrap();
        format!(r#"{{"payload":{canonical},"sig":"{}"}}"#, sig_of(&canonical))
    };
    let t = 1_781_760_500; // 2026-06-18T05:28:20Z
    let z = at(r#""2026-06-18T05:28:20.000Z""#);
    assert_eq!(verify_envelope(&z, t - 1), Ok(()));
    assert_eq!(verify_envelope(&z, t), Ok(()), "expiring at now is not before now");
    assert_eq!(verify_envelope(&z, t + 1), Err(QrError::Expired { expires_at: t }));
    // Sub-second expiry: expired once `now` (whole seconds) is past it.
    let half = at(r#""2026-06-18T05:28:20.500Z""#);
    assert_eq!(verify_envelope(&half, t), Ok(()));
    assert_eq!(verify_envelope(&half, t + 1), Err(QrError::Expired { expires_at: t }));
    // Offsets.
    let paris = at(r#""2026-06-18T07:28:20+02:00""#);
    assert_eq!(verify_envelope(&paris, t), Ok(()));
    assert_eq!(verify_envelope(&paris, t + 1), Err(QrError::Expired { expires_at: t }));
    // Escaped text is decoded first.
    assert_eq!(
        verify_envelope(&at(r#""2026-06-18T05:28:20\u002e000Z""#), t + 1),
        Err(QrError::Expired { expires_at: t })
    );
    // null or absent: never expires.
    assert_eq!(verify_envelope(&at("null"), i64::MAX), Ok(()));
    let p = r#"{"amount":1}"#;
    assert_eq!(verify_envelope(&format!(r#"{{"payload":{p},"sig":"{}"}}"#, sig_of(p)), i64::MAX), Ok(()));
    // Anything else that is signed fails closed (JavaScript's `new Date("soon") < now` is
    // false, so a lenient verifier would accept it forever).
    for bad in [r#""soon""#, r#""2026-06-18""#, r#""2026-06-18T05:28:20""#, "1781760500", "true", "{}", r#""""#] {
        assert_eq!(verify_envelope(&at(bad), 0), malformed(Malformed::BadExpiresAt), "{bad}");
    }
    // ... but only once the signature is good.
    let forged = r#"{"payload":{"expiresAt":"soon"},"sig":"00"}"#;
    assert_eq!(verify_envelope(forged, 0), Err(QrError::BadSignature));
    let forged = r#"{"payload":{"expiresAt":"2000-01-01T00:00:00Z"},"sig":"00"}"#;
    assert_eq!(verify_envelope(forged, i64::MAX), Err(QrError::BadSignature));
    // Extreme `now` values do not overflow.
    assert_eq!(verify_envelope(&z, i64::MIN), Ok(()));
    assert_eq!(verify_envelope(&z, i64::MAX), Err(QrError::Expired { expires_at: t }));
}

#[test]
fn size_caps_and_caller_buffers() {
    let verifier = QrVerifier::new(SECRET).expect("non-empty secret");
    let huge = vec![b'A'; MAX_QR_LEN + 1];
    assert_eq!(
        verifier.verify(&huge, 0),
        Err(QrError::Malformed(Malformed::TooLarge { len: MAX_QR_LEN + 1, max: MAX_QR_LEN }))
    );
    let signer = QrSigner::new(SECRET).expect("non-empty secret");
    let url = signer.sign_to_url(br#"{"a":"b"}"#).unwrap();
    let mut nodes = [Node::default(); 64];
    let mut small = [0u8; 8];
    let mut tape = Tape::from_slice(&mut nodes);
    // What the data parameter needs; scratch_len(url.len()) is the documented upper bound.
    let needed = payseal::eupay::scratch_len(url.len() - payseal::eupay::URL_PREFIX.len());
    assert_eq!(
        verifier.verify_into(url.as_bytes(), 0, &mut small, &mut tape).unwrap_err(),
        QrError::BufferTooSmall { needed }
    );
    let mut buf = vec![0u8; needed];
    let mut two = [Node::default(); 2];
    let mut tiny_tape = Tape::from_slice(&mut two);
    assert!(matches!(
        verifier.verify_into(url.as_bytes(), 0, &mut buf, &mut tiny_tape),
        Err(QrError::BufferTooSmall { .. })
    ));
    assert_eq!(decode_unverified(url.as_bytes(), &mut small).unwrap_err(), QrError::BufferTooSmall { needed });

    // Signing: payload must be an object, within the caps; writers report the size needed.
    let mut tape = Tape::from_slice(&mut nodes);
    for not_object in [&b"[1]"[..], b"\"x\"", b"1", b"null"] {
        assert_eq!(signer.sign(not_object, &mut tape).unwrap_err(), SignError::PayloadNotObject);
    }
    assert!(matches!(signer.sign(b"{", &mut tape), Err(SignError::Json(json::Error::Syntax { .. }))));
    assert!(matches!(
        signer.sign(br#"{"a":1,"a":2}"#, &mut tape),
        Err(SignError::Json(json::Error::DuplicateKey { .. }))
    ));
    let long = vec![b' '; MAX_PAYLOAD_LEN + 1];
    assert_eq!(
        signer.sign(&long, &mut tape).unwrap_err(),
        SignError::TooLarge { len: MAX_PAYLOAD_LEN + 1, max: MAX_PAYLOAD_LEN }
    );
    let wide = format!(r#"{{"a":"{}"}}"#, "x".repeat(MAX_QR_LEN));
    assert!(matches!(signer.sign_to_url(wide.as_bytes()), Err(SignError::TooLarge { max: MAX_QR_LEN, .. })));
    let signed = signer.sign(br#"{"a":"b"}"#, &mut tape).unwrap();
    let mut out = [0u8; 16];
    assert_eq!(signed.write_url(&mut out).unwrap_err(), SignError::BufferTooSmall { needed: signed.url_len() });
    assert_eq!(
        signed.write_envelope(&mut out).unwrap_err(),
        SignError::BufferTooSmall { needed: signed.envelope_len() }
    );
    assert_eq!(
        signed.write_envelope_b64url(&mut out).unwrap_err(),
        SignError::BufferTooSmall { needed: signed.envelope_b64url_len() }
    );
    assert_eq!(signed.write_canonical(&mut out[..5]).unwrap_err(), SignError::BufferTooSmall { needed: 9 });
    // One pass: the exact size comes back, however small the buffer.
    let url_len = signed.url_len();
    for len in [0, 10, 37, 38, 60, url_len - 1] {
        let mut out = vec![0u8; len];
        let mut tape = Tape::from_slice(&mut nodes);
        assert_eq!(
            signer.sign_url_into(br#"{"a":"b"}"#, &mut tape, &mut out),
            Err(SignError::BufferTooSmall { needed: url_len }),
            "{len}"
        );
    }
    let mut big = vec![0u8; MAX_QR_LEN];
    let mut tape = Tape::new();
    assert_eq!(signer.sign_url_into(br#"{"a":"b"}"#, &mut tape, &mut big), Ok(url_len));
    assert!(matches!(
        signer.sign_url_into(wide.as_bytes(), &mut tape, &mut big),
        Err(SignError::TooLarge { max: MAX_QR_LEN, .. })
    ));
    assert!(matches!(
        signer.sign_url_into(wide.as_bytes(), &mut tape, &mut out),
        Err(SignError::TooLarge { max: MAX_QR_LEN, .. })
    ));
    assert_eq!(signer.sign_url_into(b"[]", &mut tape, &mut big), Err(SignError::PayloadNotObject));
    // Numbers that print longer than written still fit after the retry of sign_to_url.
    let grows = format!(r#"{{"n":[{}]}}"#, vec!["1e20"; 200].join(","));
    let url = signer.sign_to_url(grows.as_bytes()).unwrap();
    assert!(QrVerifier::new(SECRET).expect("non-empty secret").verify(url.as_bytes(), 0).is_ok());
}

#[test]
fn text_accessors() {
    let signer = QrSigner::new(SECRET).expect("non-empty secret");
    let url = signer
        .sign_to_url(
            br#"{"type":"t","requestId":"R\u002d1","currency":"EUR","label":"\ud800x","amount":12.50,
                 "gateway_reference":"G","merchant":{"id":"M","name":"Caf\u00e9 \"Noisette\"","merchantId":"M1","euPayId":"E"}}"#,
        )
        .unwrap();
    let verifier = QrVerifier::new(SECRET).expect("non-empty secret");
    let mut scratch = QrScratch::new();
    let p = verifier.verify_with(url.as_bytes(), 0, &mut scratch).unwrap();
    let mut buf = [0u8; 64];
    // After canonicalisation the QR holds `R-1` unescaped; `"` stays escaped.
    assert_eq!(p.request_id().unwrap().as_str(), Some("R-1"));
    let m = p.merchant().unwrap();
    let name = m.name().unwrap();
    assert_eq!(name.as_str(), None);
    assert_eq!(name.to_str(&mut buf), Ok("Café \"Noisette\""));
    assert!(name == "Café \"Noisette\"");
    assert_eq!(name.to_str(&mut buf[..3]), Err(TextError::BufferTooSmall { needed: 16 }));
    assert_eq!(
        (m.id().unwrap().as_str(), m.merchant_id().unwrap().as_str(), m.eu_pay_id().unwrap().as_str()),
        (Some("M"), Some("M1"), Some("E"))
    );
    assert_eq!(p.label().unwrap().to_str(&mut buf), Err(TextError::LoneSurrogate));
    assert_eq!(p.label().unwrap().decode(&mut buf), Ok(4));
    assert_eq!((p.amount(), p.amount_text()), (Some(12.5), Some("12.5")));
    assert_eq!(p.gateway_reference().unwrap().as_str(), Some("G"));
    assert_eq!(p.payment_type().unwrap().as_str(), Some("t"));
    assert_eq!(p.currency().unwrap().as_str(), Some("EUR"));
    assert_eq!((p.version(), p.expires_at(), p.expires_at_millis()), (None, None, None));
    assert!(p.text("amount").is_none());

    let owned = verifier.verify(url.as_bytes(), 0).unwrap();
    assert_eq!(owned.merchant_name.as_deref(), Some("Café \"Noisette\""));
    assert_eq!(owned.label.as_deref(), Some("\u{fffd}\u{fffd}\u{fffd}x"));
    assert!(owned.payload_json.contains(r#""label":"\ud800x""#));
}

/// An empty secret is refused in the core (anyone could sign with it), with the code every
/// binding forwards.
#[test]
fn an_empty_secret_is_refused() {
    use payseal::codes::ErrorCode;
    use payseal::eupay::KeyError;
    assert_eq!(QrSigner::new(b"").err(), Some(KeyError::EmptySecret));
    assert_eq!(QrVerifier::new(b"").err(), Some(KeyError::EmptySecret));
    assert_eq!(ErrorCode::code(&KeyError::EmptySecret), "empty_secret");
    assert!(QrSigner::new(b"\0").is_ok(), "one NUL byte is a secret");
}
