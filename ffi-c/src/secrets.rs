//! API secrets over `payseal::secrets`: bcrypt verify and hash, the `SecretVerifier` cache
//! handle, EU Pay API keys (inspect, check a pair, generate) and table QR tokens and links.

use core::time::Duration;
use std::borrow::Cow;
use std::sync::Arc;

use payseal::secrets::bcrypt;
use payseal::secrets::keys::{
    check_pair, inspect, ApiKey, Environment, KeyKind, MerchantId, TableLink, TableToken, MERCHANT_ID_LEN,
    TABLE_URL_BASE,
};
use payseal::secrets::{OsRandom, SecretVerifier};

use crate::abi::{boundary, text, Fail};
use crate::handle::Handle;
use crate::result::PaysealResult;

/// Bytes in a bcrypt hash written by `payseal_bcrypt_hash` (`$2b$10$` + 53 characters).
pub const PAYSEAL_BCRYPT_HASH_LEN: usize = 60;
/// Bytes of a caller-supplied bcrypt salt.
pub const PAYSEAL_BCRYPT_SALT_LEN: usize = 16;
/// Bytes in a generated API key (`sk_live_` + 32 characters).
pub const PAYSEAL_API_KEY_LEN: usize = 40;
/// Bytes in a table token in hex.
pub const PAYSEAL_TABLE_TOKEN_HEX_LEN: usize = 32;
/// Bytes in a merchant UUID in text form.
pub const PAYSEAL_MERCHANT_ID_LEN: usize = 36;

// The header needs literals (cbindgen cannot evaluate the core's constants); pin them here.
const _: () = {
    use payseal::secrets::keys::{GENERATED_BODY_LEN, PREFIX_LEN, TABLE_TOKEN_HEX_LEN};
    assert!(PAYSEAL_BCRYPT_HASH_LEN == bcrypt::HASH_LEN);
    assert!(PAYSEAL_BCRYPT_SALT_LEN == bcrypt::SALT_LEN);
    assert!(PAYSEAL_API_KEY_LEN == PREFIX_LEN + GENERATED_BODY_LEN);
    assert!(PAYSEAL_TABLE_TOKEN_HEX_LEN == TABLE_TOKEN_HEX_LEN);
    assert!(PAYSEAL_MERCHANT_ID_LEN == MERCHANT_ID_LEN);
};

/// What an API key may do (`pk_` or `sk_`).
#[allow(non_camel_case_types)]
#[repr(u32)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PaysealKeyKind {
    /// `pk_`: identifies the merchant in browsers and apps; not a credential.
    PAYSEAL_KEY_PUBLISHABLE = 0,
    /// `sk_`: authenticates the merchant's server; a credential.
    PAYSEAL_KEY_SECRET = 1,
}

/// Which system an API key belongs to (`_live_` or `_test_`).
#[allow(non_camel_case_types)]
#[repr(u32)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PaysealKeyEnvironment {
    /// `_live_`: real money.
    PAYSEAL_KEY_LIVE = 0,
    /// `_test_`: the sandbox.
    PAYSEAL_KEY_TEST = 1,
}

fn kind_number(kind: KeyKind) -> u32 {
    match kind {
        KeyKind::Publishable => PaysealKeyKind::PAYSEAL_KEY_PUBLISHABLE as u32,
        KeyKind::Secret => PaysealKeyKind::PAYSEAL_KEY_SECRET as u32,
    }
}

fn env_number(env: Environment) -> u32 {
    match env {
        Environment::Live => PaysealKeyEnvironment::PAYSEAL_KEY_LIVE as u32,
        Environment::Test => PaysealKeyEnvironment::PAYSEAL_KEY_TEST as u32,
    }
}

// ---------------------------------------------------------------------------------------------
// bcrypt

