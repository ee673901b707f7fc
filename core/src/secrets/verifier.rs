//! [`SecretVerifier`]: bcrypt checks of API secrets with a bounded, expiring cache of successes.

use core::time::Duration;
use std::boxed::Box;
use std::collections::{BTreeMap, HashMap, VecDeque};
use std::string::String;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Instant, SystemTime, UNIX_EPOCH};

use super::bcrypt::{self, BcryptError};
use super::random::{OsRandom, RandomSource, RandomnessError};
use super::store::{CacheKeyError, Keying, SecretStore};
use crate::mac::{Algorithm, HmacKey, MAX_OUTPUT};

type Tag = [u8; 32];

/// bcrypt verification with a bounded, expiring cache of recent successes.
///
/// A gateway checks the same API secret against the same stored hash on every request; at
/// cost 10 each check costs ~45 ms of CPU. After one successful check the verifier remembers
/// the pair, so later requests with the same (hash, secret) answer in well under a microsecond.
///
/// What is remembered is a 32-byte tag, HMAC-SHA256 under a per-process random key of
/// `hash || 0x00 || secret`: never the secret, and useless outside this process. A changed hash
/// (a rotated or revoked secret) gives a different tag and so a miss; failures are never
/// remembered, so a wrong secret always pays the full bcrypt cost. Entries expire after `ttl`
/// and the table holds at most `capacity` of them (the oldest entry is evicted first). The
/// table is allocated once, at construction, and never grows.
///
/// All methods take `&self`: share one verifier between threads (behind an `Arc`, or a
/// `static`). The cache is one mutex held only for a table lookup or insert, never during
/// bcrypt.
///
/// ```
/// use std::time::{Duration, Instant};
/// use payseal::secrets::bcrypt::{self, BcryptError};
/// use payseal::secrets::SecretVerifier;
///
/// let mut buf = [0u8; bcrypt::HASH_LEN];
/// bcrypt::hash_with_os_salt(b"sk_live_example", 4, &mut buf).unwrap();
/// let stored = core::str::from_utf8(&buf).unwrap();
///
/// let verifier = SecretVerifier::new(1024, Duration::from_secs(300)).unwrap();
/// assert_eq!(verifier.verify(b"sk_live_example", stored), Ok(())); // bcrypt, then cached
/// assert_eq!(verifier.verify(b"sk_live_example", stored), Ok(())); // from the cache
/// assert_eq!(verifier.verify(b"sk_live_wrong", stored), Err(BcryptError::Mismatch));
///
/// // Time is a parameter: after the TTL the next check runs bcrypt again.
/// let later = Instant::now() + Duration::from_secs(301);
/// assert_eq!(verifier.verify_at(b"sk_live_example", stored, later), Ok(()));
/// ```
///
/// # A store shared between processes
///
/// [`SecretVerifier::with_store`] adds a second layer behind the in-process cache: a
/// [`SecretStore`] (Redis: the crate `payseal-cache-redis`) that every worker of a deployment
/// shares. A check asks the in-process cache first, then the store, then runs bcrypt; a bcrypt
/// success is written to both, and a store hit to the in-process cache (for no longer than the
/// store entry has left). The store's keys and values are those of
/// [`StoreVerifier`](super::store::StoreVerifier) (the same [`store`](super::store) keying
/// code), so the CLI and every binding read and write the same entries. The layering lives
/// here, in core, once, so that every binding only passes its arguments through; core does no
/// I/O itself, the store does.
pub struct SecretVerifier {
    /// HMAC-SHA256 key schedule under the per-process random key, computed once (wiped on
    /// drop).
    mac: HmacKey,
    capacity: usize,
    ttl: Duration,
    table: Mutex<Table>,
    store: Option<StoreLayer>,
}

/// The optional shared layer: the store, its keying under the deployment's cache key, and the
/// wall clock at construction (store entries expire in Unix seconds; `verify_at` takes a
/// monotonic `Instant`, mapped through this pair so that time stays one parameter).
struct StoreLayer {
    store: Box<dyn SecretStore + Send + Sync>,
    keying: Keying,
    epoch: Instant,
    epoch_unix: u64,
}

impl StoreLayer {
    fn unix(&self, now: Instant) -> u64 {
        match now.checked_duration_since(self.epoch) {
            Some(after) => self.epoch_unix.saturating_add(after.as_secs()),
            None => self.epoch_unix.saturating_sub(self.epoch.saturating_duration_since(now).as_secs()),
        }
    }
}

/// Counters of a [`SecretVerifier`]'s cache.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct CacheStats {
    /// Checks answered from the in-process cache.
    pub hits: u64,
    /// Checks answered from the shared store (see [`SecretVerifier::with_store`]).
    pub store_hits: u64,
    /// Checks that ran bcrypt (successful or not; a verifier with neither cache nor store
    /// counts none).
    pub misses: u64,
}

#[derive(Clone, Copy)]
struct Entry {
    expires: Instant,
    /// Insertion number, to recognise this entry's place in `Table::order`.
    seq: u64,
}

