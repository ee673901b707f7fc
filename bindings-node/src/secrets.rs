//! `payseal::secrets`: bcrypt (synchronous, or on the libuv thread pool), the `SecretVerifier`
//! cache, EU Pay API keys and table links.

use std::sync::Arc;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use napi::bindgen_prelude::{AsyncTask, External, Unknown};
use napi::{Env, JsString, Task};
use napi_derive::napi;
use payseal::secrets::bcrypt::{self, BcryptError, DEFAULT_COST, HASH_LEN};
use payseal::secrets::keys::{
    self, ApiKey, Environment, KeyKind, KeyPair, MerchantId, TableLink, TableToken, TABLE_URL_BASE,
};
use payseal::secrets::{OsRandom, SecretVerifier};

use crate::args::{self, Accept};
use crate::failure::{self, arg_range, arg_value, Failure, Panicked};
use crate::output;

/// Overwrites a copied secret (`zeroize`, whole capacity) before its memory is freed (best
/// effort: JavaScript's own copy cannot be wiped).
fn wipe(bytes: &mut Vec<u8>) {
    zeroize::Zeroize::zeroize(bytes);
}

/// A copy of a secret for the thread pool, wiped on drop.
#[derive(Default)]
struct SecretCopy(Vec<u8>);

impl core::fmt::Debug for SecretCopy {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str("SecretCopy([redacted])")
    }
}

impl Drop for SecretCopy {
    fn drop(&mut self) {
        wipe(&mut self.0);
    }
}

fn cost_of(cost: Option<u32>) -> u32 {
    cost.unwrap_or(DEFAULT_COST)
}

// ---- bcrypt ------------------------------------------------------------------------------------

/// Checks `secret` against a stored bcrypt `hash`; throws `mismatch` or `malformed_hash`.
#[napi(js_name = "bcryptVerifySync", catch_unwind)]
pub fn bcrypt_verify_sync(env: &Env, secret: Unknown<'_>, hash: Unknown<'_>) -> napi::Result<(), Failure> {
    let secret = args::bytes(env, &secret, "secret", Accept::TextOrBytes)?;
    let hash = args::bytes(env, &hash, "hash", Accept::TextOrBytes)?;
    bcrypt::verify(&*secret, &*hash).map_err(failure::bcrypt)
}

/// `bcrypt::verify` on the thread pool.
#[derive(Debug)]
pub struct BcryptVerifyTask {
    secret: SecretCopy,
    hash: Vec<u8>,
}

impl Task for BcryptVerifyTask {
    type Output = Result<Result<(), BcryptError>, Panicked>;
    type JsValue = ();

    fn compute(&mut self) -> napi::Result<Self::Output> {
        Ok(failure::on_pool(|| bcrypt::verify(&self.secret.0, &self.hash)))
    }

    fn resolve(&mut self, env: Env, output: Self::Output) -> napi::Result<()> {
        match output {
            Ok(Ok(())) => Ok(()),
            Ok(Err(e)) => Err(failure::into_rejection(env, failure::bcrypt(e))),
            Err(p) => Err(p.rejection(env)),
        }
    }
}

/// Checks `secret` against `hash` on the thread pool.
#[napi(js_name = "bcryptVerify", catch_unwind)]
pub fn bcrypt_verify(
    env: &Env,
    secret: Unknown<'_>,
    hash: Unknown<'_>,
) -> napi::Result<AsyncTask<BcryptVerifyTask>, Failure> {
    let secret = SecretCopy(args::bytes(env, &secret, "secret", Accept::TextOrBytes)?.to_vec());
    let hash = args::bytes(env, &hash, "hash", Accept::TextOrBytes)?.to_vec();
    Ok(AsyncTask::new(BcryptVerifyTask { secret, hash }))
}

/// A new `$2b$` hash of `secret` at `cost` (default 10) with a salt from the OS generator.
#[napi(js_name = "bcryptHashSync", catch_unwind)]
pub fn bcrypt_hash_sync<'e>(
    env: &'e Env,
    secret: Unknown<'_>,
    cost: Option<u32>,
) -> napi::Result<JsString<'e>, Failure> {
    let secret = args::bytes(env, &secret, "secret", Accept::TextOrBytes)?;
    output::ascii_string(env, HASH_LEN, |out| bcrypt::hash_with_os_salt(&secret, cost_of(cost), out), failure::bcrypt)
}

