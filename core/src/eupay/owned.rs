//! Conveniences with owned buffers (`alloc`), for the language bindings and the CLI.

use alloc::string::String;
use alloc::vec::Vec;

use super::payload::{QrPayload, QrText};
use super::sign::ENVELOPE_OVERHEAD;
use super::{scratch_len, QrError, QrSigner, QrVerifier, SignError, MAX_QR_LEN, URL_PREFIX};
use crate::encoding::base64::url_encoded_len;
use crate::json::{self, Tape};

impl QrSigner {
    /// Signs `payload_json` and returns the QR URL.
    ///
    /// ```
    /// use payseal::eupay::QrSigner;
    /// let url = QrSigner::new(b"s3cr3t")?.sign_to_url(br#"{"amount": 1.0}"#)?;
    /// assert!(url.starts_with("https://www.european-pay.fr/pay?data="));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn sign_to_url(&self, payload_json: &[u8]) -> Result<String, SignError> {
        let mut tape = Tape::with_capacity_for(payload_json.len());
        // Canonical text is usually no longer than its input: size for that, and retry with
        // the exact size otherwise (numbers such as `1e20` print longer).
        let envelope_guess = payload_json.len().min(MAX_QR_LEN) + ENVELOPE_OVERHEAD;
        let mut url = alloc::vec![0u8; URL_PREFIX.len() + url_encoded_len(envelope_guess)];
        let n = match self.sign_url_into(payload_json, &mut tape, &mut url) {
            Err(SignError::BufferTooSmall { needed }) => {
                url.resize(needed, 0);
                self.sign_url_into(payload_json, &mut tape, &mut url)?
            }
            other => other?,
        };
        url.truncate(n);
        into_string(url)
    }

    /// Signs `payload_json` and returns every form of the result.
    ///
    /// ```
    /// use payseal::eupay::QrSigner;
    /// let parts = QrSigner::new(b"s3cr3t")?.sign_to_parts(br#"{ "amount" : 1.0 }"#)?;
    /// assert_eq!(parts.canonical, r#"{"amount":1}"#);
    /// assert_eq!(parts.url, format!("https://www.european-pay.fr/pay?data={}", parts.envelope_b64url));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn sign_to_parts(&self, payload_json: &[u8]) -> Result<SignedQrParts, SignError> {
        let mut tape = Tape::with_capacity_for(payload_json.len());
        let signed = self.sign(payload_json, &mut tape)?;
        let mut canonical = alloc::vec![0u8; signed.canonical_len()];
        signed.write_canonical(&mut canonical)?;
        let mut envelope_b64url = alloc::vec![0u8; signed.envelope_b64url_len()];
        signed.write_envelope_b64url(&mut envelope_b64url)?;
        let mut url = alloc::vec![0u8; signed.url_len()];
        signed.write_url(&mut url)?;
        Ok(SignedQrParts {
            canonical: into_string(canonical)?,
            sig_hex: signed.sig_hex().into(),
            envelope_b64url: into_string(envelope_b64url)?,
            url: into_string(url)?,
        })
    }
}

/// Every form of a signed payload, owned.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct SignedQrParts {
    /// `JSON.stringify` of the payload: the signed bytes.
    pub canonical: String,
    /// The HMAC-SHA256 tag in lowercase hex.
    pub sig_hex: String,
    /// `{"payload":…,"sig":"…"}` in base64url without padding.
    pub envelope_b64url: String,
    /// The full QR URL.
    pub url: String,
}

/// Canonical JavaScript output is UTF-8 (the input was validated and lone surrogates print as
/// `\u` escapes) and the other forms are ASCII, so this conversion does not fail; should it,
/// the error names the first bad byte rather than hiding it.
fn into_string(bytes: Vec<u8>) -> Result<String, SignError> {
    String::from_utf8(bytes)
        .map_err(|e| SignError::Json(json::Error::InvalidUtf8 { offset: e.utf8_error().valid_up_to() }))
}