/// Checks `secret` against a stored bcrypt `hash` (`$2a$`, `$2b$`, `$2y$`): `PAYSEAL_OK`,
/// `PAYSEAL_MISMATCH`, or `PAYSEAL_MALFORMED_HASH` (`$2x$`, other prefixes, costs outside
/// 4..31, bad length or alphabet). Only the first 72 bytes of the secret count; a NUL byte is
/// data (unlike PHP's `password_verify`). Costs `2^cost` rounds: about 45 ms at cost 10.
///
/// # Safety
/// `secret` and `hash` must point to `secret_len` / `hash_len` readable bytes (or be NULL with
/// a zero length).
#[no_mangle]
pub unsafe extern "C" fn payseal_bcrypt_verify(
    secret: *const u8,
    secret_len: usize,
    hash: *const u8,
    hash_len: usize,
) -> PaysealResult {
    boundary(|| {
        let (secret, hash) = (bytes!(secret, secret_len), bytes!(hash, hash_len));
        Ok(bcrypt::verify(secret, hash)?)
    })
}

/// Hashes `secret` at `cost` (4..31; 10 is PHP's default) into the 60-byte `$2b$` form.
///
/// `salt` is 16 raw bytes, or NULL with `salt_len == 0` for a fresh salt from the operating
/// system's generator (what production code should do). Secrets over 72 bytes
/// (`PAYSEAL_SECRET_TOO_LONG`) or containing NUL (`PAYSEAL_SECRET_CONTAINS_NUL`) are refused
/// rather than truncated. The output has a fixed size, `PAYSEAL_BCRYPT_HASH_LEN`: a smaller
/// buffer is reported (`PAYSEAL_BUFFER_TOO_SMALL`, 60) before any hashing work.
///
/// # Safety
/// `secret`/`salt` must point to their lengths of readable bytes (or be NULL with a zero
/// length); `out` must be writable for `out_cap` bytes (or NULL with `out_cap == 0`) and must
/// not overlap the inputs; `out_written` must be a valid `size_t *`.
#[no_mangle]
pub unsafe extern "C" fn payseal_bcrypt_hash(
    secret: *const u8,
    secret_len: usize,
    cost: u32,
    salt: *const u8,
    salt_len: usize,
    out: *mut u8,
    out_cap: usize,
    out_written: *mut usize,
) -> PaysealResult {
    boundary(|| {
        let out = output!(out, out_cap, out_written);
        let (secret, salt) = (bytes!(secret, secret_len), bytes!(salt, salt_len));
        let out = out.disjoint_from(secret)?.disjoint_from(salt)?;
        if out_cap < bcrypt::HASH_LEN {
            // Fixed-size output: answer a size query without paying for bcrypt.
            return out.write_all(&[0; bcrypt::HASH_LEN]);
        }
        let mut hash = [0u8; bcrypt::HASH_LEN];
        let n = if salt.is_empty() {
            bcrypt::hash_with_os_salt(secret, cost, &mut hash)
        } else {
            let salt: &[u8; bcrypt::SALT_LEN] = salt.try_into().map_err(|_| PaysealResult::PAYSEAL_INVALID_ARGUMENT)?;
            bcrypt::hash(secret, cost, salt, &mut hash)
        }
        .map_err(Fail::from)?;
        out.write_all(&hash[..n])
    })
}

/// A bcrypt verifier with a bounded, expiring cache of successful checks (opaque; thread-safe,
/// share one per process). Create with `payseal_secret_verifier_new`, release with
/// `payseal_secret_verifier_free`.
#[derive(Debug)]
pub struct PaysealSecretVerifier {
    verifier: Arc<SecretVerifier>,
}

impl Handle for PaysealSecretVerifier {}

/// A verifier remembering at most `capacity` successful (hash, secret) checks (up to 2^20;
/// 0 disables caching), each for `ttl_seconds`, so a gateway pays bcrypt's cost once per
/// secret and TTL. What is cached is an HMAC tag under a per-process random key, never the
/// secret; failures are never cached. The handle goes to `*out_verifier` (set to NULL first).
///
/// # Safety
/// `out_verifier` must be a valid `PaysealSecretVerifier **`.
#[no_mangle]
pub unsafe extern "C" fn payseal_secret_verifier_new(
    capacity: usize,
    ttl_seconds: u64,
    out_verifier: *mut *mut PaysealSecretVerifier,
) -> PaysealResult {
    boundary(|| {
        new_handle!(out_verifier, || {
            Ok(PaysealSecretVerifier {
                verifier: Arc::new(SecretVerifier::new(capacity, Duration::from_secs(ttl_seconds))?),
            })
        })
    })
}

