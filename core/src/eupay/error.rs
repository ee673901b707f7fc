//! Why a QR code was rejected, or could not be signed or read.

use crate::json;

/// Why [`QrVerifier`](super::QrVerifier) rejected a QR code. Codes follow the conformance
/// vectors' vocabulary ([`QrError::code`]). Errors never say where a MAC differed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum QrError {
    /// The signature does not match the payload under this secret (including a `sig` that is
    /// not 64 lowercase hex digits).
    BadSignature,
    /// The signature is good but `expiresAt` is before `now`.
    Expired {
        /// `expiresAt` in Unix seconds (rounded down).
        expires_at: i64,
    },
    /// The text is not a well-formed EU Pay QR code; nothing was verified.
    Malformed(Malformed),
    /// The caller's decoding scratch is too small (see [`scratch_len`](super::scratch_len)
    /// and [`tape_len`](super::tape_len)). This is a programming error, not a verdict on the QR.
    BufferTooSmall {
        /// Bytes (for the decoding buffer) or tape entries (for the tape) needed.
        needed: usize,
    },
}

impl QrError {
    /// `bad_signature`, `expired`, `malformed` or `buffer_too_small`.
    #[must_use]
    pub const fn code(&self) -> &'static str {
        match self {
            Self::BadSignature => "bad_signature",
            Self::Expired { .. } => "expired",
            Self::Malformed(_) => "malformed",
            Self::BufferTooSmall { .. } => "buffer_too_small",
        }
    }
}

impl From<Malformed> for QrError {
    fn from(m: Malformed) -> Self {
        Self::Malformed(m)
    }
}

impl core::fmt::Display for QrError {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        match self {
            Self::BadSignature => f.write_str("bad_signature: the signature does not match"),
            Self::Expired { expires_at } => write!(f, "expired: expiresAt is {expires_at} (Unix seconds)"),
            Self::Malformed(m) => write!(f, "malformed: {m}"),
            Self::BufferTooSmall { needed } => write!(f, "buffer_too_small: {needed} needed"),
        }
    }
}

#[cfg(feature = "std")]
impl std::error::Error for QrError {}

/// What is wrong with a malformed QR code.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum Malformed {
    /// The text is longer than [`MAX_QR_LEN`](super::MAX_QR_LEN).
    TooLarge {
        /// The text's length.
        len: usize,
        /// The limit.
        max: usize,
    },
    /// A URL other than [`URL_PREFIX`](super::URL_PREFIX) or
    /// [`DEEP_LINK_PREFIX`](super::DEEP_LINK_PREFIX) (up to the `?`).
    UnrecognisedLink,
    /// No `data` parameter, or an empty one.
    MissingData,
    /// More than one `data` parameter.
    DuplicateData,
    /// A `%` not followed by two hex digits.
    BadPercentEncoding,
    /// Not base64url (bad character, impossible length, bad padding or non-zero trailing bits).
    BadBase64,
    /// The envelope is not JSON (or has duplicate keys, or nests too deep, ...).
    Json(json::Error),
    /// The envelope is not a JSON object.
    EnvelopeNotObject,
    /// The envelope has no `payload`.
    MissingPayload,
    /// `payload` is not a JSON object.
    PayloadNotObject,
    /// The envelope has no `sig`.
    MissingSig,
    /// `sig` is not a string.
    SigNotString,
    /// A correctly signed `expiresAt` that is neither `null` nor an RFC 3339 date-time string.
    BadExpiresAt,
}

impl Malformed {
    /// A short name for the reason (`too_large`, `bad_base64`, or the JSON error's code such
    /// as `syntax` or `duplicate_key`, ...).
    #[must_use]
    pub const fn code(&self) -> &'static str {
        match self {
            Self::TooLarge { .. } => "too_large",
            Self::UnrecognisedLink => "unrecognised_link",
            Self::MissingData => "missing_data",
            Self::DuplicateData => "duplicate_data",
            Self::BadPercentEncoding => "bad_percent_encoding",
            Self::BadBase64 => "bad_base64",
            Self::Json(e) => e.code(),
            Self::EnvelopeNotObject => "envelope_not_object",
            Self::MissingPayload => "missing_payload",
            Self::PayloadNotObject => "payload_not_object",
            Self::MissingSig => "missing_sig",
            Self::SigNotString => "sig_not_string",
            Self::BadExpiresAt => "bad_expires_at",
        }
    }
}

