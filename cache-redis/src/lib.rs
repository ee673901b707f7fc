//! A Redis [`SecretStore`] for [`payseal::secrets::store::StoreVerifier`]: a gateway's workers on
//! every machine share their verified (hash, secret) pairs, so bcrypt runs once per pair and TTL
//! for the whole deployment.
//!
//! Redis is an optimisation, never a dependency for correctness or availability:
//!
//! * keys and values are MACs under the deployment's cache key (see
//!   [`payseal::secrets::store`]): a reader of Redis learns nothing to test guesses with, and a
//!   writer without the cache key cannot make a wrong secret pass;
//! * each command has a short connect, read and write timeout (default 50 ms);
//! * a circuit breaker: after [`RedisStore::FAILURES_TO_OPEN`] consecutive failures Redis is not
//!   asked for [`RedisStore::OPEN_FOR`] (one trial request after that); meanwhile every check
//!   runs bcrypt. A failing Redis never fails a check and never lets one pass.
//!
//! Long-lived processes (the C ABI and PHP, Python, Node) use [`verifier`] or [`shared`]: a
//! [`SecretVerifier`] with its in-process cache in front of Redis
//! ([`SecretVerifier::with_store`]: the layering is core's, written once). The bindings call
//! these two functions and only translate types, so every language keys Redis the same way
//! and validates its arguments the same way ([`Error`]).
//!
//! ```no_run
//! use std::time::Duration;
//! let verifier = payseal_cache_redis::shared(
//!     "default", 10_000, Duration::from_secs(300),
//!     "redis://127.0.0.1:6379/0", &[0x5a; 32], payseal_cache_redis::RedisStore::DEFAULT_TIMEOUT,
//! ).unwrap();
//! # let (secret, hash) = (b"sk_live_x", "$2b$10$...");
//! verifier.verify(secret, hash).ok();
//! ```
//!
//! The CLI's one-shot check has no in-process cache to keep and uses [`StoreVerifier`]
//! directly (the same keying):
//!
//! ```no_run
//! use std::time::{Duration, SystemTime, UNIX_EPOCH};
//! use payseal::secrets::store::StoreVerifier;
//! use payseal_cache_redis::RedisStore;
//!
//! let store = RedisStore::open("redis://127.0.0.1:6379/0").unwrap();
//! let verifier = StoreVerifier::new(store, &[0x5a; 32], Duration::from_secs(300)).unwrap();
//! let now = SystemTime::now().duration_since(UNIX_EPOCH).unwrap().as_secs();
//! # let (secret, hash) = (b"sk_live_x", "$2b$10$...");
//! verifier.verify_at(secret, hash.as_bytes(), now).ok();
//! ```

use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, Instant};

use payseal::codes::ErrorCode;
#[cfg(doc)]
use payseal::secrets::store::StoreVerifier;
use payseal::secrets::store::{CacheKeyError, SecretStore, KEY_LEN, MIN_CACHE_KEY_LEN, VALUE_LEN};
use payseal::secrets::{RandomnessError, SecretVerifier};

/// Redis keys are this prefix and the 32-byte key in hex.
pub const KEY_PREFIX: &str = "payseal:secret:v1:";

/// A Redis connection behind short timeouts and a circuit breaker.
pub struct RedisStore {
    client: redis::Client,
    timeout: Duration,
    state: Mutex<State>,
}

struct State {
    /// The connection and the process that opened it: a forked child (a pre-forking server that
    /// built its verifier before the fork) never talks over its parent's socket.
    connection: Option<(redis::Connection, u32)>,
    failures: u32,
    open_until: Option<Instant>,
}

impl core::fmt::Debug for RedisStore {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("RedisStore").field("timeout", &self.timeout).finish_non_exhaustive()
    }
}

/// Why a Redis URL was refused.
#[derive(Debug)]
pub struct OpenError(redis::RedisError);

impl core::fmt::Display for OpenError {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        write!(f, "bad Redis URL: {}", self.0)
    }
}

impl std::error::Error for OpenError {}

impl RedisStore {
    /// Consecutive failures that open the breaker.
    pub const FAILURES_TO_OPEN: u32 = 3;
    /// How long an open breaker keeps Redis out of the way.
    pub const OPEN_FOR: Duration = Duration::from_secs(5);
    /// The default connect, read and write timeout.
    pub const DEFAULT_TIMEOUT: Duration = Duration::from_millis(50);

    /// A store for `redis://HOST:PORT[/DB]` (no connection is made yet).
    pub fn open(url: &str) -> Result<Self, OpenError> {
        Self::with_timeout(url, Self::DEFAULT_TIMEOUT)
    }