/// A handle on the process-wide verifier called `name` (UTF-8; else
/// `PAYSEAL_INVALID_ARGUMENT`), created by the first call with `capacity` and `ttl_seconds`
/// (later calls with the same name get the same cache, whatever their capacity and TTL). The
/// cache lives in the library until the process exits, so a host that rebuilds its objects on
/// every request (PHP under FPM) keeps its cached successes from one request to the next.
/// Release the handle with `payseal_secret_verifier_free` (the shared cache stays).
///
/// # Safety
/// `name` must point to `name_len` readable bytes (or be NULL with a zero length);
/// `out_verifier` must be a valid `PaysealSecretVerifier **`.
#[no_mangle]
pub unsafe extern "C" fn payseal_secret_verifier_shared(
    name: *const u8,
    name_len: usize,
    capacity: usize,
    ttl_seconds: u64,
    out_verifier: *mut *mut PaysealSecretVerifier,
) -> PaysealResult {
    boundary(|| {
        let name = bytes!(name, name_len);
        new_handle!(out_verifier, || {
            let name = text(name, PaysealResult::PAYSEAL_INVALID_ARGUMENT)?;
            Ok(PaysealSecretVerifier {
                verifier: SecretVerifier::shared(name, capacity, Duration::from_secs(ttl_seconds))?,
            })
        })
    })
}

/// The Redis timeout of `*_redis` calls in milliseconds (0 for the default, 50 ms).
fn redis_timeout(timeout_ms: u32) -> Duration {
    if timeout_ms == 0 {
        payseal_cache_redis::RedisStore::DEFAULT_TIMEOUT
    } else {
        Duration::from_millis(u64::from(timeout_ms))
    }
}

/// `payseal_secret_verifier_new` with a Redis shared by every process of the deployment behind
/// the in-process cache: a check asks the cache, then Redis, then runs bcrypt (a success is
/// written to both, in Redis with the TTL as its expiry). `url` is `redis://HOST:PORT[/DB]`
/// (UTF-8; no TLS in this build), `cache_key` at least 32 random bytes, the same in every
/// process sharing the Redis and kept as secret as the API secrets: Redis entries are keyed
/// and authenticated under it, so a write into Redis by someone without it cannot make a wrong
/// secret pass. `timeout_ms` bounds connecting, reading and writing (0: 50 ms); a slow or
/// failing Redis (3 failures in a row keep it out of the way for 5 s) only costs bcrypt runs.
/// No connection is made here.
///
/// Failures: `PAYSEAL_INVALID_KEY` (cache key under 32 bytes), `PAYSEAL_INVALID_ARGUMENT` (a
/// URL that is not UTF-8 or not a Redis URL), `PAYSEAL_RANDOMNESS`; `*out_verifier` stays NULL.
///
/// # Safety
/// `url`/`cache_key` must point to their lengths of readable bytes (or be NULL with a zero
/// length); `out_verifier` must be a valid `PaysealSecretVerifier **`.
#[no_mangle]
pub unsafe extern "C" fn payseal_secret_verifier_new_redis(
    capacity: usize,
    ttl_seconds: u64,
    url: *const u8,
    url_len: usize,
    cache_key: *const u8,
    cache_key_len: usize,
    timeout_ms: u32,
    out_verifier: *mut *mut PaysealSecretVerifier,
) -> PaysealResult {
    boundary(|| {
        let (url, cache_key) = (bytes!(url, url_len), bytes!(cache_key, cache_key_len));
        new_handle!(out_verifier, || {
            let url = text(url, PaysealResult::PAYSEAL_INVALID_ARGUMENT)?;
            let ttl = Duration::from_secs(ttl_seconds);
            let verifier = payseal_cache_redis::verifier(capacity, ttl, url, cache_key, redis_timeout(timeout_ms))?;
            Ok(PaysealSecretVerifier { verifier: Arc::new(verifier) })
        })
    })
}

