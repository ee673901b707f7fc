//! Verification: scanned text in, a checked payload view out.

use super::key::{tag, QrKey};
use super::link::decode_qr;
use super::payload::QrPayload;
use super::time::parse_rfc3339_millis;
use super::KeyError;
use super::{Malformed, QrError};
use crate::json::{self, Dialect, Kind, Tape, Value};

/// Longest `expiresAt` text that can be valid RFC 3339 (`YYYY-MM-DDTHH:MM:SS.fffffffff+HH:MM`).
const MAX_TIME_LEN: usize = 35;

/// Verifies scanned EU Pay QR codes with one secret. Build it once per secret: the HMAC key
/// schedule is computed here. `Debug` does not show the key.
///
/// Verification, in order: find the `data` parameter (URL, deep link or bare data; at most
/// [`MAX_QR_LEN`](super::MAX_QR_LEN) bytes of text), undo percent-encoding and base64url
/// (padding optional), parse the envelope as JSON (duplicate keys rejected), require a
/// `payload` object and a `sig` string, MAC `JSON.stringify(payload)` and compare it with
/// `sig` in constant time, then check `expiresAt` against `now`.
#[derive(Debug)]
pub struct QrVerifier {
    key: QrKey,
}

impl QrVerifier {
    /// A verifier for `secret` (its bytes key HMAC-SHA256 as they are; any length but zero).
    ///
    /// # Errors
    /// [`KeyError::EmptySecret`] for an empty secret, with which anyone could sign.
    pub fn new(secret: &[u8]) -> Result<Self, KeyError> {
        Ok(Self { key: QrKey::new(secret)? })
    }

    /// Verifies `qr` at `now` (Unix seconds) using caller scratch, allocating nothing: `buf`
    /// receives the decoded envelope (at least [`scratch_len`](super::scratch_len)`(qr.len())`
    /// bytes) and `tape` its tokens (a slice tape of [`tape_len`](super::tape_len)`(qr.len())`
    /// entries always suffices). The returned view borrows both.
    ///
    /// ```
    /// use payseal::eupay::{scratch_len, tape_len, QrVerifier, MAX_QR_LEN};
    /// use payseal::json::{Node, Tape};
    ///
    /// let payload = r#"{"v":1,"type":"gateway_qr_payment","merchant":{"name":"Bäckerei Müller & Söhne"},
    ///                   "amount":123456.78,"currency":"EUR","expiresAt":"2026-06-18T05:28:20.000Z"}"#;
    /// let qr = payseal::eupay::QrSigner::new(b"s3cr3t")?.sign_to_url(payload.as_bytes())?;
    /// let verifier = QrVerifier::new(b"s3cr3t")?;
    /// let mut buf = vec![0u8; scratch_len(MAX_QR_LEN)];
    /// let mut nodes = vec![Node::default(); tape_len(MAX_QR_LEN)];
    /// let mut tape = Tape::from_slice(&mut nodes);
    /// let payload = verifier.verify_into(qr.as_bytes(), 1_781_760_000, &mut buf, &mut tape)?;
    /// assert!(payload.payment_type().is_some_and(|t| t == "gateway_qr_payment"));
    /// let name = payload.merchant().and_then(|m| m.name()).ok_or("no merchant name")?;
    /// assert_eq!(name.as_str(), Some("Bäckerei Müller & Söhne"));
    /// assert_eq!(payload.amount_text(), Some("123456.78"));
    /// assert_eq!(payload.expires_at(), Some(1_781_760_500));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn verify_into<'a>(
        &self,
        qr: &[u8],
        now: i64,
        buf: &'a mut [u8],
        tape: &'a mut Tape<'_>,
    ) -> Result<QrPayload<'a>, QrError> {
        let n = decode_qr(qr, buf)?;
        let envelope: &'a [u8] = &buf[..n];
        let doc = json::parse(envelope, Dialect::Js, tape).map_err(json_error)?;
        let root = doc.root();
        if root.kind() != Kind::Object {
            return Err(Malformed::EnvelopeNotObject.into());
        }
        let payload = root.get("payload").ok_or(Malformed::MissingPayload)?;
        if payload.kind() != Kind::Object {
            return Err(Malformed::PayloadNotObject.into());
        }
        let sig = root.get("sig").ok_or(Malformed::MissingSig)?;
        if sig.kind() != Kind::String {
            return Err(Malformed::SigNotString.into());
        }

        let mut mac = self.key.mac();
        payload.emit(Dialect::Js, &mut mac).map_err(json_error)?;
        let tag: [u8; 32] = tag(mac);
        let mut sig_buf = [0u8; 64];
        let claimed = sig_bytes(sig, &mut sig_buf).ok_or(QrError::BadSignature)?;
        if !crate::ct::eq(&tag, &claimed) {
            return Err(QrError::BadSignature);
        }

        let expires_at_ms = expires_at_ms(payload)?;
        if let Some(ms) = expires_at_ms {
            if i128::from(ms) < i128::from(now) * 1000 {
                return Err(QrError::Expired { expires_at: ms.div_euclid(1000) });
            }
        }
        Ok(QrPayload::new(payload, expires_at_ms))
    }
}

