//! SecretVerifier: hits after one success, misses on a changed hash, never caches failures,
//! bounded, expiring, thread-safe.

use std::sync::Arc;
use std::time::{Duration, Instant};

use payseal::secrets::bcrypt::{self, BcryptError, HASH_LEN};
use payseal::secrets::{CacheStats, SecretVerifier};

const TTL: Duration = Duration::from_secs(60);

fn hash_with_salt(secret: &[u8], salt_byte: u8) -> String {
    let mut buf = [0u8; HASH_LEN];
    bcrypt::hash(secret, 4, &[salt_byte; 16], &mut buf).expect("hash");
    String::from_utf8(buf.to_vec()).expect("ascii")
}

fn verifier(capacity: usize) -> SecretVerifier {
    let mut n = 0u8;
    let mut rng = |buf: &mut [u8]| {
        for b in buf {
            *b = n;
            n = n.wrapping_add(1);
        }
    };
    SecretVerifier::with_rng(capacity, TTL, &mut rng).expect("infallible rng")
}

fn stats(hits: u64, misses: u64) -> CacheStats {
    let mut s = CacheStats::default();
    s.hits = hits;
    s.misses = misses;
    s
}

#[test]
fn second_check_is_a_hit() {
    let v = verifier(16);
    let h = hash_with_salt(b"sk_live_a", 1);
    let t0 = Instant::now();
    assert_eq!(v.verify_at(b"sk_live_a", &h, t0), Ok(()));
    assert_eq!(v.stats(), stats(0, 1));
    assert_eq!(v.verify_at(b"sk_live_a", &h, t0 + Duration::from_secs(1)), Ok(()));
    assert_eq!(v.stats(), stats(1, 1));
    assert_eq!(v.len(), 1);
}

#[test]
fn failures_are_never_cached() {
    let v = verifier(16);
    let h = hash_with_salt(b"sk_live_a", 1);
    let t0 = Instant::now();
    for _ in 0..2 {
        assert_eq!(v.verify_at(b"sk_live_b", &h, t0), Err(BcryptError::Mismatch));
        assert_eq!(v.verify_at(b"sk_live_a", "$2b$04$short", t0), Err(BcryptError::MalformedHash));
    }
    assert_eq!(v.stats(), stats(0, 4));
    assert!(v.is_empty());
    // A cached success does not make a wrong secret pass.
    assert_eq!(v.verify_at(b"sk_live_a", &h, t0), Ok(()));
    assert_eq!(v.verify_at(b"sk_live_b", &h, t0), Err(BcryptError::Mismatch));
}

#[test]
fn a_changed_hash_misses() {
    let v = verifier(16);
    let t0 = Instant::now();
    let old = hash_with_salt(b"sk_live_a", 1);
    let new = hash_with_salt(b"sk_live_a", 2);
    assert_eq!(v.verify_at(b"sk_live_a", &old, t0), Ok(()));
    assert_eq!(v.verify_at(b"sk_live_a", &new, t0), Ok(()));
    assert_eq!(v.stats(), stats(0, 2));
    // The secret was rotated: the old pair still answers from the cache until its TTL ends,
    // but a hash for another secret never matches this secret.
    let other = hash_with_salt(b"sk_live_rotated", 3);
    assert_eq!(v.verify_at(b"sk_live_a", &other, t0), Err(BcryptError::Mismatch));
}

#[test]
fn entries_expire_after_the_ttl() {
    let v = verifier(16);
    let h = hash_with_salt(b"sk_live_a", 1);
    let t0 = Instant::now();
    assert_eq!(v.verify_at(b"sk_live_a", &h, t0), Ok(()));
    assert_eq!(v.verify_at(b"sk_live_a", &h, t0 + TTL - Duration::from_millis(1)), Ok(()));
    assert_eq!(v.stats(), stats(1, 1));
    assert_eq!(v.verify_at(b"sk_live_a", &h, t0 + TTL), Ok(()));
    assert_eq!(v.stats(), stats(1, 2), "at exactly the TTL the entry is gone");
    // Re-cached from the new time.
    assert_eq!(v.verify_at(b"sk_live_a", &h, t0 + TTL + Duration::from_secs(1)), Ok(()));
    assert_eq!(v.stats(), stats(2, 2));
}