/// `bcrypt::hash_with_os_salt` on the thread pool.
#[derive(Debug)]
pub struct BcryptHashTask {
    secret: SecretCopy,
    cost: u32,
}

impl Task for BcryptHashTask {
    type Output = Result<Result<[u8; HASH_LEN], BcryptError>, Panicked>;
    type JsValue = String;

    fn compute(&mut self) -> napi::Result<Self::Output> {
        Ok(failure::on_pool(|| {
            let mut out = [0u8; HASH_LEN];
            bcrypt::hash_with_os_salt(&self.secret.0, self.cost, &mut out).map(|_| out)
        }))
    }

    fn resolve(&mut self, env: Env, output: Self::Output) -> napi::Result<String> {
        match output {
            // The hash is ASCII by construction (bcrypt's base64 alphabet).
            Ok(Ok(hash)) => Ok(hash.iter().map(|&b| char::from(b)).collect()),
            Ok(Err(e)) => Err(failure::into_rejection(env, failure::bcrypt(e))),
            Err(p) => Err(p.rejection(env)),
        }
    }
}

/// Hashes `secret` on the thread pool.
#[napi(js_name = "bcryptHash", catch_unwind)]
pub fn bcrypt_hash(
    env: &Env,
    secret: Unknown<'_>,
    cost: Option<u32>,
) -> napi::Result<AsyncTask<BcryptHashTask>, Failure> {
    let secret = SecretCopy(args::bytes(env, &secret, "secret", Accept::TextOrBytes)?.to_vec());
    let cost = cost_of(cost);
    // Refuse a bad cost now rather than in the worker, so the caller's stack is the one shown.
    if !bcrypt::COST_RANGE.contains(&cost) {
        return Err(failure::bcrypt(BcryptError::CostOutOfRange { cost }));
    }
    Ok(AsyncTask::new(BcryptHashTask { secret, cost }))
}

// ---- SecretVerifier ----------------------------------------------------------------------------

/// A shared [`SecretVerifier`] and the clock anchor that turns JavaScript's `now` (Unix
/// seconds) into the `Instant` the core takes.
#[derive(Debug)]
pub struct Verifier {
    inner: Arc<SecretVerifier>,
    anchor: (Instant, f64),
    /// The capacity in effect (the core lowers larger ones to its maximum) and the TTL.
    limits: (usize, f64),
}

fn unix_now() -> f64 {
    SystemTime::now().duration_since(UNIX_EPOCH).map_or(0.0, |d| d.as_secs_f64())
}

impl Verifier {
    /// The `Instant` of `now` (Unix seconds), relative to the anchor; `Instant::now()` when
    /// absent. A time the monotonic clock cannot represent is an argument error.
    fn instant(&self, now: Option<f64>) -> napi::Result<Instant, Failure> {
        let Some(now) = now else { return Ok(Instant::now()) };
        let (at, unix) = self.anchor;
        let delta = now - unix;
        let shifted = if !now.is_finite() {
            None
        } else if delta >= 0.0 {
            Duration::try_from_secs_f64(delta).ok().and_then(|d| at.checked_add(d))
        } else {
            Duration::try_from_secs_f64(-delta).ok().and_then(|d| at.checked_sub(d))
        };
        shifted
            .ok_or_else(|| arg_range("opts.now", "It must be a time (Unix seconds) the monotonic clock can represent"))
    }
}

/// The capacity and TTL options, checked.
fn limits(capacity: f64, ttl: f64) -> napi::Result<(usize, Duration), Failure> {
    if !(capacity.is_finite() && capacity >= 0.0 && capacity.fract() == 0.0) {
        return Err(arg_range("opts.capacity", "It must be a non-negative integer"));
    }
    let ttl = Duration::try_from_secs_f64(ttl)
        .map_err(|_| arg_range("opts.ttl", "It must be a non-negative number of seconds"))?;
    // Saturating: capacities above the core's maximum are lowered to it there.
    Ok((capacity as usize, ttl))
}

