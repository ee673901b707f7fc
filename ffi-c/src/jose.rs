//! JOSE over `payseal::jose`: JWK Sets parsed once, JWS/JWT verification against them, JWS
//! signing with a private JWK, RFC 7638 thumbprints, and an unverified look inside a token.
//!
//! Algorithm allow-lists cross the ABI as one comma-separated list of names (`"HS256,RS256"`),
//! each name parsed by the core (`Algorithm::from_name`, exact and case-sensitive). A name that
//! is not an algorithm (`none` in any spelling, a typo) is dropped: it can never allow a token,
//! so the call fails closed (`PAYSEAL_ALG_NOT_ALLOWED`). An empty list is
//! `PAYSEAL_INVALID_ARGUMENT`: the algorithms are required, never guessed.

use std::string::String;
use std::sync::{Arc, Mutex, PoisonError};
use std::vec::Vec;

use payseal::jose::refresh::{RefreshPolicy, Refresher};
use payseal::jose::{self, Algorithm, KeySet, SigningKey, Validation};

use crate::abi::{boundary, scratch, text, with_tape, Outcome, Output};
use crate::handle::Handle;
use crate::result::PaysealResult;

/// Which decoded part of a token `payseal_jws_inspect` writes (the `part` argument).
#[allow(non_camel_case_types)]
#[repr(u32)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PaysealJwsPart {
    /// The protected header (JSON text, not checked).
    PAYSEAL_JWS_HEADER = 0,
    /// The payload (for a JWT, the claims' JSON text, not checked).
    PAYSEAL_JWS_PAYLOAD = 1,
}

/// A JWK Set (opaque), parsed once: the keys payseal can verify with; unusable entries (unknown
/// `kty`, encryption keys, RSA under 2048 bits, ...) are skipped and counted. Create with
/// `payseal_jwk_set_new`, release with `payseal_jwk_set_free`. Immutable: one set may serve
/// several threads at once.
#[derive(Debug)]
pub struct PaysealJwkSet {
    keys: Arc<KeySet>,
}

impl Handle for PaysealJwkSet {}

/// A JWT verifier (opaque): a key set with its allow-list, expected audience and issuer and
/// leeway, fixed once (`payseal_jwt_verifier_new`), so a verification passes only the token
/// and the time. Release with `payseal_jwt_verifier_free` (the key set stays alive as long as
/// a verifier uses it, even when its own handle is freed first). Immutable.
#[derive(Debug)]
pub struct PaysealJwtVerifier {
    keys: Arc<KeySet>,
    algorithms: Algorithms,
    audience: Option<String>,
    issuer: Option<String>,
    leeway: u64,
}

impl Handle for PaysealJwtVerifier {}

/// An allow-list without allocation: at most every algorithm once.
#[derive(Debug, Clone, Copy)]
struct Algorithms {
    list: [Algorithm; Algorithm::ALL.len()],
    len: usize,
}

impl Algorithms {
    /// Parses `"HS256,RS256"` (ASCII spaces around names ignored); see the module docs.
    fn parse(names: &[u8]) -> Result<Self, PaysealResult> {
        let mut out = Self { list: [Algorithm::Hs256; Algorithm::ALL.len()], len: 0 };
        if names.iter().all(u8::is_ascii_whitespace) {
            return Err(PaysealResult::PAYSEAL_INVALID_ARGUMENT);
        }
        for name in names.split(|&b| b == b',') {
            let name = name.trim_ascii();
            let Some(alg) = core::str::from_utf8(name).ok().and_then(Algorithm::from_name) else {
                continue;
            };
            if !out.as_slice().contains(&alg) {
                out.list[out.len] = alg;
                out.len += 1;
            }
        }
        Ok(out)
    }

    fn as_slice(&self) -> &[Algorithm] {
        &self.list[..self.len]
    }
}

/// An optional text argument: NULL is "not checked" (`None`); otherwise UTF-8 text (an empty
/// string included), else `PAYSEAL_INVALID_ARGUMENT`.
fn optional_text(bytes: Option<&[u8]>) -> Result<Option<&str>, PaysealResult> {
    bytes.map(|b| text(b, PaysealResult::PAYSEAL_INVALID_ARGUMENT)).transpose()
}

/// Verifies a JWT and writes its payload (the claims' JSON text) to `out`.
fn verify_jwt_into(keys: &KeySet, token: &[u8], validation: &Validation<'_>, out: Output) -> Outcome {
    scratch(false, |buf| {
        buf.resize(jose::scratch_len(token.len()), 0);
        with_tape(token.len(), |tape| {
            let jwt = jose::verify_jwt(token, keys, validation, buf, tape)?;
            out.write_all(jwt.payload)
        })
    })
}