    /// [`RedisStore::open`] with another timeout.
    pub fn with_timeout(url: &str, timeout: Duration) -> Result<Self, OpenError> {
        // No `CLIENT SETINFO` after connecting: one round trip less on the first check of a
        // fresh process (a new PHP-FPM worker), and nothing a cache needs.
        let info = redis::IntoConnectionInfo::into_connection_info(url).map_err(OpenError)?;
        let settings = info.redis_settings().clone().set_skip_set_lib_name();
        let client = redis::Client::open(info.set_redis_settings(settings)).map_err(OpenError)?;
        Ok(Self { client, timeout, state: Mutex::new(State { connection: None, failures: 0, open_until: None }) })
    }

    /// True while the breaker keeps Redis out of the way.
    #[must_use]
    pub fn is_open(&self) -> bool {
        self.lock().open_until.is_some_and(|t| Instant::now() < t)
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Runs `cmd` on the connection (made if needed), or `None` when the breaker is open or
    /// Redis fails (which counts towards opening it).
    fn run<T: redis::FromRedisValue>(&self, cmd: &redis::Cmd) -> Option<T> {
        let mut state = self.lock();
        if state.open_until.is_some_and(|t| Instant::now() < t) {
            return None;
        }
        let result = self.connection(&mut state).and_then(|c| cmd.query::<T>(c));
        match result {
            Ok(v) => {
                state.failures = 0;
                state.open_until = None;
                Some(v)
            }
            Err(_) => {
                state.connection = None;
                state.failures = state.failures.saturating_add(1);
                if state.failures >= Self::FAILURES_TO_OPEN {
                    state.open_until = Instant::now().checked_add(Self::OPEN_FOR);
                    state.failures = Self::FAILURES_TO_OPEN - 1; // one trial after the pause
                }
                None
            }
        }
    }

    fn connection<'s>(&self, state: &'s mut State) -> redis::RedisResult<&'s mut redis::Connection> {
        let pid = std::process::id();
        if state.connection.as_ref().is_some_and(|(_, owner)| *owner != pid) {
            // Inherited over fork: closing this process's copy of the socket leaves the
            // parent's connection alone.
            state.connection = None;
        }
        if state.connection.is_none() {
            let c = self.client.get_connection_with_timeout(self.timeout)?;
            c.set_read_timeout(Some(self.timeout))?;
            c.set_write_timeout(Some(self.timeout))?;
            state.connection = Some((c, pid));
        }
        state
            .connection
            .as_mut()
            .map(|(c, _)| c)
            .ok_or_else(|| redis::RedisError::from((redis::ErrorKind::Io, "no connection")))
    }
}

fn redis_key(key: &[u8; KEY_LEN]) -> String {
    let mut out = String::with_capacity(KEY_PREFIX.len() + 2 * KEY_LEN);
    out.push_str(KEY_PREFIX);
    for b in key {
        out.push(char::from(b"0123456789abcdef"[usize::from(b >> 4)]));
        out.push(char::from(b"0123456789abcdef"[usize::from(b & 15)]));
    }
    out
}

impl SecretStore for RedisStore {
    fn load(&self, key: &[u8; KEY_LEN]) -> Option<[u8; VALUE_LEN]> {
        let value: Option<Vec<u8>> = self.run(redis::cmd("GET").arg(redis_key(key)))?;
        // Anything that is not exactly a value's length is a miss (garbage, another format).
        value?.as_slice().try_into().ok()
    }

    fn store(&self, key: &[u8; KEY_LEN], value: &[u8; VALUE_LEN], ttl: Duration) {
        let seconds = ttl.as_secs().max(1);
        let _: Option<()> = self.run(redis::cmd("SET").arg(redis_key(key)).arg(&value[..]).arg("EX").arg(seconds));
    }
}

/// Why [`verifier`] or [`shared`] refused their arguments; each maps to a row of the core's
/// table ([`ErrorCode`]), so every binding raises the same class.
#[derive(Debug)]
#[non_exhaustive]
pub enum Error {
    /// The cache key is shorter than 32 bytes: `invalid_key` (InvalidKeyError).
    CacheKey(CacheKeyError),
    /// The Redis URL does not parse (or names a scheme this build lacks, such as `rediss://`
    /// without TLS): `invalid_argument` (InvalidInputError).
    Url(OpenError),
    /// A zero timeout (it would mean "wait forever" to the socket layer): `invalid_argument`.
    Timeout,
    /// The operating system's generator failed (the in-process cache's key): `randomness`.
    Randomness(RandomnessError),
}

impl core::fmt::Display for Error {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        match self {
            Self::CacheKey(e) => e.fmt(f),
            Self::Url(e) => e.fmt(f),
            Self::Timeout => f.write_str("the Redis timeout must be more than zero"),
            Self::Randomness(e) => e.fmt(f),
        }
    }
}