/// The Redis options (`opts.redis`, `opts.cacheKey`, `opts.redisTimeout` in seconds), all or
/// none; the cache key as bytes (a `Uint8Array`: raw key bytes, not text).
fn redis_options<'a>(
    env: &Env,
    redis: Option<String>,
    cache_key: &Option<Unknown<'a>>,
    timeout: Option<f64>,
) -> napi::Result<Option<(String, args::Input<'a>, Duration)>, Failure> {
    match (redis, cache_key) {
        (None, None) => Ok(None),
        (Some(url), Some(key)) => {
            let key = args::bytes(env, key, "opts.cacheKey", Accept::Bytes)?;
            let timeout = match timeout {
                None => payseal_cache_redis::RedisStore::DEFAULT_TIMEOUT,
                Some(t) => Duration::try_from_secs_f64(t)
                    .map_err(|_| arg_range("opts.redisTimeout", "It must be a positive number of seconds"))?,
            };
            Ok(Some((url, key, timeout)))
        }
        _ => Err(failure::invalid_argument("opts", "must give redis and cacheKey together")),
    }
}

fn handle(inner: Arc<SecretVerifier>) -> External<Verifier> {
    let limits = (inner.capacity(), inner.ttl().as_secs_f64());
    External::new(Verifier { inner, anchor: (Instant::now(), unix_now()), limits })
}

/// A verifier caching successes for `ttl` seconds, at most `capacity` of them; with `redis`
/// and `cacheKey`, in front of that Redis (`payseal_cache_redis::verifier`: the in-process
/// cache, then Redis, then bcrypt).
#[napi(js_name = "secretVerifierNew", catch_unwind)]
pub fn secret_verifier_new(
    env: &Env,
    capacity: f64,
    ttl: f64,
    redis: Option<String>,
    cache_key: Option<Unknown<'_>>,
    redis_timeout: Option<f64>,
) -> napi::Result<External<Verifier>, Failure> {
    let (capacity, ttl) = limits(capacity, ttl)?;
    let inner = match redis_options(env, redis, &cache_key, redis_timeout)? {
        None => SecretVerifier::new(capacity, ttl).map_err(failure::randomness)?,
        Some((url, key, timeout)) => {
            payseal_cache_redis::verifier(capacity, ttl, &url, &key, timeout).map_err(|e| failure::core(&e, None))?
        }
    };
    Ok(handle(Arc::new(inner)))
}

/// The process's verifier called `name` (`SecretVerifier::shared`: created by the first call
/// with `capacity` and `ttl`, the same cache for every later call with that name); with
/// `redis` and `cacheKey`, `payseal_cache_redis::shared`.
#[napi(js_name = "secretVerifierShared", catch_unwind)]
pub fn secret_verifier_shared(
    env: &Env,
    name: String,
    capacity: f64,
    ttl: f64,
    redis: Option<String>,
    cache_key: Option<Unknown<'_>>,
    redis_timeout: Option<f64>,
) -> napi::Result<External<Verifier>, Failure> {
    let (capacity, ttl) = limits(capacity, ttl)?;
    let inner = match redis_options(env, redis, &cache_key, redis_timeout)? {
        None => SecretVerifier::shared(&name, capacity, ttl).map_err(failure::randomness)?,
        Some((url, key, timeout)) => payseal_cache_redis::shared(&name, capacity, ttl, &url, &key, timeout)
            .map_err(|e| failure::core(&e, None))?,
    };
    Ok(handle(inner))
}

/// Checks `secret` against `hash` (from the cache when it succeeded less than `ttl` ago).
#[napi(js_name = "secretVerifierVerify", catch_unwind)]
pub fn secret_verifier_verify(
    env: &Env,
    verifier: &External<Verifier>,
    secret: Unknown<'_>,
    hash: Unknown<'_>,
    now: Option<f64>,
) -> napi::Result<(), Failure> {
    let secret = args::bytes(env, &secret, "secret", Accept::TextOrBytes)?;
    let hash = args::bytes(env, &hash, "hash", Accept::TextOrBytes)?;
    let at = verifier.instant(now)?;
    verifier.inner.verify_at(&*secret, &*hash, at).map_err(failure::bcrypt)
}

/// `SecretVerifier::verify_at` on the thread pool.
#[derive(Debug)]
pub struct SecretVerifyTask {
    verifier: Arc<SecretVerifier>,
    secret: SecretCopy,
    hash: Vec<u8>,
    at: Instant,
}

impl Task for SecretVerifyTask {
    type Output = Result<Result<(), BcryptError>, Panicked>;
    type JsValue = ();