/// Verifies a JWS and writes its payload to `out`.
fn verify_jws_into(keys: &KeySet, token: &[u8], algorithms: &[Algorithm], out: Output) -> Outcome {
    scratch(false, |buf| {
        buf.resize(jose::scratch_len(token.len()), 0);
        with_tape(token.len(), |tape| {
            let v = jose::verify_jws(token, keys, algorithms, buf, tape)?;
            out.write_all(v.payload)
        })
    })
}

/// Parses a JWK Set document (`{"keys": [...]}`, at most 1 MiB) and stores the handle in
/// `*out_set` (set to NULL first). Keys payseal cannot verify with are skipped, not fatal
/// (`payseal_jwk_set_skipped` counts them): Keycloak publishes an `RSA-OAEP` key beside its
/// signing keys. `PAYSEAL_INVALID_KEY` when the document is not JSON or has no `keys` array;
/// `PAYSEAL_TOO_LARGE` over 1 MiB or 256 usable keys.
///
/// # Safety
/// `doc` must point to `doc_len` readable bytes; `out_set` must be a valid `PaysealJwkSet **`.
#[no_mangle]
pub unsafe extern "C" fn payseal_jwk_set_new(
    doc: *const u8,
    doc_len: usize,
    out_set: *mut *mut PaysealJwkSet,
) -> PaysealResult {
    boundary(|| {
        new_handle!(out_set, || {
            let doc = bytes!(doc, doc_len);
            Ok(PaysealJwkSet { keys: Arc::new(KeySet::from_json(doc)?) })
        })
    })
}

/// Releases a key set. NULL is a no-op. Verifiers made from it keep their own reference.
///
/// # Safety
/// `set` must be NULL or a live handle, freed at most once and not in use elsewhere.
#[no_mangle]
pub unsafe extern "C" fn payseal_jwk_set_free(set: *mut PaysealJwkSet) {
    free_handle!(set);
}

/// How many keys the set kept, into `*out_len`.
///
/// # Safety
/// `set` must be a live handle; `out_len` a valid `size_t *`.
#[no_mangle]
pub unsafe extern "C" fn payseal_jwk_set_len(set: *const PaysealJwkSet, out_len: *mut usize) -> PaysealResult {
    boundary(|| {
        let (set, len) = (handle!(set), out_param!(out_len));
        *len = set.keys.len();
        Ok(())
    })
}

/// How many entries of the document were skipped (unusable for verification), into
/// `*out_skipped`.
///
/// # Safety
/// `set` must be a live handle; `out_skipped` a valid `size_t *`.
#[no_mangle]
pub unsafe extern "C" fn payseal_jwk_set_skipped(set: *const PaysealJwkSet, out_skipped: *mut usize) -> PaysealResult {
    boundary(|| {
        let (set, skipped) = (handle!(set), out_param!(out_skipped));
        *skipped = set.keys.skipped();
        Ok(())
    })
}

/// Writes the `kid` of kept key `index` (0 .. `payseal_jwk_set_len`) into `out` and sets
/// `*out_has_kid`; a key without a `kid` writes 0 bytes with `*out_has_kid` false.
/// `PAYSEAL_INVALID_ARGUMENT` for an index out of range.
///
/// # Safety
/// `set` must be a live handle; `out` writable for `out_cap` bytes (or NULL with
/// `out_cap == 0`); `out_written` a valid `size_t *`; `out_has_kid` a valid `bool *`.
#[no_mangle]
pub unsafe extern "C" fn payseal_jwk_set_kid(
    set: *const PaysealJwkSet,
    index: usize,
    out: *mut u8,
    out_cap: usize,
    out_written: *mut usize,
    out_has_kid: *mut bool,
) -> PaysealResult {
    boundary(|| {
        let out = output!(out, out_cap, out_written);
        let (set, has_kid) = (handle!(set), out_param!(out_has_kid));
        let key = set.keys.keys().get(index).ok_or(PaysealResult::PAYSEAL_INVALID_ARGUMENT)?;
        let kid = key.kid();
        out.write_all(kid.unwrap_or("").as_bytes())?;
        *has_kid = kid.is_some();
        Ok(())
    })
}

