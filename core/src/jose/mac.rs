//! The one place JOSE computes HMAC (HS256/384/512, RFC 7518 §3.2): the core's one zeroising
//! HMAC ([`crate::mac`]), key schedules precomputed for the keys of a set.

use super::Algorithm;
use crate::mac::{Algorithm as H, HmacKey};

/// HMAC of `data` under the raw `key` for an HS* algorithm into `out`; returns the tag length
/// (0 for an algorithm that is not HS*).
pub(crate) fn hmac(alg: Algorithm, key: &[u8], data: &[u8], out: &mut [u8; 64]) -> usize {
    match alg {
        Algorithm::Hs256 => HmacKey::new(H::Sha256, key).mac(data, out),
        Algorithm::Hs512 => HmacKey::new(H::Sha512, key).mac(data, out),
        Algorithm::Hs384 => HmacKey::new(H::Sha384, key).mac(data, out),
        _ => 0,
    }
}

/// An `oct` key with its HMAC-SHA-256 and HMAC-SHA-512 key schedules computed once (saves two
/// compression-function calls per verification). Wiped on drop, never printed.
#[cfg(feature = "alloc")]
#[derive(Clone)]
pub struct HmacSecret {
    bytes: zeroize::Zeroizing<alloc::vec::Vec<u8>>,
    sha256: HmacKey,
    sha512: HmacKey,
}

#[cfg(feature = "alloc")]
impl core::fmt::Debug for HmacSecret {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("HmacSecret").field("len", &self.bytes.len()).finish_non_exhaustive()
    }
}

#[cfg(feature = "alloc")]
impl HmacSecret {
    /// Copies `key` and precomputes its schedules.
    #[must_use]
    pub fn new(key: &[u8]) -> Self {
        Self {
            bytes: zeroize::Zeroizing::new(key.to_vec()),
            sha256: HmacKey::new(H::Sha256, key),
            sha512: HmacKey::new(H::Sha512, key),
        }
    }

    /// The key's length in bytes.
    #[must_use]
    pub fn len(&self) -> usize {
        self.bytes.len()
    }

    /// True for an empty key.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.bytes.is_empty()
    }

    /// [`hmac`] with the precomputed schedules.
    pub(crate) fn mac(&self, alg: Algorithm, data: &[u8], out: &mut [u8; 64]) -> usize {
        match alg {
            Algorithm::Hs256 => self.sha256.mac(data, out),
            Algorithm::Hs512 => self.sha512.mac(data, out),
            _ => hmac(alg, &self.bytes, data, out),
        }
    }
}