/// Reusable owned scratch for [`QrVerifier::verify_with`]: it grows to the largest QR seen
/// (at most [`MAX_QR_LEN`] worth) and then stops allocating.
#[derive(Debug, Default)]
pub struct QrScratch {
    buf: Vec<u8>,
    tape: Tape<'static>,
}

impl QrScratch {
    /// Empty scratch.
    #[must_use]
    pub fn new() -> Self {
        Self::default()
    }
}

impl QrVerifier {
    /// [`QrVerifier::verify_into`] with owned, reusable scratch.
    ///
    /// ```
    /// use payseal::eupay::{QrScratch, QrSigner, QrVerifier};
    /// let url = QrSigner::new(b"k")?.sign_to_url(br#"{"requestId":"R-1","expiresAt":null}"#)?;
    /// let verifier = QrVerifier::new(b"k")?;
    /// let mut scratch = QrScratch::new();
    /// let payload = verifier.verify_with(url.as_bytes(), 0, &mut scratch)?;
    /// assert!(payload.request_id().is_some_and(|r| r == "R-1"));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn verify_with<'a>(&self, qr: &[u8], now: i64, scratch: &'a mut QrScratch) -> Result<QrPayload<'a>, QrError> {
        let needed = scratch_len(qr.len().min(MAX_QR_LEN));
        if scratch.buf.len() < needed {
            scratch.buf.resize(needed, 0);
        }
        self.verify_into(qr, now, &mut scratch.buf, &mut scratch.tape)
    }

    /// Verifies `qr` at `now` (Unix seconds) and returns the payload's fields, owned.
    /// See [`QrVerifier::verify_into`] for the checks.
    pub fn verify(&self, qr: &[u8], now: i64) -> Result<VerifiedQr, QrError> {
        let mut scratch = QrScratch::new();
        let p = self.verify_with(qr, now, &mut scratch)?;
        let text = |t: Option<QrText<'_>>| t.map(|t| lossy(&t));
        let merchant = p.merchant();
        let mut canonical = Vec::with_capacity(p.canonical_len());
        p.write_canonical(&mut canonical);
        Ok(VerifiedQr {
            payload_json: String::from_utf8_lossy(&canonical).into_owned(),
            version: p.version(),
            payment_type: text(p.payment_type()),
            amount: p.amount(),
            amount_text: p.amount_text().map(String::from),
            currency: text(p.currency()),
            expires_at: p.expires_at(),
            request_id: text(p.request_id()),
            gateway_reference: text(p.gateway_reference()),
            label: text(p.label()),
            merchant_id: text(merchant.and_then(|m| m.id())),
            merchant_name: text(merchant.and_then(|m| m.name())),
        })
    }
}

/// Decoded text; a lone surrogate (which `String` cannot hold) becomes U+FFFD. The exact text
/// is always in [`VerifiedQr::payload_json`].
fn lossy(t: &QrText<'_>) -> String {
    if let Some(s) = t.as_str() {
        return s.into();
    }
    let mut buf = alloc::vec![0u8; t.max_len()];
    let n = t.decode(&mut buf).unwrap_or(0);
    String::from_utf8_lossy(&buf[..n]).into_owned()
}

/// A verified QR payload, owned: what the bindings return.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct VerifiedQr {
    /// The canonical payload (`JSON.stringify` of it), exactly the bytes that were signed.
    pub payload_json: String,
    /// `v`.
    pub version: Option<i64>,
    /// `type`.
    pub payment_type: Option<String>,
    /// `amount` as a double.
    pub amount: Option<f64>,
    /// `amount` as written.
    pub amount_text: Option<String>,
    /// `currency`.
    pub currency: Option<String>,
    /// `expiresAt` in Unix seconds (rounded down).
    pub expires_at: Option<i64>,
    /// `requestId`.
    pub request_id: Option<String>,
    /// `gateway_reference`.
    pub gateway_reference: Option<String>,
    /// `label`.
    pub label: Option<String>,
    /// `merchant.id`.
    pub merchant_id: Option<String>,
    /// `merchant.name`.
    pub merchant_name: Option<String>,
}