/// Verifies a compact JWT against `set` at `now` (Unix seconds) and writes its payload, the
/// claims' JSON text exactly as signed, into `out` (never longer than `token_len`).
///
/// `algorithms` is the comma-separated allow-list (module docs). `audience` and `issuer` are
/// checked when not NULL (`aud` must equal or, as an array, contain `audience`; `iss` must
/// equal `issuer`; exact, UTF-8); `leeway` seconds of skew are tolerated on `exp` and `nbf`.
/// Failures in the vectors' precedence: `PAYSEAL_MALFORMED` (structure, header, claim types,
/// a payload that is not a JSON object) / `PAYSEAL_TOO_LARGE` (over 64 KiB),
/// `PAYSEAL_CRIT_UNSUPPORTED`, `PAYSEAL_ALG_NOT_ALLOWED`, `PAYSEAL_KEY_NOT_FOUND`,
/// `PAYSEAL_BAD_SIGNATURE`, then `PAYSEAL_EXPIRED`, `PAYSEAL_NOT_YET_VALID`, `PAYSEAL_AUDIENCE`,
/// `PAYSEAL_ISSUER`. Nothing is written on failure.
///
/// # Safety
/// `set` must be a live handle; `token`, `algorithms`, `audience` and `issuer` must point to
/// their lengths of readable bytes (`audience`/`issuer` may be NULL); `out` must be writable for
/// `out_cap` bytes (or NULL with `out_cap == 0`) and must not overlap `token`; `out_written`
/// must be a valid `size_t *`.
#[no_mangle]
#[allow(clippy::too_many_arguments)]
pub unsafe extern "C" fn payseal_jwt_verify(
    set: *const PaysealJwkSet,
    token: *const u8,
    token_len: usize,
    algorithms: *const u8,
    algorithms_len: usize,
    audience: *const u8,
    audience_len: usize,
    issuer: *const u8,
    issuer_len: usize,
    leeway: u64,
    now: i64,
    out: *mut u8,
    out_cap: usize,
    out_written: *mut usize,
) -> PaysealResult {
    boundary(|| {
        let out = output!(out, out_cap, out_written);
        let (set, token) = (handle!(set), bytes!(token, token_len));
        let out = out.disjoint_from(token)?;
        let algorithms = Algorithms::parse(bytes!(algorithms, algorithms_len))?;
        let audience = if audience.is_null() { None } else { Some(bytes!(audience, audience_len)) };
        let issuer = if issuer.is_null() { None } else { Some(bytes!(issuer, issuer_len)) };
        let validation = Validation {
            leeway,
            audience: optional_text(audience)?,
            issuer: optional_text(issuer)?,
            ..Validation::at(algorithms.as_slice(), now)
        };
        verify_jwt_into(&set.keys, token, &validation, out)
    })
}

/// Verifies a compact JWS against `set` (no claim checks: the payload may be any bytes) and
/// writes its payload into `out`. Failures as `payseal_jwt_verify` up to
/// `PAYSEAL_BAD_SIGNATURE`.
///
/// # Safety
/// As for `payseal_jwt_verify` (without `audience` and `issuer`).
#[no_mangle]
pub unsafe extern "C" fn payseal_jws_verify(
    set: *const PaysealJwkSet,
    token: *const u8,
    token_len: usize,
    algorithms: *const u8,
    algorithms_len: usize,
    out: *mut u8,
    out_cap: usize,
    out_written: *mut usize,
) -> PaysealResult {
    boundary(|| {
        let out = output!(out, out_cap, out_written);
        let (set, token) = (handle!(set), bytes!(token, token_len));
        let out = out.disjoint_from(token)?;
        let algorithms = Algorithms::parse(bytes!(algorithms, algorithms_len))?;
        verify_jws_into(&set.keys, token, algorithms.as_slice(), out)
    })
}

/// Fixes a JWT verification's settings once (arguments as `payseal_jwt_verify`) and stores
/// the verifier in `*out_verifier` (set to NULL first). The verifier holds its own reference to
/// the key set.
///
/// # Safety
/// `set` must be a live handle; `algorithms`, `audience`, `issuer` as for
/// `payseal_jwt_verify`; `out_verifier` must be a valid `PaysealJwtVerifier **`.
#[no_mangle]
#[allow(clippy::too_many_arguments)]
pub unsafe extern "C" fn payseal_jwt_verifier_new(
    set: *const PaysealJwkSet,
    algorithms: *const u8,
    algorithms_len: usize,
    audience: *const u8,
    audience_len: usize,
    issuer: *const u8,
    issuer_len: usize,
    leeway: u64,
    out_verifier: *mut *mut PaysealJwtVerifier,
) -> PaysealResult {
    boundary(|| {
        new_handle!(out_verifier, || {
            let set = handle!(set);
            let algorithms = Algorithms::parse(bytes!(algorithms, algorithms_len))?;
            let audience = if audience.is_null() { None } else { Some(bytes!(audience, audience_len)) };
            let issuer = if issuer.is_null() { None } else { Some(bytes!(issuer, issuer_len)) };
            Ok(PaysealJwtVerifier {
                keys: Arc::clone(&set.keys),
                algorithms,
                audience: optional_text(audience)?.map(String::from),
                issuer: optional_text(issuer)?.map(String::from),
                leeway,
            })
        })
    })
}

