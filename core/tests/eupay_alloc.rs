//! Signing and verifying into caller buffers allocate nothing: a counting global allocator
//! watches this thread while they run.

mod counting;

use payseal::eupay::{scratch_len, tape_len, QrSigner, QrVerifier, MAX_QR_LEN};
use payseal::json::{Node, Tape};

fn allocations_during<R>(f: impl FnOnce() -> R) -> (usize, R) {
    let (r, n) = counting::allocations(f);
    (n, r)
}

const PAYLOAD: &[u8] = br#"{ "v": 1, "type": "gateway_qr_payment", "requestId": "PAY-20260617-B2219A97EE33B2F4",
  "merchant": {"id": "3febce7d-03cd-40fe-b40f-fe9851b9c397", "name": "B\u00e4ckerei M\u00fcller & S\u00f6hne"},
  "amount": 123456.780, "currency": "EUR", "expiresAt": "2026-06-18T05:28:20.000Z", "1": [true, null, 1e21] }"#;

#[test]
fn sign_and_verify_into_caller_buffers_do_not_allocate() {
    let signer = QrSigner::new(b"s3cr3t").expect("non-empty secret");
    let verifier = QrVerifier::new(b"s3cr3t").expect("non-empty secret");
    let mut nodes = vec![Node::default(); tape_len(MAX_QR_LEN)];
    let mut url = vec![0u8; MAX_QR_LEN];
    let mut canonical = vec![0u8; 1024];
    let mut envelope = vec![0u8; 1024];
    let mut buf = vec![0u8; scratch_len(MAX_QR_LEN)];
    let mut text = [0u8; 64];
    // The counter sees this thread's allocations.
    assert_eq!(allocations_during(|| std::hint::black_box(vec![1u8; 8])).0, 1);

    // Twice: once cold (first use of run-time CPU feature detection), once warm.
    for _ in 0..2 {
        let (count, url_len) = allocations_during(|| {
            let mut tape = Tape::from_slice(&mut nodes);
            let signed = signer.sign(PAYLOAD, &mut tape).expect("sign");
            signed.write_canonical(&mut canonical).expect("canonical");
            signed.write_envelope(&mut envelope).expect("envelope");
            signed.write_envelope_b64url(&mut envelope).expect("b64url");
            let n = signed.write_url(&mut url).expect("url");
            let mut tape = Tape::from_slice(&mut nodes);
            assert_eq!(signer.sign_url_into(PAYLOAD, &mut tape, &mut url), Ok(n));
            n
        });
        assert_eq!(count, 0, "signing allocated");

        let (count, name_len) = allocations_during(|| {
            let mut tape = Tape::from_slice(&mut nodes);
            let p = verifier.verify_into(&url[..url_len], 1_781_760_000, &mut buf, &mut tape).expect("verify");
            assert_eq!(p.amount(), Some(123_456.78));
            assert!(p.currency().is_some_and(|c| c == "EUR"));
            p.merchant().and_then(|m| m.name()).expect("name").to_str(&mut text).expect("text").len()
        });
        assert_eq!(count, 0, "verification allocated");
        assert_eq!(name_len, "Bäckerei Müller & Söhne".len());

        let (count, verdict) = allocations_during(|| {
            let mut tape = Tape::from_slice(&mut nodes);
            verifier.verify_into(&url[..url_len], 1_781_770_000, &mut buf, &mut tape).map(|_| ())
        });
        assert_eq!(count, 0, "rejection allocated");
        assert!(verdict.is_err());
    }
}
