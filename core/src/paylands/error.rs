//! What can go wrong when a notification is checked.

use crate::json;

/// Why a notification was not accepted. Never says where a digest differed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum Error {
    /// Well formed, but its `validation_hash` is not the hash of its data and the signature:
    /// forged, tampered with, signed with another signature, or encoded with other flags.
    Mismatch,
    /// Valid JSON, but not a Paylands notification (see [`Malformed`]).
    Malformed(Malformed),
    /// The body is not JSON as PHP's `json_decode` reads it (with payseal's stricter policy on
    /// duplicate keys and number overflow), or the caller's tape is too small
    /// ([`json::Error::ScratchTooSmall`]).
    Json(json::Error),
}

/// How a JSON notification fails to be a Paylands notification.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum Malformed {
    /// The top-level value is not an object.
    NotAnObject,
    /// There is no `validation_hash` member.
    MissingValidationHash,
    /// `validation_hash` is not a string.
    ValidationHashNotString,
    /// `validation_hash` is not 64 hexadecimal digits.
    ValidationHashNotHex,
    /// Notification mode: there is no `order` member.
    MissingOrder,
}

impl Malformed {
    /// A short, stable description.
    #[must_use]
    pub const fn reason(&self) -> &'static str {
        match self {
            Self::NotAnObject => "the top-level JSON value is not an object",
            Self::MissingValidationHash => "no validation_hash member",
            Self::ValidationHashNotString => "validation_hash is not a string",
            Self::ValidationHashNotHex => "validation_hash is not 64 hexadecimal digits",
            Self::MissingOrder => "no order member",
        }
    }
}

impl Error {
    /// The conformance vectors' name for the outcome: `mismatch` or `malformed` (JSON that
    /// does not parse is `malformed` too). A tape too small for the document is not a property
    /// of the notification and keeps the engine's code (`scratch_too_small`).
    #[must_use]
    pub const fn code(&self) -> &'static str {
        match self {
            Self::Mismatch => "mismatch",
            Self::Malformed(_) => "malformed",
            Self::Json(e @ (json::Error::ScratchTooSmall { .. } | json::Error::BufferTooSmall { .. })) => e.code(),
            Self::Json(_) => "malformed",
        }
    }
}

impl From<Malformed> for Error {
    fn from(m: Malformed) -> Self {
        Self::Malformed(m)
    }
}

impl From<json::Error> for Error {
    fn from(e: json::Error) -> Self {
        Self::Json(e)
    }
}

impl core::fmt::Display for Malformed {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str(self.reason())
    }
}

impl core::fmt::Display for Error {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        match self {
            Self::Mismatch => f.write_str("mismatch: validation_hash does not match the notification and signature"),
            Self::Malformed(m) => write!(f, "malformed: {m}"),
            Self::Json(e @ (json::Error::ScratchTooSmall { .. } | json::Error::BufferTooSmall { .. })) => {
                write!(f, "{e}")
            }
            Self::Json(e) => write!(f, "malformed: invalid JSON: {e}"),
        }
    }
}

#[cfg(feature = "std")]
impl std::error::Error for Error {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Self::Json(e) => Some(e),
            _ => None,
        }
    }
}