impl core::fmt::Display for Malformed {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        match self {
            Self::TooLarge { len, max } => write!(f, "too_large: {len} bytes (at most {max})"),
            Self::Json(e) => write!(f, "envelope is not valid JSON: {e}"),
            other => f.write_str(other.code()),
        }
    }
}

/// Why [`QrSigner::sign`](super::QrSigner::sign) or a [`SignedQr`](super::SignedQr) writer
/// failed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum SignError {
    /// The payload text is not JSON (see [`json::Error`]).
    Json(json::Error),
    /// The payload is JSON but not an object.
    PayloadNotObject,
    /// The payload text is longer than [`MAX_PAYLOAD_LEN`](super::MAX_PAYLOAD_LEN), or the URL
    /// would be longer than [`MAX_QR_LEN`](super::MAX_QR_LEN).
    TooLarge {
        /// The payload text's or the URL's length.
        len: usize,
        /// The limit.
        max: usize,
    },
    /// The output buffer is too small.
    BufferTooSmall {
        /// Bytes needed.
        needed: usize,
    },
}

impl SignError {
    /// `payload_not_object`, `too_large`, `buffer_too_small`, or the JSON error's code.
    #[must_use]
    pub const fn code(&self) -> &'static str {
        match self {
            Self::Json(e) => e.code(),
            Self::PayloadNotObject => "payload_not_object",
            Self::TooLarge { .. } => "too_large",
            Self::BufferTooSmall { .. } => "buffer_too_small",
        }
    }
}

impl core::fmt::Display for SignError {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        match self {
            Self::Json(e) => write!(f, "payload is not valid JSON: {e}"),
            Self::PayloadNotObject => f.write_str("payload_not_object: the payload must be a JSON object"),
            Self::TooLarge { len, max } => write!(f, "too_large: {len} bytes (at most {max})"),
            Self::BufferTooSmall { needed } => write!(f, "buffer_too_small: {needed} bytes needed"),
        }
    }
}

#[cfg(feature = "std")]
impl std::error::Error for SignError {}

/// Why a QR secret cannot key a [`QrSigner`](super::QrSigner) or
/// [`QrVerifier`](super::QrVerifier).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum KeyError {
    /// The secret is empty: HMAC accepts it (RFC 2104), but then anyone could sign. Refused
    /// here, in the core, so that every language refuses it the same way.
    EmptySecret,
}

impl KeyError {
    /// `empty_secret`.
    #[must_use]
    pub const fn code(&self) -> &'static str {
        match self {
            Self::EmptySecret => "empty_secret",
        }
    }
}

impl core::fmt::Display for KeyError {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        match self {
            Self::EmptySecret => f.write_str("empty_secret: the QR secret is empty"),
        }
    }
}

#[cfg(feature = "std")]
impl std::error::Error for KeyError {}

/// Why a payload string could not be returned as `&str`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum TextError {
    /// The buffer is too small for the decoded text.
    BufferTooSmall {
        /// Bytes needed.
        needed: usize,
    },
    /// The string holds a lone UTF-16 surrogate (`\ud800`), which JSON allows and `str` cannot.
    LoneSurrogate,
}

impl core::fmt::Display for TextError {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        match self {
            Self::BufferTooSmall { needed } => write!(f, "buffer_too_small: {needed} bytes needed"),
            Self::LoneSurrogate => f.write_str("lone_surrogate: the string is not valid Unicode"),
        }
    }
}

#[cfg(feature = "std")]
impl std::error::Error for TextError {}
