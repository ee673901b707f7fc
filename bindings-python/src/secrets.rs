//! API secrets over `payseal::secrets`: bcrypt (with the GIL released), the `SecretVerifier`
//! cache, EU Pay API keys and table QR links.

use std::sync::Arc;
use std::time::{Duration, Instant};

use payseal::secrets::bcrypt::{self, DEFAULT_COST, HASH_LEN};
use payseal::secrets::keys::{self, ApiKey, Environment, KeyKind, KeyPair, MerchantId, TableLink, TableToken};
use payseal::secrets::OsRandom;
use pyo3::exceptions::PyValueError;
use pyo3::prelude::*;
use pyo3::types::PyString;

use crate::errors;
use crate::input::ByteInput;

// The Python signature spells the core's default cost as a literal; this keeps them equal.
const _: () = assert!(DEFAULT_COST == 10);

/// Checks `secret` against a stored bcrypt `hash` with the GIL released (a check costs
/// `2^cost` key-schedule rounds, ~45 ms at cost 10). Raises `MismatchError` or `MalformedHashError`.
#[pyfunction]
pub fn verify_bcrypt(py: Python<'_>, secret: ByteInput<'_>, hash: ByteInput<'_>) -> PyResult<()> {
    let (secret, hash) = (secret.detached(), hash.detached());
    py.detach(|| bcrypt::verify(&secret, &hash)).map_err(|e| errors::from_core(py, &e, &[]))
}

/// A `$2b$` hash of `secret` at `cost` with a fresh OS salt, computed with the GIL released.
/// Refuses (`InvalidInputError`) rather than truncates a secret over 72 bytes or containing NUL.
#[pyfunction]
#[pyo3(signature = (secret, *, cost = 10))]
pub fn hash_bcrypt<'py>(py: Python<'py>, secret: ByteInput<'_>, cost: u32) -> PyResult<Bound<'py, PyString>> {
    let secret = secret.detached();
    let mut out = [0u8; HASH_LEN];
    let n = py
        .detach(|| bcrypt::hash_with_os_salt(secret.as_ref(), cost, &mut out))
        .map_err(|e| errors::from_core(py, &e, &[]))?;
    let text =
        std::str::from_utf8(&out[..n]).map_err(|_| errors::raise(py, "internal", "bcrypt output is not ASCII", &[]))?;
    Ok(PyString::new(py, text))
}

/// bcrypt checks of API secrets with a bounded, expiring cache of successes (never of
/// failures, never of the secret itself). Thread-safe: share one per process.
#[pyclass(module = "payseal", frozen, name = "SecretVerifier")]
pub struct PySecretVerifier {
    inner: Arc<payseal::secrets::SecretVerifier>,
}

impl std::fmt::Debug for PySecretVerifier {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SecretVerifier").field("capacity", &self.capacity()).field("ttl", &self.ttl()).finish()
    }
}

/// Seconds as a `Duration`, refusing negative, NaN and infinite values.
fn seconds(value: f64, what: &str) -> PyResult<Duration> {
    Duration::try_from_secs_f64(value).map_err(|_| PyValueError::new_err(format!("{what} must be finite and >= 0")))
}

/// The `Instant` that a `time.monotonic()` reading stands for (Rust's `Instant` and Python's
/// monotonic clock are the same OS clock on the platforms CPython supports).
fn instant_at(py: Python<'_>, monotonic: f64) -> PyResult<Instant> {
    let current: f64 = py.import("time")?.call_method0("monotonic")?.extract()?;
    let base = Instant::now();
    let delta = monotonic - current;
    let moved =
        if delta >= 0.0 { base.checked_add(seconds(delta, "now")?) } else { base.checked_sub(seconds(-delta, "now")?) };
    moved.ok_or_else(|| PyValueError::new_err("now is too far from the current time.monotonic()"))
}

