//! Signing: payload JSON in, canonical payload, signature, envelope and URL out.

use super::key::{tag, QrKey};
use super::sinks::{Base64UrlSink, Tee};
use super::KeyError;
use super::{SignError, MAX_PAYLOAD_LEN, MAX_QR_LEN, URL_PREFIX};
use crate::encoding::base64::url_encoded_len;
use crate::encoding::hex;
use crate::json::{self, Dialect, Kind, Tape, Value};
use crate::sink::{CountingSink, SliceSink};
use crate::Sink;

const ENVELOPE_HEAD: &[u8] = br#"{"payload":"#;
const ENVELOPE_SIG: &[u8] = br#","sig":""#;
const ENVELOPE_TAIL: &[u8] = br#""}"#;
/// Hex digits of an HMAC-SHA256 tag.
const SIG_HEX_LEN: usize = 64;
/// Bytes the envelope adds around the canonical payload.
pub(crate) const ENVELOPE_OVERHEAD: usize =
    ENVELOPE_HEAD.len() + ENVELOPE_SIG.len() + SIG_HEX_LEN + ENVELOPE_TAIL.len();

/// Signs EU Pay QR payloads with one secret. Build it once per secret: the HMAC key schedule
/// is computed here, and each payload starts from a copy of it. `Debug` does not show the key.
///
/// ```
/// use payseal::eupay::QrSigner;
/// use payseal::json::{Node, Tape};
///
/// let signer = QrSigner::new(b"s3cr3t")?;
/// let mut nodes = [Node::default(); 64];
/// let mut tape = Tape::from_slice(&mut nodes);
/// let signed = signer.sign(br#"{ "amount": 12.50, "currency": "EUR" }"#, &mut tape)?;
///
/// let mut canonical = [0u8; 64];
/// let n = signed.write_canonical(&mut canonical)?;
/// assert_eq!(&canonical[..n], br#"{"amount":12.5,"currency":"EUR"}"#);
/// assert_eq!(signed.sig_hex().len(), 64);
///
/// let mut url = [0u8; 256];
/// assert!(signed.url_len() <= url.len());
/// let n = signed.write_url(&mut url)?;
/// assert!(url[..n].starts_with(b"https://www.european-pay.fr/pay?data=eyJwYXlsb2FkIjp7"));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug)]
pub struct QrSigner {
    key: QrKey,
}

impl QrSigner {
    /// A signer for `secret` (its bytes key HMAC-SHA256 as they are; any length but zero).
    ///
    /// # Errors
    /// [`KeyError::EmptySecret`] for an empty secret, with which anyone could sign.
    pub fn new(secret: &[u8]) -> Result<Self, KeyError> {
        Ok(Self { key: QrKey::new(secret)? })
    }

