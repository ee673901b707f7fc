//! Every case of `eupay_qr_sign.jsonl` and `eupay_qr_verify.jsonl` through the caller-buffer
//! API (slice tapes, fixed buffers), with the malformed reason checked where the case id
//! names it. The CLI conformance runner covers the same files through the owned API.

mod eupay_support;

use base64::Engine as _;
use payseal::eupay::{scratch_len, tape_len, Malformed, QrError, QrSigner, QrVerifier, MAX_QR_LEN};
use payseal::json::{self, Node, Tape};
use serde_json::Value;

fn lines(name: &str) -> Vec<Value> {
    let path = eupay_support::vectors_dir().join(name);
    let text = std::fs::read_to_string(&path).expect("vector file readable (set PAYSEAL_VECTORS to another folder)");
    text.lines().filter(|l| !l.trim().is_empty()).map(|l| serde_json::from_str(l).expect("vector line")).collect()
}

fn b64(v: &Value, field: &str) -> Vec<u8> {
    base64::engine::general_purpose::STANDARD.decode(v[field].as_str().expect(field)).expect(field)
}

#[test]
fn sign_vectors_into_caller_buffers() {
    let cases = lines("eupay_qr_sign.jsonl");
    assert!(!cases.is_empty());
    let mut nodes = vec![Node::default(); 4096];
    let mut out = vec![0u8; MAX_QR_LEN];
    for case in &cases {
        let id = case["id"].as_str().unwrap_or("?");
        let signer = QrSigner::new(&b64(case, "secret_b64")).expect("non-empty secret");
        let input = b64(case, "payload_input_b64");
        let mut tape = Tape::from_slice(&mut nodes);
        let signed = signer.sign(&input, &mut tape).unwrap_or_else(|e| panic!("{id}: {e}"));
        assert_eq!(signed.sig_hex(), case["sig_hex"].as_str().unwrap(), "{id}");
        let n = signed.write_canonical(&mut out).unwrap();
        assert_eq!(n, signed.canonical_len(), "{id}");
        assert_eq!(out[..n], b64(case, "payload_canonical_b64")[..], "{id}");
        let n = signed.write_envelope_b64url(&mut out).unwrap();
        assert_eq!(n, signed.envelope_b64url_len(), "{id}");
        assert_eq!(&out[..n], case["envelope_b64url"].as_str().unwrap().as_bytes(), "{id}");
        let n = signed.write_url(&mut out).unwrap();
        assert_eq!(n, signed.url_len(), "{id}");
        assert_eq!(&out[..n], case["qr_url"].as_str().unwrap().as_bytes(), "{id}");
        let n = signed.write_envelope(&mut out).unwrap();
        let b64url = base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(&out[..n]);
        assert_eq!(b64url, case["envelope_b64url"].as_str().unwrap(), "{id}");
        let mut tape = Tape::from_slice(&mut nodes);
        let n = signer.sign_url_into(&input, &mut tape, &mut out).unwrap();
        assert_eq!(&out[..n], case["qr_url"].as_str().unwrap().as_bytes(), "{id} (one pass)");
    }
}

/// The reason a malformed case must have, from the suffix of its id (ids this test does not
/// know only need `malformed`).
fn expected_reason(id: &str) -> Option<fn(&Malformed) -> bool> {
    Some(match id {
        _ if id.ends_with("_dup_key") => |m| matches!(m, Malformed::Json(json::Error::DuplicateKey { .. })),
        _ if id.ends_with("_payload_array") => |m| *m == Malformed::PayloadNotObject,
        _ if id.ends_with("_no_sig") => |m| *m == Malformed::MissingSig,
        _ if id.ends_with("_not_base64") => |m| *m == Malformed::BadBase64,
        _ if id.ends_with("_not_json") => |m| matches!(m, Malformed::Json(json::Error::Syntax { .. })),
        _ if id.ends_with("_empty") => |m| *m == Malformed::MissingData,
        _ => return None,
    })
}

#[test]
fn verify_vectors_into_caller_buffers() {
    let cases = lines("eupay_qr_verify.jsonl");
    assert!(!cases.is_empty());
    let mut buf = vec![0u8; scratch_len(MAX_QR_LEN)];
    let mut nodes = vec![Node::default(); tape_len(MAX_QR_LEN)];
    let mut seen = std::collections::BTreeMap::<&str, usize>::new();
    for case in &cases {
        let id = case["id"].as_str().unwrap_or("?");
        let expect = case["expect"].as_str().expect("expect");
        let verifier = QrVerifier::new(&b64(case, "secret_b64")).expect("non-empty secret");
        let qr = case["qr"].as_str().expect("qr");
        let now = case["now"].as_i64().expect("now");
        let mut tape = Tape::from_slice(&mut nodes);
        let got = verifier.verify_into(qr.as_bytes(), now, &mut buf, &mut tape);
        match (expect, &got) {
            ("ok", Ok(_))
            | ("bad_signature", Err(QrError::BadSignature))
            | ("expired", Err(QrError::Expired { .. })) => {}
            ("malformed", Err(QrError::Malformed(m))) => {
                if let Some(check) = expected_reason(id) {
                    assert!(check(m), "{id}: malformed for the wrong reason: {m}");
                }
            }
            ("ok" | "bad_signature" | "expired" | "malformed", _) => panic!("{id}: got {got:?}, expected {expect}"),
            (other, _) => panic!("{id}: unknown expect {other:?}"),
        }
        *seen.entry(expect).or_default() += 1;
    }
    println!("eupay_qr_verify.jsonl: {seen:?}");
}

#[test]
fn expired_cases_report_their_expiry() {
    for case in lines("eupay_qr_verify.jsonl").iter().filter(|c| c["expect"] == "expired") {
        let verifier = QrVerifier::new(&b64(case, "secret_b64")).expect("non-empty secret");
        let now = case["now"].as_i64().unwrap();
        let Err(QrError::Expired { expires_at }) = verifier.verify(case["qr"].as_str().unwrap().as_bytes(), now) else {
            panic!("{}: not expired", case["id"]);
        };
        assert!(expires_at < now);
        // At the instant of expiry (whole seconds here) the same QR is still good.
        assert!(verifier.verify(case["qr"].as_str().unwrap().as_bytes(), expires_at).is_ok(), "{}", case["id"]);
    }
}
