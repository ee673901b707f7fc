//! [`StoreVerifier`]: bcrypt checks with successes remembered in a store shared between
//! processes and machines (Redis: the crate `payseal-cache-redis`), behind the
//! [`SecretStore`] trait.
//!
//! What a reader or writer of the store sees and can do:
//!
//! * **Key** (32 bytes): HMAC-SHA256 under the deployment's cache key of
//!   `"payseal/secret-cache/v1/key" 0x00 hash 0x00 secret`. Neither the secret nor the hash; and
//!   without the cache key nobody can compute the key of a (hash, secret) guess, so the store's
//!   contents do not allow testing guesses offline.
//! * **Value** ([`VALUE_LEN`] = 40 bytes): the expiry (Unix seconds, 8 bytes big-endian) and
//!   HMAC-SHA256 under the cache key of `"payseal/secret-cache/v1/value" 0x00 key expiry`. The
//!   value is checked (constant-time tag compare) and its expiry re-checked locally on every
//!   hit, so a value written by anyone without the cache key (garbage, an old value, a value
//!   copied from another key) is a miss: bcrypt runs, and a wrong secret fails as always.
//! * Only successes are stored, each with the store's own expiry set to the TTL.
//!
//! A store that fails (down, slow, garbage) answers "miss" and the check runs bcrypt: never
//! fails open, never fails the request.

use core::sync::atomic::{AtomicU64, Ordering};
use core::time::Duration;

use super::bcrypt::{self, BcryptError};
use crate::mac::{Algorithm, HmacKey, MAX_OUTPUT};

/// Bytes of a store key.
pub const KEY_LEN: usize = 32;
/// Bytes of a store value: expiry (8) and tag (32).
pub const VALUE_LEN: usize = 40;
/// The shortest deployment cache key accepted (256 bits).
pub const MIN_CACHE_KEY_LEN: usize = 32;

const KEY_LABEL: &[u8] = b"payseal/secret-cache/v1/key\0";
const VALUE_LABEL: &[u8] = b"payseal/secret-cache/v1/value\0";

/// Where [`StoreVerifier`] keeps its successes (Redis, memcached, a test double). Every failure
/// of the store is reported as a miss (`None`) or ignored (`store`): the verifier then runs
/// bcrypt, so a store must never need to be trusted for correctness.
pub trait SecretStore {
    /// The value stored under `key`, or `None` (absent, or the store failed).
    fn load(&self, key: &[u8; KEY_LEN]) -> Option<[u8; VALUE_LEN]>;
    /// Stores `value` under `key` for `ttl` (best effort).
    fn store(&self, key: &[u8; KEY_LEN], value: &[u8; VALUE_LEN], ttl: Duration);
}

/// The deployment's cache key is shorter than [`MIN_CACHE_KEY_LEN`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum CacheKeyError {
    /// Fewer than 32 bytes.
    TooShort,
}

impl CacheKeyError {
    /// The table's name: `invalid_key`.
    #[must_use]
    pub const fn code(&self) -> &'static str {
        "invalid_key"
    }
}

impl core::fmt::Display for CacheKeyError {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        write!(f, "the cache key must be at least {MIN_CACHE_KEY_LEN} bytes")
    }
}

/// Where a successful [`StoreVerifier::verify_at`] got its answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum Answer {
    /// A valid, unexpired entry of the store.
    Cached,
    /// bcrypt (the success was then stored).
    Bcrypt,
}

/// The keying of store entries under a deployment's cache key: the one implementation used by
/// [`StoreVerifier`] and by [`SecretVerifier`](crate::secrets::SecretVerifier)'s optional store
/// layer, so every binding and the CLI read and write the same entries.
pub(crate) struct Keying {
    mac: HmacKey,
    ttl: Duration,
}

impl Keying {
    pub(crate) fn new(cache_key: &[u8], ttl: Duration) -> Result<Self, CacheKeyError> {
        if cache_key.len() < MIN_CACHE_KEY_LEN {
            return Err(CacheKeyError::TooShort);
        }
        Ok(Self { mac: HmacKey::new(Algorithm::Sha256, cache_key), ttl })
    }

    /// Seconds from `now` that the entry of `(hash, secret)` in `store` is still valid for, or
    /// `None` (absent, garbage, forged, expired, the store failed), with the entry's key.
    pub(crate) fn lookup(
        &self,
        store: &(impl SecretStore + ?Sized),
        hash: &[u8],
        secret: &[u8],
        now: u64,
    ) -> ([u8; KEY_LEN], Option<u64>) {
        let key = self.key(hash, secret);
        let remaining = store.load(&key).and_then(|value| self.remaining(&key, &value, now));
        (key, remaining)
    }