struct Table {
    entries: HashMap<Tag, Entry>,
    stats: CacheStats,
    /// Insertion order (oldest first), with the insertion number of each; entries replaced
    /// since are stale and skipped.
    order: VecDeque<(Tag, u64)>,
    next_seq: u64,
}

impl SecretVerifier {
    /// The largest capacity honoured (about 140 bytes per entry: some 140 MB at this maximum);
    /// larger requests are lowered to it.
    pub const MAX_CAPACITY: usize = 1 << 20;

    /// A verifier remembering at most `capacity` successful checks (up to
    /// [`Self::MAX_CAPACITY`]), each for `ttl`, under a fresh key from the operating system's
    /// generator. `capacity == 0` disables caching. The table is allocated here, once.
    pub fn new(capacity: usize, ttl: Duration) -> Result<Self, RandomnessError> {
        Self::with_rng(capacity, ttl, &mut OsRandom)
    }

    /// The process-wide verifier called `name`, created on the first call with `capacity` and
    /// `ttl` (later calls with the same name return that same verifier, whatever their
    /// `capacity` and `ttl`: the first call's stand until the process exits).
    ///
    /// For hosts that rebuild their objects on every request (PHP under FPM, a per-request
    /// handler): the cache lives here, in the library, for the life of the process, so the
    /// second request with the same (hash, secret) skips bcrypt. Each process (each FPM worker)
    /// has its own registry; nothing is shared between processes, and the tags stay under the
    /// verifier's per-process random key.
    pub fn shared(name: &str, capacity: usize, ttl: Duration) -> Result<Arc<Self>, RandomnessError> {
        Self::shared_with(name, || Self::new(capacity, ttl))
    }

    /// The process-wide verifier called `name`, built by `make` on the first call (later calls
    /// with the same name return it and do not call `make`). The registry of
    /// [`SecretVerifier::shared`], for verifiers built otherwise: a store-backed one (one store
    /// connection and one in-process cache per process, surviving PHP-FPM requests).
    pub fn shared_with<E>(name: &str, make: impl FnOnce() -> Result<Self, E>) -> Result<Arc<Self>, E> {
        static REGISTRY: Mutex<BTreeMap<String, Arc<SecretVerifier>>> = Mutex::new(BTreeMap::new());
        let mut registry = REGISTRY.lock().unwrap_or_else(PoisonError::into_inner);
        if let Some(verifier) = registry.get(name) {
            return Ok(Arc::clone(verifier));
        }
        let verifier = Arc::new(make()?);
        registry.insert(String::from(name), Arc::clone(&verifier));
        Ok(verifier)
    }

    /// This verifier with a shared store behind its in-process cache (see the type's
    /// documentation): entries keyed and authenticated under `cache_key` (at least
    /// [`MIN_CACHE_KEY_LEN`](super::store::MIN_CACHE_KEY_LEN) bytes, the same in every process
    /// sharing the store, as secret as the API secrets), each stored for this verifier's TTL.
    /// A store that fails or holds garbage only costs a bcrypt run: it never fails a check and
    /// never makes a wrong secret pass. With `capacity == 0` only the store caches.
    pub fn with_store(
        mut self,
        store: Box<dyn SecretStore + Send + Sync>,
        cache_key: &[u8],
    ) -> Result<Self, CacheKeyError> {
        let keying = Keying::new(cache_key, self.ttl)?;
        let epoch_unix = SystemTime::now().duration_since(UNIX_EPOCH).map_or(0, |d| d.as_secs());
        self.store = Some(StoreLayer { store, keying, epoch: Instant::now(), epoch_unix });
        Ok(self)
    }

    /// True when this verifier has a shared store behind its in-process cache.
    #[must_use]
    pub fn has_store(&self) -> bool {
        self.store.is_some()
    }

    /// [`SecretVerifier::new`] with the tag key drawn from `rng`.
    pub fn with_rng(capacity: usize, ttl: Duration, rng: &mut impl RandomSource) -> Result<Self, RandomnessError> {
        let capacity = capacity.min(Self::MAX_CAPACITY);
        let mut key = zeroize::Zeroizing::new([0u8; 32]);
        rng.fill(key.as_mut())?;
        let mac = HmacKey::new(Algorithm::Sha256, key.as_ref());
        let table = Table {
            entries: HashMap::with_capacity(capacity),
            order: VecDeque::with_capacity(order_bound(capacity)),
            next_seq: 0,
            stats: CacheStats::default(),
        };
        Ok(Self { mac, capacity, ttl, table: Mutex::new(table), store: None })
    }

    /// Checks `secret` against the bcrypt `hash` now; see [`SecretVerifier::verify_at`].
    pub fn verify(&self, secret: impl AsRef<[u8]>, hash: impl AsRef<[u8]>) -> Result<(), BcryptError> {
        self.verify_at(secret, hash, Instant::now())
    }