/// Releases a verifier. NULL is a no-op.
///
/// # Safety
/// `verifier` must be NULL or a live handle, freed at most once and not in use elsewhere.
#[no_mangle]
pub unsafe extern "C" fn payseal_jwt_verifier_free(verifier: *mut PaysealJwtVerifier) {
    free_handle!(verifier);
}

/// `payseal_jwt_verify` with the verifier's settings, at `now`.
///
/// # Safety
/// `verifier` must be a live handle; `token` must point to `token_len` readable bytes; `out`
/// must be writable for `out_cap` bytes (or NULL with `out_cap == 0`) and must not overlap
/// `token`; `out_written` must be a valid `size_t *`.
#[no_mangle]
pub unsafe extern "C" fn payseal_jwt_verifier_verify(
    verifier: *const PaysealJwtVerifier,
    token: *const u8,
    token_len: usize,
    now: i64,
    out: *mut u8,
    out_cap: usize,
    out_written: *mut usize,
) -> PaysealResult {
    boundary(|| {
        let out = output!(out, out_cap, out_written);
        let (v, token) = (handle!(verifier), bytes!(token, token_len));
        let out = out.disjoint_from(token)?;
        let validation = Validation {
            leeway: v.leeway,
            audience: v.audience.as_deref(),
            issuer: v.issuer.as_deref(),
            ..Validation::at(v.algorithms.as_slice(), now)
        };
        verify_jwt_into(&v.keys, token, &validation, out)
    })
}

/// `payseal_jws_verify` with the verifier's key set and allow-list (audience, issuer and
/// leeway do not apply: no claims are read).
///
/// # Safety
/// As for `payseal_jwt_verifier_verify`.
#[no_mangle]
pub unsafe extern "C" fn payseal_jwt_verifier_verify_jws(
    verifier: *const PaysealJwtVerifier,
    token: *const u8,
    token_len: usize,
    out: *mut u8,
    out_cap: usize,
    out_written: *mut usize,
) -> PaysealResult {
    boundary(|| {
        let out = output!(out, out_cap, out_written);
        let (v, token) = (handle!(verifier), bytes!(token, token_len));
        let out = out.disjoint_from(token)?;
        verify_jws_into(&v.keys, token, v.algorithms.as_slice(), out)
    })
}

/// Signs `payload` (any bytes) under the protected `header` (its exact JSON text, encoded as
/// given; its `alg` chooses the algorithm) with the private JWK `jwk`, and writes the compact
/// token into `out`. HS*, RS* and EdDSA are deterministic; PS*/ES* draw from the OS.
///
/// Failures: `PAYSEAL_INVALID_KEY` (not a private JWK payseal signs with, `use`/`key_ops`
/// forbid signing, or the key does not fit the header's `alg`), `PAYSEAL_MALFORMED` (header not
/// a JSON object with a string `alg`), `PAYSEAL_ALG_NOT_ALLOWED` (unknown `alg`, `none`),
/// `PAYSEAL_CRIT_UNSUPPORTED`, `PAYSEAL_TOO_LARGE` (header over 4 KiB), `PAYSEAL_RANDOMNESS`.
/// A short buffer gets `PAYSEAL_BUFFER_TOO_SMALL` with the exact size (PS*/ES*: the size of
/// the next token too; their bytes differ each time).
///
/// # Safety
/// `jwk`, `header` and `payload` must point to their lengths of readable bytes; `out` must be
/// writable for `out_cap` bytes (or NULL with `out_cap == 0`) and must not overlap any input;
/// `out_written` must be a valid `size_t *`.
#[no_mangle]
#[allow(clippy::too_many_arguments)]
pub unsafe extern "C" fn payseal_jws_sign(
    jwk: *const u8,
    jwk_len: usize,
    header: *const u8,
    header_len: usize,
    payload: *const u8,
    payload_len: usize,
    out: *mut u8,
    out_cap: usize,
    out_written: *mut usize,
) -> PaysealResult {
    boundary(|| {
        let out = output!(out, out_cap, out_written);
        let (jwk, header, payload) = (bytes!(jwk, jwk_len), bytes!(header, header_len), bytes!(payload, payload_len));
        let out = out.disjoint_from(jwk)?.disjoint_from(header)?.disjoint_from(payload)?;
        let key = SigningKey::from_jwk(jwk)?;
        // Into scratch first: the caller's buffer receives a complete token or nothing.
        scratch(false, |buf: &mut Vec<u8>| {
            buf.resize(jose::signed_len_upper(header.len(), payload.len(), &key), 0);
            let n = jose::sign(header, payload, &key, buf)?;
            out.write_all(&buf[..n])
        })
    })
}

