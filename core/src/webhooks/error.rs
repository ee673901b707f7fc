//! Why a webhook was rejected, and why a key set could not be built.

use core::fmt;

/// Why a webhook delivery was rejected. Every variant is a rejection: act on the delivery only
/// after `Ok(())`. No variant says where or how far a MAC differed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum Error {
    /// A header the scheme needs is absent.
    MissingHeader {
        /// The header's canonical name.
        name: &'static str,
    },
    /// A header is present but not in the scheme's syntax (wrong prefix or algorithm, bad
    /// encoding, empty, not a timestamp, repeated).
    MalformedHeader {
        /// The header's canonical name.
        name: &'static str,
    },
    /// The body is not in the scheme's format (JSON for Adyen, XML for Spreedly, hex or
    /// base64 ciphertext for OPPWA).
    MalformedBody,
    /// No signature matched any key of the set (this includes a signature of the wrong
    /// length and, for OPPWA, an authentication tag that does not verify).
    BadSignature,
    /// The signed timestamp is more than the tolerance before `now`.
    TimestampTooOld,
    /// The signed timestamp is more than the tolerance after `now`.
    TimestampTooNew,
    /// A header carries more than [`MAX_SIGNATURES`](super::limits::MAX_SIGNATURES) signatures.
    TooManySignatures,
    /// A header, body or document exceeds a documented cap ([`super::limits`]).
    TooLarge,
    /// The output buffer is too small for the plaintext; `needed` bytes are required.
    BufferTooSmall {
        /// The size the output needs.
        needed: usize,
    },
}

impl Error {
    /// A stable snake_case code: `missing_header`, `malformed_header`, `malformed_body`,
    /// `bad_signature`, `timestamp_too_old`, `timestamp_too_new`, `too_many_signatures`,
    /// `too_large`, `buffer_too_small`.
    #[must_use]
    pub const fn code(&self) -> &'static str {
        match self {
            Self::MissingHeader { .. } => "missing_header",
            Self::MalformedHeader { .. } => "malformed_header",
            Self::MalformedBody => "malformed_body",
            Self::BadSignature => "bad_signature",
            Self::TimestampTooOld => "timestamp_too_old",
            Self::TimestampTooNew => "timestamp_too_new",
            Self::TooManySignatures => "too_many_signatures",
            Self::TooLarge => "too_large",
            Self::BufferTooSmall { .. } => "buffer_too_small",
        }
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::MissingHeader { name } => write!(f, "missing header {name}"),
            Self::MalformedHeader { name } => write!(f, "malformed header {name}"),
            Self::MalformedBody => f.write_str("malformed body"),
            Self::BadSignature => f.write_str("signature does not match"),
            Self::TimestampTooOld => f.write_str("timestamp too old"),
            Self::TimestampTooNew => f.write_str("timestamp too far in the future"),
            Self::TooManySignatures => f.write_str("too many signatures in one header"),
            Self::TooLarge => f.write_str("input exceeds a size limit"),
            Self::BufferTooSmall { needed } => write!(f, "output buffer too small ({needed} bytes needed)"),
        }
    }
}

#[cfg(feature = "std")]
impl std::error::Error for Error {}

/// Why a [`KeySet`](super::KeySet) could not be built. Never contains key material.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum KeyError {
    /// No secret was given.
    NoSecret,
    /// More than [`KeySet::MAX`](super::KeySet::MAX) secrets were given.
    TooManySecrets,
    /// The secret at `index` is empty.
    Empty {
        /// Position in the list given.
        index: usize,
    },
    /// The secret at `index` is not in the scheme's key format (`whsec_` base64 for Standard
    /// Webhooks, hex for Adyen, 64 hex digits for OPPWA) or is longer than
    /// [`MAX_SECRET_LEN`](super::limits::MAX_SECRET_LEN).
    Malformed {
        /// Position in the list given.
        index: usize,
    },
}

impl KeyError {
    /// A stable snake_case name for bindings and logs.
    #[must_use]
    pub const fn code(&self) -> &'static str {
        match self {
            Self::NoSecret => "no_secret",
            Self::TooManySecrets => "too_many_secrets",
            Self::Empty { .. } => "empty_secret",
            Self::Malformed { .. } => "malformed_secret",
        }
    }
}

impl fmt::Display for KeyError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::NoSecret => f.write_str("no secret given"),
            Self::TooManySecrets => write!(f, "more than {} secrets given", super::KeySet::MAX),
            Self::Empty { index } => write!(f, "secret #{index} is empty"),
            Self::Malformed { index } => write!(f, "secret #{index} is not in the scheme's key format"),
        }
    }
}

#[cfg(feature = "std")]
impl std::error::Error for KeyError {}