    /// Stores the success of `key` at `now` until `now + ttl` (nothing when the TTL is 0).
    pub(crate) fn remember(&self, store: &(impl SecretStore + ?Sized), key: &[u8; KEY_LEN], now: u64) {
        if let Some(expires) = now.checked_add(self.ttl.as_secs()) {
            if self.ttl.as_secs() > 0 {
                store.store(key, &self.value(key, expires), self.ttl);
            }
        }
    }

    fn key(&self, hash: &[u8], secret: &[u8]) -> [u8; KEY_LEN] {
        let mut mac = self.mac.start();
        mac.update(KEY_LABEL);
        mac.update(hash);
        mac.update(&[0]);
        mac.update(secret);
        let mut out = [0u8; MAX_OUTPUT];
        mac.finish(&mut out);
        let mut key = [0u8; KEY_LEN];
        key.copy_from_slice(&out[..KEY_LEN]);
        key
    }

    fn tag(&self, key: &[u8; KEY_LEN], expires: [u8; 8]) -> [u8; MAX_OUTPUT] {
        let mut mac = self.mac.start();
        mac.update(VALUE_LABEL);
        mac.update(key);
        mac.update(&expires);
        let mut out = [0u8; MAX_OUTPUT];
        mac.finish(&mut out);
        out
    }

    fn value(&self, key: &[u8; KEY_LEN], expires: u64) -> [u8; VALUE_LEN] {
        let expires = expires.to_be_bytes();
        let mut value = [0u8; VALUE_LEN];
        value[..8].copy_from_slice(&expires);
        value[8..].copy_from_slice(&self.tag(key, expires)[..32]);
        value
    }

    /// `Some(seconds left)` when the tag verifies (constant time), the entry has not expired,
    /// and it does not claim to live longer than the TTL from now.
    fn remaining(&self, key: &[u8; KEY_LEN], value: &[u8; VALUE_LEN], now: u64) -> Option<u64> {
        let mut expires = [0u8; 8];
        expires.copy_from_slice(&value[..8]);
        let tag_ok = crate::ct::eq(&self.tag(key, expires)[..32], &value[8..]);
        let at = u64::from_be_bytes(expires);
        (tag_ok && now < at && at <= now.saturating_add(self.ttl.as_secs())).then(|| at - now)
    }
}

/// bcrypt with successes remembered in a [`SecretStore`] only (no in-process layer: the CLI's
/// one-shot check); see the module documentation. Long-lived processes use
/// [`SecretVerifier::with_store`](crate::secrets::SecretVerifier::with_store), which asks its
/// in-process cache first and keys the store exactly as this does.
pub struct StoreVerifier<S> {
    store: S,
    keying: Keying,
    ttl: Duration,
    hits: AtomicU64,
    misses: AtomicU64,
}

impl<S> core::fmt::Debug for StoreVerifier<S> {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("StoreVerifier").field("ttl", &self.ttl).finish_non_exhaustive()
    }
}

impl<S: SecretStore> StoreVerifier<S> {
    /// A verifier storing successes in `store` for `ttl`, keyed under `cache_key` (at least 32
    /// bytes, the same on every machine sharing the store; random, and kept as secret as the
    /// API secrets themselves).
    pub fn new(store: S, cache_key: &[u8], ttl: Duration) -> Result<Self, CacheKeyError> {
        let keying = Keying::new(cache_key, ttl)?;
        Ok(Self { store, keying, ttl, hits: AtomicU64::new(0), misses: AtomicU64::new(0) })
    }

    /// The store.
    pub fn store(&self) -> &S {
        &self.store
    }

    /// Checks `secret` against the bcrypt `hash` at `now` (Unix seconds): from the store when it
    /// holds a valid entry for this pair expiring after `now`, else with [`bcrypt::verify`] (and
    /// a success is stored until `now + ttl`). Errors are exactly [`bcrypt::verify`]'s.
    pub fn verify_at(&self, secret: &[u8], hash: &[u8], now: u64) -> Result<Answer, BcryptError> {
        let (key, remaining) = self.keying.lookup(&self.store, hash, secret, now);
        if remaining.is_some() {
            self.hits.fetch_add(1, Ordering::Relaxed);
            return Ok(Answer::Cached);
        }
        self.misses.fetch_add(1, Ordering::Relaxed);
        bcrypt::verify(secret, hash)?;
        self.keying.remember(&self.store, &key, now);
        Ok(Answer::Bcrypt)
    }