#[test]
fn capacity_bounds_the_table_and_evicts_the_oldest() {
    let v = verifier(2);
    let t0 = Instant::now();
    let hashes: Vec<String> = (1..=3).map(|i| hash_with_salt(b"sk_live_a", i)).collect();
    for h in &hashes {
        assert_eq!(v.verify_at(b"sk_live_a", h, t0), Ok(()));
        assert!(v.len() <= 2);
    }
    assert_eq!(v.len(), 2);
    assert_eq!(v.stats(), stats(0, 3));
    // The newest two hit; the oldest was evicted.
    assert_eq!(v.verify_at(b"sk_live_a", &hashes[2], t0), Ok(()));
    assert_eq!(v.verify_at(b"sk_live_a", &hashes[1], t0), Ok(()));
    assert_eq!(v.stats(), stats(2, 3));
    assert_eq!(v.verify_at(b"sk_live_a", &hashes[0], t0), Ok(()));
    assert_eq!(v.stats(), stats(2, 4));
    // Many more insertions keep the bound.
    for round in 0..20u32 {
        let h = &hashes[(round % 3) as usize];
        assert_eq!(v.verify_at(b"sk_live_a", h, t0 + Duration::from_secs(u64::from(round))), Ok(()));
        assert!(v.len() <= 2);
    }
}

#[test]
fn capacity_zero_disables_caching() {
    let v = verifier(0);
    let h = hash_with_salt(b"sk_live_a", 1);
    assert_eq!(v.verify(b"sk_live_a", &h), Ok(()));
    assert_eq!(v.verify(b"sk_live_a", &h), Ok(()));
    assert!(v.is_empty());
    assert_eq!(v.stats(), stats(0, 0));
}

#[test]
fn clear_forgets_everything() {
    let v = verifier(4);
    let h = hash_with_salt(b"sk_live_a", 1);
    assert_eq!(v.verify(b"sk_live_a", &h), Ok(()));
    v.clear();
    assert!(v.is_empty());
    assert_eq!(v.verify(b"sk_live_a", &h), Ok(()));
    assert_eq!(v.stats(), stats(0, 2));
}

#[test]
fn shared_between_threads() {
    let v = Arc::new(SecretVerifier::new(64, TTL).expect("os randomness"));
    let h = Arc::new(hash_with_salt(b"sk_live_a", 1));
    let threads: Vec<_> = (0..4)
        .map(|_| {
            let (v, h) = (Arc::clone(&v), Arc::clone(&h));
            std::thread::spawn(move || {
                for _ in 0..3 {
                    assert_eq!(v.verify(b"sk_live_a", h.as_str()), Ok(()));
                    assert_eq!(v.verify(b"sk_live_x", h.as_str()), Err(BcryptError::Mismatch));
                }
            })
        })
        .collect();
    for t in threads {
        t.join().expect("thread");
    }
    let s = v.stats();
    assert_eq!(s.hits + s.misses, 24);
    assert!(s.hits >= 8, "{s:?}");
    assert_eq!(v.len(), 1);
}

#[test]
fn debug_shows_no_key_or_tags() {
    let v = verifier(4);
    let text = format!("{v:?}");
    assert!(text.starts_with("SecretVerifier { capacity: 4, ttl: 60s, len: 0"), "{text}");
    assert!(!text.contains("mac") && !text.contains("key"), "{text}");
}

#[test]
fn shared_verifiers_are_one_per_name_for_the_process() {
    let h = hash_with_salt(b"sk_live_shared", 2);
    let first = SecretVerifier::shared("secrets_verifier.rs", 16, TTL).expect("os randomness");
    assert_eq!(first.verify(b"sk_live_shared", h.as_str()), Ok(()));
    drop(first);
    // Same name: the same cache, whatever the later capacity and TTL.
    let again = SecretVerifier::shared("secrets_verifier.rs", 0, Duration::ZERO).expect("os randomness");
    assert_eq!(again.verify(b"sk_live_shared", h.as_str()), Ok(()));
    assert_eq!(again.stats(), stats(1, 1));
    assert_eq!(again.verify(b"sk_live_wrong", h.as_str()), Err(BcryptError::Mismatch));
    assert_eq!(again.len(), 1);
    // Another name: another cache.
    let other = SecretVerifier::shared("secrets_verifier.rs other", 16, TTL).expect("os randomness");
    assert_eq!(other.stats(), stats(0, 0));
    assert!(other.is_empty());
}

mod with_store {
    //! The store layer behind the in-process cache: cache, then store, then bcrypt; a bcrypt
    //! success written to both; a forged or garbage store entry never makes a wrong secret pass.

    use super::*;
    use payseal::secrets::store::{CacheKeyError, SecretStore, KEY_LEN, VALUE_LEN};
    use std::collections::HashMap;
    use std::sync::Mutex;