/// The Redis arguments, all or none: the URL, the cache key and the timeout.
fn redis_config<'a>(
    py: Python<'_>,
    redis: Option<&'a str>,
    cache_key: Option<&'a ByteInput<'_>>,
    timeout: f64,
) -> PyResult<Option<(&'a str, &'a [u8], Duration)>> {
    match (redis, cache_key) {
        (None, None) => Ok(None),
        (Some(url), Some(key)) => {
            let timeout = Duration::try_from_secs_f64(timeout)
                .map_err(|_| errors::invalid_argument(py, "redis_timeout must be finite and > 0"))?;
            Ok(Some((url, key.as_ref(), timeout)))
        }
        _ => Err(errors::invalid_argument(py, "redis and cache_key go together")),
    }
}

#[pymethods]
impl PySecretVerifier {
    /// Remembers at most `capacity` successful checks (0 disables the cache), each for `ttl`
    /// seconds. With `redis` (`redis://HOST:PORT[/DB]`) and `cache_key` (at least 32 bytes,
    /// the same for every process sharing that Redis), successes are also kept in Redis:
    /// the in-process cache first, then Redis, then bcrypt (core's layering,
    /// `payseal_cache_redis::verifier`). No connection is made here.
    #[new]
    #[pyo3(signature = (capacity = 10_000, ttl = 300.0, *, redis = None, cache_key = None, redis_timeout = 0.05))]
    fn new(
        py: Python<'_>,
        capacity: usize,
        ttl: f64,
        redis: Option<&str>,
        cache_key: Option<ByteInput<'_>>,
        redis_timeout: f64,
    ) -> PyResult<Self> {
        let ttl = seconds(ttl, "ttl")?;
        let inner = match redis_config(py, redis, cache_key.as_ref(), redis_timeout)? {
            None => payseal::secrets::SecretVerifier::new(capacity, ttl).map_err(|_| errors::randomness(py))?,
            Some((url, key, timeout)) => payseal_cache_redis::verifier(capacity, ttl, url, key, timeout)
                .map_err(|e| errors::from_core(py, &e, &[]))?,
        };
        Ok(Self { inner: Arc::new(inner) })
    }

    /// The process's verifier called `name`, whose cache lives in the library for the life of
    /// the process: created by the first call with `capacity` and `ttl`; later calls with the
    /// same name (from any thread, any request handler) get the same cache whatever their
    /// `capacity` and `ttl`. For frameworks that rebuild objects per request.
    /// With `redis` and `cache_key` (as the constructor): one Redis connection and one
    /// in-process cache per process, shared by every caller of this name.
    #[staticmethod]
    #[pyo3(signature = (name = "default", capacity = 10_000, ttl = 300.0, *, redis = None, cache_key = None, redis_timeout = 0.05))]
    fn shared(
        py: Python<'_>,
        name: &str,
        capacity: usize,
        ttl: f64,
        redis: Option<&str>,
        cache_key: Option<ByteInput<'_>>,
        redis_timeout: f64,
    ) -> PyResult<Self> {
        let ttl = seconds(ttl, "ttl")?;
        let inner = match redis_config(py, redis, cache_key.as_ref(), redis_timeout)? {
            None => {
                payseal::secrets::SecretVerifier::shared(name, capacity, ttl).map_err(|_| errors::randomness(py))?
            }
            Some((url, key, timeout)) => payseal_cache_redis::shared(name, capacity, ttl, url, key, timeout)
                .map_err(|e| errors::from_core(py, &e, &[]))?,
        };
        Ok(Self { inner })
    }