impl std::error::Error for Error {}

impl ErrorCode for Error {
    fn code(&self) -> &'static str {
        match self {
            Self::CacheKey(e) => e.code(),
            Self::Url(_) | Self::Timeout => "invalid_argument",
            Self::Randomness(e) => ErrorCode::code(e),
        }
    }
}

/// Checks the arguments every call checks, whether or not it builds anything.
fn check(url: &str, cache_key: &[u8], timeout: Duration) -> Result<RedisStore, Error> {
    if cache_key.len() < MIN_CACHE_KEY_LEN {
        return Err(Error::CacheKey(CacheKeyError::TooShort));
    }
    if timeout.is_zero() {
        return Err(Error::Timeout);
    }
    RedisStore::with_timeout(url, timeout).map_err(Error::Url)
}

/// A [`SecretVerifier`] remembering at most `capacity` successes in this process (0: none)
/// in front of the Redis at `url`, both for `ttl`; Redis entries keyed under `cache_key` (at
/// least 32 bytes, the same for every process sharing the Redis). `timeout` bounds connecting,
/// reading and writing ([`RedisStore::DEFAULT_TIMEOUT`]: 50 ms). No connection is made here.
pub fn verifier(
    capacity: usize,
    ttl: Duration,
    url: &str,
    cache_key: &[u8],
    timeout: Duration,
) -> Result<SecretVerifier, Error> {
    let store = check(url, cache_key, timeout)?;
    let local = SecretVerifier::new(capacity, ttl).map_err(Error::Randomness)?;
    local.with_store(Box::new(store), cache_key).map_err(Error::CacheKey)
}

/// The process-wide verifier called `name` ([`SecretVerifier::shared_with`]), built by the
/// first call as [`verifier`] builds one: one Redis connection and one in-process cache per
/// process (per PHP-FPM worker), surviving requests. Later calls with the same name get that
/// verifier whatever their other arguments (as [`SecretVerifier::shared`]); their cache key and
/// URL are still checked, so a misconfiguration is reported on every call.
pub fn shared(
    name: &str,
    capacity: usize,
    ttl: Duration,
    url: &str,
    cache_key: &[u8],
    timeout: Duration,
) -> Result<Arc<SecretVerifier>, Error> {
    check(url, cache_key, timeout)?;
    SecretVerifier::shared_with(name, || verifier(capacity, ttl, url, cache_key, timeout))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn arguments_are_checked_before_anything_is_built() {
        let key = [7u8; 32];
        let short =
            verifier(1, Duration::from_secs(1), "redis://127.0.0.1:1/0", &key[..31], RedisStore::DEFAULT_TIMEOUT);
        assert_eq!(short.map(|_| ()).map_err(|e| e.code()), Err("invalid_key"));
        let url = verifier(1, Duration::from_secs(1), "http://x", &key, RedisStore::DEFAULT_TIMEOUT);
        assert_eq!(url.map(|_| ()).map_err(|e| e.code()), Err("invalid_argument"));
        let zero = verifier(1, Duration::from_secs(1), "redis://127.0.0.1:1/0", &key, Duration::ZERO);
        assert_eq!(zero.map(|_| ()).map_err(|e| e.code()), Err("invalid_argument"));
        let ok = shared(
            "cache-redis-unit",
            1,
            Duration::from_secs(1),
            "redis://127.0.0.1:1/0",
            &key,
            RedisStore::DEFAULT_TIMEOUT,
        );
        assert!(ok.is_ok_and(|v| v.has_store()));
        let again = shared(
            "cache-redis-unit",
            1,
            Duration::from_secs(1),
            "redis://127.0.0.1:1/0",
            &key[..8],
            RedisStore::DEFAULT_TIMEOUT,
        );
        assert_eq!(again.map(|_| ()).map_err(|e| e.code()), Err("invalid_key"));
    }

    #[test]
    fn a_redis_that_is_not_there_costs_bcrypt_only() {
        let v = verifier(0, Duration::from_secs(60), "redis://127.0.0.1:1/0", &[7; 32], Duration::from_millis(20))
            .expect("built");
        let mut out = [0u8; payseal::secrets::bcrypt::HASH_LEN];
        payseal::secrets::bcrypt::hash(b"sk_live_a", 4, &[1; 16], &mut out).expect("hash");
        for _ in 0..5 {
            assert_eq!(v.verify(b"sk_live_a", out), Ok(()));
            assert!(v.verify(b"sk_live_b", out).is_err());
        }
        assert_eq!((v.stats().store_hits, v.stats().misses), (0, 10));
    }
}
