//! JOSE errors, named after the `jws.jsonl` vectors' vocabulary (and `core/src/codes.rs`).

/// Why a token was refused, or a key or signature could not be made.
///
/// Verification reports the first failure in the vectors' precedence: [`Error::Malformed`]
/// (structure and header) → [`Error::CritUnsupported`] → [`Error::AlgNotAllowed`] →
/// [`Error::KeyNotFound`] → [`Error::BadSignature`] → claims ([`Error::Malformed`] payload →
/// [`Error::Expired`] → [`Error::NotYetValid`] → [`Error::Audience`] → [`Error::Issuer`]).
/// A signature failure never says where or why the bytes differed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum Error {
    /// Not a compact JWS (three segments of canonical unpadded base64url), a protected header
    /// that is not a JSON object with a string `alg`, an empty `crit`, or (JWT) a payload that is
    /// not a JSON object or a registered claim of the wrong type.
    Malformed,
    /// Over a documented size limit ([`super::limits`]).
    TooLarge,
    /// The header names critical extensions (`crit`); payseal implements none.
    CritUnsupported,
    /// The header's `alg` is not in the caller's allow-list (`none` never is).
    AlgNotAllowed,
    /// No single usable key: none of the algorithm's type, none with the token's `kid`, or
    /// several candidates and no `kid` to choose.
    KeyNotFound,
    /// The signature does not verify.
    BadSignature,
    /// `now >= exp + leeway`.
    Expired,
    /// `now < nbf - leeway`.
    NotYetValid,
    /// `aud` missing or not the expected audience.
    Audience,
    /// `iss` missing or not the expected issuer.
    Issuer,
    /// A JWK or JWK Set that cannot be used (signing key of the wrong type or incomplete, set
    /// that is not `{"keys": [...]}`).
    InvalidKey,
    /// The caller's output buffer is too small.
    BufferTooSmall {
        /// The size the output needs.
        needed: usize,
    },
    /// The caller's scratch (decode buffer or JSON tape) is too small for this token.
    ScratchTooSmall {
        /// The size the scratch needs (bytes for the buffer, entries for the tape).
        needed: usize,
    },
    /// The operating system's random generator failed while signing.
    Randomness,
}

impl Error {
    /// The vector vocabulary's name for this error (a name of [`crate::codes::CODES`]).
    #[must_use]
    pub const fn code(&self) -> &'static str {
        match self {
            Self::Malformed => "malformed",
            Self::TooLarge => "too_large",
            Self::CritUnsupported => "crit_unsupported",
            Self::AlgNotAllowed => "alg_not_allowed",
            Self::KeyNotFound => "key_not_found",
            Self::BadSignature => "bad_signature",
            Self::Expired => "expired",
            Self::NotYetValid => "not_yet_valid",
            Self::Audience => "audience",
            Self::Issuer => "issuer",
            Self::InvalidKey => "invalid_key",
            Self::BufferTooSmall { .. } => "buffer_too_small",
            Self::ScratchTooSmall { .. } => "scratch_too_small",
            Self::Randomness => "randomness",
        }
    }
}

impl core::fmt::Display for Error {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        match self {
            Self::BufferTooSmall { needed } => write!(f, "output buffer too small ({needed} bytes needed)"),
            Self::ScratchTooSmall { needed } => write!(f, "scratch too small ({needed} needed)"),
            other => f.write_str(crate::codes::by_name(other.code()).map_or("error", |c| c.message)),
        }
    }
}

#[cfg(feature = "std")]
impl std::error::Error for Error {}