/// `payseal_secret_verifier_shared` for a Redis-backed verifier (arguments as
/// `payseal_secret_verifier_new_redis`): the process-wide verifier called `name`, with one
/// Redis connection and one in-process cache for the life of the process (one per PHP-FPM
/// worker, surviving requests). The first call with a name creates it; later calls get the
/// same verifier whatever their other arguments, but their cache key and URL are still
/// checked (the same failures), so a misconfiguration is reported on every call.
///
/// # Safety
/// `name`/`url`/`cache_key` must point to their lengths of readable bytes (or be NULL with a
/// zero length); `out_verifier` must be a valid `PaysealSecretVerifier **`.
#[no_mangle]
pub unsafe extern "C" fn payseal_secret_verifier_shared_redis(
    name: *const u8,
    name_len: usize,
    capacity: usize,
    ttl_seconds: u64,
    url: *const u8,
    url_len: usize,
    cache_key: *const u8,
    cache_key_len: usize,
    timeout_ms: u32,
    out_verifier: *mut *mut PaysealSecretVerifier,
) -> PaysealResult {
    boundary(|| {
        let (name, url, cache_key) = (bytes!(name, name_len), bytes!(url, url_len), bytes!(cache_key, cache_key_len));
        new_handle!(out_verifier, || {
            let name = text(name, PaysealResult::PAYSEAL_INVALID_ARGUMENT)?;
            let url = text(url, PaysealResult::PAYSEAL_INVALID_ARGUMENT)?;
            let ttl = Duration::from_secs(ttl_seconds);
            let verifier = payseal_cache_redis::shared(name, capacity, ttl, url, cache_key, redis_timeout(timeout_ms))?;
            Ok(PaysealSecretVerifier { verifier })
        })
    })
}

/// Releases a verifier handle (and its cache, unless it is a shared one). NULL is a no-op.
///
/// # Safety
/// `verifier` must be NULL or a live handle, freed at most once and not in use elsewhere.
#[no_mangle]
pub unsafe extern "C" fn payseal_secret_verifier_free(verifier: *mut PaysealSecretVerifier) {
    free_handle!(verifier);
}

/// `payseal_bcrypt_verify` through the cache: a pair that succeeded less than the TTL ago
/// answers in well under a microsecond. Same result codes. Time is the monotonic clock.
///
/// # Safety
/// `verifier` must be a live handle; `secret`/`hash` as for `payseal_bcrypt_verify`.
#[no_mangle]
pub unsafe extern "C" fn payseal_secret_verifier_verify(
    verifier: *const PaysealSecretVerifier,
    secret: *const u8,
    secret_len: usize,
    hash: *const u8,
    hash_len: usize,
) -> PaysealResult {
    boundary(|| {
        let (v, secret, hash) = (handle!(verifier), bytes!(secret, secret_len), bytes!(hash, hash_len));
        Ok(v.verifier.verify(secret, hash)?)
    })
}

/// The cache's counters since creation: checks answered from the cache (`*out_hits`) and
/// checks that ran bcrypt (`*out_misses`).
///
/// # Safety
/// `verifier` must be a live handle; `out_hits`/`out_misses` valid `uint64_t *`.
#[no_mangle]
pub unsafe extern "C" fn payseal_secret_verifier_stats(
    verifier: *const PaysealSecretVerifier,
    out_hits: *mut u64,
    out_misses: *mut u64,
) -> PaysealResult {
    boundary(|| {
        let (v, hits, misses) = (handle!(verifier), out_param!(out_hits), out_param!(out_misses));
        let stats = v.verifier.stats();
        (*hits, *misses) = (stats.hits, stats.misses);
        Ok(())
    })
}

/// Checks answered from the Redis store (`payseal_secret_verifier_new_redis`, `_shared_redis`)
/// since creation, into `*out_store_hits` (always 0 without Redis). Beside
/// `payseal_secret_verifier_stats`: hits (in-process), store hits and misses (bcrypt) add up to
/// the checks made.
///
/// # Safety
/// `verifier` must be a live handle; `out_store_hits` a valid `uint64_t *`.
#[no_mangle]
pub unsafe extern "C" fn payseal_secret_verifier_store_hits(
    verifier: *const PaysealSecretVerifier,
    out_store_hits: *mut u64,
) -> PaysealResult {
    boundary(|| {
        let (v, store_hits) = (handle!(verifier), out_param!(out_store_hits));
        *store_hits = v.verifier.stats().store_hits;
        Ok(())
    })
}