    /// Parses `payload_json` (any JSON text of an object) onto `tape`, canonicalises it as
    /// `JSON.stringify(JSON.parse(payload_json))` straight into the MAC, and returns the
    /// signature with everything needed to write the outputs. Nothing is allocated.
    ///
    /// Errors: [`SignError::Json`] (not JSON, duplicate keys, tape too small, ...),
    /// [`SignError::PayloadNotObject`], [`SignError::TooLarge`] when the text exceeds
    /// [`MAX_PAYLOAD_LEN`] or the URL would exceed [`MAX_QR_LEN`].
    pub fn sign<'a>(&self, payload_json: &'a [u8], tape: &'a mut Tape<'_>) -> Result<SignedQr<'a>, SignError> {
        let payload = parse_payload(payload_json, tape)?;
        let mut mac = self.key.mac();
        let mut count = CountingSink::default();
        let mut both = Tee(&mut mac, &mut count);
        payload.emit(Dialect::Js, &mut both).map_err(SignError::Json)?;
        let tag: [u8; 32] = tag(mac);
        let signed = SignedQr { payload, canonical_len: count.count, tag, sig_hex: hex::encode_array(&tag) };
        if signed.url_len() > MAX_QR_LEN {
            return Err(SignError::TooLarge { len: signed.url_len(), max: MAX_QR_LEN });
        }
        Ok(signed)
    }

    /// Signs `payload_json` and writes the QR URL into `out` in a single pass: the canonical
    /// payload is produced once and fed to the MAC and to the base64url encoder together, so
    /// nothing is measured first. A buffer of [`MAX_QR_LEN`] bytes always suffices (longer
    /// URLs are [`SignError::TooLarge`]); a smaller one may get
    /// [`SignError::BufferTooSmall`] with the exact size. Use [`QrSigner::sign`] for the other
    /// output forms or to know the size before writing.
    ///
    /// ```
    /// use payseal::eupay::{QrSigner, MAX_QR_LEN};
    /// use payseal::json::Tape;
    /// let signer = QrSigner::new(b"s3cr3t")?;
    /// let mut tape = Tape::new();
    /// let mut url = vec![0u8; MAX_QR_LEN];
    /// let n = signer.sign_url_into(br#"{"amount": 12.50}"#, &mut tape, &mut url)?;
    /// assert_eq!(&url[..n], signer.sign_to_url(br#"{"amount":12.5}"#)?.as_bytes());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn sign_url_into(&self, payload_json: &[u8], tape: &mut Tape<'_>, out: &mut [u8]) -> Result<usize, SignError> {
        let payload = parse_payload(payload_json, tape)?;
        let prefix_len = URL_PREFIX.len();
        let (prefix, rest) =
            if out.len() >= prefix_len { out.split_at_mut(prefix_len) } else { (&mut [][..], &mut [][..]) };
        let mut b64 = Base64UrlSink::new(rest);
        b64.write(ENVELOPE_HEAD);
        let mut mac = self.key.mac();
        let mut both = Tee(&mut mac, &mut b64);
        payload.emit(Dialect::Js, &mut both).map_err(SignError::Json)?;
        let tag: [u8; 32] = tag(mac);
        let sig_hex: [u8; SIG_HEX_LEN] = hex::encode_array(&tag);
        b64.write(ENVELOPE_SIG);
        b64.write(&sig_hex);
        b64.write(ENVELOPE_TAIL);
        let (written, fits) = match b64.finish() {
            Ok(n) => (n, !prefix.is_empty()),
            Err(e) => (e.needed, false),
        };
        let url_len = prefix_len + written;
        if url_len > MAX_QR_LEN {
            return Err(SignError::TooLarge { len: url_len, max: MAX_QR_LEN });
        }
        if !fits {
            return Err(SignError::BufferTooSmall { needed: url_len });
        }
        prefix.copy_from_slice(URL_PREFIX.as_bytes());
        Ok(url_len)
    }
}

/// Parses a payload for signing: JSON text of an object, within [`MAX_PAYLOAD_LEN`].
fn parse_payload<'a>(payload_json: &'a [u8], tape: &'a mut Tape<'_>) -> Result<Value<'a>, SignError> {
    if payload_json.len() > MAX_PAYLOAD_LEN {
        return Err(SignError::TooLarge { len: payload_json.len(), max: MAX_PAYLOAD_LEN });
    }
    let doc = json::parse(payload_json, Dialect::Js, tape).map_err(SignError::Json)?;
    let payload = doc.root();
    if payload.kind() != Kind::Object {
        return Err(SignError::PayloadNotObject);
    }
    Ok(payload)
}

/// A signed payload, ready to be written out in any of its forms. Every `*_len` is known up
/// front; every writer fills a caller buffer and returns the bytes written, or
/// [`SignError::BufferTooSmall`] with the size needed.
#[derive(Debug, Clone, Copy)]
pub struct SignedQr<'a> {
    payload: Value<'a>,
    canonical_len: usize,
    tag: [u8; 32],
    sig_hex: [u8; SIG_HEX_LEN],
}

