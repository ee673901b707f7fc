//! Properties of `payseal::eupay`: any text as a scanned QR code, and any text as a payload to
//! sign, checked against an independent construction (HMAC-SHA256 from the `hmac` crate,
//! base64url from the `base64` crate, `JSON.stringify` from `payseal::json`).

use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
use base64::Engine as _;
use hmac::digest::KeyInit;
use hmac::{Hmac, Mac as _};
use payseal::eupay::{
    decode_unverified, parse_rfc3339_millis, scratch_len, tape_len, Malformed, QrError, QrPayload, QrSigner, QrText,
    QrVerifier, SignError, DEEP_LINK_PREFIX, MAX_QR_LEN, URL_PREFIX,
};
use payseal::json::{canonicalize_to_vec, Dialect, Error as JsonError, Node, Tape};

/// The secret of about a sixth of `eupay_qr_verify.jsonl` ("clé-secrète-ü"), so that seeds
/// from those vectors reach the accepting paths.
const SECRET_B64: &str = "Y2zDqS1zZWNyw6h0ZS3DvA==";
/// 2026-06-18T05:20:00Z, inside most vectors' validity.
const NOW: i64 = 1_781_760_000;

fn secret() -> Vec<u8> {
    STANDARD.decode(SECRET_B64).expect("secret")
}

pub fn run(data: &[u8]) {
    let secret = secret();
    verify_any(&secret, data);
    sign_and_verify(&secret, data);
}

/// The allocation-free and the owned API agree; documented scratch sizes suffice; an
/// accepted code's accessors answer without panicking and its payload re-signs to itself.
fn verify_any(secret: &[u8], qr: &[u8]) {
    let verifier = QrVerifier::new(secret).expect("non-empty secret");
    let mut buf = vec![0u8; scratch_len(qr.len())];
    let mut nodes = vec![Node::default(); tape_len(qr.len())];
    let mut tape = Tape::from_slice(&mut nodes);
    let into = verifier.verify_into(qr, NOW, &mut buf, &mut tape);
    let owned = verifier.verify(qr, NOW);
    match (&into, &owned) {
        (Ok(p), Ok(o)) => {
            let mut canonical = Vec::new();
            p.write_canonical(&mut canonical);
            assert_eq!(canonical.len(), p.canonical_len());
            assert_eq!(o.payload_json.as_bytes(), &canonical[..]);
            read_everything(p);
            let again = QrSigner::new(secret)
                .expect("non-empty secret")
                .sign_to_url(&canonical)
                .expect("an accepted payload re-signs");
            assert!(verifier.verify(again.as_bytes(), NOW).is_ok(), "re-signed payload does not verify");
        }
        (Err(a), Err(b)) => assert_eq!(a, b, "verify_into and verify disagree"),
        _ => panic!("verify_into {:?} but verify {:?}", into.as_ref().err(), owned.as_ref().err()),
    }
    if let Err(e) = &into {
        assert!(!matches!(e, QrError::BufferTooSmall { .. }), "scratch_len/tape_len did not suffice: {e:?}");
    }
    // Decoding alone never panics and agrees with what verification saw.
    let mut raw = vec![0u8; scratch_len(qr.len())];
    let decoded = decode_unverified(qr, &mut raw);
    match &decoded {
        Err(e) => assert!(matches!(e, QrError::Malformed(_)), "decode_unverified: {e:?}"),
        Ok(n) => assert!(*n <= raw.len()),
    }
    if into.is_ok() {
        assert!(decoded.is_ok());
    }
}

fn text(t: Option<QrText<'_>>) {
    if let Some(t) = t {
        let mut buf = vec![0u8; t.max_len()];
        let n = t.decode(&mut buf).expect("max_len suffices");
        assert!(n <= t.max_len());
        let _ = t.to_str(&mut buf);
        if let Ok(s) = t.to_string_checked() {
            assert!(t == *s.as_str());
        }
    }
}

fn read_everything(p: &QrPayload<'_>) {
    let _ = (p.version(), p.amount(), p.amount_text(), p.expires_at(), p.expires_at_millis());
    for t in [p.payment_type(), p.currency(), p.request_id(), p.gateway_reference(), p.label(), p.text("x")] {
        text(t);
    }
    if let Some(m) = p.merchant() {
        for t in [m.id(), m.name(), m.merchant_id(), m.eu_pay_id(), m.text("x")] {
            text(t);
        }
    }
}

fn hmac_hex(secret: &[u8], msg: &[u8]) -> String {
    let mut m = <Hmac<sha2::Sha256> as KeyInit>::new_from_slice(secret).expect("any key length");
    m.update(msg);
    m.finalize().into_bytes().iter().map(|b| format!("{b:02x}")).collect()
}