/// What the verifier was created with: its capacity (`*out_capacity`) and TTL in whole seconds
/// (`*out_ttl_seconds`); for a shared verifier, those of the call that created it.
///
/// # Safety
/// `verifier` must be a live handle; `out_capacity` a valid `size_t *`, `out_ttl_seconds` a
/// valid `uint64_t *`.
#[no_mangle]
pub unsafe extern "C" fn payseal_secret_verifier_config(
    verifier: *const PaysealSecretVerifier,
    out_capacity: *mut usize,
    out_ttl_seconds: *mut u64,
) -> PaysealResult {
    boundary(|| {
        let (v, capacity, ttl) = (handle!(verifier), out_param!(out_capacity), out_param!(out_ttl_seconds));
        (*capacity, *ttl) = (v.verifier.capacity(), v.verifier.ttl().as_secs());
        Ok(())
    })
}

/// How many successful checks the cache holds now (expired ones may still count until they
/// are evicted), into `*out_len`.
///
/// # Safety
/// `verifier` must be a live handle; `out_len` a valid `size_t *`.
#[no_mangle]
pub unsafe extern "C" fn payseal_secret_verifier_len(
    verifier: *const PaysealSecretVerifier,
    out_len: *mut usize,
) -> PaysealResult {
    boundary(|| {
        let (v, len) = (handle!(verifier), out_param!(out_len));
        *len = v.verifier.len();
        Ok(())
    })
}

/// Forgets every cached success (for example after revoking secrets in bulk).
///
/// # Safety
/// `verifier` must be a live handle.
#[no_mangle]
pub unsafe extern "C" fn payseal_secret_verifier_clear(verifier: *const PaysealSecretVerifier) -> PaysealResult {
    boundary(|| {
        handle!(verifier).verifier.clear();
        Ok(())
    })
}

// ---------------------------------------------------------------------------------------------
// API keys

/// The key as text for the core's checks. A byte above 0x7F can never be part of a key (keys
/// are ASCII); such bytes become `?`, which is not alphanumeric either, so the core reports
/// exactly what it reports for any invalid byte at that place (same length, same offset).
fn key_text(bytes: &[u8]) -> Cow<'_, str> {
    match core::str::from_utf8(bytes) {
        Ok(s) => Cow::Borrowed(s),
        Err(_) => Cow::Owned(bytes.iter().map(|&b| if b.is_ascii() { char::from(b) } else { '?' }).collect()),
    }
}

/// Reads a key's kind (`PaysealKeyKind`) and environment (`PaysealKeyEnvironment`) into
/// `*out_kind` and `*out_env` (written only on success). The form is
/// `<pk|sk>_<live|test>_<32 to 128 of [A-Za-z0-9]>`; failures are `PAYSEAL_KEY_UNKNOWN_PREFIX`,
/// `PAYSEAL_KEY_BAD_LENGTH`, `PAYSEAL_KEY_BAD_CHARACTER`.
///
/// # Safety
/// `key` must point to `key_len` readable bytes; `out_kind`/`out_env` valid `uint32_t *`.
#[no_mangle]
pub unsafe extern "C" fn payseal_api_key_inspect(
    key: *const u8,
    key_len: usize,
    out_kind: *mut u32,
    out_env: *mut u32,
) -> PaysealResult {
    boundary(|| {
        let (key, kind_out, env_out) = (bytes!(key, key_len), out_param!(out_kind), out_param!(out_env));
        let (kind, env) = inspect(&key_text(key))?;
        (*kind_out, *env_out) = (kind_number(kind), env_number(env));
        Ok(())
    })
}

