//! EU Pay QR codes: signing payment requests and verifying scanned codes.
//!
//! EU Pay signs a QR payload as `HMAC-SHA256(secret, JSON.stringify(payload))` in lowercase
//! hex, wraps it as `{"payload":<canonical payload>,"sig":"<hex>"}`, encodes that envelope in
//! base64url without padding and appends it to `https://www.european-pay.fr/pay?data=`
//! ([`URL_PREFIX`]); apps also open the same data as `eupay://pay?data=` ([`DEEP_LINK_PREFIX`]).
//! "Canonical" is JavaScript's `JSON.stringify(JSON.parse(text))`, reproduced byte for byte by
//! [`crate::json`] in [`Dialect::Js`](crate::json::Dialect::Js).
//!
//! * [`QrSigner`] signs any JSON text of a payload object. [`QrSigner::sign`] parses and MACs
//!   it once and returns a [`SignedQr`] that knows every output's size and writes the
//!   canonical payload, the hex signature, the envelope, its base64url and the full URL into
//!   caller buffers.
//! * [`QrVerifier`] takes what a scanner read (the URL, the deep link or the bare data
//!   parameter), checks the signature in constant time and the expiry against a `now` you
//!   pass, and returns a [`QrPayload`] view with typed accessors that borrow from your scratch.
//! * With the `alloc` feature, [`QrSigner::sign_to_url`], [`QrVerifier::verify`] and
//!   [`QrScratch`] do the same with owned buffers.
//!
//! ```
//! use payseal::eupay::{QrError, QrSigner, QrVerifier};
//!
//! let payload = br#"{"v":1,"type":"gateway_qr_payment","amount":12.5,"currency":"EUR",
//!                    "expiresAt":"2026-06-18T05:28:20.000Z"}"#;
//! let url = QrSigner::new(b"s3cr3t")?.sign_to_url(payload)?;
//! assert!(url.starts_with("https://www.european-pay.fr/pay?data=eyJwYXlsb2FkIjp7"));
//!
//! let verifier = QrVerifier::new(b"s3cr3t")?;
//! let before_expiry = 1_781_760_000; // 2026-06-18T05:20:00Z
//! let qr = verifier.verify(url.as_bytes(), before_expiry)?;
//! assert_eq!(qr.amount, Some(12.5));
//! assert_eq!(qr.currency.as_deref(), Some("EUR"));
//! assert_eq!(verifier.verify(url.as_bytes(), before_expiry + 3600).unwrap_err().code(), "expired");
//! assert_eq!(QrVerifier::new(b"other")?.verify(url.as_bytes(), before_expiry), Err(QrError::BadSignature));
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! Policies (where the reference leaves a choice, payseal fails closed):
//! * QR text longer than [`MAX_QR_LEN`] is [`Malformed::TooLarge`] before any work is done.
//! * `sig` must be exactly 64 lowercase hex digits, as EU Pay writes it; anything else is a
//!   [`QrError::BadSignature`] (so that no single-bit change of a QR verifies).
//! * `expiresAt` absent or `null`: the code does not expire. Otherwise it must be an RFC 3339
//!   date-time string (see [`parse_rfc3339_millis`]); any other value of a correctly signed
//!   payload is [`Malformed::BadExpiresAt`]. A code expires when `expiresAt` is strictly
//!   before `now`.
//! * Envelope members other than `payload` and `sig` are ignored; duplicate keys anywhere are
//!   [`Malformed`] (the JSON engine's policy).

mod error;
mod key;
mod link;
#[cfg(feature = "alloc")]
mod owned;
mod payload;
mod sign;
mod sinks;
mod time;
mod verify;

pub use error::{KeyError, Malformed, QrError, SignError, TextError};
#[cfg(feature = "alloc")]
pub use owned::{QrScratch, SignedQrParts, VerifiedQr};
pub use payload::{QrMerchant, QrPayload, QrText};
pub use sign::{QrSigner, SignedQr};
pub use time::parse_rfc3339_millis;
pub use verify::{decode_unverified, QrVerifier};

/// What EU Pay prints in its QR codes, before the base64url envelope.
pub const URL_PREFIX: &str = "https://www.european-pay.fr/pay?data=";

/// The app deep link carrying the same data parameter.
pub const DEEP_LINK_PREFIX: &str = "eupay://pay?data=";

/// The longest QR text (URL, deep link or bare data) accepted, in bytes. A version 40 QR code
/// holds at most 2,953 bytes, so this leaves room for deep links passed around as text while
/// bounding the work a hostile input can cause.
pub const MAX_QR_LEN: usize = 16 * 1024;

/// The longest payload JSON text [`QrSigner::sign`] accepts, in bytes (whitespace included;
/// the URL it produces must still fit in [`MAX_QR_LEN`]).
pub const MAX_PAYLOAD_LEN: usize = 64 * 1024;

/// Bytes of decoding scratch that always suffice for QR text of `qr_len` bytes: the size of
/// the `buf` argument of [`QrVerifier::verify_into`] and [`decode_unverified`].
///
/// ```
/// use payseal::eupay::{scratch_len, MAX_QR_LEN};
/// assert_eq!(scratch_len(8), 9);
/// assert!(scratch_len(MAX_QR_LEN) <= 12 * 1024 + 3);
/// ```
#[must_use]
pub const fn scratch_len(qr_len: usize) -> usize {
    crate::encoding::base64::decoded_len_upper(qr_len)
}

/// Tape entries that always suffice for QR text of `qr_len` bytes: the size of the
/// [`Tape`](crate::json::Tape) scratch of [`QrVerifier::verify_into`].
///
/// ```
/// use payseal::eupay::tape_len;
/// use payseal::json::{Node, Tape};
/// let mut nodes = vec![Node::default(); tape_len(1024)];
/// let tape = Tape::from_slice(&mut nodes);
/// # drop(tape);
/// ```
#[must_use]
pub const fn tape_len(qr_len: usize) -> usize {
    crate::json::Tape::required_len(scratch_len(qr_len))
}

/// The examples of this module's README, run as doctests.
#[cfg(doctest)]
#[doc = include_str!("README.md")]
struct ReadmeExamples;