    fn compute(&mut self) -> napi::Result<Self::Output> {
        Ok(failure::on_pool(|| self.verifier.verify_at(&self.secret.0, &self.hash, self.at)))
    }

    fn resolve(&mut self, env: Env, output: Self::Output) -> napi::Result<()> {
        match output {
            Ok(Ok(())) => Ok(()),
            Ok(Err(e)) => Err(failure::into_rejection(env, failure::bcrypt(e))),
            Err(p) => Err(p.rejection(env)),
        }
    }
}

/// [`secret_verifier_verify`] on the thread pool.
#[napi(js_name = "secretVerifierVerifyAsync", catch_unwind)]
pub fn secret_verifier_verify_async(
    env: &Env,
    verifier: &External<Verifier>,
    secret: Unknown<'_>,
    hash: Unknown<'_>,
    now: Option<f64>,
) -> napi::Result<AsyncTask<SecretVerifyTask>, Failure> {
    let secret = SecretCopy(args::bytes(env, &secret, "secret", Accept::TextOrBytes)?.to_vec());
    let hash = args::bytes(env, &hash, "hash", Accept::TextOrBytes)?.to_vec();
    let at = verifier.instant(now)?;
    Ok(AsyncTask::new(SecretVerifyTask { verifier: Arc::clone(&verifier.inner), secret, hash, at }))
}

/// `[hits, misses, entries, capacity, ttl, storeHits]` of the cache.
#[napi(js_name = "secretVerifierStats", catch_unwind)]
pub fn secret_verifier_stats(verifier: &External<Verifier>) -> Vec<f64> {
    let stats = verifier.inner.stats();
    let (capacity, ttl) = verifier.limits;
    // Counters stay far below 2^53.
    vec![
        stats.hits as f64,
        stats.misses as f64,
        verifier.inner.len() as f64,
        capacity as f64,
        ttl,
        stats.store_hits as f64,
    ]
}

/// Forgets every cached success.
#[napi(js_name = "secretVerifierClear", catch_unwind)]
pub fn secret_verifier_clear(verifier: &External<Verifier>) {
    verifier.inner.clear();
}

// ---- API keys ----------------------------------------------------------------------------------

fn kind_name(kind: KeyKind) -> &'static str {
    kind.as_str()
}

fn parse_environment(text: &str) -> napi::Result<Environment, Failure> {
    [Environment::Live, Environment::Test]
        .into_iter()
        .find(|e| e.as_str() == text)
        .ok_or_else(|| arg_value("environment", "must be 'live' or 'test'"))
}

fn parse_kind(text: &str) -> napi::Result<KeyKind, Failure> {
    [KeyKind::Publishable, KeyKind::Secret]
        .into_iter()
        .find(|k| k.as_str() == text)
        .ok_or_else(|| arg_value("kind", "must be 'publishable' or 'secret'"))
}

fn text_arg(env: &Env, value: &Unknown<'_>, name: &str) -> napi::Result<String, Failure> {
    let input = args::bytes(env, value, name, Accept::TextOrBytes)?;
    Ok(input.text(name)?.to_owned())
}

/// `[kind, environment]` of an API key (`'publishable' | 'secret'`, `'live' | 'test'`).
#[napi(js_name = "apiKeyInspect", catch_unwind)]
pub fn api_key_inspect(env: &Env, key: Unknown<'_>) -> napi::Result<Vec<&'static str>, Failure> {
    let key = args::bytes(env, &key, "key", Accept::TextOrBytes)?;
    // Bytes that are not UTF-8 cannot be a key: the core reports the prefix or character.
    let text = core::str::from_utf8(&key).unwrap_or("");
    let (kind, environment) = keys::inspect(text).map_err(failure::api_key)?;
    Ok(vec![kind_name(kind), environment.as_str()])
}

/// The environment of a publishable/secret key pair, or why they do not go together.
#[napi(js_name = "apiKeyCheckPair", catch_unwind)]
pub fn api_key_check_pair(
    env: &Env,
    publishable: Unknown<'_>,
    secret: Unknown<'_>,
) -> napi::Result<&'static str, Failure> {
    let pk = ApiKey::parse(&text_arg(env, &publishable, "publishable")?).map_err(failure::api_key)?;
    let sk = ApiKey::parse(&text_arg(env, &secret, "secret")?).map_err(failure::api_key)?;
    keys::check_pair(&pk, &sk).map(Environment::as_str).map_err(failure::api_key)
}