/// Checks that `publishable` and `secret` can be configured together: a `pk_` and an `sk_` key
/// of the same environment, written to `*out_env` on success. Failures: the inspect codes
/// (for either key), `PAYSEAL_KEY_NOT_PUBLISHABLE`, `PAYSEAL_KEY_NOT_SECRET`,
/// `PAYSEAL_KEY_ENVIRONMENT_MISMATCH` (the classic live/test deployment mistake).
///
/// # Safety
/// The keys must point to their lengths of readable bytes; `out_env` a valid `uint32_t *`.
#[no_mangle]
pub unsafe extern "C" fn payseal_api_key_check_pair(
    publishable: *const u8,
    publishable_len: usize,
    secret: *const u8,
    secret_len: usize,
    out_env: *mut u32,
) -> PaysealResult {
    boundary(|| {
        let (pk, sk, env_out) = (bytes!(publishable, publishable_len), bytes!(secret, secret_len), out_param!(out_env));
        let pk = ApiKey::parse(&key_text(pk))?;
        let sk = ApiKey::parse(&key_text(sk))?;
        *env_out = env_number(check_pair(&pk, &sk)?);
        Ok(())
    })
}

/// Generates a key of `kind` for `env` (`PAYSEAL_API_KEY_LEN` = 40 bytes: prefix and 32
/// uniform characters of `[A-Za-z0-9]`, about 190 bits, from the operating system's
/// generator). Call twice (publishable, then secret) for a pair.
///
/// # Safety
/// `out` must be writable for `out_cap` bytes (or NULL with `out_cap == 0`); `out_written` a
/// valid `size_t *`.
#[no_mangle]
pub unsafe extern "C" fn payseal_api_key_generate(
    kind: u32,
    env: u32,
    out: *mut u8,
    out_cap: usize,
    out_written: *mut usize,
) -> PaysealResult {
    boundary(|| {
        let out = output!(out, out_cap, out_written);
        let kind = match kind {
            k if k == PaysealKeyKind::PAYSEAL_KEY_PUBLISHABLE as u32 => KeyKind::Publishable,
            k if k == PaysealKeyKind::PAYSEAL_KEY_SECRET as u32 => KeyKind::Secret,
            _ => return Err(PaysealResult::PAYSEAL_INVALID_ARGUMENT.into()),
        };
        let env = match env {
            e if e == PaysealKeyEnvironment::PAYSEAL_KEY_LIVE as u32 => Environment::Live,
            e if e == PaysealKeyEnvironment::PAYSEAL_KEY_TEST as u32 => Environment::Test,
            _ => return Err(PaysealResult::PAYSEAL_INVALID_ARGUMENT.into()),
        };
        let key = ApiKey::generate(kind, env, &mut OsRandom)?;
        out.write_all(key.expose().as_bytes())
    })
}

// ---------------------------------------------------------------------------------------------
// Table QR tokens and links

/// The link base: the caller's (UTF-8) or, when empty, `https://www.european-pay.fr/t/`.
fn link_base(base: &[u8]) -> Result<&str, PaysealResult> {
    let base = text(base, PaysealResult::PAYSEAL_INVALID_ARGUMENT)?;
    Ok(if base.is_empty() { TABLE_URL_BASE } else { base })
}

/// A fresh table token from the operating system's generator, as 32 lowercase hex digits
/// (`PAYSEAL_TABLE_TOKEN_HEX_LEN`). Store it with the table; print it in the table's link.
///
/// # Safety
/// `out` must be writable for `out_cap` bytes (or NULL with `out_cap == 0`); `out_written` a
/// valid `size_t *`.
#[no_mangle]
pub unsafe extern "C" fn payseal_table_token_generate(
    out: *mut u8,
    out_cap: usize,
    out_written: *mut usize,
) -> PaysealResult {
    boundary(|| {
        let out = output!(out, out_cap, out_written);
        let token = TableToken::generate(&mut OsRandom)?;
        let mut hex = token.to_hex();
        let result = out.write_all(&hex);
        zeroize::Zeroize::zeroize(&mut hex);
        result
    })
}