impl SignedQr<'_> {
    /// The HMAC-SHA256 tag.
    #[must_use]
    pub fn tag(&self) -> &[u8; 32] {
        &self.tag
    }

    /// The tag in lowercase hex, as it appears in the envelope's `sig`.
    #[must_use]
    pub fn sig_hex(&self) -> &str {
        // Hex digits are ASCII.
        core::str::from_utf8(&self.sig_hex).unwrap_or_default()
    }

    /// Length of the canonical payload (`JSON.stringify` output).
    #[must_use]
    pub fn canonical_len(&self) -> usize {
        self.canonical_len
    }

    /// Writes the canonical payload: the bytes that were signed.
    pub fn write_canonical(&self, out: &mut [u8]) -> Result<usize, SignError> {
        check_room(out, self.canonical_len)?;
        let mut sink = SliceSink::new(out);
        self.write_canonical_to(&mut sink);
        finish(sink.finish())
    }

    /// Writes the canonical payload into any sink.
    pub fn write_canonical_to<S: Sink + ?Sized>(&self, sink: &mut S) {
        // Parsed for JavaScript and emitted as JavaScript: this cannot fail.
        let _ = self.payload.emit(Dialect::Js, sink);
    }

    /// Length of the envelope JSON `{"payload":…,"sig":"…"}`.
    #[must_use]
    pub fn envelope_len(&self) -> usize {
        self.canonical_len + ENVELOPE_OVERHEAD
    }

    /// Writes the envelope JSON.
    pub fn write_envelope(&self, out: &mut [u8]) -> Result<usize, SignError> {
        check_room(out, self.envelope_len())?;
        let mut sink = SliceSink::new(out);
        self.write_envelope_to(&mut sink);
        finish(sink.finish())
    }

    /// Writes the envelope JSON into any sink.
    pub fn write_envelope_to<S: Sink + ?Sized>(&self, sink: &mut S) {
        sink.write(ENVELOPE_HEAD);
        self.write_canonical_to(sink);
        sink.write(ENVELOPE_SIG);
        sink.write(&self.sig_hex);
        sink.write(ENVELOPE_TAIL);
    }

    /// Length of the envelope in base64url (no padding): the `data` parameter.
    #[must_use]
    pub fn envelope_b64url_len(&self) -> usize {
        url_encoded_len(self.envelope_len())
    }

    /// Writes the base64url envelope, encoding it as it is produced (in 3-byte groups through
    /// a small stack buffer) rather than building the envelope first.
    pub fn write_envelope_b64url(&self, out: &mut [u8]) -> Result<usize, SignError> {
        check_room(out, self.envelope_b64url_len())?;
        let mut sink = Base64UrlSink::new(out);
        self.write_envelope_to(&mut sink);
        finish(sink.finish())
    }

    /// Length of the full URL, [`URL_PREFIX`] followed by the base64url envelope.
    #[must_use]
    pub fn url_len(&self) -> usize {
        URL_PREFIX.len() + self.envelope_b64url_len()
    }

    /// Writes the full URL, the text of the QR code.
    pub fn write_url(&self, out: &mut [u8]) -> Result<usize, SignError> {
        check_room(out, self.url_len())?;
        let (prefix, rest) = out.split_at_mut(URL_PREFIX.len());
        prefix.copy_from_slice(URL_PREFIX.as_bytes());
        Ok(URL_PREFIX.len() + self.write_envelope_b64url(rest)?)
    }
}

fn check_room(out: &[u8], needed: usize) -> Result<(), SignError> {
    if out.len() < needed {
        Err(SignError::BufferTooSmall { needed })
    } else {
        Ok(())
    }
}

fn finish(r: Result<usize, crate::sink::BufferTooSmall>) -> Result<usize, SignError> {
    r.map_err(|e| SignError::BufferTooSmall { needed: e.needed })
}