/// The tag `sig` claims: exactly 64 lowercase hex digits (as EU Pay writes them), or `None`.
/// Only the claimed signature's shape is examined here, never the expected tag.
fn sig_bytes(sig: Value<'_>, scratch: &mut [u8; 64]) -> Option<[u8; 32]> {
    let text: &[u8] = match sig.as_str() {
        Some(s) => s.as_bytes(),
        None => {
            let n = sig.decode_str(scratch)?.ok()?;
            &scratch[..n]
        }
    };
    if text.len() != 64 || !text.iter().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f')) {
        return None;
    }
    crate::encoding::hex::decode_array(text).ok()
}

/// `expiresAt` in Unix milliseconds: `None` when absent or `null`; anything but an RFC 3339
/// string is malformed.
fn expires_at_ms(payload: Value<'_>) -> Result<Option<i64>, Malformed> {
    let Some(v) = payload.get("expiresAt") else { return Ok(None) };
    match v.kind() {
        Kind::Null => Ok(None),
        Kind::String => {
            let mut scratch = [0u8; MAX_TIME_LEN];
            let text = match v.as_str() {
                Some(s) => s.as_bytes(),
                None => match v.decode_str(&mut scratch) {
                    Some(Ok(n)) => &scratch[..n],
                    _ => return Err(Malformed::BadExpiresAt),
                },
            };
            parse_rfc3339_millis(text).map(Some).ok_or(Malformed::BadExpiresAt)
        }
        _ => Err(Malformed::BadExpiresAt),
    }
}

fn json_error(e: json::Error) -> QrError {
    match e {
        json::Error::ScratchTooSmall { needed } => QrError::BufferTooSmall { needed },
        other => Malformed::Json(other).into(),
    }
}

/// Decodes QR text into its envelope JSON without checking anything: for display and
/// debugging only (`payseal eupay qr inspect`). Never act on what this returns. `buf` needs
/// [`scratch_len`](super::scratch_len)`(qr.len())` bytes.
///
/// ```
/// use payseal::eupay::{decode_unverified, scratch_len};
/// let qr = b"eupay://pay?data=eyJwYXlsb2FkIjp7fSwic2lnIjoiIn0";
/// let mut buf = [0u8; 64];
/// assert!(buf.len() >= scratch_len(qr.len()));
/// let n = decode_unverified(qr, &mut buf)?;
/// assert_eq!(&buf[..n], br#"{"payload":{},"sig":""}"#);
/// # Ok::<(), payseal::eupay::QrError>(())
/// ```
pub fn decode_unverified(qr: &[u8], buf: &mut [u8]) -> Result<usize, QrError> {
    decode_qr(qr, buf)
}
