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

use std::sync::{Mutex, PoisonError};
use std::time::{Duration, Instant};

use payseal::secrets::store::{SecretStore, KEY_LEN, VALUE_LEN};

/// Redis keys are this prefix and the 32-byte key in hex.
pub const KEY_PREFIX: &str = "payseal:secret:v1:";

/// A Redis connection behind short timeouts and a circuit breaker.
pub struct RedisStore {
    client: redis::Client,
    timeout: Duration,
    state: Mutex<State>,
}

struct State {
    connection: Option<redis::Connection>,
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
        let client = redis::Client::open(url).map_err(OpenError)?;
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
        if state.connection.is_none() {
            let c = self.client.get_connection_with_timeout(self.timeout)?;
            c.set_read_timeout(Some(self.timeout))?;
            c.set_write_timeout(Some(self.timeout))?;
            state.connection = Some(c);
        }
        state.connection.as_mut().ok_or_else(|| redis::RedisError::from((redis::ErrorKind::Io, "no connection")))
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
