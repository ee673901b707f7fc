//! The EU Pay QR secret as a precomputed HMAC-SHA256 key schedule.

use core::sync::atomic::{compiler_fence, Ordering};

use hmac::digest::KeyInit;
use hmac::Hmac;
use sha2::Sha256;

/// HMAC-SHA256 keyed once; every message starts from a clone of this state, so the key
/// schedule (`K ^ ipad`, `K ^ opad` absorbed) is computed once per secret, not per message.
///
/// Wiping: `hmac` 0.12 and `sha2` 0.10 implement no `Zeroize`, and core forbids `unsafe`, so
/// on drop the keyed state is overwritten in place with the state of the empty key (public
/// data), and the store is kept alive against dead-store elimination with
/// [`core::hint::black_box`] and a compiler fence, as `zeroize` does with volatile writes.
/// Per-message clones live on the stack and are not wiped.
pub(crate) struct QrKey {
    mac: Hmac<Sha256>,
}

impl QrKey {
    /// Keys HMAC-SHA256 with the secret's bytes (any length; RFC 2104 hashes keys longer than
    /// a block).
    pub(crate) fn new(secret: &[u8]) -> Self {
        Self { mac: keyed(secret) }
    }

    /// A fresh MAC context for one message.
    #[inline]
    pub(crate) fn mac(&self) -> Hmac<Sha256> {
        self.mac.clone()
    }
}

fn keyed(secret: &[u8]) -> Hmac<Sha256> {
    // HMAC accepts every key length: `new_from_slice` cannot fail for it.
    <Hmac<Sha256> as KeyInit>::new_from_slice(secret)
        .unwrap_or_else(|_| <Hmac<Sha256> as KeyInit>::new(&Default::default()))
}

impl Drop for QrKey {
    fn drop(&mut self) {
        self.mac = keyed(&[]);
        core::hint::black_box(&self.mac);
        compiler_fence(Ordering::SeqCst);
    }
}

impl core::fmt::Debug for QrKey {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str("<redacted>")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use hmac::Mac;
    use std::format;
    use std::prelude::rust_2021::*;

    #[test]
    fn clone_per_message_matches_a_fresh_mac() {
        let key = QrKey::new(b"s3cr3t");
        for msg in [&b""[..], b"abc", &[7u8; 200]] {
            let mut a = key.mac();
            a.update(msg);
            let mut b = <Hmac<Sha256> as Mac>::new_from_slice(b"s3cr3t").unwrap();
            b.update(msg);
            assert_eq!(a.finalize().into_bytes(), b.finalize().into_bytes());
        }
        assert_eq!(format!("{key:?}"), "<redacted>");
    }
}