/// A new key of `kind` for `environment`, from the OS generator.
#[napi(js_name = "apiKeyGenerate", catch_unwind)]
pub fn api_key_generate(env: &Env, kind: Unknown<'_>, environment: Unknown<'_>) -> napi::Result<String, Failure> {
    let kind = parse_kind(&text_arg(env, &kind, "kind")?)?;
    let environment = parse_environment(&text_arg(env, &environment, "environment")?)?;
    let key = ApiKey::generate(kind, environment, &mut OsRandom).map_err(failure::api_key)?;
    Ok(key.expose().to_owned())
}

/// `[publishable, secret]`: a new key pair for `environment`.
#[napi(js_name = "apiKeyPairGenerate", catch_unwind)]
pub fn api_key_pair_generate(env: &Env, environment: Unknown<'_>) -> napi::Result<Vec<String>, Failure> {
    let environment = parse_environment(&text_arg(env, &environment, "environment")?)?;
    let pair = KeyPair::generate(environment, &mut OsRandom).map_err(failure::api_key)?;
    Ok(vec![pair.publishable.expose().to_owned(), pair.secret.expose().to_owned()])
}

// ---- Table links -------------------------------------------------------------------------------

fn base_of(env: &Env, base: &Unknown<'_>) -> napi::Result<String, Failure> {
    if args::is_nullish(env, base)? {
        Ok(TABLE_URL_BASE.to_owned())
    } else {
        text_arg(env, base, "opts.base")
    }
}

fn merchant_of(env: &Env, value: &Unknown<'_>) -> napi::Result<MerchantId, Failure> {
    MerchantId::parse(&text_arg(env, value, "merchantId")?)
        .map_err(|_| arg_value("merchantId", "must be a UUID (xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx)"))
}

fn token_of(env: &Env, value: &Unknown<'_>) -> napi::Result<TableToken, Failure> {
    TableToken::from_hex(&text_arg(env, value, "token")?).map_err(|_| arg_value("token", "must be 32 hex digits"))
}

/// A new table token (32 lowercase hex digits) from the OS generator.
#[napi(js_name = "tableTokenGenerate", catch_unwind)]
pub fn table_token_generate() -> napi::Result<String, Failure> {
    let token = TableToken::generate(&mut OsRandom).map_err(failure::randomness)?;
    Ok(token.to_hex().iter().map(|&b| char::from(b)).collect())
}

/// The table link `<base><merchant>/<token>`.
#[napi(js_name = "tableUrl", catch_unwind)]
pub fn table_url(
    env: &Env,
    merchant: Unknown<'_>,
    token: Unknown<'_>,
    base: Unknown<'_>,
) -> napi::Result<String, Failure> {
    let (merchant, token, base) = (merchant_of(env, &merchant)?, token_of(env, &token)?, base_of(env, &base)?);
    let mut out = vec![0u8; TableLink::url_len(&base)];
    let n = TableLink::write_url(&merchant, &token, &base, &mut out)
        .ok_or_else(|| failure::fail("internal", None, "table URL buffer too small"))?;
    out.truncate(n);
    String::from_utf8(out).map_err(|_| failure::fail("internal", None, "table URL is not UTF-8"))
}

/// The merchant a scanned table link names (to look up its token), or `invalid_table_link`.
#[napi(js_name = "tableUrlMerchant", catch_unwind)]
pub fn table_url_merchant(env: &Env, url: Unknown<'_>, base: Unknown<'_>) -> napi::Result<String, Failure> {
    let url = text_arg(env, &url, "url")?;
    let link = TableLink::parse(&url, &base_of(env, &base)?).map_err(failure::table_link)?;
    Ok(link.merchant().to_string())
}

/// Checks a scanned table link against the merchant and token on record.
#[napi(js_name = "tableUrlVerify", catch_unwind)]
pub fn table_url_verify(
    env: &Env,
    url: Unknown<'_>,
    merchant: Unknown<'_>,
    token: Unknown<'_>,
    base: Unknown<'_>,
) -> napi::Result<(), Failure> {
    let (merchant, token) = (merchant_of(env, &merchant)?, token_of(env, &token)?);
    let url = text_arg(env, &url, "url")?;
    keys::verify_table_url(&url, &base_of(env, &base)?, &merchant, &token).map_err(failure::table_link)
}