/// Writes the name of the algorithm a private JWK signs with when the caller names none
/// (`"HS256"`, ...): the core's `SigningKey::default_algorithm`, the one rule every binding's
/// `sign_jwt` follows (the JWK's own `alg`, else its type's usual one). `PAYSEAL_INVALID_KEY`
/// for a JWK `payseal_jws_sign` would refuse, or one that fits no algorithm (an `oct` key
/// shorter than 32 bytes).
///
/// # Safety
/// `jwk` must point to `jwk_len` readable bytes; `out` must be writable for `out_cap` bytes (or
/// NULL with `out_cap == 0`) and must not overlap `jwk`; `out_written` a valid `size_t *`.
#[no_mangle]
pub unsafe extern "C" fn payseal_jwk_default_algorithm(
    jwk: *const u8,
    jwk_len: usize,
    out: *mut u8,
    out_cap: usize,
    out_written: *mut usize,
) -> PaysealResult {
    boundary(|| {
        let out = output!(out, out_cap, out_written);
        let jwk = bytes!(jwk, jwk_len);
        let out = out.disjoint_from(jwk)?;
        let alg = SigningKey::from_jwk(jwk)?.default_algorithm().ok_or(jose::Error::InvalidKey)?;
        out.write_all(alg.name().as_bytes())
    })
}

/// Writes the RFC 7638 thumbprint (SHA-256 of the required members, base64url: 43 bytes) of
/// a public or private JWK (`oct`, `RSA`, `EC`, `OKP`). `PAYSEAL_INVALID_KEY` for anything else.
///
/// # Safety
/// `jwk` must point to `jwk_len` readable bytes; `out` must be writable for `out_cap` bytes (or
/// NULL with `out_cap == 0`) and must not overlap `jwk`; `out_written` a valid `size_t *`.
#[no_mangle]
pub unsafe extern "C" fn payseal_jwk_thumbprint(
    jwk: *const u8,
    jwk_len: usize,
    out: *mut u8,
    out_cap: usize,
    out_written: *mut usize,
) -> PaysealResult {
    boundary(|| {
        let out = output!(out, out_cap, out_written);
        let jwk = bytes!(jwk, jwk_len);
        let out = out.disjoint_from(jwk)?;
        out.write_all(jose::thumbprint_string(jwk)?.as_bytes())
    })
}

/// Decodes one part (`PaysealJwsPart`) of a compact token WITHOUT verifying anything but its
/// structure (three canonical base64url segments): for display and debugging only.
/// `PAYSEAL_MALFORMED` / `PAYSEAL_TOO_LARGE` for a token that is not compact JWS;
/// `PAYSEAL_INVALID_ARGUMENT` for an unknown part.
///
/// # Safety
/// `token` must point to `token_len` readable bytes; `out` must be writable for `out_cap`
/// bytes (or NULL with `out_cap == 0`) and must not overlap `token`; `out_written` a valid
/// `size_t *`.
#[no_mangle]
pub unsafe extern "C" fn payseal_jws_inspect(
    token: *const u8,
    token_len: usize,
    part: u32,
    out: *mut u8,
    out_cap: usize,
    out_written: *mut usize,
) -> PaysealResult {
    boundary(|| {
        let out = output!(out, out_cap, out_written);
        let token = bytes!(token, token_len);
        let out = out.disjoint_from(token)?;
        let header = match part {
            p if p == PaysealJwsPart::PAYSEAL_JWS_HEADER as u32 => true,
            p if p == PaysealJwsPart::PAYSEAL_JWS_PAYLOAD as u32 => false,
            _ => return Err(PaysealResult::PAYSEAL_INVALID_ARGUMENT.into()),
        };
        scratch(false, |buf| {
            buf.resize(jose::scratch_len(token.len()), 0);
            let t = jose::inspect(token, buf)?;
            out.write_all(if header { t.header } else { t.payload })
        })
    })
}

/// When to fetch a remote JWK Set (opaque): the core's `payseal::jose::refresh::Refresher`
/// state machine, so every binding's `RemoteJwkSet` follows one policy; the host does the HTTP.
/// Create with `payseal_jwks_refresher_new`, release with `payseal_jwks_refresher_free`. The one
/// handle that changes after `_new`: its state is behind a lock, so it may still be shared.
#[derive(Debug)]
pub struct PaysealJwksRefresher {
    state: Mutex<Refresher>,
}

impl Handle for PaysealJwksRefresher {}

impl PaysealJwksRefresher {
    fn with<T>(&self, f: impl FnOnce(&mut Refresher) -> T) -> T {
        f(&mut self.state.lock().unwrap_or_else(PoisonError::into_inner))
    }
}

