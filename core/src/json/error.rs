//! The engine's errors, named after the conformance vectors' vocabulary.

/// Why a document was rejected. `offset` is the byte offset in the input where the problem
/// was found. Errors follow one precedence: invalid UTF-8 anywhere wins; otherwise the first
/// error in document order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum Error {
    /// Not JSON (RFC 8259 grammar, as `JSON.parse` and PHP's `json_decode` read it).
    Syntax {
        /// Byte offset.
        offset: usize,
    },
    /// The input is not valid UTF-8.
    InvalidUtf8 {
        /// Byte offset of the first invalid sequence.
        offset: usize,
    },
    /// An object has the same key twice (policy: stricter than both engines).
    DuplicateKey {
        /// Byte offset of the second occurrence.
        offset: usize,
    },
    /// Nesting deeper than the dialect allows (JavaScript: 512; PHP: 511).
    Depth {
        /// Byte offset of the bracket that went too deep.
        offset: usize,
    },
    /// A number overflows to ±Infinity (policy: both engines would print something else).
    NumberRange {
        /// Byte offset of the number.
        offset: usize,
    },
    /// A `\u` escape names an unpaired UTF-16 surrogate (PHP `JSON_ERROR_UTF16`).
    LoneSurrogate {
        /// Byte offset of the escape.
        offset: usize,
    },
    /// The input is larger than the engine's 4 GiB − 1 limit on offsets.
    TooLarge {
        /// The input's length.
        len: usize,
    },
    /// The caller's output buffer is too small.
    BufferTooSmall {
        /// The size the output needs.
        needed: usize,
    },
    /// A document parsed for one dialect family was asked to print in the other (their
    /// validation differs: PHP rejects lone surrogates and nests one level less).
    DialectMismatch,
    /// The caller's scratch (tape) is too small for this document.
    ScratchTooSmall {
        /// Tape entries the document needs.
        needed: usize,
    },
}

impl Error {
    /// The vector vocabulary's name for this error (`syntax`, `invalid_utf8`, ...).
    #[must_use]
    pub const fn code(&self) -> &'static str {
        match self {
            Self::Syntax { .. } => "syntax",
            Self::InvalidUtf8 { .. } => "invalid_utf8",
            Self::DuplicateKey { .. } => "duplicate_key",
            Self::Depth { .. } => "depth",
            Self::NumberRange { .. } => "number_range",
            Self::LoneSurrogate { .. } => "lone_surrogate",
            Self::TooLarge { .. } => "too_large",
            Self::DialectMismatch => "dialect_mismatch",
            Self::BufferTooSmall { .. } => "buffer_too_small",
            Self::ScratchTooSmall { .. } => "scratch_too_small",
        }
    }

    /// The byte offset the error refers to, when it refers to the input.
    #[must_use]
    pub const fn offset(&self) -> Option<usize> {
        match *self {
            Self::Syntax { offset }
            | Self::InvalidUtf8 { offset }
            | Self::DuplicateKey { offset }
            | Self::Depth { offset }
            | Self::NumberRange { offset }
            | Self::LoneSurrogate { offset } => Some(offset),
            Self::TooLarge { .. }
            | Self::DialectMismatch
            | Self::BufferTooSmall { .. }
            | Self::ScratchTooSmall { .. } => None,
        }
    }
}

impl core::fmt::Display for Error {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        match *self {
            Self::TooLarge { len } => write!(f, "too_large: {len} bytes"),
            Self::BufferTooSmall { needed } => write!(f, "buffer_too_small: {needed} bytes needed"),
            Self::ScratchTooSmall { needed } => write!(f, "scratch_too_small: {needed} tape entries needed"),
            Self::DialectMismatch => f.write_str("dialect_mismatch: parsed for another dialect"),
            _ => write!(f, "{} at byte {}", self.code(), self.offset().unwrap_or(0)),
        }
    }
}

#[cfg(feature = "std")]
impl std::error::Error for Error {}