    #[derive(Default, Clone)]
    struct Memory(Arc<Mutex<HashMap<[u8; KEY_LEN], [u8; VALUE_LEN]>>>);

    impl SecretStore for Memory {
        fn load(&self, key: &[u8; KEY_LEN]) -> Option<[u8; VALUE_LEN]> {
            self.0.lock().expect("lock").get(key).copied()
        }
        fn store(&self, key: &[u8; KEY_LEN], value: &[u8; VALUE_LEN], _ttl: Duration) {
            self.0.lock().expect("lock").insert(*key, *value);
        }
    }

    const KEY: [u8; 32] = [0x42; 32];

    fn layered(capacity: usize, store: &Memory) -> SecretVerifier {
        verifier(capacity).with_store(Box::new(store.clone()), &KEY).expect("key")
    }

    fn counts(v: &SecretVerifier) -> (u64, u64, u64) {
        let s = v.stats();
        (s.hits, s.store_hits, s.misses)
    }

    #[test]
    fn a_second_process_answers_from_the_store_then_from_its_cache() {
        let store = Memory::default();
        let h = hash_with_salt(b"sk_live_a", 1);
        let (first, second) = (layered(16, &store), layered(16, &store));
        let t0 = Instant::now();
        assert_eq!(first.verify_at(b"sk_live_a", &h, t0), Ok(()));
        assert_eq!(counts(&first), (0, 0, 1));
        assert_eq!(store.0.lock().expect("lock").len(), 1, "a bcrypt success goes to the store");
        assert_eq!(second.verify_at(b"sk_live_a", &h, t0), Ok(()));
        assert_eq!(counts(&second), (0, 1, 0));
        assert_eq!(second.verify_at(b"sk_live_a", &h, t0), Ok(()));
        assert_eq!(counts(&second), (1, 1, 0), "a store hit is remembered locally");
        // Past the TTL: neither layer answers.
        assert_eq!(second.verify_at(b"sk_live_a", &h, t0 + TTL + Duration::from_secs(1)), Ok(()));
        assert_eq!(counts(&second), (1, 1, 1));
    }

    #[test]
    fn store_only_with_capacity_zero() {
        let store = Memory::default();
        let h = hash_with_salt(b"sk_live_a", 1);
        let v = layered(0, &store);
        let t0 = Instant::now();
        assert_eq!(v.verify_at(b"sk_live_a", &h, t0), Ok(()));
        assert_eq!(v.verify_at(b"sk_live_a", &h, t0), Ok(()));
        assert_eq!(counts(&v), (0, 1, 1));
        assert!(v.is_empty());
    }

    #[test]
    fn garbage_or_copied_entries_never_pass_a_wrong_secret() {
        let store = Memory::default();
        let h = hash_with_salt(b"sk_live_a", 1);
        let v = layered(16, &store);
        let t0 = Instant::now();
        v.verify_at(b"sk_live_a", &h, t0).expect("match");
        let good = *store.0.lock().expect("lock").values().next().expect("stored");
        for value in [good, [0u8; VALUE_LEN], [0xff; VALUE_LEN]] {
            // Every possible key of the store holds the value: the wrong secret's key included.
            let keys: Vec<_> = store.0.lock().expect("lock").keys().copied().collect();
            for k in keys {
                store.0.lock().expect("lock").insert(k, value);
            }
            let fresh = layered(16, &store);
            assert_eq!(fresh.verify_at(b"sk_live_wrong", &h, t0), Err(BcryptError::Mismatch));
            assert_eq!(counts(&fresh), (0, 0, 1));
        }
        // Another deployment's cache key never accepts these entries.
        let other = verifier(16).with_store(Box::new(store.clone()), &[0x43; 32]).expect("key");
        assert_eq!(other.verify_at(b"sk_live_a", &h, t0), Ok(()));
        assert_eq!(counts(&other), (0, 0, 1));
    }

    #[test]
    fn short_cache_keys_are_refused() {
        let err = verifier(16).with_store(Box::new(Memory::default()), &[1; 31]).err();
        assert_eq!(err, Some(CacheKeyError::TooShort));
    }

    #[test]
    fn shared_with_builds_once_per_name() {
        let store = Memory::default();
        let name = "core-test-shared-with";
        let a = SecretVerifier::shared_with(name, || Ok::<_, ()>(layered(16, &store))).expect("built");
        let b = SecretVerifier::shared_with::<()>(name, || panic!("built twice")).expect("same");
        assert!(Arc::ptr_eq(&a, &b));
        assert!(a.has_store());
    }
}