/// A refresher for one remote set: a fetched set is used for `max_age` seconds; fetches asked
/// for by an unknown `kid` or after a failure are at least `cooldown` seconds apart (the core's
/// defaults: 600 and 30). Stores the handle in `*out_refresher` (set to NULL first).
///
/// # Safety
/// `out_refresher` must be a valid `PaysealJwksRefresher **`.
#[no_mangle]
pub unsafe extern "C" fn payseal_jwks_refresher_new(
    max_age: u64,
    cooldown: u64,
    out_refresher: *mut *mut PaysealJwksRefresher,
) -> PaysealResult {
    boundary(|| {
        new_handle!(out_refresher, || {
            Ok(PaysealJwksRefresher { state: Mutex::new(Refresher::new(RefreshPolicy { max_age, cooldown })) })
        })
    })
}

/// Releases a refresher. NULL is a no-op.
///
/// # Safety
/// `refresher` must be NULL or a live handle, freed at most once and not in use elsewhere.
#[no_mangle]
pub unsafe extern "C" fn payseal_jwks_refresher_free(refresher: *mut PaysealJwksRefresher) {
    free_handle!(refresher);
}

/// Which question or event `payseal_jwks_refresher_step` is about (the `step` argument).
#[allow(non_camel_case_types)]
#[repr(u32)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PaysealRefreshStep {
    /// Before a verification: fetch first? (no set yet, or `max_age` old, and cooled down)
    PAYSEAL_REFRESH_SHOULD_FETCH = 0,
    /// After `PAYSEAL_KEY_NOT_FOUND`: fetch again and retry once? (at most once per `cooldown`)
    PAYSEAL_REFRESH_SHOULD_REFETCH_FOR_UNKNOWN_KID = 1,
    /// A fetch starts now (call before the HTTP request).
    PAYSEAL_REFRESH_ATTEMPT = 2,
    /// The fetch produced a usable set: the host uses it from now on.
    PAYSEAL_REFRESH_SUCCEEDED = 3,
    /// The fetch failed (HTTP error, time-out, not a JWK Set): the last good set stays.
    PAYSEAL_REFRESH_FAILED = 4,
    /// Has a fetch ever succeeded?
    PAYSEAL_REFRESH_HAS_SET = 5,
}

