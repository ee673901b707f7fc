//! The EU Pay QR secret as a precomputed HMAC-SHA256 key schedule ([`crate::mac::HmacKey`]:
//! computed once per secret, `Debug`-redacted, wiped on drop).

use super::error::KeyError;
use crate::mac::{Algorithm, HmacKey, Mac, MAX_OUTPUT};

/// HMAC-SHA256 keyed once with the QR secret; refuses an empty secret (anyone could sign).
#[derive(Clone)]
pub(crate) struct QrKey(HmacKey);

impl QrKey {
    /// Keys HMAC-SHA256 with the secret's bytes (any non-zero length; RFC 2104 hashes keys
    /// longer than a block). An empty secret is [`KeyError::EmptySecret`].
    pub(crate) fn new(secret: &[u8]) -> Result<Self, KeyError> {
        if secret.is_empty() {
            return Err(KeyError::EmptySecret);
        }
        Ok(Self(HmacKey::new(Algorithm::Sha256, secret)))
    }

    /// A fresh MAC computation for one message.
    #[inline]
    pub(crate) fn mac(&self) -> Mac<'_> {
        self.0.start()
    }
}

/// The 32-byte tag of a finished computation.
pub(crate) fn tag(mac: Mac<'_>) -> [u8; 32] {
    let mut out = [0u8; MAX_OUTPUT];
    let n = mac.finish(&mut out);
    let mut tag = [0u8; 32];
    tag.copy_from_slice(&out[..n]);
    tag
}

impl core::fmt::Debug for QrKey {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str("<redacted>")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use hmac::{Hmac, Mac as _};
    use sha2::Sha256;
    use std::format;
    use std::prelude::rust_2021::*;

    #[test]
    fn each_message_matches_a_fresh_mac() {
        let key = QrKey::new(b"s3cr3t").expect("non-empty");
        for msg in [&b""[..], b"abc", &[7u8; 200]] {
            let mut a = key.mac();
            a.update(msg);
            let mut b = <Hmac<Sha256> as hmac::Mac>::new_from_slice(b"s3cr3t").unwrap();
            b.update(msg);
            assert_eq!(tag(a)[..], b.finalize().into_bytes()[..]);
        }
        assert_eq!(format!("{key:?}"), "<redacted>");
        assert_eq!(QrKey::new(b"").err(), Some(KeyError::EmptySecret));
    }
}