/// Writes the table link `<base><merchant-uuid>/<token>` (lowercase). `base` may be empty
/// (NULL, 0) for `https://www.european-pay.fr/t/`; a base that is not UTF-8 is
/// `PAYSEAL_INVALID_ARGUMENT`; a merchant that is not a canonical UUID, or a token that is
/// not 32 hex digits, is `PAYSEAL_INVALID_TABLE_LINK`.
///
/// # Safety
/// Inputs must point to their lengths of readable bytes; `out` must be writable for `out_cap`
/// bytes (or NULL with `out_cap == 0`) and must not overlap them; `out_written` a valid
/// `size_t *`.
#[no_mangle]
pub unsafe extern "C" fn payseal_table_url(
    merchant: *const u8,
    merchant_len: usize,
    token: *const u8,
    token_len: usize,
    base: *const u8,
    base_len: usize,
    out: *mut u8,
    out_cap: usize,
    out_written: *mut usize,
) -> PaysealResult {
    boundary(|| {
        let out = output!(out, out_cap, out_written);
        let invalid = PaysealResult::PAYSEAL_INVALID_TABLE_LINK;
        let (merchant, token, base) =
            (bytes!(merchant, merchant_len), bytes!(token, token_len), bytes!(base, base_len));
        let (merchant, token, base) = (text(merchant, invalid)?, text(token, invalid)?, link_base(base)?);
        let out =
            out.disjoint_from(merchant.as_bytes())?.disjoint_from(token.as_bytes())?.disjoint_from(base.as_bytes())?;
        let (merchant, token) = (MerchantId::parse(merchant)?, TableToken::from_hex(token)?);
        out.fill(TableLink::url_len(base), |dst| {
            TableLink::write_url(&merchant, &token, base, dst).ok_or(PaysealResult::PAYSEAL_INTERNAL.into())
        })
    })
}

/// Checks a scanned table `url` (under `base`, empty for the EU Pay web base) against the
/// merchant UUID and the token on record: `PAYSEAL_OK`, or `PAYSEAL_INVALID_TABLE_LINK` for
/// every failure whatever its cause (a bad URL, another merchant, a wrong token), compared in
/// constant time, so a scanner learns nothing that helps it guess.
///
/// # Safety
/// Inputs must point to their lengths of readable bytes (or be NULL with a zero length).
#[no_mangle]
pub unsafe extern "C" fn payseal_table_url_verify(
    url: *const u8,
    url_len: usize,
    base: *const u8,
    base_len: usize,
    merchant: *const u8,
    merchant_len: usize,
    token: *const u8,
    token_len: usize,
) -> PaysealResult {
    boundary(|| {
        let invalid = PaysealResult::PAYSEAL_INVALID_TABLE_LINK;
        let (url, base) = (bytes!(url, url_len), bytes!(base, base_len));
        let (merchant, token) = (bytes!(merchant, merchant_len), bytes!(token, token_len));
        let (url, base, merchant, token) =
            (text(url, invalid)?, link_base(base)?, text(merchant, invalid)?, text(token, invalid)?);
        let (merchant, token) = (MerchantId::parse(merchant)?, TableToken::from_hex(token)?);
        Ok(payseal::secrets::keys::verify_table_url(url, base, &merchant, &token)?)
    })
}

/// Writes the merchant UUID a table `url` names (36 bytes, lowercase), to look up that
/// merchant's tokens before `payseal_table_url_verify`. Not a verification: any well-formed
/// link answers. A malformed link is `PAYSEAL_INVALID_TABLE_LINK`.
///
/// # Safety
/// As for `payseal_table_url`.
#[no_mangle]
pub unsafe extern "C" fn payseal_table_url_merchant(
    url: *const u8,
    url_len: usize,
    base: *const u8,
    base_len: usize,
    out: *mut u8,
    out_cap: usize,
    out_written: *mut usize,
) -> PaysealResult {
    boundary(|| {
        let out = output!(out, out_cap, out_written);
        let (url, base) = (bytes!(url, url_len), bytes!(base, base_len));
        let (url, base) = (text(url, PaysealResult::PAYSEAL_INVALID_TABLE_LINK)?, link_base(base)?);
        let out = out.disjoint_from(url.as_bytes())?.disjoint_from(base.as_bytes())?;
        let link = TableLink::parse(url, base)?;
        out.write_all(&link.merchant().to_text())
    })
}
