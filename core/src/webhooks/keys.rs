//! Key sets: every secret of a scheme (several during a rotation), parsed and precomputed once.

use aes_gcm::aead::generic_array::GenericArray;
use aes_gcm::{Aes256Gcm, KeyInit};
use zeroize::{Zeroize, ZeroizeOnDrop};

use super::limits::MAX_SECRET_LEN;
use super::{KeyError, Scheme};
use crate::mac::{Algorithm, HmacKey, HmacKeyTrio};

/// One secret in its precomputed form, 240 bytes (Spreedly's three schedules are the largest;
/// not boxed: the core works without an allocator).
#[derive(Clone)]
pub(crate) enum Secret {
    /// HMAC-SHA256 key schedule.
    Hmac(HmacKey),
    /// Spreedly names the hash in the body, so all three schedules are ready.
    Spreedly(HmacKeyTrio),
    /// The AES-256 key (OPPWA). Its schedule (992 bytes with the GHASH key) is expanded at
    /// each use: kept here, it made every key set 4 KiB, which a one-shot verification
    /// (`payseal_webhook_verify_once`, built and wiped per call) moved and wiped whole. The
    /// expansion does not show in OPPWA's verify bench (941 against 943 ns for 1 KiB); the
    /// one-shot EU Pay call under PHP-FPM went from 0.78 to 0.65 µs.
    Aes(AesKey),
}

/// The secrets of one scheme, parsed once: at most [`KeySet::MAX`], tried in order.
///
/// Each secret is given as the provider shows it: the raw text for most schemes, `whsec_`
/// plus base64 (the prefix is optional) for Standard Webhooks, hex for Adyen (HMAC key) and
/// OPPWA (64 hex digits, AES-256). The HMAC key schedule is computed here, not per
/// verification. `Debug` shows the scheme and the number of keys only, and every secret is
/// wiped from memory when the set is dropped.
///
/// ```
/// use payseal::webhooks::{KeySet, Scheme};
/// let keys = KeySet::new(Scheme::Github, &["new-secret", "old-secret"]).unwrap();
/// assert_eq!(keys.len(), 2);
/// assert_eq!(format!("{keys:?}"), "KeySet { scheme: Github, keys: 2, .. }");
/// ```
#[derive(Clone)]
pub struct KeySet {
    scheme: Scheme,
    secrets: [Option<Secret>; KeySet::MAX],
    len: usize,
}

impl core::fmt::Debug for KeySet {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("KeySet").field("scheme", &self.scheme).field("keys", &self.len).finish_non_exhaustive()
    }
}

impl KeySet {
    /// The most secrets one set holds (a rotation needs two; four leave room).
    pub const MAX: usize = 4;

    /// Parses and precomputes `secrets` for `scheme`.
    pub fn new<S: AsRef<[u8]>>(scheme: Scheme, secrets: &[S]) -> Result<Self, KeyError> {
        if secrets.is_empty() {
            return Err(KeyError::NoSecret);
        }
        if secrets.len() > Self::MAX {
            return Err(KeyError::TooManySecrets);
        }
        let mut set = Self { scheme, secrets: [const { None }; Self::MAX], len: 0 };
        for (index, secret) in secrets.iter().enumerate() {
            set.secrets[index] = Some(parse(scheme, secret.as_ref(), index)?);
            set.len += 1;
        }
        Ok(set)
    }

    /// The scheme these keys verify.
    #[must_use]
    pub const fn scheme(&self) -> Scheme {
        self.scheme
    }

    /// How many secrets the set holds.
    #[must_use]
    pub const fn len(&self) -> usize {
        self.len
    }

    /// Always false: a set holds at least one secret.
    #[must_use]
    pub const fn is_empty(&self) -> bool {
        self.len == 0
    }

    pub(crate) fn secrets(&self) -> impl Iterator<Item = &Secret> {
        self.secrets.iter().flatten()
    }

    /// The HMAC-SHA256 schedules (every scheme but Spreedly and OPPWA).
    pub(crate) fn hmac_sha256(&self) -> impl Iterator<Item = &HmacKey> {
        self.secrets().filter_map(|s| match s {
            Secret::Hmac(k) => Some(k),
            _ => None,
        })
    }

    /// The keys for `alg` (Spreedly): copies of the schedules, wiped when dropped.
    pub(crate) fn spreedly(&self, alg: Algorithm) -> impl Iterator<Item = HmacKey> + '_ {
        self.secrets().filter_map(move |s| match s {
            Secret::Spreedly(trio) => trio.get(alg),
            _ => None,
        })
    }

    /// The AES-256-GCM ciphers (OPPWA), expanded from the keys as they are reached; each is
    /// wiped when dropped (`aes-gcm`'s `zeroize` feature).
    pub(crate) fn aes(&self) -> impl Iterator<Item = Aes256Gcm> + '_ {
        self.secrets().filter_map(|s| match s {
            Secret::Aes(k) => Some(Aes256Gcm::new(GenericArray::from_slice(&k.0))),
            _ => None,
        })
    }
}

