//! Why a delivery could not be signed.

use core::fmt;

use super::super::Error;

/// Why [`KeySet::sign`](super::super::KeySet::sign) could not sign. Codes are rows of
/// [`crate::codes`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum SignError {
    /// The output buffer is too small; `needed` bytes are required (exact).
    BufferTooSmall {
        /// The size the output needs.
        needed: usize,
    },
    /// The body (or the signed result) would exceed a cap the verifier enforces
    /// ([`limits`](super::super::limits)).
    TooLarge,
    /// The body is not in the scheme's format: not one Adyen `NotificationRequestItem` (JSON),
    /// not a Spreedly `<transaction>` document whose listed fields can be signed.
    MalformedBody,
    /// An option is unusable: `name` is `now` (outside 0..=999999999999999999), `id` (empty,
    /// not printable ASCII, or with spaces), `fields` (a name that is not one simple child,
    /// or none) or `algorithm` (not `sha1`, `sha256`, `sha512`).
    InvalidArgument {
        /// The option's name.
        name: &'static str,
    },
    /// The randomness source failed (or none is available without `std`).
    Randomness,
}

impl SignError {
    /// `buffer_too_small`, `too_large`, `malformed_body`, `invalid_argument` or `randomness`.
    #[must_use]
    pub const fn code(&self) -> &'static str {
        match self {
            Self::BufferTooSmall { .. } => "buffer_too_small",
            Self::TooLarge => "too_large",
            Self::MalformedBody => "malformed_body",
            Self::InvalidArgument { .. } => "invalid_argument",
            Self::Randomness => "randomness",
        }
    }
}

impl fmt::Display for SignError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::BufferTooSmall { needed } => write!(f, "output buffer too small ({needed} bytes needed)"),
            Self::TooLarge => f.write_str("input exceeds a size limit"),
            Self::MalformedBody => f.write_str("the body is not in the scheme's format"),
            Self::InvalidArgument { name } => write!(f, "invalid {name}"),
            Self::Randomness => f.write_str("the randomness source failed"),
        }
    }
}

#[cfg(feature = "std")]
impl std::error::Error for SignError {}

/// The verifier's parsing errors, met while reading a body to sign.
impl From<Error> for SignError {
    fn from(e: Error) -> Self {
        match e {
            Error::TooLarge | Error::TooManySignatures => Self::TooLarge,
            Error::BufferTooSmall { needed } => Self::BufferTooSmall { needed },
            _ => Self::MalformedBody,
        }
    }
}
