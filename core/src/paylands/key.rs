//! The merchant's Paylands signature: a shared secret, held so that it never leaks by accident.

use zeroize::Zeroize;

/// The longest signature [`SignatureKey`] holds. Paylands issues short keys (tens of bytes);
/// the bound lets the key live without allocation.
pub const MAX_SIGNATURE_LEN: usize = 256;

/// Why bytes were refused as a signature.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum KeyError {
    /// An empty signature would make every hash computable by anyone.
    Empty,
    /// Longer than [`MAX_SIGNATURE_LEN`].
    TooLong {
        /// The length that was given.
        len: usize,
    },
}

impl KeyError {
    /// A stable snake_case name for bindings and logs.
    #[must_use]
    pub const fn code(&self) -> &'static str {
        match self {
            Self::Empty => "empty_signature",
            Self::TooLong { .. } => "signature_too_long",
        }
    }
}

impl core::fmt::Display for KeyError {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        match self {
            Self::Empty => f.write_str("the Paylands signature is empty"),
            Self::TooLong { len } => {
                write!(f, "the Paylands signature is {len} bytes long (at most {MAX_SIGNATURE_LEN} are supported)")
            }
        }
    }
}

#[cfg(feature = "std")]
impl std::error::Error for KeyError {}

/// The secret Paylands calls the service's *signature*: appended to the JSON before hashing,
/// `sha256(json_encode(data) . signature)`.
///
/// `Debug` prints `SignatureKey(<redacted>)`, and the bytes are zeroised when the key is
/// dropped. Moving the key copies it like any value, so keep it in one place (a long-lived
/// [`Verifier`](super::Verifier), a `Box`) rather than passing it around by value.
///
/// ```
/// use payseal::paylands::SignatureKey;
/// let key = SignatureKey::new(b"Gq3xV0L2hT7bP9sK1mN4cR8wZ6yA5dE0")?;
/// assert_eq!(format!("{key:?}"), "SignatureKey(<redacted>)");
/// assert!(SignatureKey::new(b"").is_err());
/// # Ok::<(), payseal::paylands::KeyError>(())
/// ```
pub struct SignatureKey {
    bytes: [u8; MAX_SIGNATURE_LEN],
    len: usize,
}

impl SignatureKey {
    /// Copies `signature` (the exact bytes Paylands shows: no trimming is done here).
    pub fn new(signature: &[u8]) -> Result<Self, KeyError> {
        if signature.is_empty() {
            return Err(KeyError::Empty);
        }
        if signature.len() > MAX_SIGNATURE_LEN {
            return Err(KeyError::TooLong { len: signature.len() });
        }
        let mut bytes = [0u8; MAX_SIGNATURE_LEN];
        bytes[..signature.len()].copy_from_slice(signature);
        Ok(Self { bytes, len: signature.len() })
    }

    /// The secret bytes, for hashing.
    pub(crate) fn expose(&self) -> &[u8] {
        &self.bytes[..self.len]
    }
}

impl core::fmt::Debug for SignatureKey {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str("SignatureKey(<redacted>)")
    }
}

impl Drop for SignatureKey {
    fn drop(&mut self) {
        self.bytes.zeroize();
        self.len.zeroize();
    }
}

impl zeroize::ZeroizeOnDrop for SignatureKey {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bounds() {
        assert_eq!(SignatureKey::new(b"").err(), Some(KeyError::Empty));
        assert!(SignatureKey::new(&[b'k'; MAX_SIGNATURE_LEN]).is_ok());
        assert_eq!(
            SignatureKey::new(&[b'k'; MAX_SIGNATURE_LEN + 1]).err(),
            Some(KeyError::TooLong { len: MAX_SIGNATURE_LEN + 1 })
        );
        let key = SignatureKey::new(b"s1gnature").ok();
        assert_eq!(key.as_ref().map(SignatureKey::expose), Some(&b"s1gnature"[..]));
    }
}