/// An AES-256 key, wiped on drop.
#[derive(Clone, Zeroize, ZeroizeOnDrop)]
pub(crate) struct AesKey([u8; 32]);

/// A scratch buffer for decoded key bytes, wiped on drop.
#[derive(Zeroize, ZeroizeOnDrop)]
struct KeyBytes([u8; MAX_SECRET_LEN]);

fn parse(scheme: Scheme, text: &[u8], index: usize) -> Result<Secret, KeyError> {
    if text.is_empty() {
        return Err(KeyError::Empty { index });
    }
    if text.len() > 2 * MAX_SECRET_LEN {
        return Err(KeyError::Malformed { index });
    }
    let malformed = |_| KeyError::Malformed { index };
    // Decoded secrets go through a wiped scratch buffer; the others are used as given, with no
    // buffer to fill and wipe (1 KiB of volatile writes, per secret and per one-shot call).
    let mut buf = match scheme {
        Scheme::Standard | Scheme::AdyenItem | Scheme::Oppwa | Scheme::OppwaBase64 => KeyBytes([0; MAX_SECRET_LEN]),
        _ => return secret(scheme, text, index),
    };
    let n = match scheme {
        Scheme::Standard => {
            let b64 = text.strip_prefix(b"whsec_").unwrap_or(text);
            crate::encoding::base64::standard_decode(b64, &mut buf.0).map_err(malformed)?
        }
        _ => crate::encoding::hex::decode(text, &mut buf.0).map_err(malformed)?,
    };
    secret(scheme, &buf.0[..n], index)
}

/// The key material of secret number `index` once decoded: its MAC keys or AES key.
fn secret(scheme: Scheme, key: &[u8], index: usize) -> Result<Secret, KeyError> {
    if key.is_empty() {
        return Err(KeyError::Empty { index });
    }
    Ok(match scheme {
        Scheme::Spreedly => Secret::Spreedly(HmacKeyTrio::new(key)),
        Scheme::Oppwa | Scheme::OppwaBase64 => {
            Secret::Aes(AesKey(key.try_into().map_err(|_| KeyError::Malformed { index })?))
        }
        _ => Secret::Hmac(HmacKey::new(Algorithm::Sha256, key)),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A one-shot verification builds a set per call, often with cold caches (PHP-FPM):
    /// every byte of it is written and moved (benches/harness/PROFILES.md, "One-shot webhook
    /// keys"). A new secret kind that grows the slots should be a decision, not an accident.
    #[test]
    fn a_key_set_stays_under_a_kilobyte() {
        assert!(core::mem::size_of::<KeySet>() <= 1024, "{}", core::mem::size_of::<KeySet>());
    }

    #[test]
    fn formats_and_errors() {
        let none: [&str; 0] = [];
        assert_eq!(KeySet::new(Scheme::Github, &none).err(), Some(KeyError::NoSecret));
        assert_eq!(KeySet::new(Scheme::Github, &["a"; 5]).err(), Some(KeyError::TooManySecrets));
        assert_eq!(KeySet::new(Scheme::Github, &["a", ""]).err(), Some(KeyError::Empty { index: 1 }));
        assert!(KeySet::new(Scheme::Standard, &["whsec_dGVzdA=="]).is_ok());
        assert!(KeySet::new(Scheme::Standard, &["dGVzdA=="]).is_ok());
        assert_eq!(KeySet::new(Scheme::Standard, &["whsec_!!"]).err(), Some(KeyError::Malformed { index: 0 }));
        assert_eq!(KeySet::new(Scheme::Standard, &["whsec_"]).err(), Some(KeyError::Empty { index: 0 }));
        assert!(KeySet::new(Scheme::AdyenItem, &["0A1b"]).is_ok());
        assert_eq!(KeySet::new(Scheme::AdyenItem, &["0A1"]).err(), Some(KeyError::Malformed { index: 0 }));
        assert!(KeySet::new(Scheme::Oppwa, &["00".repeat(32)]).is_ok());
        assert_eq!(KeySet::new(Scheme::Oppwa, &["00".repeat(16)]).err(), Some(KeyError::Malformed { index: 0 }));
        let keys = KeySet::new(Scheme::Spreedly, &["s3cr3t"]).expect("valid key");
        assert_eq!(keys.spreedly(Algorithm::Sha512).count(), 1);
        assert_eq!(keys.hmac_sha256().count(), 0);
    }

    #[test]
    fn debug_never_shows_key_material() {
        let keys = KeySet::new(Scheme::Oppwa, &["ab".repeat(32)]).expect("valid key");
        let s = alloc::format!("{keys:?}");
        assert_eq!(s, "KeySet { scheme: Oppwa, keys: 1, .. }");
    }
}