    /// Checks `secret` against `hash`: from the cache when this pair succeeded less than `ttl`
    /// ago, else with bcrypt (GIL released). `now` is a `time.monotonic()` reading (default:
    /// the current one). Raises `MismatchError` or `MalformedHashError`.
    #[pyo3(signature = (secret, hash, *, now = None))]
    fn verify(&self, py: Python<'_>, secret: ByteInput<'_>, hash: ByteInput<'_>, now: Option<f64>) -> PyResult<()> {
        let at = match now {
            Some(t) => instant_at(py, t)?,
            None => Instant::now(),
        };
        let (secret, hash) = (secret.detached(), hash.detached());
        py.detach(|| self.inner.verify_at(&secret, &hash, at)).map_err(|e| errors::from_core(py, &e, &[]))
    }

    /// Checks answered from the cache since construction.
    #[getter]
    fn hits(&self) -> u64 {
        self.inner.stats().hits
    }

    /// Checks answered from Redis since construction (0 without Redis).
    #[getter]
    fn store_hits(&self) -> u64 {
        self.inner.stats().store_hits
    }

    /// Checks that ran bcrypt (successful or not).
    #[getter]
    fn misses(&self) -> u64 {
        self.inner.stats().misses
    }

    /// The most successes remembered.
    #[getter]
    fn capacity(&self) -> usize {
        self.inner.capacity()
    }

    /// Seconds a success is remembered.
    #[getter]
    fn ttl(&self) -> f64 {
        self.inner.ttl().as_secs_f64()
    }

    /// Forgets every cached success (after rotating secrets in bulk).
    fn clear(&self) {
        self.inner.clear();
    }

    fn __len__(&self) -> usize {
        self.inner.len()
    }

    fn __repr__(&self) -> String {
        format!("SecretVerifier(capacity={}, ttl={:?})", self.capacity(), self.ttl())
    }
}

fn parse_kind(py: Python<'_>, name: &str) -> PyResult<KeyKind> {
    [KeyKind::Publishable, KeyKind::Secret]
        .into_iter()
        .find(|k| k.as_str() == name)
        .ok_or_else(|| errors::invalid_argument(py, &format!("unknown API key kind {name:?}")))
}

fn parse_environment(py: Python<'_>, name: &str) -> PyResult<Environment> {
    [Environment::Live, Environment::Test]
        .into_iter()
        .find(|e| e.as_str() == name)
        .ok_or_else(|| errors::invalid_argument(py, &format!("unknown API key environment {name:?}")))
}

/// A key's text as `&str` (keys are ASCII; anything else is refused by the core anyway).
fn key_text<'a>(py: Python<'_>, key: &'a ByteInput<'_>) -> PyResult<&'a str> {
    std::str::from_utf8(key.as_bytes()).map_err(|_| errors::raise(py, "unknown_prefix", "key is not ASCII", &[]))
}

fn parse_key(py: Python<'_>, key: &ByteInput<'_>) -> PyResult<ApiKey> {
    ApiKey::parse(key_text(py, key)?).map_err(|e| errors::api_key(py, e))
}

/// `(kind, environment)` of an API key (`"publishable"`/`"secret"`, `"live"`/`"test"`).
/// Raises `InvalidKeyError`.
#[pyfunction]
pub fn inspect_api_key(py: Python<'_>, key: ByteInput<'_>) -> PyResult<(&'static str, &'static str)> {
    let (kind, env) = keys::inspect(key_text(py, &key)?).map_err(|e| errors::api_key(py, e))?;
    Ok((kind.as_str(), env.as_str()))
}

/// A new API key of `kind` for `environment` (32 random `[A-Za-z0-9]` after the prefix).
#[pyfunction]
pub fn generate_api_key(py: Python<'_>, kind: &str, environment: &str) -> PyResult<String> {
    let key = ApiKey::generate(parse_kind(py, kind)?, parse_environment(py, environment)?, &mut OsRandom)
        .map_err(|e| errors::api_key(py, e))?;
    Ok(key.expose().to_owned())
}