    /// Checks `secret` against the bcrypt `hash` as of `now`: from the cache when this pair
    /// succeeded less than `ttl` before `now`, then (with [`SecretVerifier::with_store`]) from
    /// the store when it holds a valid entry, otherwise with [`bcrypt::verify`] (and a success
    /// is then remembered from `now`, in the cache and the store). Errors are exactly
    /// [`bcrypt::verify`]'s. The store is asked with no lock held.
    pub fn verify_at(&self, secret: impl AsRef<[u8]>, hash: impl AsRef<[u8]>, now: Instant) -> Result<(), BcryptError> {
        let (secret, hash) = (secret.as_ref(), hash.as_ref());
        if self.capacity == 0 && self.store.is_none() {
            return bcrypt::verify(secret, hash);
        }
        let tag = (self.capacity > 0).then(|| self.tag(hash, secret));
        if let Some(tag) = &tag {
            let mut table = self.lock();
            if table.hit(tag, now) {
                table.stats.hits += 1;
                return Ok(());
            }
        }
        let from_store = self.store.as_ref().map(|layer| {
            let unix = layer.unix(now);
            (layer, unix, layer.keying.lookup(layer.store.as_ref(), hash, secret, unix))
        });
        if let Some((_, _, (_, Some(left)))) = from_store {
            self.lock().stats.store_hits += 1;
            let life = self.ttl.min(Duration::from_secs(left));
            self.remember(tag, now, life);
            return Ok(());
        }
        self.lock().stats.misses += 1;
        bcrypt::verify(secret, hash)?;
        self.remember(tag, now, self.ttl);
        if let Some((layer, unix, (key, None))) = from_store {
            layer.keying.remember(layer.store.as_ref(), &key, unix);
        }
        Ok(())
    }

    /// Remembers a success in the in-process cache (when it has one) for `life` from `now`.
    fn remember(&self, tag: Option<Tag>, now: Instant, life: Duration) {
        if let (Some(tag), Some(expires)) = (tag, now.checked_add(life)) {
            self.lock().insert(tag, expires, now, self.capacity);
        }
    }

    /// The most successes remembered (the requested capacity, lowered to
    /// [`Self::MAX_CAPACITY`]).
    #[must_use]
    pub fn capacity(&self) -> usize {
        self.capacity
    }

    /// How long a success is remembered.
    #[must_use]
    pub fn ttl(&self) -> Duration {
        self.ttl
    }

    /// Entries currently held (expired ones included until they are evicted).
    #[must_use]
    pub fn len(&self) -> usize {
        self.lock().entries.len()
    }

    /// Hits (in-process and from the store) and misses since construction (for metrics).
    #[must_use]
    pub fn stats(&self) -> CacheStats {
        self.lock().stats
    }

    /// True when nothing is cached.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Forgets every success cached in this process (e.g. after rotating secrets in bulk). A
    /// shared store's entries stay until their TTL: they name the old hash, which a rotated
    /// secret no longer matches, so they are never consulted again.
    pub fn clear(&self) {
        let mut table = self.lock();
        table.entries.clear();
        table.order.clear();
    }

    fn tag(&self, hash: &[u8], secret: &[u8]) -> Tag {
        let mut mac = self.mac.start();
        mac.update(hash);
        mac.update(&[0]);
        mac.update(secret);
        let mut out = [0u8; MAX_OUTPUT];
        let n = mac.finish(&mut out);
        let mut tag = [0u8; 32];
        tag.copy_from_slice(&out[..n]);
        tag
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Table> {
        // The table is consistent after every statement; a panic elsewhere cannot corrupt it.
        self.table.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

/// Most entries `Table::order` may hold: live entries plus as many stale ones.
fn order_bound(capacity: usize) -> usize {
    capacity.saturating_mul(2)
}

impl Table {
    fn hit(&self, tag: &Tag, now: Instant) -> bool {
        self.entries.get(tag).is_some_and(|e| now < e.expires)
    }

    fn insert(&mut self, tag: Tag, expires: Instant, now: Instant, capacity: usize) {
        // Evict from the oldest end: stale positions, expired entries, and while the table is
        // full (or the order queue at its bound) the oldest live entry.
        while let Some(&(old_tag, seq)) = self.order.front() {
            let current = self.entries.get(&old_tag).filter(|e| e.seq == seq).copied();
            let must_go = match current {
                None => true,
                Some(e) => {
                    e.expires <= now || self.entries.len() >= capacity || self.order.len() >= order_bound(capacity)
                }
            };
            if !must_go {
                break;
            }
            self.order.pop_front();
            if current.is_some() {
                self.entries.remove(&old_tag);
            }
        }
        let seq = self.next_seq;
        self.next_seq += 1;
        self.entries.insert(tag, Entry { expires, seq });
        self.order.push_back((tag, seq));
    }
}

impl core::fmt::Debug for SecretVerifier {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("SecretVerifier")
            .field("capacity", &self.capacity)
            .field("ttl", &self.ttl)
            .field("len", &self.len())
            .field("store", &self.store.is_some())
            .finish_non_exhaustive()
    }
}
