//! Byte encodings used on the wire: lowercase hex, base64url (no padding) and standard base64.
//!
//! Thin wrappers over `const-hex` and `base64-simd` that write into caller buffers and report
//! typed errors instead of panicking.

pub mod base64;
pub mod hex;

/// Why an encoding or decoding did not produce output.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum EncodingError {
    /// The output buffer is too small; `needed` bytes are required.
    BufferTooSmall {
        /// The size the output needs.
        needed: usize,
    },
    /// The input is not valid in this encoding (bad character, bad length or bad padding).
    Invalid,
}

impl core::fmt::Display for EncodingError {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        match self {
            Self::BufferTooSmall { needed } => write!(f, "output buffer too small ({needed} bytes needed)"),
            Self::Invalid => f.write_str("invalid encoding"),
        }
    }
}