/// Signs `payload` and checks every output form against an independent construction, then
/// verifies the URL, the deep link, the bare data (with and without padding), the expiry
/// boundary, and a one-character change of the data.
fn sign_and_verify(secret: &[u8], payload: &[u8]) {
    let signer = QrSigner::new(secret).expect("non-empty secret");
    let mut tape = Tape::new();
    let signed = match signer.sign(payload, &mut tape) {
        Ok(s) => s,
        Err(SignError::Json(e)) => {
            assert_eq!(canonicalize_to_vec(payload, Dialect::Js).err(), Some(e), "sign's JSON error");
            return;
        }
        Err(SignError::PayloadNotObject) => {
            assert!(canonicalize_to_vec(payload, Dialect::Js).is_ok_and(|c| !c.starts_with(b"{")));
            return;
        }
        Err(SignError::TooLarge { .. }) => return,
        Err(e) => panic!("sign: {e:?}"),
    };
    let canonical = canonicalize_to_vec(payload, Dialect::Js).expect("signed payload is JSON");
    let sig = hmac_hex(secret, &canonical);
    assert_eq!(signed.sig_hex(), sig, "sig is not HMAC-SHA256 of JSON.stringify(payload)");
    let envelope = [&b"{\"payload\":"[..], &canonical, b",\"sig\":\"", sig.as_bytes(), b"\"}"].concat();
    let b64 = URL_SAFE_NO_PAD.encode(&envelope);
    let url = format!("{URL_PREFIX}{b64}");
    let write = |len: usize, f: &dyn Fn(&mut [u8]) -> Result<usize, SignError>| -> Vec<u8> {
        let mut out = vec![0u8; len];
        assert_eq!(f(&mut out), Ok(len));
        if len > 0 {
            assert_eq!(f(&mut out[..len - 1]), Err(SignError::BufferTooSmall { needed: len }));
        }
        out
    };
    assert_eq!(write(signed.canonical_len(), &|o| signed.write_canonical(o)), canonical);
    assert_eq!(write(signed.envelope_len(), &|o| signed.write_envelope(o)), envelope);
    assert_eq!(write(signed.envelope_b64url_len(), &|o| signed.write_envelope_b64url(o)), b64.as_bytes());
    assert_eq!(write(signed.url_len(), &|o| signed.write_url(o)), url.as_bytes());
    let mut one_pass = vec![0u8; MAX_QR_LEN];
    let n = signer.sign_url_into(payload, &mut Tape::new(), &mut one_pass).expect("sign_url_into");
    assert_eq!(&one_pass[..n], url.as_bytes(), "sign_url_into");

    let verifier = QrVerifier::new(secret).expect("non-empty secret");
    let never = i64::MIN;
    let expected_expiry = expiry(&canonical);
    let forms = [
        url.clone(),
        format!("{DEEP_LINK_PREFIX}{b64}"),
        b64.clone(),
        format!("{b64}{}", "=".repeat((4 - b64.len() % 4) % 4)),
    ];
    for form in &forms {
        match (verifier.verify(form.as_bytes(), never), expected_expiry) {
            (Ok(v), Ok(_)) => assert_eq!(v.payload_json.as_bytes(), &canonical[..]),
            (Err(QrError::Malformed(Malformed::BadExpiresAt)), Err(())) => {}
            (got, want) => panic!("verify of a signed code: {got:?}, expiry {want:?}, form {form}"),
        }
    }
    if let Ok(Some(ms)) = expected_expiry {
        let last = ms.div_euclid(1000);
        assert!(verifier.verify(url.as_bytes(), last).is_ok(), "expired at its own second");
        assert_eq!(verifier.verify(url.as_bytes(), last + 1).map(|_| ()), Err(QrError::Expired { expires_at: last }));
    }
    assert_eq!(
        QrVerifier::new(b"another secret").expect("non-empty secret").verify(url.as_bytes(), never).err(),
        Some(QrError::BadSignature)
    );

    // Change one character of the data: never accepted with another meaning.
    let alphabet = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    let pos = canonical.iter().map(|&b| usize::from(b)).sum::<usize>() % b64.len();
    let mut changed = b64.clone().into_bytes();
    changed[pos] = alphabet[(alphabet.iter().position(|&c| c == changed[pos]).unwrap_or(0) + 1 + pos % 63) % 64];
    if let Ok(v) = verifier.verify(&changed, never) {
        assert_eq!(v.payload_json.as_bytes(), &canonical[..], "a changed QR verified with another payload");
    }
}

/// `expiresAt` as verification reads it: `Ok(None)` absent or null, `Ok(Some(ms))` an RFC 3339
/// string, `Err(())` anything else.
fn expiry(canonical: &[u8]) -> Result<Option<i64>, ()> {
    let mut tape = Tape::new();
    let doc = payseal::json::parse(canonical, Dialect::Js, &mut tape).map_err(|_: JsonError| ())?;
    let Some(v) = doc.root().get("expiresAt") else { return Ok(None) };
    match v.kind() {
        payseal::json::Kind::Null => Ok(None),
        payseal::json::Kind::String => {
            let mut buf = vec![0u8; v.raw().map_or(0, <[u8]>::len)];
            let n = v.decode_str(&mut buf).ok_or(())?.map_err(|_| ())?;
            parse_rfc3339_millis(&buf[..n]).map(Some).ok_or(())
        }
        _ => Err(()),
    }
}
