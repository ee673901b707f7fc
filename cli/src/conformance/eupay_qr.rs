//! `eupay_qr_sign.jsonl` (every output form must match) and `eupay_qr_verify.jsonl` (the
//! verdict must match `expect`).

use payseal::eupay::{QrError, QrScratch, QrSigner, QrVerifier};

use super::fields::unknown;
use super::{CaseResult, Fields};

/// An `eupay_qr_sign.jsonl` case: canonical payload, `sig_hex`, `envelope_b64url` and
/// `qr_url` must all be the reference's.
pub fn sign_case(f: &Fields<'_>) -> CaseResult {
    let secret = f.b64("secret_b64")?;
    let input = f.b64("payload_input_b64")?;
    let want_canonical = f.b64("payload_canonical_b64")?;
    let signer = QrSigner::new(&secret).map_err(|e| format!("secret refused: {e}"))?;
    let parts = signer.sign_to_parts(&input).map_err(|e| format!("sign failed: {e}"))?;
    let mut diffs = Vec::new();
    if parts.canonical.as_bytes() != want_canonical {
        diffs.push(format!("canonical {:?}, expected {:?}", parts.canonical, String::from_utf8_lossy(&want_canonical)));
    }
    for (name, got, want) in [
        ("sig_hex", &parts.sig_hex, f.str("sig_hex")?),
        ("envelope_b64url", &parts.envelope_b64url, f.str("envelope_b64url")?),
        ("qr_url", &parts.url, f.str("qr_url")?),
    ] {
        if got != want {
            diffs.push(format!("{name} {got:?}, expected {want:?}"));
        }
    }
    if diffs.is_empty() {
        Ok(())
    } else {
        Err(diffs.join("; "))
    }
}

const VERIFY_EXPECTS: &[&str] = &["ok", "bad_signature", "expired", "malformed"];

/// An `eupay_qr_verify.jsonl` case: `ok`, `bad_signature`, `expired` or `malformed`.
pub fn verify_case(f: &Fields<'_>) -> CaseResult {
    let expect = f.str("expect")?;
    if !VERIFY_EXPECTS.contains(&expect) {
        return Err(unknown("expect", expect));
    }
    let secret = f.b64("secret_b64")?;
    let qr = f.str("qr")?;
    let now = f.i64("now")?;
    let mut scratch = QrScratch::new();
    let verifier = QrVerifier::new(&secret).map_err(|e| format!("secret refused: {e}"))?;
    let got = match verifier.verify_with(qr.as_bytes(), now, &mut scratch) {
        Ok(_) => "ok",
        Err(e @ QrError::BufferTooSmall { .. }) => return Err(format!("runner scratch too small: {e}")),
        Err(e) => e.code(),
    };
    if got == expect {
        Ok(())
    } else {
        Err(format!("got {got}, expected {expect}"))
    }
}