/// Asks the refresher a question or records an event (`PaysealRefreshStep`) at `now`, seconds
/// on a clock that does not go backwards (a monotonic clock is best). `*out_answer` is the
/// question's answer (false for events). `PAYSEAL_INVALID_ARGUMENT` for an unknown step.
///
/// # Safety
/// `refresher` must be a live handle; `out_answer` a valid `bool *`.
#[no_mangle]
pub unsafe extern "C" fn payseal_jwks_refresher_step(
    refresher: *const PaysealJwksRefresher,
    step: u32,
    now: i64,
    out_answer: *mut bool,
) -> PaysealResult {
    use PaysealRefreshStep as S;
    boundary(|| {
        let (r, answer) = (handle!(refresher), out_param!(out_answer));
        *answer = r.with(|r| match step {
            s if s == S::PAYSEAL_REFRESH_SHOULD_FETCH as u32 => Ok(r.should_fetch(now)),
            s if s == S::PAYSEAL_REFRESH_SHOULD_REFETCH_FOR_UNKNOWN_KID as u32 => {
                Ok(r.should_refetch_for_unknown_kid(now))
            }
            s if s == S::PAYSEAL_REFRESH_ATTEMPT as u32 => {
                r.attempt(now);
                Ok(false)
            }
            s if s == S::PAYSEAL_REFRESH_SUCCEEDED as u32 => {
                r.succeeded(now);
                Ok(false)
            }
            s if s == S::PAYSEAL_REFRESH_FAILED as u32 => {
                r.failed(now);
                Ok(false)
            }
            s if s == S::PAYSEAL_REFRESH_HAS_SET as u32 => Ok(r.has_set()),
            _ => Err(PaysealResult::PAYSEAL_INVALID_ARGUMENT),
        })?;
        Ok(())
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use core::ptr::{null, null_mut};

    const JWK: &[u8] = br#"{"kty":"oct","k":"IpHYzcMQQR5-wnN4pmHJNRh8B-TVY26bw8QAsnJEuM0","kid":"k1"}"#;
    const SET: &[u8] =
        br#"{"keys":[{"kty":"oct","k":"IpHYzcMQQR5-wnN4pmHJNRh8B-TVY26bw8QAsnJEuM0","kid":"k1"},{"kty":"XYZ"}]}"#;

    fn sign(header: &[u8], payload: &[u8]) -> Vec<u8> {
        let mut out = [0u8; 512];
        let mut n = 0;
        // SAFETY: every pointer is a live local for the call.
        let rc = unsafe {
            payseal_jws_sign(
                JWK.as_ptr(),
                JWK.len(),
                header.as_ptr(),
                header.len(),
                payload.as_ptr(),
                payload.len(),
                out.as_mut_ptr(),
                out.len(),
                &mut n,
            )
        };
        assert_eq!(rc, PaysealResult::PAYSEAL_OK);
        out[..n].to_vec()
    }

    fn set() -> *mut PaysealJwkSet {
        let mut set = null_mut();
        // SAFETY: live locals.
        assert_eq!(unsafe { payseal_jwk_set_new(SET.as_ptr(), SET.len(), &mut set) }, PaysealResult::PAYSEAL_OK);
        set
    }

    fn verify(
        set: *const PaysealJwkSet,
        token: &[u8],
        algs: &[u8],
        aud: Option<&[u8]>,
        now: i64,
    ) -> (PaysealResult, Vec<u8>) {
        let mut out = [0xA5u8; 512];
        let mut n = 99;
        let (a, al) = aud.map_or((null(), 0), |a| (a.as_ptr(), a.len()));
        // SAFETY: live locals; `set` is a live handle.
        let rc = unsafe {
            payseal_jwt_verify(
                set,
                token.as_ptr(),
                token.len(),
                algs.as_ptr(),
                algs.len(),
                a,
                al,
                null(),
                0,
                0,
                now,
                out.as_mut_ptr(),
                out.len(),
                &mut n,
            )
        };
        if rc != PaysealResult::PAYSEAL_OK {
            assert!(out.iter().all(|&b| b == 0xA5), "nothing written on failure");
            assert_eq!(n, 0);
        }
        (rc, out[..n].to_vec())
    }

    #[test]
    fn sign_then_verify_with_claims() {
        let claims = br#"{"sub":"x","aud":"account","exp":2000}"#;
        let token = sign(br#"{"alg":"HS256","kid":"k1"}"#, claims);
        let set = set();
        let (mut len, mut skipped) = (0, 0);
        // SAFETY: live handle and locals.
        unsafe {
            assert_eq!(payseal_jwk_set_len(set, &mut len), PaysealResult::PAYSEAL_OK);
            assert_eq!(payseal_jwk_set_skipped(set, &mut skipped), PaysealResult::PAYSEAL_OK);
        }
        assert_eq!((len, skipped), (1, 1));
        assert_eq!(
            verify(set, &token, b"RS256, HS256", Some(b"account"), 1000),
            (PaysealResult::PAYSEAL_OK, claims.to_vec())
        );
        assert_eq!(verify(set, &token, b"HS256", Some(b"other"), 1000).0, PaysealResult::PAYSEAL_AUDIENCE);
        assert_eq!(verify(set, &token, b"HS256", None, 2000).0, PaysealResult::PAYSEAL_EXPIRED);
        assert_eq!(verify(set, &token, b"none,HS384", None, 1000).0, PaysealResult::PAYSEAL_ALG_NOT_ALLOWED);
        assert_eq!(verify(set, &token, b"", None, 1000).0, PaysealResult::PAYSEAL_INVALID_ARGUMENT);
        let mut bad = token.clone();
        let last = bad.len() - 2;
        bad[last] = if bad[last] == b'A' { b'B' } else { b'A' };
        assert_eq!(verify(set, &bad, b"HS256", None, 1000).0, PaysealResult::PAYSEAL_BAD_SIGNATURE);
        assert_eq!(verify(set, b"a.b", b"HS256", None, 1000).0, PaysealResult::PAYSEAL_MALFORMED);
        // SAFETY: freed once.
        unsafe { payseal_jwk_set_free(set) };
    }

    #[test]
    fn a_verifier_outlives_its_set_handle() {
        let token = sign(br#"{"alg":"HS256"}"#, br#"{"n":1}"#);
        let set = set();
        let mut v = null_mut();
        // SAFETY: live handle and locals; each handle freed once.
        unsafe {
            let algs = b"HS256";
            assert_eq!(
                payseal_jwt_verifier_new(set, algs.as_ptr(), algs.len(), null(), 0, null(), 0, 0, &mut v),
                PaysealResult::PAYSEAL_OK
            );
            payseal_jwk_set_free(set);
            let mut out = [0u8; 64];
            let mut n = 0;
            let rc =
                payseal_jwt_verifier_verify(v, token.as_ptr(), token.len(), 0, out.as_mut_ptr(), out.len(), &mut n);
            assert_eq!((rc, &out[..n]), (PaysealResult::PAYSEAL_OK, &br#"{"n":1}"#[..]));
            payseal_jwt_verifier_free(v);
        }
    }

    #[test]
    fn the_refresher_is_the_cores() {
        let mut r = null_mut();
        let ask = |r: *const PaysealJwksRefresher, step: PaysealRefreshStep, now: i64| {
            let mut answer = true;
            // SAFETY: a live handle and a local.
            let rc = unsafe { payseal_jwks_refresher_step(r, step as u32, now, &mut answer) };
            assert_eq!(rc, PaysealResult::PAYSEAL_OK);
            answer
        };
        use PaysealRefreshStep as S;
        // SAFETY: a live local; the handle is freed once.
        unsafe {
            assert_eq!(payseal_jwks_refresher_new(600, 30, &mut r), PaysealResult::PAYSEAL_OK);
            assert!(ask(r, S::PAYSEAL_REFRESH_SHOULD_FETCH, 0));
            assert!(!ask(r, S::PAYSEAL_REFRESH_ATTEMPT, 0));
            assert!(!ask(r, S::PAYSEAL_REFRESH_SUCCEEDED, 0));
            assert!(ask(r, S::PAYSEAL_REFRESH_HAS_SET, 0));
            assert!(!ask(r, S::PAYSEAL_REFRESH_SHOULD_FETCH, 599));
            assert!(ask(r, S::PAYSEAL_REFRESH_SHOULD_FETCH, 600));
            assert!(!ask(r, S::PAYSEAL_REFRESH_SHOULD_REFETCH_FOR_UNKNOWN_KID, 29));
            assert!(ask(r, S::PAYSEAL_REFRESH_SHOULD_REFETCH_FOR_UNKNOWN_KID, 30));
            let mut answer = false;
            assert_eq!(payseal_jwks_refresher_step(r, 99, 0, &mut answer), PaysealResult::PAYSEAL_INVALID_ARGUMENT);
            payseal_jwks_refresher_free(r);
        }
    }

    #[test]
    fn thumbprint_of_rfc7638_example() {
        let jwk = br#"{"kty":"RSA","n":"0vx7agoebGcQSuuPiLJXZptN9nndrQmbXEps2aiAFbWhM78LhWx4cbbfAAtVT86zwu1RK7aPFFxuhDR1L6tSoc_BJECPebWKRXjBZCiFV4n3oknjhMstn64tZ_2W-5JsGY4Hc5n9yBXArwl93lqt7_RN5w6Cf0h4QyQ5v-65YGjQR0_FDW2QvzqY368QQMicAtaSqzs8KJZgnYb9c7d0zgdAZHzu6qMQvRL5hajrn1n91CbOpbISD08qNLyrdkt-bFTWhAI4vMQFh6WeZu0fM4lFd2NcRwr3XPksINHaQ-G_xBniIqbw0Ls1jF44-csFCur-kEgU8awapJzKnqDKgw","e":"AQAB","alg":"RS256","kid":"2011-04-29"}"#;
        let mut out = [0u8; 64];
        let mut n = 0;
        // SAFETY: live locals.
        let rc = unsafe { payseal_jwk_thumbprint(jwk.as_ptr(), jwk.len(), out.as_mut_ptr(), out.len(), &mut n) };
        assert_eq!(rc, PaysealResult::PAYSEAL_OK);
        assert_eq!(&out[..n], b"NzbLsXh8uDCcd-6MNwXF4W_7noWXFZAfHkxZsRGC9Xs");
    }

    #[test]
    fn the_default_algorithm_is_the_cores() {
        let ask = |jwk: &[u8]| {
            let mut out = [0u8; 16];
            let mut n = 0;
            // SAFETY: live locals.
            let rc =
                unsafe { payseal_jwk_default_algorithm(jwk.as_ptr(), jwk.len(), out.as_mut_ptr(), out.len(), &mut n) };
            (rc, String::from_utf8(out[..n].to_vec()).expect("name"))
        };
        for jwk in [
            JWK,
            br#"{"kty":"oct","k":"IpHYzcMQQR5-wnN4pmHJNRh8B-TVY26bw8QAsnJEuM0","alg":"HS512"}"#,
            br#"{"kty":"oct","k":"c2hvcnQ"}"#,
            b"not json",
        ] {
            let want = SigningKey::from_jwk(jwk).map(|k| k.default_algorithm());
            let got = ask(jwk);
            match want {
                Ok(Some(alg)) => assert_eq!(got, (PaysealResult::PAYSEAL_OK, alg.name().to_owned())),
                _ => assert_eq!(got, (PaysealResult::PAYSEAL_INVALID_KEY, String::new())),
            }
        }
        assert_eq!(ask(JWK).1, "HS256");
    }
}