/// A new `(publishable, secret)` key pair for `environment`.
#[pyfunction]
pub fn generate_api_key_pair(py: Python<'_>, environment: &str) -> PyResult<(String, String)> {
    let pair =
        KeyPair::generate(parse_environment(py, environment)?, &mut OsRandom).map_err(|e| errors::api_key(py, e))?;
    Ok((pair.publishable.expose().to_owned(), pair.secret.expose().to_owned()))
}

/// Checks that `publishable` (`pk_`) and `secret` (`sk_`) belong together (same environment)
/// and returns that environment. Raises `InvalidKeyError`.
#[pyfunction]
pub fn check_api_key_pair(py: Python<'_>, publishable: ByteInput<'_>, secret: ByteInput<'_>) -> PyResult<&'static str> {
    let (pk, sk) = (parse_key(py, &publishable)?, parse_key(py, &secret)?);
    keys::check_pair(&pk, &sk).map(Environment::as_str).map_err(|e| errors::api_key(py, e))
}

fn text<'a>(py: Python<'_>, input: &'a ByteInput<'_>) -> PyResult<&'a str> {
    std::str::from_utf8(input.as_bytes()).map_err(|_| errors::table_link(py))
}

fn merchant(py: Python<'_>, id: &ByteInput<'_>) -> PyResult<MerchantId> {
    MerchantId::parse(text(py, id)?).map_err(|_| errors::table_link(py))
}

fn token(py: Python<'_>, hex: &ByteInput<'_>) -> PyResult<TableToken> {
    TableToken::from_hex(text(py, hex)?).map_err(|_| errors::table_link(py))
}

/// A new table token: 16 random bytes as 32 lowercase hex digits.
#[pyfunction]
pub fn generate_table_token(py: Python<'_>) -> PyResult<String> {
    let token = TableToken::generate(&mut OsRandom).map_err(|_| errors::randomness(py))?;
    Ok(token.to_hex().iter().map(|&b| char::from(b)).collect())
}

/// The table link `<base><merchant uuid>/<token>` (lowercase). Raises `InvalidTableLinkError` for a
/// merchant id that is not a UUID or a token that is not 32 hex digits.
#[pyfunction]
#[pyo3(signature = (merchant_id, token, *, base = keys::TABLE_URL_BASE))]
pub fn table_url(py: Python<'_>, merchant_id: ByteInput<'_>, token: ByteInput<'_>, base: &str) -> PyResult<String> {
    let (merchant, token) = (self::merchant(py, &merchant_id)?, self::token(py, &token)?);
    let mut out = vec![0u8; TableLink::url_len(base)];
    let n = TableLink::write_url(&merchant, &token, base, &mut out).ok_or_else(|| errors::table_link(py))?;
    out.truncate(n);
    String::from_utf8(out).map_err(|_| errors::table_link(py))
}

/// The merchant UUID (lowercase) a scanned table link names, to look up its tokens; the link
/// is not trusted until `verify_table_url`. Raises `InvalidTableLinkError`.
#[pyfunction]
#[pyo3(signature = (url, *, base = keys::TABLE_URL_BASE))]
pub fn table_url_merchant(py: Python<'_>, url: ByteInput<'_>, base: &str) -> PyResult<String> {
    let link = TableLink::parse(text(py, &url)?, base).map_err(|_| errors::table_link(py))?;
    Ok(link.merchant().to_string())
}

/// Checks a scanned table link against the merchant and token on record (constant-time).
/// Every failure is the same `InvalidTableLinkError`.
#[pyfunction]
#[pyo3(signature = (merchant_id, token, url, *, base = keys::TABLE_URL_BASE))]
pub fn verify_table_url(
    py: Python<'_>,
    merchant_id: ByteInput<'_>,
    token: ByteInput<'_>,
    url: ByteInput<'_>,
    base: &str,
) -> PyResult<()> {
    let (merchant, token) = (self::merchant(py, &merchant_id)?, self::token(py, &token)?);
    keys::verify_table_url(text(py, &url)?, base, &merchant, &token).map_err(|_| errors::table_link(py))
}