    /// Checks answered from the store, and checks that ran bcrypt.
    #[must_use]
    pub fn stats(&self) -> (u64, u64) {
        (self.hits.load(Ordering::Relaxed), self.misses.load(Ordering::Relaxed))
    }

    #[cfg(test)]
    fn key(&self, hash: &[u8], secret: &[u8]) -> [u8; KEY_LEN] {
        self.keying.key(hash, secret)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use core::cell::RefCell;
    use std::collections::HashMap;

    #[derive(Default)]
    struct Memory(RefCell<HashMap<[u8; KEY_LEN], [u8; VALUE_LEN]>>);

    impl SecretStore for Memory {
        fn load(&self, key: &[u8; KEY_LEN]) -> Option<[u8; VALUE_LEN]> {
            self.0.borrow().get(key).copied()
        }
        fn store(&self, key: &[u8; KEY_LEN], value: &[u8; VALUE_LEN], _ttl: Duration) {
            self.0.borrow_mut().insert(*key, *value);
        }
    }

    fn hash(secret: &[u8]) -> std::string::String {
        let mut out = [0u8; bcrypt::HASH_LEN];
        let n = bcrypt::hash(secret, 4, &[7; bcrypt::SALT_LEN], &mut out).expect("hash");
        std::string::String::from_utf8(out[..n].to_vec()).expect("ascii")
    }

    const KEY: [u8; 32] = [0x42; 32];

    #[test]
    fn hits_after_a_success_and_expires_locally() {
        let h = hash(b"sk_live_a");
        let v = StoreVerifier::new(Memory::default(), &KEY, Duration::from_secs(60)).expect("key");
        assert_eq!(v.verify_at(b"sk_live_a", h.as_bytes(), 1000), Ok(Answer::Bcrypt));
        assert_eq!(v.verify_at(b"sk_live_a", h.as_bytes(), 1059), Ok(Answer::Cached));
        // The store still holds the entry, but it has expired: re-checked here.
        assert_eq!(v.verify_at(b"sk_live_a", h.as_bytes(), 1060), Ok(Answer::Bcrypt));
        assert_eq!(v.verify_at(b"sk_live_b", h.as_bytes(), 1061), Err(BcryptError::Mismatch));
        assert_eq!(v.stats(), (1, 3));
    }

    #[test]
    fn forged_copied_or_garbage_values_are_misses() {
        let h = hash(b"sk_live_a");
        let v = StoreVerifier::new(Memory::default(), &KEY, Duration::from_secs(60)).expect("key");
        v.verify_at(b"sk_live_a", h.as_bytes(), 1000).expect("match");
        let good = *v.store().0.borrow().values().next().expect("stored");
        // Every key the store holds gets the valid value, garbage, or a value with a far expiry:
        // a wrong secret still fails.
        let wrong = v.key(h.as_bytes(), b"sk_live_wrong");
        for value in [good, [0u8; VALUE_LEN], [0xff; VALUE_LEN]] {
            v.store().0.borrow_mut().insert(wrong, value);
            assert_eq!(v.verify_at(b"sk_live_wrong", h.as_bytes(), 1001), Err(BcryptError::Mismatch));
        }
        // Another key's value with a later expiry forged into the right key: a miss.
        let mut far = good;
        far[..8].copy_from_slice(&u64::MAX.to_be_bytes());
        let right = v.key(h.as_bytes(), b"sk_live_a");
        v.store().0.borrow_mut().insert(right, far);
        assert_eq!(v.verify_at(b"sk_live_a", h.as_bytes(), 1002), Ok(Answer::Bcrypt));
        // A different cache key never accepts this deployment's values.
        let other = StoreVerifier::new(Memory::default(), &[0x43; 32], Duration::from_secs(60)).expect("key");
        other.store().0.borrow_mut().insert(other.key(h.as_bytes(), b"sk_live_a"), good);
        assert_eq!(other.verify_at(b"sk_live_a", h.as_bytes(), 1003), Ok(Answer::Bcrypt));
    }

    #[test]
    fn short_cache_keys_are_refused() {
        assert_eq!(
            StoreVerifier::new(Memory::default(), &[1; 31], Duration::from_secs(1)).err(),
            Some(CacheKeyError::TooShort)
        );
        assert_eq!(CacheKeyError::TooShort.code(), "invalid_key");
    }
}
